/**
 * Backups and restores of both engines (issue 12, finding 6).
 *
 * Embedded PGlite: a snapshot is PGlite's `dumpDataDir` (a gzipped tar of the data
 * directory, taken between two statements: the state a kill -9 would leave, which the
 * restored database recovers from like any crash, every commit in it). A copy of the files
 * of a live directory is not one. So the snapshot is taken by the process that holds the
 * directory: that process answers on a Unix socket beside it (snapshot-socket.ts, mode
 * 0600: only the same user on the same machine), and `chartguard backup` asks it; when
 * no process holds the directory, the command opens it itself.
 *
 * PostgreSQL server: `pg_dump --format=custom` of the database (every schema ChartGuard
 * uses), restored with `pg_restore --single-transaction` after ChartGuard's schemas there are
 * moved aside (dropped once the restore commits, put back if it fails).
 *
 * A restore refuses a database that already holds practices unless forced (PGlite: the old
 * directory is kept beside it as DIR.before-restore-TIME); afterwards every practice's
 * activity log is verified.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChartGuard } from '../chartguard.js';
import { acquireDataLock, DataDirectoryLocked, LOCK_FILE } from './data-lock.js';
import { openDatabase, type Database } from './database.js';
import { askHolder } from './snapshot-socket.js';

const run = promisify(execFile);

export type BackupEngine = 'pglite' | 'postgres';

export interface Target {
  /** postgres://... for a PostgreSQL server; otherwise the PGlite data directory. */
  readonly url?: string | undefined;
  readonly dataDir: string;
}

export interface BackupResult {
  readonly engine: BackupEngine;
  readonly bytes: number;
  /** How it was taken: by the running process that holds the directory, or by this one. */
  readonly via: 'running server' | 'this process' | 'pg_dump';
}

/** Writes a consistent snapshot of the database to `file`. */
export async function backup(target: Target, file: string): Promise<BackupResult> {
  if (target.url) {
    await run('pg_dump', ['--format=custom', '--no-owner', '--file', file, '--dbname', target.url], { maxBuffer: 64 * 1024 * 1024 }).catch(explainMissingTool('pg_dump'));
    return { engine: 'postgres', bytes: readFileSync(file).length, via: 'pg_dump' };
  }
  if (!existsSync(join(target.dataDir, 'PG_VERSION'))) throw new Error(`There is no database in ${target.dataDir} to back up.`);
  let db: Database;
  try {
    db = await openDatabase({ dataDir: target.dataDir });
  } catch (err) {
    if (!(err instanceof DataDirectoryLocked)) throw err;
    // A server holds the directory: it takes the snapshot.
    const bytes = await askHolder(target.dataDir, err);
    writeFileSync(file, bytes);
    return { engine: 'pglite', bytes: bytes.length, via: 'running server' };
  }
  try {
    const bytes = await db.snapshot!();
    writeFileSync(file, bytes);
    return { engine: 'pglite', bytes: bytes.length, via: 'this process' };
  } finally {
    await db.close();
  }
}

export interface RestoreResult {
  readonly engine: BackupEngine;
  readonly practices: readonly { id: string; ok: boolean; detail: string }[];
  /** PGlite with force: where the replaced directory was kept. */
  readonly keptAt?: string;
}

/** Restores `file` into the target; refuses a database that holds practices unless `force`. */
export async function restore(target: Target, file: string, force: boolean): Promise<RestoreResult> {
  const bytes = readFileSync(file);
  const engine = engineOf(bytes);
  if (engine === null) throw new Error(`${file} is not a ChartGuard backup (neither a PGlite data-directory archive nor a pg_dump custom-format file).`);
  const wanted: BackupEngine = target.url ? 'postgres' : 'pglite';
  if (engine !== wanted) throw new Error(`${file} is a backup of ${engine === 'postgres' ? 'a PostgreSQL server' : 'an embedded PGlite directory'}; the target is ${wanted === 'postgres' ? 'a PostgreSQL server (DATABASE_URL)' : 'an embedded directory'}.`);
  return target.url ? restorePostgres(target.url, file, force) : restorePglite(target.dataDir, bytes, force);
}

async function restorePostgres(url: string, file: string, force: boolean): Promise<RestoreResult> {
  const db = await openDatabase({ url });
  try {
    const n = await practiceCount(db);
    if (n > 0 && !force) throw new Error(`The database already holds ${n} practice(s): restore would replace them. Add --force to replace them.`);
  } finally {
    await db.close();
  }
  // The schemas there now are moved aside, not cleaned object by object (pg_restore --clean
  // cannot drop a partition's inherited key: the activity log's months), and are dropped
  // only once the restore has committed; a failed restore puts them back.
  const aside = await moveSchemasAside(url);
  try {
    await run('pg_restore', ['--no-owner', '--single-transaction', '--exit-on-error', '--dbname', url, file], { maxBuffer: 64 * 1024 * 1024 }).catch(explainMissingTool('pg_restore'));
  } catch (err) {
    await settleSchemasAside(url, aside, 'put back');
    throw err;
  }
  await settleSchemasAside(url, aside, 'drop');
  return { engine: 'postgres', practices: await verifyAll({ url, dataDir: '' }) };
}

