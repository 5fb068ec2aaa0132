/**
 * kill -9 of a server on PGlite during writes, then a restart: every acknowledged write is
 * there, the activity log's chain verifies, and the killed process's lock is taken over.
 * Then a clean stop (SIGTERM): exit 0, the lock released, in-flight requests answered.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { LOCK_FILE } from '../../src/store/db/data-lock.js';
import { DEMO_PASSWORD } from '../../src/store/demo.js';
import { runCli, startServer, type Server } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'cg-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function signIn(base: string, username: string): Promise<{ cookie: string; csrf: string }> {
  const r = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  expect(r.status).toBe(200);
  const cookie = /cg_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')![1]!;
  return { cookie: `cg_session=${cookie}`, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

describe('kill -9 during writes on PGlite', () => {
  it('keeps every acknowledged write and an intact chain; a restart takes over the stale lock; SIGTERM stops cleanly', async () => {
    const dir = join(root, 'data');
    const env = { CHARTGUARD_DATA_DIR: dir, CHARTGUARD_LOG_LEVEL: 'warn' };
    let server: Server = await startServer('start', env);
    const who = await signIn(server.url, 'sky');
    const acknowledged: string[] = [];
    let attempts = 0;
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const name = `Kill ${w}-${i}`;
        attempts++;
        try {
          const r = await fetch(`${server.url}/api/clients`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf },
            body: JSON.stringify({ name, primary: 'ana' }),
          });
          if (r.status === 201) acknowledged.push(name);
        } catch {
          return; // the server is gone
        }
      }
    };
    // A create with an Idempotency-Key, acknowledged before the kill.
    const keyed = () =>
      fetch(`${server.url}/api/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: who.cookie, 'x-csrf-token': who.csrf, 'idempotency-key': 'before-the-kill' },
        body: JSON.stringify({ name: 'Keyed', primary: 'ana' }),
      });
    const firstKeyed = await keyed();
    expect(firstKeyed.status).toBe(201);
    const firstBody = await firstKeyed.text();
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGKILL');
    killed = true;
    await server.exited;
    await Promise.all(writers);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true); // left behind by the killed process

    server = await startServer('serve', env);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    // Its retry after the restart answers the first result and creates nothing.
    const retried = await keyed();
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotency-replayed')).toBe('true');
    expect(await retried.text()).toBe(firstBody);
    // An in-flight request finishes during a clean stop.
    const again = await signIn(server.url, 'sky');
    const inFlight = fetch(`${server.url}/api/clients`, { headers: { cookie: again.cookie } });
    server.child.kill('SIGTERM');
    expect((await inFlight).status).toBe(200);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const cg = await ChartGuard.open({ dataDir: dir });
    try {
      const names = new Set((await cg.db.query<{ name: string }>("select name from chartguard.clients where practice_id = 'demo'")).map((r) => r.name));
      const lost = acknowledged.filter((n) => !names.has(n));
      console.info(`kill -9: ${acknowledged.length} of ${attempts} writes acknowledged, ${lost.length} lost`);
      expect(lost).toEqual([]);
      expect((await cg.db.query("select 1 from chartguard.clients where practice_id = 'demo' and name = 'Keyed'")).length).toBe(1);
    } finally {
      await cg.close();
    }
    const verified = await runCli(['verify-log', 'demo'], env);
    expect(verified.stdout).toMatch(/is intact/);
    expect(verified.code).toBe(0);
  });
});
