/**
 * Versioned migrations (src/store/db/migrations/NNN_name.sql, applied once each, in order)
 * followed by the access policy (re-applied every time: it is generated from the core).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Database } from './database.js';
import { createHash } from 'node:crypto';
import { accessPolicySql, APP_ROLE } from './access-policy.js';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function migrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(MIGRATIONS_DIR, f), 'utf8') }));
}

/** Brings the database to the newest schema. Safe to run concurrently and repeatedly. */
export async function migrate(db: Database, log: (line: string) => void = () => {}): Promise<{ applied: string[] }> {
  const applied: string[] = [];
  await db.transaction(async (tx) => {
    // One migrator at a time on a shared server.
    await tx.query('select pg_advisory_xact_lock(7317001)');
    await tx.query('create schema if not exists chartguard_meta');
    await tx.query(`create table if not exists chartguard_meta.schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await tx.query<{ version: number }>('select version from chartguard_meta.schema_migrations')).map((r) => Number(r.version)));
    for (const m of migrations()) {
      if (done.has(m.version)) continue;
      log(`migrating ${m.name}`);
      await tx.exec(m.sql);
      await tx.query('insert into chartguard_meta.schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
    // The generated policy is re-applied when it changed (or a migration ran): not on every
    // start, whose DDL would take exclusive locks under every other connection's reads.
    const policy = accessPolicySql();
    const hash = createHash('sha256').update(policy).digest('hex');
    await tx.query('create table if not exists chartguard_meta.access_policy (id boolean primary key default true check (id), hash text not null)');
    const [current] = await tx.query<{ hash: string }>('select hash from chartguard_meta.access_policy');
    // (The app role is the server's, not the database's: a restore onto another server needs it made.)
    const [role] = await tx.query<{ ok: boolean }>(`select exists (select 1 from pg_roles where rolname = '${APP_ROLE}') as ok`);
    if (applied.length > 0 || current?.hash !== hash || !role?.ok) {
      await tx.exec(policy);
      await tx.query('insert into chartguard_meta.access_policy (id, hash) values (true, $1) on conflict (id) do update set hash = excluded.hash', [hash]);
    }
  });
  return { applied };
}

