/**
 * The built web app is served at / with an SPA fallback: any GET outside /api that is not
 * a file answers index.html; /api stays problem+json.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { API_CSP, buildServer, WEB_CSP } from '../../src/server/app.js';
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

  it('every answer carries a Content-Security-Policy and its companions: the web app loads only its own files, nothing frames it', async () => {
    const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    const web = directives(WEB_CSP);
    expect(web.get('default-src')).toEqual(["'self'"]);
    expect(web.get('script-src')).toEqual(["'self'"]);
    expect(web.get('style-src')).toEqual(["'self'"]);
    expect(web.get('img-src')).toEqual(["'self'", 'data:']);
    expect(web.get('connect-src')).toEqual(["'self'"]);
    expect(web.get('frame-ancestors')).toEqual(["'none'"]);
    expect(web.get('object-src')).toEqual(["'none'"]);
    expect(web.get('base-uri')).toEqual(["'none'"]);
    expect(WEB_CSP).not.toMatch(/unsafe-|\*|https?:/);
    expect(directives(API_CSP).get('default-src')).toEqual(["'none'"]);

    const companions = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'cross-origin-opener-policy': 'same-origin' };
    for (const [url, csp] of [['/', WEB_CSP], ['/clients/abc/privacy', WEB_CSP], ['/assets/app.js', WEB_CSP], ['/api/nope', API_CSP], ['/api/openapi.json', API_CSP], ['/api/session', API_CSP], ['/api/clients/%ED%A0%80', API_CSP]] as const) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.headers['content-security-policy'], url).toBe(csp);
      expect(r.headers, url).toMatchObject(companions);
    }
    // The API reference's one inline style sheet is allowed by its hash, and nothing else is.
    const docs = await app.inject({ method: 'GET', url: '/api/docs' });
    const style = /<style>([\s\S]*?)<\/style>/.exec(docs.body)![1]!;
    const csp = directives(String(docs.headers['content-security-policy']));
    expect(csp.get('style-src')).toEqual([`'sha256-${createHash('sha256').update(style).digest('base64')}'`]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(docs.body).not.toMatch(/<script|style="/);
    expect(docs.headers).toMatchObject(companions);
  });

  it('serves no web app when none is built', async () => {
    const bare = await buildServer({ chartguard: ChartGuard.over(await database(kind)), webRoot: null });
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
  });
});
