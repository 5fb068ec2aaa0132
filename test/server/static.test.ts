/**
 * The built web app is served at / with an SPA fallback: any GET outside /api that is not
 * a file answers index.html; /api stays problem+json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/app.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds } from '../support/databases.js';

describe.each(databaseKinds())('web app serving on %s', (kind) => {
  let app: Awaited<ReturnType<typeof buildServer>>;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'cg-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>ChartGuard</title><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app")');
    app = await buildServer({ chartguard: ChartGuard.over(await database(kind)), webRoot: root });
  });
  afterAll(() => app.close());

  it('serves files, falls back to index.html, keeps /api as problems', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<div id="root">');
    const deep = await app.inject({ method: 'GET', url: '/clients/abc/privacy' });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers['content-type']).toMatch(/text\/html/);
    const js = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(js.body).toContain('console.log');
    const api = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toMatch(/application\/problem\+json/);
    const post = await app.inject({ method: 'POST', url: '/clients' });
    expect(post.statusCode).toBe(404);
    expect(index.headers['x-frame-options']).toBe('DENY');
  });

  it('serves no web app when none is built', async () => {
    const bare = await buildServer({ chartguard: ChartGuard.over(await database(kind)), webRoot: null });
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});
