/**
 * Issue 12, finding 6: backup then restore then verify-log, on both engines. On PGlite the
 * backup is taken while the server runs and writes (through the process that holds the
 * directory); a restore refuses a database that holds practices without --force.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { DEMO_PASSWORD } from '../../src/store/demo.js';
import { database, newPracticeId } from '../support/databases.js';
import { runCli, startServer } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'cg-backup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function clientNames(target: { url?: string; dataDir?: string }, practice: string): Promise<Set<string>> {
  const cg = await ChartGuard.open({ url: target.url, dataDir: target.dataDir, migrate: false });
  try {
    return new Set((await cg.db.query<{ name: string }>('select name from chartguard.clients where practice_id = $1', [practice])).map((r) => r.name));
  } finally {
    await cg.close();
  }
}

describe('backup and restore on PGlite', () => {
  it('a backup taken from the running server during writes restores into a new directory, verified; a non-empty directory needs --force', async () => {
    const dir = join(root, 'live');
    const env = { CHARTGUARD_DATA_DIR: dir };
    const server = await startServer('start', env);
    const file = join(root, 'live.tar.gz');
    const before: string[] = [];
    try {
      const signIn = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sky', password: DEMO_PASSWORD }) });
      const cookie = /cg_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
      const csrf = ((await signIn.json()) as { csrfToken: string }).csrfToken;
      const add = (name: string) =>
        fetch(`${server.url}/api/clients`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf }, body: JSON.stringify({ name, primary: 'ana' }) });
      for (let i = 0; i < 5; i++) if ((await add(`Before ${i}`)).status === 201) before.push(`Before ${i}`);
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++) await add(`During ${i}`);
      })();
      const b = await runCli(['backup', file], env);
      writing = false;
      await writer;
      expect(b.stdout + b.stderr).toMatch(/running server/);
      expect(b.code).toBe(0);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }

    const copy = join(root, 'restored');
    const r = await runCli(['restore', file], { CHARTGUARD_DATA_DIR: copy });
    expect(r.stdout + r.stderr).toMatch(/demo: intact: \d+ entries/);
    expect(r.code).toBe(0);
    const names = await clientNames({ dataDir: copy }, 'demo');
    for (const n of before) expect(names.has(n)).toBe(true);

    const refused = await runCli(['restore', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds 1 practice\(s\).*--force/);
    const forced = await runCli(['restore', file, '--force'], env);
    expect(forced.code).toBe(0);
    const kept = /kept at (\S+)/.exec(forced.stdout)?.[1];
    expect(kept && existsSync(join(kept, 'PG_VERSION'))).toBe(true);

    // Offline (nobody holds the directory): the command opens it itself.
    const offline = await runCli(['backup', join(root, 'offline.tar.gz')], env);
    expect(offline.stdout).toMatch(/this process/);
    expect(offline.code).toBe(0);
  });
});

const url = process.env.CHARTGUARD_TEST_PG_URL;

describe.skipIf(!url)('backup and restore on PostgreSQL (pg_dump)', () => {
  it('pg_dump then pg_restore into another database, verified; a database with practices needs --force', async () => {
    const cg = ChartGuard.over(await database('postgres'));
    const p = newPracticeId('backup');
    await cg.createPractice({ id: p, members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'ana', roles: ['clinician_basic'] }], clients: [{ id: 'c1', name: 'Kept', primary: 'ana' }] });
    const file = join(root, 'pg.dump');
    const b = await runCli(['backup', file], { DATABASE_URL: url });
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);

    const other = new URL(url!);
    other.pathname = `${other.pathname}_restore`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const name = other.pathname.slice(1);
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    try {
      const r = await runCli(['restore', file], { DATABASE_URL: other.toString() });
      expect(r.stdout).toMatch(new RegExp(`${p}: intact`));
      // The suite's database is shared: test/store/row-level-security.test.ts tampers with logs on
      // purpose, and restore must then say so and exit 1.
      expect(r.code).toBe(/broken at entry/.test(r.stdout) ? 1 : 0);
      expect((await clientNames({ url: other.toString() }, p)).has('Kept')).toBe(true);
      const refused = await runCli(['restore', file], { DATABASE_URL: other.toString() });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/--force/);
      const forced = await runCli(['restore', file, '--force'], { DATABASE_URL: other.toString() });
      expect(forced.stderr).toBe('');
      expect(forced.code).toBe(/broken at entry/.test(forced.stdout) ? 1 : 0);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
