/**
 * Sessions and sign-in: automatic logoff after idle time and at the absolute limit (the
 * server's clock is moved, not waited for), backoff after repeated failures, CSRF on
 * cookie writes, the TOTP second factor, throttling, and what is stored and logged.
 * (sign-in-throttle.test.ts covers throttling, password changes and the second factor in depth.)
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, isProblem, PASSWORD } from './harness.js';

const MINUTE = 60_000;

describe.each(databaseKinds())('sessions on %s', (kind) => {
  let h: Harness;
  let practice: string;
  const user = (m: string) => `${m}@${practice}`;

  beforeAll(async () => {
    h = await Harness.create(kind);
    practice = newPracticeId('sess');
    await h.cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner', 'clinician_entire_practice'] },
        { id: 'ana', roles: ['clinician_basic'] },
        { id: 'lou', roles: ['clinician_basic'] },
        { id: 'tina', roles: ['clinician_basic'] },
        { id: 'csrf', roles: ['practice_scheduler'] },
      ],
      clients: [{ id: 'c1', name: 'Client One', primary: 'ana' }],
    });
    for (const m of ['olivia', 'ana', 'lou', 'tina', 'csrf']) await h.accounts.createUser(practice, m, user(m), PASSWORD);
  });
  afterAll(() => h.close());

  it('sets an HttpOnly, SameSite=Strict cookie and stores only a hash of the token', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/session', payload: { username: user('ana'), password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^cg_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    const token = res.cookies[0]!.value;
    const rows = await h.cg.db.query<{ token_hash: string }>('select token_hash from chartguard_auth.sessions where practice_id = $1', [practice]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect(res.json().csrfToken).not.toBe(token);
    // The application role (row-level security) cannot reach accounts at all.
    await expect(h.cg.within(practice, 'ana', 'member', (tx) => tx.query('select * from chartguard_auth.users'))).rejects.toThrow();
  });

  it('logs off automatically after the idle time; activity postpones it', async () => {
    const a = await h.signIn(user('ana'), PASSWORD);
    h.advance(10 * MINUTE);
    expect((await h.post(a, '/api/session/keepalive')).status).toBe(204);
    h.advance(10 * MINUTE);
    expect((await h.get(a, '/api/clients')).status).toBe(200);
    h.advance(15 * MINUTE);
    const r = await h.get(a, '/api/clients');
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('unauthenticated');
    expect((await h.get(a, '/api/session')).status).toBe(401);
    const log = await h.cg.activity(practice);
    expect(log.some((e) => e.action === 'sign_out' && e.outcome === 'expired' && e.actor === 'ana' && (e.detail as { reason: string }).reason === 'idle_timeout')).toBe(true);
  });

  it('ends a session at its absolute limit, however active', async () => {
    const a = await h.signIn(user('ana'), PASSWORD);
    for (let i = 0; i < 12 * 5; i++) {
      h.advance(12 * MINUTE);
      const r = await h.post(a, '/api/session/keepalive');
      if (r.status !== 204) {
        expect(r.status).toBe(401);
        expect(i * 12).toBeGreaterThanOrEqual(11 * 60);
        return;
      }
    }
    throw new Error('the session never ended');
  });

  it('honours a custom idle time', async () => {
    const short = await Harness.create(kind, { idleMs: 2 * MINUTE });
    short.clock.now = h.clock.now;
    const a = await short.signIn(user('lou'), PASSWORD);
    expect((await short.get(a, '/api/session')).json.idleTimeoutSeconds).toBe(120);
    short.advance(3 * MINUTE);
    expect((await short.get(a, '/api/session')).status).toBe(401);
    await short.close();
  });

  it('slows an account down after 5 failures in a row (a backoff window, not a 15-minute lockout)', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await h.request('POST', '/api/session', { body: { username: user('lou'), password: `wrong ${i}` } });
      expect(r.status).toBe(401);
    }
    expect((await h.request('POST', '/api/session', { body: { username: user('lou'), password: 'wrong 5' } })).status).toBe(401);
    // The 5th failure opened a 1-second window: inside it nothing is checked, the right password included.
    const held = await h.request('POST', '/api/session', { body: { username: user('lou'), password: PASSWORD } });
    expect(held.status).toBe(429);
    expect(held.json.code).toBe('too_many_requests');
    expect(Number(held.headers['retry-after'])).toBe(1);
    // (Refused and throttled attempts are logged after answering; let those land first, so the
    // log's order below is the requests' order.)
    await h.accounts.settled();
    // Once it has passed, the right password signs in: no 15 minutes of locked_out for the person who knows it.
    h.advance(1000);
    expect((await h.request('POST', '/api/session', { body: { username: user('lou'), password: PASSWORD } })).status).toBe(200);
    await h.accounts.settled();
    const log = (await h.cg.activity(practice)).filter((e) => e.actor === 'lou' && e.action === 'sign_in');
    expect(log.filter((e) => e.outcome === 'refused').length).toBeGreaterThanOrEqual(4);
    expect(log.filter((e) => e.outcome === 'throttled')).toHaveLength(1);
    expect(log.at(-1)!.outcome).toBe('signed_in');
    // A success resets the count: four more failures do not slow down.
    for (let i = 0; i < 4; i++) expect((await h.request('POST', '/api/session', { body: { username: user('lou'), password: 'nope' } })).status).toBe(401);
    expect((await h.request('POST', '/api/session', { body: { username: user('lou'), password: PASSWORD } })).status).toBe(200);
  });

  it('requires the CSRF token on every cookie-authenticated write', async () => {
    const a = await h.signIn(user('csrf'), PASSWORD);
    const before = await h.logLength(practice);
    const attempts = [
      { method: 'POST', url: '/api/tasks', body: { client: 'c1', assignee: 'ana', title: 'x' } },
      { method: 'POST', url: '/api/clients', body: { name: 'New', primary: 'ana' } },
      { method: 'PUT', url: '/api/clients/c1/share-with-all', body: { on: true } },
      { method: 'DELETE', url: '/api/session' },
      { method: 'POST', url: '/api/session/keepalive' },
    ];
    for (const x of attempts) {
      const none = await h.request(x.method, x.url, { agent: a, body: x.body, csrf: false });
      expect(none.status, x.url).toBe(403);
      expect(none.json.code).toBe('csrf_token_invalid');
      const wrong = await h.request(x.method, x.url, { agent: a, body: x.body, csrf: false, headers: { 'x-csrf-token': a.csrf.slice(0, -1) + (a.csrf.endsWith('A') ? 'B' : 'A') } });
      expect(wrong.status, x.url).toBe(403);
    }
    expect(await h.logLength(practice)).toBe(before);
    expect((await h.get(a, '/api/session')).status).toBe(200); // still signed in
    const ok = await h.request('POST', '/api/tasks', { agent: a, body: { client: 'c1', assignee: 'ana', title: 'x' } });
    expect(ok.status).toBe(201);
  });

  it('enrols a TOTP second factor and asks for it at sign-in', async () => {
    const a = await h.signIn(user('tina'), PASSWORD);
    const enrol = await h.post(a, '/api/session/totp/enroll');
    expect(enrol.status).toBe(200);
    expect(enrol.json.uri).toMatch(/^otpauth:\/\/totp\//);
    const secret = enrol.json.secret as string;
    const code = (at = h.clock.now) => generate({ secret, epoch: Math.floor(at / 1000) });
    expect((await h.post(a, '/api/session/totp/confirm', { code: '000000' === (await code()) ? '111111' : '000000', password: PASSWORD })).status).toBe(400);
    // Not yet confirmed: sign-in still needs only the password.
    await h.signIn(user('tina'), PASSWORD);
    expect((await h.post(a, '/api/session/totp/confirm', { code: await code(), password: PASSWORD })).status).toBe(204);
    h.advance(30_000); // each code works once: the one that confirmed does not sign in
    expect((await h.get(a, '/api/session')).json.totpEnabled).toBe(true);

    const needed = await h.request('POST', '/api/session', { body: { username: user('tina'), password: PASSWORD } });
    expect(needed.status).toBe(401);
    expect(needed.json.code).toBe('totp_required');
    expect(isProblem(needed)).toBe(true);
    const wrongCode = (await code()) === '123456' ? '654321' : '123456';
    const wrong = await h.request('POST', '/api/session', { body: { username: user('tina'), password: PASSWORD, totp: wrongCode } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('unauthenticated');
    // A right code with a wrong password is still wrong.
    expect((await h.request('POST', '/api/session', { body: { username: user('tina'), password: 'nope', totp: await code() } })).status).toBe(401);
    const ok = await h.signIn(user('tina'), PASSWORD, await code());
    expect(ok.member).toBe('tina');
    h.advance(30_000);
    // A code from long ago does not work.
    const old = await code(h.clock.now - 10 * MINUTE);
    expect((await h.request('POST', '/api/session', { body: { username: user('tina'), password: PASSWORD, totp: old } })).status).toBe(401);

    expect((await h.request('DELETE', '/api/session/totp', { agent: ok, body: { code: await code(), password: PASSWORD } })).status).toBe(204);
    await h.signIn(user('tina'), PASSWORD);
  });

  it('throttles sign-in attempts per address', async () => {
    const t = await Harness.create(kind, { signInPerMinute: 3 });
    t.clock.now = h.clock.now;
    for (let i = 0; i < 3; i++) expect((await t.request('POST', '/api/session', { body: { username: 'nobody', password: 'x' } })).status).toBe(401);
    const r = await t.request('POST', '/api/session', { body: { username: user('olivia'), password: PASSWORD } });
    expect(r.status).toBe(429);
    expect(r.json.code).toBe('too_many_requests');
    t.advance(61_000);
    expect((await t.request('POST', '/api/session', { body: { username: user('olivia'), password: PASSWORD } })).status).toBe(200);
    await t.close();
  });
});
