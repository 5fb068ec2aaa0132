/**
 * One small interface over the two PostgreSQLs ChartGuard runs on: embedded PGlite
 * (default: files under ./.data, or in memory) and a PostgreSQL server (DATABASE_URL).
 * The same SQL runs on both.
 */
import { mkdirSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';
import { acquireDataLock, DataDirectoryReadOnly } from './data-lock.js';
import { classify, isConnectionError, postgresTimeouts, reportDatabaseEvent } from './db-faults.js';
import { checkStartingDisk, explainStartFailure } from './disk-space.js';
import { startHeartbeat } from './listener-liveness.js';
import { serveSnapshots } from './snapshot-socket.js';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements (migrations); no parameters. */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The embedded database's directory (its disk's free space is watched: disk-space.ts). */
  readonly dataDir?: string | undefined;
  /** The embedded database: a consistent archive of its data directory (backup.ts). */
  readonly snapshot?: () => Promise<Uint8Array>;
  /**
   * Runs `fn` in one transaction; commits when it resolves, rolls back when it throws.
   * `opening`, a statement without parameters, runs first, sent with BEGIN in one round trip
   * (the transaction's settings: ChartGuard.within).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opening?: string): Promise<T>;
  /**
   * One statement without parameters in a transaction after `opening`: BEGIN, both and
   * COMMIT in one round trip on a server (a single-record read as a member).
   */
  readOnce<T>(opening: string, sql: string): Promise<T[]>;
  /**
   * Subscribes to NOTIFY on `channel` (delivered once the notifying transaction commits).
   * Resolves once listening. On a server the listening connection can drop: `live(false)`
   * says notifications may have been missed, `live(true)` that it listens again.
   */
  listen(channel: string, on: Notifications): Promise<void>;
  close(): Promise<void>;
}

export interface Notifications {
  readonly message: (payload: string) => void;
  readonly live: (live: boolean) => void;
}

