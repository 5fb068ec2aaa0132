/**
 * Health checks for a load balancer or an orchestrator, without a session:
 *
 * - `GET /healthz`: the process is alive and its event loop turns (200, always).
 * - `GET /readyz`: ready to serve: the database answers (within 2 s), its migrations are
 *   current, and the disk is above its free-space margin. 503 otherwise, saying which.
 */
import type { FastifyInstance } from 'fastify';
import type { ChartGuard } from '../store/chartguard.js';
import type { DiskSpace } from '../store/db/disk-space.js';
import { migrations } from '../store/db/migrate.js';

export interface Readiness {
  readonly ready: boolean;
  readonly database: 'ok' | string;
  readonly migrations: 'current' | string;
  readonly disk: 'ok' | 'not applicable' | string;
}

export function registerHealth(app: FastifyInstance, cg: ChartGuard, disk: DiskSpace | null): void {
  const started = Date.now();
  app.get('/healthz', async (_req, reply) => reply.header('cache-control', 'no-store').send({ status: 'alive', uptimeSeconds: Math.round((Date.now() - started) / 1000) }));
  app.get('/readyz', async (_req, reply) => {
    const r = await readiness(cg, disk);
    return reply.code(r.ready ? 200 : 503).header('cache-control', 'no-store').send(r);
  });
}

export async function readiness(cg: ChartGuard, disk: DiskSpace | null): Promise<Readiness> {
  let database = 'ok';
  let current = 'current';
  try {
    const [meta] = await withTimeout(cg.db.query<{ present: boolean }>("select to_regclass('chartguard_meta.schema_migrations') is not null as present"), 2000);
    const applied = meta?.present ? await withTimeout(cg.db.query<{ version: number }>('select version from chartguard_meta.schema_migrations'), 2000) : [];
    const have = new Set(applied.map((r) => Number(r.version)));
    const missing = migrations().filter((m) => !have.has(m.version)).map((m) => m.name);
    if (missing.length > 0) current = `missing ${missing.join(', ')} (run chartguard migrate)`;
  } catch (err) {
    database = `unavailable: ${err instanceof Error ? err.message : String(err)}`;
    current = 'unknown';
  }
  let diskState = 'not applicable';
  if (disk) {
    try {
      const d = disk.read();
      diskState = d.ok ? 'ok' : `low: ${Math.floor(d.freeBytes / 1048576)} MB free, margin ${Math.floor(d.marginBytes / 1048576)} MB`;
    } catch (err) {
      diskState = `unreadable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return { ready: database === 'ok' && current === 'current' && (diskState === 'ok' || diskState === 'not applicable'), database, migrations: current, disk: diskState };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
