/**
 * Setup and invitation links over HTTP (issue 14): the page's details, the form that makes
 * the account and signs its member in, and bad input answered as problems with stable codes:
 * a link used twice (410 link_used), late (410 link_expired) or unknown (404 link_unknown), a
 * username taken (409), an invalid email address or short password (400); nothing half made.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { issueInvitation } from '../../src/store/auth/invitations.js';
import { issueSetupLink, practiceRows } from '../../src/store/auth/practice-setup.js';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, isProblem, type Agent, type Reply } from './harness.js';

const unique = () => Math.random().toString(36).slice(2, 8);
const PASSWORD = 'a long enough password';

function sessionCookie(r: Reply): string {
  const set = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
  const cookie = set.find((c) => c.startsWith('cg_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.slice('cg_session='.length).split(';')[0]!;
}

function setupBody(overrides: Record<string, unknown> = {}) {
  const u = unique();
  return { practiceName: `Willow Therapy ${u}`, name: 'Wren Willow', email: `wren.${u}@willow.example`, username: `wren-${u}`, password: PASSWORD, ...overrides };
}

function expectProblem(r: Reply, status: number, code: string): void {
  expect(r.status, r.body).toBe(status);
  expect(isProblem(r)).toBe(true);
  expect(r.json.code).toBe(code);
}

describe.each(databaseKinds())('setup and invitation links over HTTP on %s', (kind) => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('sets up a practice once: the owner is signed in, sees the recovery codes once, and can sign in with them later', async () => {
    h = await Harness.create(kind);
    const token = await issueSetupLink(h.cg);
    const details = await h.request('GET', `/api/setup/${token}`);
    expect(details).toMatchObject({ status: 200, json: { practiceName: null, ownerName: null, ownerEmail: null } });

    expectProblem(await h.request('POST', `/api/setup/${token}`, { body: setupBody({ email: 'wren at willow' }) }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/setup/${token}`, { body: setupBody({ password: 'too short' }) }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/setup/${token}`, { body: setupBody({ clinicianRole: 'account_owner' }) }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/setup/${token}`, { body: { ...setupBody(), extra: 1 } }), 400, 'invalid_input');

    const body = setupBody({ clinicianRole: 'clinician_basic' });
    const done = await h.request('POST', `/api/setup/${token}`, { body });
    expect(done.status, done.body).toBe(201);
    expect(done.json.session).toMatchObject({ practiceName: body.practiceName, name: 'Wren Willow', roles: ['account_owner', 'clinician_basic'], mustChangePassword: false });
    expect(done.json.recoveryCodes).toHaveLength(10);
    const owner: Agent = { member: done.json.session.member, cookie: sessionCookie(done), csrf: done.json.session.csrfToken };
    expect((await h.get(owner, '/api/session')).json).toMatchObject({ member: owner.member, practice: done.json.session.practice });
    expect((await h.get(owner, '/api/me')).status).toBe(200);

    // Used: the page and the form both say so; nothing else was made.
    // (Counted by name: other test files create practices in the same database meanwhile.)
    expectProblem(await h.request('GET', `/api/setup/${token}`), 410, 'link_used');
    const second = setupBody();
    const again = await h.request('POST', `/api/setup/${token}`, { body: second });
    expectProblem(again, 410, 'link_used');
    expect(again.json.detail).toMatch(/already used/);
    expect((await practiceRows(h.cg.db)).filter((p) => p.name === second.practiceName)).toEqual([]);
    expect((await practiceRows(h.cg.db)).filter((p) => p.name === body.practiceName)).toHaveLength(1);

    await h.signIn(body.username, PASSWORD);
    const recovered = await h.request('POST', '/api/session', { body: { username: body.username, password: PASSWORD, recoveryCode: done.json.recoveryCodes[0] } });
    expect(recovered.status, recovered.body).toBe(200);
    const log = await h.cg.activity(done.json.session.practice);
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['create_practice', 'practice_setup', 'recovery_codes_issued', 'sign_in']));
    expect(log.find((e) => e.action === 'sign_in')).toMatchObject({ actor: owner.member, detail: { via: 'setup' } });
  });

  it('answers a late setup link 410 link_expired, an unknown one 404 link_unknown, an invitation token on the setup route 404', async () => {
    h = await Harness.create(kind);
    const token = await issueSetupLink(h.cg);
    h.advance(60 * 60_000);
    const late = await h.request('GET', `/api/setup/${token}`);
    expectProblem(late, 410, 'link_expired');
    expect(late.json.detail).toMatch(/expired: ask for a new one/);
    expectProblem(await h.request('POST', `/api/setup/${token}`, { body: setupBody() }), 410, 'link_expired');
    expectProblem(await h.request('GET', '/api/setup/no-such-link'), 404, 'link_unknown');
    expectProblem(await h.request('POST', '/api/setup/no-such-link', { body: setupBody() }), 404, 'link_unknown');

    const practice = newPracticeId('inv');
    await h.cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'ana', roles: ['clinician_basic'] }] });
    const invitation = await h.cg.db.transaction((tx) => issueInvitation(tx, practice, 'ana', h.cg.now()));
    expectProblem(await h.request('GET', `/api/setup/${invitation}`), 404, 'link_unknown');
  });

  it('accepts an invitation once: the username and password rules, a taken username refused, the member signed in', async () => {
    h = await Harness.create(kind);
    const practice = newPracticeId('inv');
    await h.cg.createPractice({
      id: practice,
      name: 'Aspen Counseling',
      members: [
        { id: 'olivia', roles: ['account_owner'] },
        { id: 'ana', name: 'Ana Alvarez', roles: ['clinician_basic'] },
      ],
    });
    // The member row as the add_member command leaves it, with an email address.
    await h.cg.db.query("update chartguard.members set email = 'ana@aspen.example' where practice_id = $1 and id = 'ana'", [practice]);
    const taken = `olivia-${unique()}`;
    await h.accounts.createUser(practice, 'olivia', taken, PASSWORD);
    const token = await h.cg.db.transaction((tx) => issueInvitation(tx, practice, 'ana', h.cg.now()));

    expect(await h.request('GET', `/api/invitations/${token}`)).toMatchObject({ status: 200, json: { practiceName: 'Aspen Counseling', memberName: 'Ana Alvarez', email: 'ana@aspen.example' } });
    const takenReply = await h.request('POST', `/api/invitations/${token}`, { body: { username: taken.toUpperCase(), password: PASSWORD } });
    expectProblem(takenReply, 409, 'username_taken');
    expect(takenReply.json.detail).toMatch(/taken: choose another/);
    expectProblem(await h.request('POST', `/api/invitations/${token}`, { body: { username: 'ana', password: 'short' } }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/invitations/${token}`, { body: { username: 'two words', password: PASSWORD } }), 400, 'invalid_input');

    const username = `ana-${unique()}`;
    const accepted = await h.request('POST', `/api/invitations/${token}`, { body: { username, password: PASSWORD } });
    expect(accepted.status, accepted.body).toBe(201);
    expect(accepted.json).toMatchObject({ member: 'ana', practice, practiceName: 'Aspen Counseling', roles: ['clinician_basic'] });
    const ana: Agent = { member: 'ana', cookie: sessionCookie(accepted), csrf: accepted.json.csrfToken };
    expect((await h.get(ana, '/api/session')).status).toBe(200);
    expect((await h.get(ana, '/api/clients')).json.items).toEqual([]);

    expectProblem(await h.request('POST', `/api/invitations/${token}`, { body: { username: `${username}-2`, password: PASSWORD } }), 410, 'link_used');
    expectProblem(await h.request('GET', `/api/invitations/${token}`), 410, 'link_used');
    await h.signIn(username, PASSWORD);
    expect((await h.cg.activity(practice)).find((e) => e.action === 'invitation_accepted')).toMatchObject({ actor: 'ana', detail: { username } });
  });

  it('answers an invitation after seven days 410 link_expired, and the member has no account', async () => {
    h = await Harness.create(kind);
    const practice = newPracticeId('inv');
    await h.cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'ana', roles: ['clinician_basic'] }] });
    const token = await h.cg.db.transaction((tx) => issueInvitation(tx, practice, 'ana', h.cg.now()));
    h.advance(7 * 24 * 60 * 60_000);
    expectProblem(await h.request('POST', `/api/invitations/${token}`, { body: { username: `ana-${unique()}`, password: PASSWORD } }), 410, 'link_expired');
    const [row] = await h.cg.db.query<{ n: number }>('select count(*)::int as n from chartguard_auth.users where practice_id = $1', [practice]);
    expect(Number(row!.n)).toBe(0);
  });
});
