/**
 * The practice's settings over HTTP (GET/PATCH /api/settings): who may change them, which
 * values are refused, the activity-log entry with before and after, and each setting taking
 * effect: the client directory at once (the facts cache is dropped), the automatic logoff on
 * every session of the practice, and two-step sign-in required of everyone (a member
 * without a second factor enrolls before anything else). And the notification a change by a
 * practice administrator leaves the account owner, with who acted.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, isProblem, PASSWORD, type Agent } from './harness.js';

const MINUTE = 60_000;

describe.each(databaseKinds())('practice settings on %s', (kind) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(() => h.close());

  /** A practice of its own for each test: olivia owns it, pat administers it, ana and lou are clinicians. */
  async function practice(): Promise<{ id: string; as: (m: string) => Promise<Agent>; user: (m: string) => string }> {
    const id = newPracticeId('settings');
    await h.cg.createPractice({
      id,
      name: 'Harbor Counseling',
      members: [
        { id: 'olivia', name: 'Olivia Owner', roles: ['account_owner', 'clinician_entire_practice'] },
        { id: 'pat', name: 'Pat Admin', roles: ['practice_administrator'] },
        { id: 'ana', roles: ['clinician_basic'] },
        { id: 'lou', roles: ['clinician_basic'] },
      ],
      clients: [
        { id: 'c1', name: 'Client One', primary: 'ana' },
        { id: 'c2', name: 'Client Two', primary: 'lou' },
      ],
    });
    const user = (m: string) => `${m}@${id}`;
    for (const m of ['olivia', 'pat', 'ana', 'lou']) await h.accounts.createUser(id, m, user(m), PASSWORD);
    return { id, user, as: (m) => h.signIn(user(m), PASSWORD) };
  }

  const patch = (a: Agent, body: unknown) => h.request('PATCH', '/api/settings', { agent: a, body });

  it('answers the settings to who manages them, changes them as one logged command, and /api/me carries the name and time zone', async () => {
    const p = await practice();
    const olivia = await p.as('olivia');
    expect((await h.get(olivia, '/api/settings')).json).toEqual({
      name: 'Harbor Counseling',
      timeZone: 'UTC',
      clientDirectory: 'by_role',
      idleLogoffMinutes: null,
      defaultIdleLogoffMinutes: 15,
      requireSecondFactor: false,
    });
    const changed = await patch(olivia, { name: 'Harbor Counseling Group', timeZone: 'America/Chicago', idleLogoffMinutes: 30 });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ name: 'Harbor Counseling Group', timeZone: 'America/Chicago', idleLogoffMinutes: 30 });
    expect((await h.get(olivia, '/api/me')).json).toMatchObject({ practiceName: 'Harbor Counseling Group', timeZone: 'America/Chicago' });

    const [entry] = await h.cg.db.query<{ actor: string; action: string; outcome: string; detail: any }>(
      `select actor, action, outcome, detail from chartguard.activity_log where practice_id = $1 and action = 'change_settings' order by seq desc limit 1`,
      [p.id],
    );
    expect(entry).toMatchObject({ actor: 'olivia', outcome: 'changed' });
    const detail = typeof entry!.detail === 'string' ? JSON.parse(entry!.detail) : entry!.detail;
    expect(detail.before).toEqual({ name: 'Harbor Counseling', timeZone: 'UTC', idleLogoffMinutes: null });
    expect(detail.after).toEqual({ name: 'Harbor Counseling Group', timeZone: 'America/Chicago', idleLogoffMinutes: 30 });

    // The same values again change nothing (and say so in the log).
    const length = await h.logLength(p.id);
    expect((await patch(olivia, { timeZone: 'America/Chicago' })).status).toBe(200);
    expect(await h.logLength(p.id)).toBe(length + 1);
    // Back to the server's default logoff.
    expect((await patch(olivia, { idleLogoffMinutes: null })).json.idleLogoffMinutes).toBeNull();
  });

  it('refuses bad values and members without settings.manage with problems, writing nothing', async () => {
    const p = await practice();
    const [olivia, ana] = [await p.as('olivia'), await p.as('ana')];
    const length = await h.logLength(p.id);
    const refused = async (a: Agent, body: unknown, status: number, code: string) => {
      const r = await patch(a, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(isProblem(r)).toBe(true);
      expect(r.json.code, JSON.stringify(body)).toBe(code);
      return r;
    };
    const zone = await refused(olivia, { timeZone: 'Mars/Olympus_Mons' }, 422, 'invalid_setting');
    expect(zone.json.detail).toMatch(/not a known time zone/);
    await refused(olivia, { idleLogoffMinutes: 4 }, 422, 'invalid_setting');
    await refused(olivia, { idleLogoffMinutes: 721 }, 422, 'invalid_setting');
    // Every bad value is named, not just the first.
    expect((await refused(olivia, { timeZone: 'Nowhere', idleLogoffMinutes: 0, name: '   ' }, 422, 'invalid_setting')).json.reasons).toHaveLength(3);
    await refused(olivia, { idleLogoffMinutes: 7.5 }, 400, 'invalid_input');
    await refused(olivia, { clientDirectory: 'everyone' }, 400, 'invalid_input');
    await refused(olivia, { colour: 'blue' }, 400, 'invalid_input');
    await refused(olivia, {}, 400, 'invalid_input');
    await refused(ana, { timeZone: 'Europe/Paris' }, 403, 'forbidden');
    const read = await h.get(ana, '/api/settings');
    expect([read.status, read.json.code]).toEqual([403, 'forbidden']);
    expect(await h.logLength(p.id)).toBe(length);
    expect((await h.get(olivia, '/api/settings')).json).toMatchObject({ timeZone: 'UTC', idleLogoffMinutes: null, name: 'Harbor Counseling' });
  });

  it('opens the client directory to all staff at once, and tells the owner who changed a setting', async () => {
    const p = await practice();
    const [pat, ana, olivia] = [await p.as('pat'), await p.as('ana'), await p.as('olivia')];
    const contact = async () => (await h.get(ana, '/api/check?permission=client.view_contact&client=c2')).json.allowed;
    expect(await contact()).toBe(false);
    expect((await patch(pat, { clientDirectory: 'all_staff' })).status).toBe(200);
    // No wait for a change notification: this process's cached facts were dropped by the command.
    expect(await contact()).toBe(true);

    const page = (await h.get(olivia, '/api/notifications?order=newest')).json;
    expect(page.unread).toBe(1);
    expect(page.items[0]).toMatchObject({ event: 'settings_changed', actor: 'pat', actorName: 'Pat Admin', client: null, read: false });
    // Nobody else's, and one's own changes tell nobody.
    expect((await h.get(pat, '/api/notifications')).json.items).toEqual([]);
    expect((await patch(olivia, { clientDirectory: 'by_role' })).status).toBe(200);
    expect((await h.get(olivia, '/api/notifications')).json.unread).toBe(1);
    expect(await contact()).toBe(false);
  });

  it("ends every session of the practice after the practice's own idle time", async () => {
    const p = await practice();
    const [olivia, ana] = [await p.as('olivia'), await p.as('ana')];
    expect((await h.get(ana, '/api/session')).json.idleTimeoutSeconds).toBe(15 * 60);
    expect((await patch(olivia, { idleLogoffMinutes: 5 })).status).toBe(200);
    // A session signed in before the change: its next request sees the new limit.
    expect((await h.get(ana, '/api/session')).json.idleTimeoutSeconds).toBe(5 * 60);
    h.advance(4 * MINUTE);
    expect((await h.get(ana, '/api/clients')).status).toBe(200);
    h.advance(5 * MINUTE + 1000);
    const ended = await h.get(ana, '/api/clients');
    expect([ended.status, ended.json.code]).toEqual([401, 'unauthenticated']);
    // A new session after sign-in is told its limit, and the practice at the default keeps 15 minutes.
    const again = await h.request('POST', '/api/session', { body: { username: p.user('ana'), password: PASSWORD } });
    expect(again.json.idleTimeoutSeconds).toBe(5 * 60);
    const other = await practice();
    const lou = await other.as('lou');
    h.advance(10 * MINUTE);
    expect((await h.get(lou, '/api/clients')).status).toBe(200);
  });

  it('requires two-step sign-in of everyone: a member without a second factor enrolls before anything else', async () => {
    const p = await practice();
    const olivia = await p.as('olivia');
    const lou = await p.as('lou'); // signed in before the requirement
    expect((await patch(olivia, { requireSecondFactor: true })).json.requireSecondFactor).toBe(true);

    const blocked = async (a: Agent) => {
      for (const [method, url] of [['GET', '/api/clients'], ['GET', '/api/me'], ['GET', '/api/notifications'], ['POST', '/api/tasks']] as const) {
        const r = await h.request(method, url, { agent: a, body: method === 'POST' ? { client: 'c1', assignee: 'ana', title: 't' } : undefined });
        expect([r.status, r.json.code], `${method} ${url}`).toEqual([403, 'second_factor_enrollment_required']);
      }
    };
    const signIn = await h.request('POST', '/api/session', { body: { username: p.user('ana'), password: PASSWORD } });
    expect(signIn.status).toBe(200);
    expect(signIn.json.mustEnrollSecondFactor).toBe(true);
    const ana: Agent = { member: 'ana', cookie: signIn.headers['set-cookie']!.toString().match(/cg_session=([^;]+)/)![1]!, csrf: signIn.json.csrfToken };
    await blocked(ana);
    await blocked(lou);
    expect((await h.get(ana, '/api/session')).json.mustEnrollSecondFactor).toBe(true);
    expect((await h.post(ana, '/api/session/keepalive')).status).toBe(204);

    // Enrolling: the secret, then a code of it with the password.
    const { secret } = (await h.post(ana, '/api/session/totp/enroll')).json;
    const code = () => generate({ secret, epoch: Math.floor(h.clock.now / 1000) });
    expect((await h.post(ana, '/api/session/totp/confirm', { code: await code(), password: PASSWORD })).status).toBe(204);
    expect((await h.get(ana, '/api/clients')).status).toBe(200);
    expect((await h.get(ana, '/api/session')).json).toMatchObject({ mustEnrollSecondFactor: false, totpEnabled: true });
    // Lou still has to; and ana may not turn it off while the practice requires it.
    await blocked(lou);
    h.advance(60_000);
    const off = await h.request('DELETE', '/api/session/totp', { agent: ana, body: { code: await code(), password: PASSWORD } });
    expect([off.status, off.json.code]).toEqual([403, 'forbidden']);
    // Signing in now asks for the code.
    const next = await h.request('POST', '/api/session', { body: { username: p.user('ana'), password: PASSWORD } });
    expect([next.status, next.json.code]).toEqual([401, 'totp_required']);

    // The owner who turned it on is held to it too: enrolling comes first for her as well.
    expect((await patch(olivia, { requireSecondFactor: false })).json.code).toBe('second_factor_enrollment_required');
  });
});
