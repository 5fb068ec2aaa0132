/**
 * Password resets by email over HTTP (issue 14, "Email"). Without mail (or without an address
 * on file) a reset answers a temporary password as before; with mail configured and an
 * address, the member's password stops working, their sessions end, and a link (one hour,
 * once) is mailed to them: it sets a new password and signs them in (not past a second
 * factor). Used twice, late, or for a member deactivated since: link_used / link_expired.
 * Who may reset stays the core's rule.
 */
import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { Harness, isProblem, type Agent, type Reply } from './harness.js';

const BASE = 'https://chartguard.example';
const NEW_PASSWORD = 'a brand new long password';
const HOUR = 60 * 60_000;

function expectProblem(r: Reply, status: number, code: string): void {
  expect(r.status, r.body).toBe(status);
  expect(isProblem(r)).toBe(true);
  expect(r.json.code).toBe(code);
}

function sessionCookie(r: Reply): string | null {
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const cookie = set.find((c) => c.startsWith('cg_session='));
  return cookie ? cookie.slice('cg_session='.length).split(';')[0]! : null;
}

describe.each(databaseKinds())('password resets by email on %s', (kind) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function demo(options: { mail: boolean }) {
    h = await Harness.create(kind, options.mail ? { mailConfigured: true, publicUrl: BASE } : {});
    const d = await h.demo();
    const as = (m: string) => h.signIn(d.user(m), d.password);
    return { ...d, as };
  }

  /** The newest mail queued for a member. */
  async function lastMail(practice: string, member: string) {
    const [mail] = await h.cg.db.query<{ subject: string; body: string; to_address: string | null }>(
      'select subject, body, to_address from chartguard.email_outbox where practice_id = $1 and recipient = $2 order by id desc limit 1',
      [practice, member],
    );
    return mail;
  }

  /** The reset link's token in the newest mail of a member. */
  async function mailedToken(practice: string, member: string): Promise<string> {
    const body = (await lastMail(practice, member))?.body ?? '';
    const m = body.match(new RegExp(`${BASE}/reset/([A-Za-z0-9_-]+)`));
    if (!m) throw new Error(`no reset link mailed to ${member}: ${body}`);
    return m[1]!;
  }

  it('without mail configured, answers a temporary password as before and sends nothing', async () => {
    const { practice, user, as } = await demo({ mail: false });
    const reset = await h.post(await as('pat'), '/api/team/bella/password-reset');
    expect(reset.status, reset.body).toBe(200);
    expect(reset.json).toEqual({ emailed: false, temporaryPassword: expect.stringMatching(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/) });
    expect(await lastMail(practice, 'bella')).toBeUndefined();
    const bella = await h.signIn(user('bella'), reset.json.temporaryPassword);
    expect((await h.get(bella, '/api/session')).json.mustChangePassword).toBe(true);
  });

  it('with mail configured, emails a link: the old password stops working, sessions end, the link sets a new one and signs in, once', async () => {
    const { practice, user, password, as } = await demo({ mail: true });
    const pat = await as('pat');
    const open = await as('bella');
    expect((await h.get(open, '/api/session')).status).toBe(200);

    const reset = await h.post(pat, '/api/team/bella/password-reset');
    expect(reset.status, reset.body).toBe(200);
    expect(reset.json).toEqual({ emailed: true, temporaryPassword: null });

    // The mail: to Bella (her address when sent), the link, who asked; no client data.
    const mail = (await lastMail(practice, 'bella'))!;
    expect(mail.to_address).toBeNull();
    expect(mail.subject).toMatch(/new password/);
    expect(mail.body).toContain('Pat Adler');
    expect(mail.body).toContain(`Your username is ${user('bella')}`);
    const clients = (await h.get(await as('olivia'), '/api/clients')).json.items as { name: string }[];
    expect(clients.length).toBeGreaterThan(0);
    for (const c of clients) expect(mail.body).not.toContain(c.name);
    const token = await mailedToken(practice, 'bella');

    // Her open session ended; her old password no longer signs in.
    expect((await h.get(open, '/api/session')).status).toBe(401);
    await expect(h.signIn(user('bella'), password)).rejects.toThrow(/401/);
    const logged = (await h.cg.activity(practice)).filter((e) => e.action === 'password_reset').at(-1)!;
    expect(logged).toMatchObject({ actor: 'pat', outcome: 'changed', detail: { member: 'bella', emailed: true, sessionsEnded: 1 } });

    expect(await h.request('GET', `/api/password-resets/${token}`)).toMatchObject({
      status: 200,
      json: { practiceName: expect.any(String), memberName: 'Bella Brooks', username: user('bella') },
    });
    expectProblem(await h.request('POST', `/api/password-resets/${token}`, { body: { password: 'too short' } }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/password-resets/${token}`, { body: { password: NEW_PASSWORD, extra: 1 } }), 400, 'invalid_input');

    const done = await h.request('POST', `/api/password-resets/${token}`, { body: { password: NEW_PASSWORD } });
    expect(done.status, done.body).toBe(200);
    expect(done.json.session).toMatchObject({ member: 'bella', practice, mustChangePassword: false });
    const bella: Agent = { member: 'bella', cookie: sessionCookie(done)!, csrf: done.json.session.csrfToken };
    expect((await h.get(bella, '/api/session')).json).toMatchObject({ member: 'bella', mustChangePassword: false });
    expect((await h.get(bella, '/api/clients')).status).toBe(200);
    const again = await h.signIn(user('bella'), NEW_PASSWORD);
    expect((await h.get(again, '/api/session')).json.mustChangePassword).toBe(false);
    await expect(h.signIn(user('bella'), password)).rejects.toThrow(/401/);

    // Used: the page and the form both say so, and the password stays the one chosen.
    expectProblem(await h.request('GET', `/api/password-resets/${token}`), 410, 'link_used');
    expectProblem(await h.request('POST', `/api/password-resets/${token}`, { body: { password: 'someone else’s password' } }), 410, 'link_used');
    await h.signIn(user('bella'), NEW_PASSWORD);
    const log = await h.cg.activity(practice);
    expect(log.filter((e) => e.action === 'password_reset_completed').at(-1)).toMatchObject({ actor: 'bella', detail: { member: 'bella' } });
    expect(log.filter((e) => e.action === 'sign_in' && e.detail.via === 'password_reset').at(-1)).toMatchObject({ actor: 'bella' });
  });

  it('a late link answers link_expired, so does one a newer reset replaced; an unknown one link_unknown', async () => {
    const { practice, as } = await demo({ mail: true });
    const olivia = await as('olivia');
    expect((await h.post(olivia, '/api/team/ana/password-reset')).json.emailed).toBe(true);
    const first = await mailedToken(practice, 'ana');
    expect((await h.post(olivia, '/api/team/ana/password-reset')).json.emailed).toBe(true);
    const second = await mailedToken(practice, 'ana');
    expect(second).not.toBe(first);
    expectProblem(await h.request('GET', `/api/password-resets/${first}`), 410, 'link_expired');
    expect((await h.request('GET', `/api/password-resets/${second}`)).status).toBe(200);

    h.advance(HOUR);
    expectProblem(await h.request('GET', `/api/password-resets/${second}`), 410, 'link_expired');
    const late = await h.request('POST', `/api/password-resets/${second}`, { body: { password: NEW_PASSWORD } });
    expectProblem(late, 410, 'link_expired');
    expect(late.json.detail).toMatch(/expired: ask for a new one/);
    expect(sessionCookie(late)).toBeNull();
    expectProblem(await h.request('GET', '/api/password-resets/no-such-link'), 404, 'link_unknown');
    expectProblem(await h.request('POST', '/api/password-resets/no-such-link', { body: { password: NEW_PASSWORD } }), 404, 'link_unknown');
    // Another kind of link's route does not open it.
    expectProblem(await h.request('GET', `/api/invitations/${second}`), 404, 'link_unknown');
  });

  it('a member deactivated since finds their link expired, and it sets nothing', async () => {
    const { practice, as } = await demo({ mail: true });
    const olivia = await as('olivia');
    expect((await h.post(olivia, '/api/team/sky/password-reset')).json.emailed).toBe(true);
    const token = await mailedToken(practice, 'sky');
    const off = await h.post(olivia, '/api/team/sky/deactivate');
    expect(off.status, off.body).toBe(200);
    expectProblem(await h.request('GET', `/api/password-resets/${token}`), 410, 'link_expired');
    const posted = await h.request('POST', `/api/password-resets/${token}`, { body: { password: NEW_PASSWORD } });
    expectProblem(posted, 410, 'link_expired');
    expect(sessionCookie(posted)).toBeNull();
    expect((await h.cg.activity(practice)).some((e) => e.action === 'password_reset_completed')).toBe(false);
  });

  it('with mail configured but no address on file, answers a temporary password', async () => {
    const { practice, user, as } = await demo({ mail: true });
    const pat = await as('pat');
    expect((await h.put(pat, '/api/team/bella', { email: null })).status).toBe(200);
    const reset = await h.post(pat, '/api/team/bella/password-reset');
    expect(reset.json).toEqual({ emailed: false, temporaryPassword: expect.any(String) });
    expect(await lastMail(practice, 'bella')).toBeUndefined();
    await h.signIn(user('bella'), reset.json.temporaryPassword);
  });

  it('who may reset is the core’s rule, emailed or not', async () => {
    const { practice, as } = await demo({ mail: true });
    const ana = await as('ana');
    expectProblem(await h.post(ana, '/api/team/bella/password-reset'), 403, 'forbidden');
    const pat = await as('pat');
    expectProblem(await h.post(pat, '/api/team/olivia/password-reset'), 403, 'account_owner');
    expectProblem(await h.post(pat, '/api/team/eve/password-reset'), 403, 'only_account_owner');
    expect((await h.post(pat, '/api/team/nobody/password-reset')).status).toBe(404);
    // A refusal sends nothing.
    const [sent] = await h.cg.db.query<{ n: number }>("select count(*)::int as n from chartguard.email_outbox where practice_id = $1 and body like '%/reset/%'", [practice]);
    expect(Number(sent?.n)).toBe(0);
  });

  it('the link does not stand in for a second factor: the password is set, and the member signs in with their code', async () => {
    const { practice, user, password, as } = await demo({ mail: true });
    const sam = await as('sam');
    const secret = (await h.post(sam, '/api/session/totp/enroll')).json.secret as string;
    const code = () => generate({ secret, epoch: Math.floor(h.clock.now / 1000) });
    expect((await h.post(sam, '/api/session/totp/confirm', { code: await code(), password })).status).toBe(204);
    h.advance(30_000);

    expect((await h.post(await as('olivia'), '/api/team/sam/password-reset')).json.emailed).toBe(true);
    const token = await mailedToken(practice, 'sam');
    const done = await h.request('POST', `/api/password-resets/${token}`, { body: { password: NEW_PASSWORD } });
    expect(done.status, done.body).toBe(200);
    expect(done.json).toEqual({ session: null });
    expect(sessionCookie(done)).toBeNull();
    const needed = await h.request('POST', '/api/session', { body: { username: user('sam'), password: NEW_PASSWORD } });
    expectProblem(needed, 401, 'totp_required');
    expect((await h.signIn(user('sam'), NEW_PASSWORD, await code())).member).toBe('sam');
  });
});