export interface DatabaseOptions {
  /** postgres://... selects a PostgreSQL server. */
  readonly url?: string | undefined;
  /** PGlite data directory; 'memory' (or undefined with memory: true) for an in-memory database. */
  readonly dataDir?: string | undefined;
  /** PGlite: a new directory is loaded from this archive (a restore, backup.ts). */
  readonly loadDataDir?: Blob | undefined;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url);
  return openPglite(options.dataDir ?? 'memory', options.loadDataDir);
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  // One process at a time on a data directory (data-lock.ts).
  const lock = dataDir === 'memory' ? null : acquireDataLock(makeDir(dataDir));
  let db: InstanceType<typeof PGlite>;
  try {
    if (lock) checkStartingDisk(dataDir);
    db = dataDir === 'memory' ? await PGlite.create() : await PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
    if (loadDataDir) lock?.reassert();
  } catch (err) {
    lock?.release();
    throw dataDir === 'memory' ? err : explainStartFailure(dataDir, err);
  }
  const wrap = (q: {
    query: (s: string, p?: unknown[]) => Promise<{ rows: unknown[] }>;
    exec: (s: string) => Promise<unknown>;
  }): Queryable => ({
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await q.query(sql, [...params])).rows as T[];
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  // Between two statements, with the WAL flushed: what a restore recovers from like a crash.
  const snapshot = async () => {
    await db.query('checkpoint');
    return new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
  };
  const stopSnapshots = lock ? serveSnapshots(dataDir, snapshot) : async () => {};
  return {
    kind: 'pglite',
    dataDir: dataDir === 'memory' ? undefined : dataDir,
    snapshot,
    ...wrap(db),
    transaction: (fn, opening) =>
      db.transaction(async (tx) => {
        if (opening) await tx.exec(opening);
        return fn(wrap(tx));
      }),
    readOnce: <T>(opening: string, sql: string) =>
      db.transaction(async (tx) => {
        await tx.exec(opening);
        return (await tx.query(sql)).rows as T[];
      }),
    // One process owns an embedded database: its notifications are never missed.
    async listen(channel, on) {
      await db.listen(channel, on.message);
      on.live(true);
    },
    close: async () => {
      try {
        await stopSnapshots();
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
}

function makeDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    // (Node's recursive mkdir says ENOENT when a read-only parent refuses the new folder.)
    const code = (err as { code?: string }).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOENT') throw new DataDirectoryReadOnly(dir, err);
    throw err;
  }
  return dir;
}

async function openPostgres(url: string): Promise<Database> {
  const pg = await import('pg');
  const Pool = pg.default.Pool;
  // JIT compilation is for long analytic queries: ChartGuard's are index lookups and pages of
  // a few milliseconds, whose cost estimates can still cross jit_above_cost on a large
  // practice and then spend hundreds of milliseconds compiling (seen: 340 ms for a 1 ms page).
  const t = postgresTimeouts();
  const pool = new Pool({
    connectionString: url,
    max: Number(process.env.PGPOOL_MAX ?? 10),
    connectionTimeoutMillis: t.connectMs,
    query_timeout: t.queryMs,
    options: `-c jit=off -c statement_timeout=${t.statementMs} -c idle_in_transaction_session_timeout=${t.idleInTransactionMs}`,
  });
  // A dropped idle connection must not crash the process (the pool replaces it).
  pool.on('error', (err) => reportDatabaseEvent({ kind: 'connection_lost', detail: err.message }));
  const listener = new Listener(() => new pg.default.Client({ connectionString: url }));
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await pool.query(sql, [...params]).catch(rethrow)).rows as T[];
    },
    transaction: <T>(fn: (tx: Queryable) => Promise<T>, opening?: string) =>
      onConnection(pool, async (client) => {
        // One simple query: BEGIN and the opening statement in one round trip.
        await client.query(opening ? `begin; ${opening}` : 'begin');
        const result = await fn({
          async query<R>(sql: string, params: readonly unknown[] = []) {
            return (await client.query(sql, [...params])).rows as R[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('commit');
        return result;
      }),
    readOnce: <T>(opening: string, sql: string) =>
      onConnection(pool, async (client) => {
        // A simple query of four statements: one write, one read. An error skips the rest
        // and leaves the transaction aborted: onConnection rolls it back.
        const results = (await client.query(`begin; ${opening}; ${sql}; commit`)) as unknown as { rows: T[] }[];
        return results[2]!.rows;
      }),
    async exec(sql: string) {
      await pool.query(sql).catch(rethrow);
    },
    listen: (channel, on) => listener.add(channel, on),
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * Runs `fn` on a pooled connection, for one transaction. A connection that dies between two
 * statements emits 'error' on the checked-out client (without a listener that ends the
 * process): it is destroyed, not reused. An error rolls the transaction back, except after a
 * connection error (a read timeout too: the statement may still be running), which leaves
 * nothing to roll back on this connection: destroying it ends the transaction.
 */
async function onConnection<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch(rethrow);
  let broken: unknown = null;
  const onError = (err: unknown) => {
    broken ??= err;
    reportDatabaseEvent({ kind: 'connection_lost', detail: `in a transaction: ${err instanceof Error ? err.message : String(err)}` });
  };
  client.on('error', onError);
  try {
    return await fn(client);
  } catch (err) {
    if (isConnectionError(err)) broken ??= err;
    if (!broken) await client.query('rollback').catch((e: unknown) => (broken ??= e));
    throw classify(broken && !isConnectionError(err) && isConnectionError(broken) ? broken : err);
  } finally {
    client.off('error', onError);
    client.release(broken ? (broken as Error) : undefined);
  }
}

interface ListeningClient {
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', fn: (m: { channel: string; payload?: string | undefined }) => void): unknown;
  on(event: 'error' | 'end', fn: () => void): unknown;
}

/**
 * One connection per database that LISTENs for every subscribed channel. When it drops,
 * subscribers hear live(false) at once (they must stop trusting what notifications kept
 * fresh); it reconnects with backoff and says live(true) once it listens again.
 */
class Listener {
  private readonly channels = new Map<string, Set<Notifications>>();
  private client: ListeningClient | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private retryMs = 100;

  constructor(private readonly newClient: () => ListeningClient) {}

  async add(channel: string, on: Notifications): Promise<void> {
    let subs = this.channels.get(channel);
    const fresh = !subs;
    if (!subs) this.channels.set(channel, (subs = new Set()));
    subs.add(on);
    await this.connect();
    if (fresh && this.client) await this.client.query(`listen ${quoteIdent(channel)}`);
    on.live(this.client !== null);
  }

  private connect(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= (async () => {
      const client = this.newClient();
      let lost = false;
      let stopHeartbeat = () => {};
      const drop = () => {
        if (lost) return;
        lost = true;
        stopHeartbeat();
        if (!this.closed) reportDatabaseEvent({ kind: 'listener_lost', detail: 'the change-notification connection dropped: caches off until it reconnects' });
        if (this.client === client) this.client = null;
        void client.end().catch(() => {});
        this.each((on) => on.live(false));
        if (!this.closed) setTimeout(() => void this.connect().catch(() => {}), this.retryMs).unref();
        this.retryMs = Math.min(this.retryMs * 2, 5000);
      };
      client.on('error', drop);
      client.on('end', drop);
      client.on('notification', (m) => {
        for (const on of this.channels.get(m.channel) ?? []) on.message(m.payload ?? '');
      });
      try {
        await client.connect();
        for (const channel of this.channels.keys()) await client.query(`listen ${quoteIdent(channel)}`);
        this.client = client;
        if (this.retryMs > 100) reportDatabaseEvent({ kind: 'listener_back', detail: 'the change-notification connection is back: caches on' });
        this.retryMs = 100;
        this.each((on) => on.live(true));
        // A silently dead connection sends no error: a heartbeat finds it (listener-liveness.ts).
        stopHeartbeat = startHeartbeat(() => client.query('select 1'), {
          missed: () => {
            reportDatabaseEvent({ kind: 'listener_missed', detail: 'the change-notification connection did not answer its heartbeat: caches off, reading through the database' });
            this.each((on) => on.live(false));
          },
          back: () => {
            reportDatabaseEvent({ kind: 'listener_back', detail: 'the change-notification connection answers again: caches on' });
            this.each((on) => on.live(true));
          },
          // A black-holed socket never finishes a polite end(): destroy it.
          dead: () => {
            (client as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
            drop();
          },
        });
      } catch {
        drop();
      }
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private each(fn: (on: Notifications) => void): void {
    for (const subs of this.channels.values()) for (const on of subs) fn(on);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => {});
  }
}

function rethrow(err: unknown): never {
  throw classify(err);
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}
