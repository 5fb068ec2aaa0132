/**
 * /healthz and /readyz without a session: alive while the process runs; ready only when the
 * database answers and its migrations are current (the disk margin: disk-full.test.ts).
 * A database that cannot be reached answers requests 503, never 500.
 */
import { expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { openDatabase } from '../../src/store/db/database.js';
import { migrations } from '../../src/store/db/migrate.js';
import { database } from '../support/databases.js';

it('ready on a migrated database, with an x-request-id on every answer', async () => {
  const app = await buildServer({ chartguard: ChartGuard.over(await database('pglite')), webRoot: null });
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toEqual({ ready: true, database: 'ok', migrations: 'current', disk: 'not applicable' });
  expect(ready.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect((await app.inject({ method: 'GET', url: '/healthz' })).json().status).toBe('alive');
  await app.close();
});

it('not ready before migrations, naming the missing ones', async () => {
  const db = await openDatabase({ dataDir: 'memory' });
  const app = await buildServer({ chartguard: ChartGuard.over(db), webRoot: null });
  const r = await app.inject({ method: 'GET', url: '/readyz' });
  expect(r.statusCode).toBe(503);
  expect(r.json().ready).toBe(false);
  expect(r.json().database).toBe('ok');
  // Every migration is named, the newest last, whatever migrations come after this test.
  expect(r.json().migrations).toBe(`missing ${migrations().map((m) => m.name).join(', ')} (run chartguard migrate)`);
  await app.close();
  await db.close();
});

it('an unreachable PostgreSQL server: /healthz 200, /readyz 503, an API request 503 database_unavailable with Retry-After', async () => {
  const db = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/none' });
  const app = await buildServer({ chartguard: ChartGuard.over(db), webRoot: null });
  try {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().database).toMatch(/^unavailable/);
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { username: 'ana', password: 'whatever password' } });
    expect(signIn.statusCode).toBe(503);
    expect(signIn.json().code).toBe('database_unavailable');
    expect(signIn.headers['retry-after']).toBe('5');
    const check = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: 'cg_session=abc' } });
    expect(check.statusCode).toBe(503);
  } finally {
    await app.close();
    await db.close();
  }
});
