/**
 * Sign-in hardening (security issue, findings 4-7):
 * - a reset password must be changed before the session answers anything else;
 * - a password change ends the member's other sessions, and wrong `current` answers are counted;
 * - failed sign-ins are throttled per username and per address with a doubling backoff,
 *   never into a lockout the right password and second factor (or a trusted browser, or a
 *   recovery code) cannot pass; unknown usernames take exactly the known ones' path (proved
 *   structurally: the same password verifications and the same SQL, not by timing);
 *   the owner or a practice administrator lifts a member's throttle;
 * - a TOTP code works once; replacing or turning off the second factor needs a current code
 *   and the password.
 */
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Accounts, type SignInAttempt } from '../../src/store/auth/accounts.js';
import { passwordHashing } from '../../src/store/auth/secrets.js';
import { accountKey, addressKey } from '../../src/store/auth/throttle.js';
import { createDemoPractice } from '../../src/store/demo.js';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { FAST_HASH, Harness, isProblem, PASSWORD, randomAddress, type Agent } from './harness.js';

const MINUTE = 60_000;
const NEW_PASSWORD = 'a brand new long password';

describe.each(databaseKinds())('sign-in hardening on %s', (kind) => {
  let h: Harness;
  let practice: string;
  const user = (m: string) => `${m}@${practice}`;
  const members = ['olivia', 'pat', 'ana', 'lou', 'tina', 'ray', 'una', 'cam', 'dee', 'eli', 'fay', 'gus', 'hal'];

  beforeAll(async () => {
    h = await Harness.create(kind);
    practice = newPracticeId('thr');
    await h.cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', name: 'Olivia Owner', roles: ['account_owner', 'clinician_entire_practice'] },
        { id: 'pat', name: 'Pat Admin', roles: ['practice_administrator'] },
        ...members.slice(2).map((id) => ({ id, name: `${id[0]!.toUpperCase()}${id.slice(1)} Member`, roles: ['clinician_basic' as const] })),
      ],
      clients: [{ id: 'c1', name: 'Client One', primary: 'ana' }],
    });
    for (const m of members) await h.accounts.createUser(practice, m, user(m), PASSWORD);
  });
  afterAll(() => h.close());

  /** A sign-in through HTTP from `address`, with the cg_device cookie when given; answers the reply and the cookies it set. */
  async function attempt(body: Record<string, unknown>, options: { address?: string; device?: string } = {}) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      remoteAddress: options.address ?? h.address,
      payload: body,
      ...(options.device ? { cookies: { cg_device: options.device } } : {}),
    });
    const session = res.cookies.find((c) => c.name === 'cg_session');
    const device = res.cookies.find((c) => c.name === 'cg_device');
    const json = res.body ? JSON.parse(res.body) : undefined;
    const agent: Agent | null = res.statusCode === 200 && session ? { member: json.member, cookie: session.value, csrf: json.csrfToken } : null;
    return { status: res.statusCode, contentType: String(res.headers['content-type']), json, retryAfter: Number(res.headers['retry-after'] ?? NaN), agent, device: device?.value, deviceCookie: device };
  }

  const failures = async (key: string) =>
    (await h.cg.db.query<{ failures: number }>('select failures from chartguard_auth.sign_in_failures where key = $1', [key]))[0]?.failures ?? 0;

  /** Fails `n` sign-ins of `username` from `address`, waiting out each backoff window. */
  async function failTimes(username: string, n: number, address: string) {
    for (let i = 0; i < n; i++) {
      let r = await attempt({ username, password: `wrong ${i}` }, { address });
      while (r.status === 429) {
        h.advance(r.retryAfter * 1000);
        r = await attempt({ username, password: `wrong ${i}` }, { address });
      }
      expect(r.status).toBe(401);
    }
  }

  const log = async () => {
    await h.accounts.settled();
    return h.cg.activity(practice);
  };

  // ------------------------------------------------------------ finding 4

  it('a session whose password was reset answers only the session, the password change and sign-out', async () => {
    const pat = await h.signIn(user('pat'), PASSWORD);
    const reset = await h.post(pat, '/api/team/ray/password-reset');
    expect(reset.status).toBe(200);
    const ray = await h.signIn(user('ray'), reset.json.temporaryPassword);

    const session = await h.get(ray, '/api/session');
    expect(session.status).toBe(200);
    expect(session.json.mustChangePassword).toBe(true);
    expect((await h.post(ray, '/api/session/keepalive')).status).toBe(204);
    const refusals = [
      await h.get(ray, '/api/clients'),
      await h.get(ray, '/api/clients/c1'),
      await h.get(ray, '/api/me'),
      await h.get(ray, '/api/team'),
      await h.get(ray, '/api/activity-log'),
      await h.post(ray, '/api/tasks', { client: 'c1', assignee: 'ana', title: 'x' }),
      await h.post(ray, '/api/session/totp/enroll'),
      await h.del(ray, `/api/team/ana/sign-in-throttle`),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(403);
      expect(isProblem(r)).toBe(true);
      expect(r.json.code).toBe('password_change_required');
    }
    // Only the password change lifts it; the session then answers everything.
    expect((await h.post(ray, '/api/session/password', { current: reset.json.temporaryPassword, next: NEW_PASSWORD })).status).toBe(204);
    expect((await h.get(ray, '/api/session')).json.mustChangePassword).toBe(false);
    expect((await h.get(ray, '/api/clients')).status).toBe(200);
    expect((await h.get(ray, '/api/me')).status).toBe(200);
    // Signing out works while the change is pending, too.
    const again = await h.post(pat, '/api/team/ray/password-reset');
    const ray2 = await h.signIn(user('ray'), again.json.temporaryPassword);
    expect((await h.del(ray2, '/api/session')).status).toBe(204);
    expect((await h.get(ray2, '/api/session')).status).toBe(401);
  });

  // ------------------------------------------------------------ finding 5

  it('a password change ends the member’s other sessions and keeps this one; a reset ends all and names whose password it was', async () => {
    const here = await h.signIn(user('una'), PASSWORD);
    const phone = await h.signIn(user('una'), PASSWORD);
    const laptop = await h.signIn(user('una'), PASSWORD);
    expect((await h.post(here, '/api/session/password', { current: PASSWORD, next: NEW_PASSWORD })).status).toBe(204);
    expect((await h.get(here, '/api/session')).status).toBe(200);
    expect((await h.get(phone, '/api/session')).status).toBe(401);
    expect((await h.get(laptop, '/api/session')).status).toBe(401);
    const changed = (await log()).filter((e) => e.actor === 'una' && e.action === 'password_change' && e.outcome === 'changed');
    expect(changed.at(-1)!.detail).toMatchObject({ member: 'una', otherSessionsEnded: 2 });

    const other = await h.signIn(user('una'), NEW_PASSWORD);
    const pat = await h.signIn(user('pat'), PASSWORD);
    expect((await h.post(pat, '/api/team/una/password-reset')).status).toBe(200);
    expect((await h.get(here, '/api/session')).status).toBe(401);
    expect((await h.get(other, '/api/session')).status).toBe(401);
    const reset = (await log()).filter((e) => e.action === 'password_reset' && e.actor === 'pat').at(-1)!;
    expect(reset.detail).toMatchObject({ member: 'una', sessionsEnded: 2 });
    expect(String(reset.detail.summary)).toContain('Una Member (una)');
  });

  it('counts wrong current passwords: the third ends the session, and each is a failed sign-in of the account', async () => {
    const a = await h.signIn(user('cam'), PASSWORD);
    const before = await failures(accountKey(user('cam')));
    for (let i = 1; i <= 2; i++) {
      const r = await h.post(a, '/api/session/password', { current: `guess number ${i}`, next: NEW_PASSWORD });
      expect(r.status).toBe(403);
      expect(r.json.code).toBe('forbidden');
      expect((await h.get(a, '/api/session')).status).toBe(200);
    }
    const third = await h.post(a, '/api/session/password', { current: 'guess number 3', next: NEW_PASSWORD });
    expect(third.status).toBe(401);
    expect(third.json.code).toBe('unauthenticated');
    expect((await h.get(a, '/api/session')).status).toBe(401);
    expect(await failures(accountKey(user('cam')))).toBe(before + 3);
    expect(await failures(addressKey(h.address))).toBeGreaterThanOrEqual(3);
    const entries = (await log()).filter((e) => e.actor === 'cam');
    expect(entries.filter((e) => e.action === 'password_change' && e.outcome === 'refused')).toHaveLength(3);
    expect(entries.some((e) => e.action === 'sign_out' && e.outcome === 'ended')).toBe(true);
    // The password did not change.
    await h.signIn(user('cam'), PASSWORD);
  });

  // ------------------------------------------------------------ finding 6

  it('an unknown username takes the same path as a wrong password: the same verifications and the same SQL', async () => {
    const verify = vi.spyOn(passwordHashing, 'verify');
    const hash = vi.spyOn(passwordHashing, 'hash');
    const query = vi.spyOn(h.cg.db, 'query');
    // A fresh Accounts, as right after a start: no sign-in may pay for the dummy hash.
    const accounts = new Accounts(h.cg, { hashOptions: FAST_HASH });
    const address = randomAddress();
    const trace = async (a: SignInAttempt) => {
      await accounts.settled();
      verify.mockClear();
      hash.mockClear();
      query.mockClear();
      const r = await accounts.signIn(a);
      const statements = query.mock.calls.map(([sql]) => sql.replace(/\s+/g, ' ').trim());
      return { r, verifies: verify.mock.calls.length, hashes: hash.mock.calls.length, statements };
    };
    try {
      const unknown = await trace({ username: `nobody-${practice}`, password: 'a guess', address });
      const known = await trace({ username: user('dee'), password: 'a guess', address });
      expect(unknown.r).toEqual(known.r);
      expect(unknown.r).toMatchObject({ ok: false, code: 'unauthenticated' });
      expect(unknown.verifies).toBe(1);
      expect(known.verifies).toBe(1);
      expect(unknown.hashes).toBe(0);
      expect(known.hashes).toBe(0);
      expect(unknown.statements.length).toBeGreaterThan(2);
      expect(unknown.statements).toEqual(known.statements);
      // The same with a code sent along, and from inside the username's backoff window.
      const withCode = { password: 'a guess', totp: '123456', address };
      expect((await trace({ username: `nobody-${practice}`, ...withCode })).statements).toEqual((await trace({ username: user('dee'), ...withCode })).statements);
      for (let i = 0; i < 5; i++) {
        await accounts.signIn({ username: `nobody-${practice}`, password: 'x', address: randomAddress() });
        await accounts.signIn({ username: user('dee'), password: 'x', address: randomAddress() });
      }
      const heldUnknown = await trace({ username: `nobody-${practice}`, password: 'a guess', address: randomAddress() });
      const heldKnown = await trace({ username: user('dee'), password: 'a guess', address: randomAddress() });
      expect(heldUnknown.r).toMatchObject({ ok: false, code: 'too_many_requests' });
      expect(heldUnknown.r).toEqual(heldKnown.r);
      expect(heldUnknown.statements).toEqual(heldKnown.statements);
      expect(heldUnknown.verifies).toBe(0);
      expect(heldKnown.verifies).toBe(0);

      // Inside the window a second factor is checked: whether the password was right changes neither
      // the answer nor the work (no oracle), for a code and for a recovery code alike.
      const secret = generateSecret();
      await h.cg.db.query('update chartguard_auth.users set totp_secret = $3 where practice_id = $1 and member_id = $2', [practice, 'hal', secret]);
      const wrongCode = (await generate({ secret, epoch: Math.floor(h.clock.now / 1000) })) === '000000' ? '111111' : '000000';
      await accounts.issueRecoveryCodes(practice, 'hal');
      for (let i = 0; i < 5; i++) await accounts.signIn({ username: user('hal'), password: 'x', address: randomAddress() });
      for (const second of [{ totp: wrongCode }, { recoveryCode: 'aaaa-bbbb-cccc-dddd' }]) {
        const right = await trace({ username: user('hal'), password: PASSWORD, ...second, address: randomAddress() });
        const wrong = await trace({ username: user('hal'), password: 'a guess', ...second, address: randomAddress() });
        const nobody = await trace({ username: `nobody-${practice}`, password: 'a guess', ...second, address: randomAddress() });
        // (Each counted failure lengthens the window, so only Retry-After differs between the two.)
        expect(right.r).toMatchObject({ ok: false, code: 'too_many_requests' });
        expect(wrong.r).toMatchObject({ ok: false, code: 'too_many_requests' });
        expect(wrong.statements).toEqual(right.statements);
        expect(nobody.statements).toEqual(right.statements);
        expect([right.verifies, wrong.verifies, nobody.verifies]).toEqual([1, 1, 1]);
      }
    } finally {
      verify.mockRestore();
      hash.mockRestore();
      query.mockRestore();
    }
    // Both usernames have their failure count (the 5th opened the window: the two after it were held back, not counted,
    // the unknown one's two attempts with a second factor were checked and counted); only the real account's practice
    // has log entries, written after answering.
    expect(await failures(accountKey(`nobody-${practice}`))).toBe(7);
    expect(await failures(accountKey(user('dee')))).toBe(5);
    await accounts.settled();
    const refused = (await log()).filter((e) => e.actor === 'dee' && e.action === 'sign_in');
    expect(refused.map((e) => e.outcome)).toContain('refused');
    expect(refused.map((e) => e.outcome)).toContain('throttled');
    h.advance(MINUTE);
  });

  it('throttles unknown and known usernames alike: from the 5th failure a doubling backoff, never a lockout', async () => {
    const address = randomAddress();
    const answers = async (username: string) => {
      const out: (string | number)[] = [];
      for (let i = 0; i < 5; i++) out.push((await attempt({ username, password: 'nope' }, { address })).status);
      const held = await attempt({ username, password: 'nope' }, { address });
      out.push(held.status, held.json.code, held.retryAfter);
      return out;
    };
    const unknown = await answers(`ghost-${practice}`);
    const known = await answers(user('eli'));
    expect(unknown).toEqual([401, 401, 401, 401, 401, 429, 'too_many_requests', 1]);
    expect(known).toEqual(unknown);

    // Each further failure doubles the window, up to 15 minutes.
    const windows: number[] = [];
    for (let i = 0; i < 14; i++) {
      h.advance(60 * MINUTE);
      expect((await attempt({ username: user('eli'), password: 'nope' }, { address })).status).toBe(401);
      windows.push((await attempt({ username: user('eli'), password: 'nope' }, { address })).retryAfter);
    }
    expect(windows).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]);
    // Inside a window the attempt is not checked: the right password is held back too, from any new browser...
    const held = await attempt({ username: user('eli'), password: PASSWORD }, { address: randomAddress() });
    expect(held.status).toBe(429);
    expect(held.contentType).toMatch(/^application\/problem\+json/);
    expect(held.json).toMatchObject({ status: 429, code: 'too_many_requests' });
    // ...but only until the window ends: then the right password signs in and the count starts over.
    h.advance(900_000);
    expect((await attempt({ username: user('eli'), password: PASSWORD }, { address: randomAddress() })).status).toBe(200);
    expect(await failures(accountKey(user('eli')))).toBe(0);
    const entries = (await log()).filter((e) => e.actor === 'eli' && e.action === 'sign_in');
    expect(entries.filter((e) => e.outcome === 'refused')).toHaveLength(4);
    expect(entries.filter((e) => e.outcome === 'throttled').length).toBeGreaterThanOrEqual(15);
    expect(entries.at(-1)!.outcome).toBe('signed_in');
  });

  it('an attacker cannot keep out a member’s trusted browser, or a member with a second factor', async () => {
    // fay signs in once from her browser: it becomes trusted (cg_device, HttpOnly, sent only to the session routes).
    const first = await attempt({ username: user('fay'), password: PASSWORD });
    expect(first.status).toBe(200);
    expect(first.device).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.deviceCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/session' });
    const stored = await h.cg.db.query<{ token_hash: string }>('select token_hash from chartguard_auth.trusted_devices where member_id = $1 and practice_id = $2', ['fay', practice]);
    expect(stored.some((r) => r.token_hash.includes(first.device!))).toBe(false);

    // An attacker from many addresses keeps fay's username inside a backoff window.
    for (let i = 0; i < 8; i++) await failTimes(user('fay'), 1, randomAddress());
    expect((await attempt({ username: user('fay'), password: PASSWORD }, { address: randomAddress() })).status).toBe(429);
    // Her browser still signs her in (and wrong passwords from it are answered, not held back).
    expect((await attempt({ username: user('fay'), password: 'typo' }, { device: first.device! })).status).toBe(401);
    const ok = await attempt({ username: user('fay'), password: PASSWORD }, { device: first.device! });
    expect(ok.status).toBe(200);
    expect(ok.device).toBeUndefined(); // already trusted
    // Another member's browser token does not help.
    for (let i = 0; i < 6; i++) await failTimes(user('gus'), 1, randomAddress());
    expect((await attempt({ username: user('gus'), password: PASSWORD }, { device: first.device! })).status).toBe(429);

    // A member with an authenticator app signs in from a new browser with the password and a code.
    const tina = await h.signIn(user('tina'), PASSWORD);
    const secret = (await h.post(tina, '/api/session/totp/enroll')).json.secret as string;
    const code = () => generate({ secret, epoch: Math.floor(h.clock.now / 1000) });
    expect((await h.post(tina, '/api/session/totp/confirm', { code: await code(), password: PASSWORD })).status).toBe(204);
    h.advance(30_000);
    for (let i = 0; i < 6; i++) await failTimes(user('tina'), 1, randomAddress());
    const noCode = await attempt({ username: user('tina'), password: PASSWORD }, { address: randomAddress() });
    expect(noCode.status).toBe(429);
    // Inside the window, a wrong code or a wrong password answers exactly like nothing checked: no oracle.
    const wrongCode = (await code()) === '123456' ? '654321' : '123456';
    const a1 = await attempt({ username: user('tina'), password: PASSWORD, totp: wrongCode }, { address: randomAddress() });
    const a2 = await attempt({ username: user('tina'), password: 'not it', totp: await code() }, { address: randomAddress() });
    expect([a1.status, a1.json.code, a2.status, a2.json.code]).toEqual([429, 'too_many_requests', 429, 'too_many_requests']);
    const withCode = await attempt({ username: user('tina'), password: PASSWORD, totp: await code() }, { address: randomAddress() });
    expect(withCode.status).toBe(200);

    // Someone who knows the password cannot try codes without end: after 5 wrong codes the app's code
    // no longer passes the window (the member's browser, a recovery code, an administrator or waiting still do).
    for (let i = 0; i < 6; i++) await failTimes(user('tina'), 1, randomAddress());
    for (let i = 0; i < 5; i++) expect((await attempt({ username: user('tina'), password: PASSWORD, totp: wrongCode }, { address: randomAddress() })).status).toBe(429);
    h.advance(30_000);
    expect((await attempt({ username: user('tina'), password: PASSWORD, totp: await code() }, { address: randomAddress() })).status).toBe(429);
    const pat = await h.signIn(user('pat'), PASSWORD);
    expect((await h.del(pat, '/api/team/tina/sign-in-throttle')).status).toBe(200);
    expect((await attempt({ username: user('tina'), password: PASSWORD, totp: await code() }, { address: randomAddress() })).status).toBe(200);
  });

  it('an address that fails 20 times is held back, whatever the username; other addresses are not', async () => {
    const address = randomAddress();
    for (let i = 0; i < 20; i++) expect((await attempt({ username: `spray-${i}-${practice}`, password: 'x' }, { address })).status).toBe(401);
    const held = await attempt({ username: user('lou'), password: PASSWORD }, { address });
    expect(held.status).toBe(429);
    expect(held.retryAfter).toBe(1);
    expect(held.json.detail).toMatch(/from this address/);
    expect((await attempt({ username: user('lou'), password: PASSWORD }, { address: randomAddress() })).status).toBe(200);
    h.advance(1000);
    expect((await attempt({ username: user('lou'), password: PASSWORD }, { address })).status).toBe(200);
    expect(await failures(addressKey(address))).toBe(0);
    // IPv6 addresses count by their /64.
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:10.1.2.3')).toBe(addressKey('10.1.2.3'));
  });

  it('the owner or a practice administrator lifts a member’s throttle, and it is logged', async () => {
    for (let i = 0; i < 7; i++) await failTimes(user('ana'), 1, randomAddress());
    expect((await attempt({ username: user('ana'), password: PASSWORD }, { address: randomAddress() })).status).toBe(429);

    const lou = await h.signIn(user('lou'), PASSWORD);
    const refused = await h.del(lou, '/api/team/ana/sign-in-throttle');
    expect(refused.status).toBe(403);
    const pat = await h.signIn(user('pat'), PASSWORD);
    const lifted = await h.del(pat, '/api/team/ana/sign-in-throttle');
    expect(lifted.status).toBe(200);
    expect(lifted.json).toEqual({ failures: 7 });
    expect((await attempt({ username: user('ana'), password: PASSWORD }, { address: randomAddress() })).status).toBe(200);
    const entry = (await log()).filter((e) => e.action === 'sign_in_throttle_lifted').at(-1)!;
    expect(entry).toMatchObject({ actor: 'pat', outcome: 'changed', detail: { member: 'ana', failures: 7 } });
    expect(String(entry.detail.summary)).toContain('Ana Member (ana)');
    expect((await h.del(pat, '/api/team/nobody/sign-in-throttle')).status).toBe(404);
    // The owner's is the owner's: a practice administrator cannot lift it.
    const owner = await h.del(pat, '/api/team/olivia/sign-in-throttle');
    expect(owner.status).toBe(403);
    expect(owner.json.code).toBe('account_owner');
    const olivia = await h.signIn(user('olivia'), PASSWORD);
    expect((await h.del(olivia, '/api/team/ana/sign-in-throttle')).status).toBe(200);
  });

  it('the owner passes the backoff with a one-time recovery code issued at setup (only hashes stored)', async () => {
    const demo = await createDemoPractice(h.cg, h.accounts, { practice: newPracticeId('demo') });
    expect(demo.recoveryCodes).toHaveLength(10);
    expect(new Set(demo.recoveryCodes).size).toBe(10);
    const stored = await h.cg.db.query<{ code_hash: string }>('select code_hash from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2', [demo.practice, 'olivia']);
    expect(stored).toHaveLength(10);
    for (const c of demo.recoveryCodes) expect(stored.some((r) => r.code_hash.includes(c.replaceAll('-', '')))).toBe(false);

    const olivia = `olivia@${demo.practice}`;
    for (let i = 0; i < 6; i++) await failTimes(olivia, 1, randomAddress());
    expect((await attempt({ username: olivia, password: demo.password }, { address: randomAddress() })).status).toBe(429);
    const [code1, code2] = demo.recoveryCodes as [string, string];
    // A recovery code with a wrong password fails (and is not used up).
    expect((await attempt({ username: olivia, password: 'wrong', recoveryCode: code1 }, { address: randomAddress() })).status).toBe(429);
    const ok = await attempt({ username: olivia, password: demo.password, recoveryCode: code1.toUpperCase() }, { address: randomAddress() });
    expect(ok.status).toBe(200);
    expect(await failures(accountKey(olivia))).toBe(0);
    // Once only.
    const again = await attempt({ username: olivia, password: demo.password, recoveryCode: code1 }, { address: randomAddress() });
    expect(again.status).toBe(401);
    const entries = (await h.accounts.settled(), await h.cg.activity(demo.practice)).filter((e) => e.actor === 'olivia' && e.action === 'sign_in' && e.outcome === 'signed_in');
    expect(entries.at(-1)!.detail).toMatchObject({ recoveryCode: true, recoveryCodesLeft: 9 });

    // The owner issues new ones (password asked again); the old ones stop working. Others have none.
    const reissued = await h.post(ok.agent!, '/api/session/recovery-codes', { password: demo.password });
    expect(reissued.status).toBe(200);
    expect(reissued.json.recoveryCodes).toHaveLength(10);
    expect((await attempt({ username: olivia, password: demo.password, recoveryCode: code2 })).status).toBe(401);
    expect((await attempt({ username: olivia, password: demo.password, recoveryCode: reissued.json.recoveryCodes[0] })).status).toBe(200);
    const pat = await h.signIn(`pat@${demo.practice}`, demo.password);
    expect((await h.post(pat, '/api/session/recovery-codes', { password: demo.password })).status).toBe(403);
    expect((await h.post(ok.agent!, '/api/session/recovery-codes', { password: 'wrong' })).status).toBe(403);
  });

  // ------------------------------------------------------------ finding 7

  it('a TOTP code signs in once; replacing or turning off the second factor needs a current code and the password', async () => {
    const lou = await h.signIn(user('lou'), PASSWORD);
    const first = (await h.post(lou, '/api/session/totp/enroll')).json.secret as string;
    const codeOf = (secret: string, at = h.clock.now) => generate({ secret, epoch: Math.floor(at / 1000) });
    // Turning it on asks for the password again.
    expect((await h.post(lou, '/api/session/totp/confirm', { code: await codeOf(first), password: 'not my password' })).status).toBe(403);
    expect((await h.post(lou, '/api/session/totp/confirm', { code: await codeOf(first), password: PASSWORD })).status).toBe(204);

    // The code used to turn it on does not sign in; the next one does, once.
    const used = await attempt({ username: user('lou'), password: PASSWORD, totp: await codeOf(first) });
    expect(used.status).toBe(401);
    h.advance(30_000);
    const code = await codeOf(first);
    const [x, y] = await Promise.all([
      attempt({ username: user('lou'), password: PASSWORD, totp: code }),
      attempt({ username: user('lou'), password: PASSWORD, totp: code }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 401]);
    const signedIn = (x.agent ?? y.agent)!;
    expect((await attempt({ username: user('lou'), password: PASSWORD, totp: code })).status).toBe(401);

    // Replacing it needs a current, unused code of the one in use.
    const second = (await h.post(signedIn, '/api/session/totp/enroll')).json.secret as string;
    const missing = await h.post(signedIn, '/api/session/totp/confirm', { code: await codeOf(second), password: PASSWORD });
    expect(missing.status).toBe(403);
    expect((await h.post(signedIn, '/api/session/totp/confirm', { code: await codeOf(second), password: PASSWORD, currentCode: code })).status).toBe(403); // already used
    h.advance(30_000);
    expect((await h.post(signedIn, '/api/session/totp/confirm', { code: await codeOf(second), password: PASSWORD, currentCode: await codeOf(first) })).status).toBe(204);
    h.advance(30_000);
    expect((await attempt({ username: user('lou'), password: PASSWORD, totp: await codeOf(first) })).status).toBe(401);

    // Turning it off needs the password and a current code of the app in use.
    expect((await h.del(signedIn, '/api/session/totp', { code: await codeOf(second), password: 'nope nope' })).status).toBe(403);
    expect((await h.get(signedIn, '/api/session')).json.totpEnabled).toBe(true);
    expect((await h.del(signedIn, '/api/session/totp', { code: await codeOf(second), password: PASSWORD })).status).toBe(204);
    expect((await h.get(signedIn, '/api/session')).json.totpEnabled).toBe(false);
    // The wrong codes and passwords above were failed sign-ins of lou's username (4 or 5 since the last success,
    // as the racing pair ran): wait out any window.
    expect(await failures(accountKey(user('lou')))).toBeGreaterThanOrEqual(4);
    h.advance(MINUTE);
    await h.signIn(user('lou'), PASSWORD);
    const entries = (await log()).filter((e) => e.actor === 'lou');
    expect(entries.filter((e) => e.action === 'totp_enrol' && e.outcome === 'changed').map((e) => e.detail)).toEqual([{ replaced: false }, { replaced: true }]);
  });
});