const SCHEMAS = ['chartguard', 'chartguard_auth', 'chartguard_meta'];

/** Renames ChartGuard's schemas that exist to NAME_before_restore; returns the renamed ones. */
async function moveSchemasAside(url: string): Promise<string[]> {
  const db = await openDatabase({ url });
  try {
    return await db.transaction(async (tx) => {
      const present = (await tx.query<{ name: string }>('select nspname as name from pg_namespace where nspname = any($1::text[])', [SCHEMAS])).map((r) => r.name);
      for (const name of present) {
        await tx.query(`drop schema if exists ${name}_before_restore cascade`);
        await tx.query(`alter schema ${name} rename to ${name}_before_restore`);
      }
      return present;
    });
  } finally {
    await db.close();
  }
}

async function settleSchemasAside(url: string, aside: readonly string[], how: 'drop' | 'put back'): Promise<void> {
  if (aside.length === 0) return;
  const db = await openDatabase({ url });
  try {
    await db.transaction(async (tx) => {
      for (const name of aside) {
        if (how === 'drop') await tx.query(`drop schema ${name}_before_restore cascade`);
        else {
          await tx.query(`drop schema if exists ${name} cascade`);
          await tx.query(`alter schema ${name}_before_restore rename to ${name}`);
        }
      }
    });
  } finally {
    await db.close();
  }
}

async function restorePglite(dir: string, archive: Buffer, force: boolean): Promise<RestoreResult> {
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(dir, 'PG_VERSION'))) {
    // (Opening it also refuses when a server holds it: a running database is never replaced.)
    const db = await openDatabase({ dataDir: dir });
    const n = await practiceCount(db).finally(() => db.close());
    if (n > 0 && !force) throw new Error(`The data directory ${dir} already holds ${n} practice(s): restore would replace them. Add --force to replace them (the old directory is kept beside it).`);
  }
  let keptAt: string | undefined;
  const lock = acquireDataLock(dir, 'restore');
  try {
    const entries = readdirSync(dir).filter((e) => e !== LOCK_FILE);
    if (entries.includes('PG_VERSION')) {
      keptAt = `${dir.replace(/\/+$/, '')}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      mkdirSync(keptAt);
      for (const e of entries) renameSync(join(dir, e), join(keptAt, e));
    } else {
      for (const e of entries) rmSync(join(dir, e), { recursive: true, force: true });
    }
  } finally {
    lock.release();
  }
  const db = await openDatabase({ dataDir: dir, loadDataDir: new Blob([new Uint8Array(archive)]) });
  await db.close();
  return { engine: 'pglite', practices: await verifyAll({ dataDir: dir }), ...(keptAt ? { keptAt } : {}) };
}

async function practiceCount(db: Database): Promise<number> {
  const [s] = await db.query<{ present: boolean }>("select to_regclass('chartguard.practices') is not null as present");
  if (!s?.present) return 0;
  const [r] = await db.query<{ n: number }>('select count(*)::int as n from chartguard.practices');
  return Number(r?.n ?? 0);
}

/** verify-log of every practice. */
export async function verifyAll(target: Target): Promise<{ id: string; ok: boolean; detail: string }[]> {
  const cg = await ChartGuard.open({ url: target.url, dataDir: target.dataDir });
  try {
    const ids = (await cg.db.query<{ id: string }>('select id from chartguard.practices order by id')).map((r) => r.id);
    const out: { id: string; ok: boolean; detail: string }[] = [];
    for (const id of ids) {
      const r = await cg.verifyLog(id);
      out.push({ id, ok: r.ok, detail: r.ok ? `intact: ${r.entries} entries` : `broken at entry ${r.seq}: ${r.problem}` });
    }
    return out;
  } finally {
    await cg.close();
  }
}

function engineOf(bytes: Buffer): BackupEngine | null {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'pglite';
  if (bytes.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  return null;
}

function explainMissingTool(tool: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === 'ENOENT') throw new Error(`${tool} is not installed: install the PostgreSQL client tools (the same major version as the server or newer).`);
    const stderr = (err as { stderr?: string }).stderr;
    throw new Error(`${tool} failed: ${stderr?.trim() || (err instanceof Error ? err.message : String(err))}`);
  };
}
