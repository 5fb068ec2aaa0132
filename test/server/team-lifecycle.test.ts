/**
 * Issue 14, the team: adding a member, editing them, deactivating (which ends their
 * sessions at once and keeps them from signing in), reactivating, and transferring
 * ownership, over HTTP on the demo practice, with the activity log's account entries and
 * the database's own refusal of a deactivated member's reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { sendInvitation } from '../../src/store/auth/invitations.js';
import { Harness, type Agent } from './harness.js';

describe.each(databaseKinds())('team lifecycle on %s', (kind) => {
  let h: Harness;
  let practice: string;
  let user: (m: string) => string;
  let password: string;
  let pat: Agent;
  let olivia: Agent;

  beforeAll(async () => {
    h = await Harness.create(kind);
    ({ practice, user, password } = await h.demo());
    pat = await h.signIn(user('pat'), password);
    olivia = await h.signIn(user('olivia'), password);
  });
  afterAll(() => h.close());

  const member = async (id: string) => ((await h.get(olivia, '/api/team')).json.members as { id: string; active: boolean; roles: string[]; email: string | null }[]).find((m) => m.id === id);

  it('adds a member who starts with no clients but those shared with all clinicians; emails are shown to who manages the team', async () => {
    const added = await h.post(pat, '/api/team', { id: 'carl', name: 'Carl Cole', email: 'carl@example.org', roles: ['clinician_basic'] });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({ ok: true, id: 'carl' });
    expect(await member('carl')).toMatchObject({ active: true, roles: ['clinician_basic'], email: 'carl@example.org' });
    const ana = await h.signIn(user('ana'), password);
    const seenByAna = ((await h.get(ana, '/api/team')).json.members as { id: string; email: string | null }[]).find((m) => m.id === 'carl');
    expect(seenByAna?.email).toBeNull();

    // Mail is not configured here: the invitation link is answered once, to the inviter.
    expect(added.json.invitation).toMatchObject({ emailed: false, link: expect.stringMatching(/\/invite\/[A-Za-z0-9_-]+$/) });
    const token = String(added.json.invitation.link).split('/invite/')[1]!;
    expect((await h.get(olivia, '/api/team')).json.members.find((m: { id: string }) => m.id === 'carl').hasSignIn).toBe(false);
    expect((await h.request('POST', `/api/invitations/${token}`, { body: { username: user('carl'), password } })).status).toBe(201);
    expect((await h.get(olivia, '/api/team')).json.members.find((m: { id: string }) => m.id === 'carl').hasSignIn).toBe(true);
    const carl = await h.signIn(user('carl'), password);
    const seen = (await h.get(carl, '/api/clients')).json.items as { id: string }[];
    for (const c of seen) expect((await h.cg.clientState(practice, c.id))?.sharedWithAll).toBe(true);

    const entry = (await h.cg.activity(practice)).filter((e) => e.action === 'add_member').at(-1)!;
    expect(entry.actor).toBe('pat');
    expect(entry.detail.accounts).toEqual({ carl: { before: null, after: { name: 'Carl Cole', email: 'carl@example.org', active: true, roles: ['clinician_basic'] } } });
  });

  it('sends a new invitation to a member without a sign-in account, emailed when mail is configured; never to a deactivated one', async () => {
    const added = await h.post(pat, '/api/team', { id: 'nina', name: 'Nina Noor', email: 'nina@example.org', roles: ['clinician_basic'] });
    const first = String(added.json.invitation.link).split('/invite/')[1]!;
    const again = await h.post(pat, '/api/team/nina/invitation');
    expect(again.status).toBe(200);
    // The new link ends the old one.
    expect((await h.request('GET', `/api/invitations/${first}`)).json.code).toBe('link_expired');
    const second = String(again.json.link).split('/invite/')[1]!;
    expect((await h.request('GET', `/api/invitations/${second}`)).json).toMatchObject({ memberName: 'Nina Noor' });
    const ana = await h.signIn(user('ana'), password);
    expect((await h.post(ana, '/api/team/nina/invitation')).json.code).toBe('forbidden');
    expect((await h.post(pat, '/api/team/olivia/invitation')).json.code).toBe('invalid_state');
    // With mail configured, the link goes by email only.
    const mailed = await sendInvitation(h.cg, practice, 'pat', 'nina', { base: 'https://chartguard.example', email: true });
    expect(mailed).toMatchObject({ ok: true, emailed: true });
    const [mail] = await h.cg.db.query<{ subject: string; body: string; recipient: string }>(
      'select subject, body, recipient from chartguard.email_outbox where practice_id = $1 and recipient = $2 order by id desc limit 1',
      [practice, 'nina'],
    );
    expect(mail?.subject).toMatch(/invited to join/);
    expect(mail?.body).toContain(mailed.ok ? mailed.link : 'no link');
    expect((await h.post(pat, '/api/team/nina/deactivate')).status).toBe(200);
    expect((await h.request('GET', `/api/invitations/${mailed.ok ? mailed.link.split('/invite/')[1] : ''}`)).json.code).toBe('link_expired');
    expect((await h.post(pat, '/api/team/nina/invitation')).status).toBe(404);
  });

  it('makes a key from the name when none is given', async () => {
    const added = await h.post(pat, '/api/team', { name: 'Dora Díaz', roles: [] });
    expect(added.status).toBe(201);
    expect(added.json.id).toMatch(/^dora-diaz-[a-z0-9]{1,4}$/);
  });

  it('refuses bad input and who does not manage the team, creating nothing', async () => {
    const before = (await h.get(olivia, '/api/team')).json.members.length;
    const badEmail = await h.post(pat, '/api/team', { name: 'X', email: 'not-an-address', roles: [] });
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.code).toBe('invalid_input');
    expect((await h.post(pat, '/api/team', { name: '  ', roles: [] })).status).toBe(400);
    const badRoles = await h.post(pat, '/api/team', { name: 'Y', roles: ['clinician_basic', 'clinician_billing'] });
    expect(badRoles.json.code).toBe('invalid_roles');
    const owner = await h.post(pat, '/api/team', { name: 'Z', roles: ['account_owner'] });
    expect(owner.json.code).toBe('invalid_roles');
    const taken = await h.post(pat, '/api/team', { id: 'carl', name: 'Carl Again', roles: [] });
    expect(taken.json.code).toBe('invalid_input');
    const ana = await h.signIn(user('ana'), password);
    expect((await h.post(ana, '/api/team', { name: 'W', roles: [] })).json.code).toBe('forbidden');
    expect((await h.get(olivia, '/api/team')).json.members.length).toBe(before);
  });

  it('edits a member’s details, logged before and after', async () => {
    expect((await h.put(pat, '/api/team/carl', { name: 'Carl C. Cole' })).status).toBe(200);
    expect((await h.put(pat, '/api/team/carl', {})).status).toBe(400);
    expect((await h.put(pat, '/api/team/carl', { email: 'nope' })).status).toBe(400);
    const entry = (await h.cg.activity(practice)).filter((e) => e.action === 'edit_member').at(-1)!;
    expect(entry.detail.accounts).toMatchObject({ carl: { before: { name: 'Carl Cole' }, after: { name: 'Carl C. Cole' } } });
  });

  it('deactivation ends the member’s open session at once and keeps them from signing in; reactivation lets them back', async () => {
    const carl = await h.signIn(user('carl'), password);
    expect((await h.get(carl, '/api/session')).status).toBe(200);
    const off = await h.post(pat, '/api/team/carl/deactivate');
    expect(off.status).toBe(200);
    expect((await h.get(carl, '/api/session')).status).toBe(401);
    const again = await h.request('POST', '/api/session', { body: { username: user('carl'), password } });
    expect(again.status).toBe(401);
    expect(await member('carl')).toMatchObject({ active: false, roles: ['clinician_basic'] });
    const entry = (await h.cg.activity(practice)).filter((e) => e.action === 'deactivate_member').at(-1)!;
    expect(entry.detail.accounts).toMatchObject({ carl: { before: { active: true }, after: { active: false } } });

    expect((await h.post(pat, '/api/team/carl/reactivate')).status).toBe(200);
    await h.signIn(user('carl'), password);
  });

  it('refuses to deactivate the account owner, a primary clinician, or oneself', async () => {
    expect((await h.post(pat, '/api/team/olivia/deactivate')).json.code).toBe('account_owner');
    expect((await h.post(pat, '/api/team/ana/deactivate')).json.code).toBe('primary_clinician');
    expect((await h.post(pat, '/api/team/pat/deactivate')).json.code).toBe('invalid_state');
    expect((await h.post(pat, '/api/team/nobody/deactivate')).status).toBe(404);
  });

  it('a deactivated member reads nothing, by the database’s own policy too', async () => {
    const count = async () => Number((await h.cg.readOnce<{ n: number }>(practice, 'mia', 'member', 'select count(*)::int as n from chartguard.clients where practice_id = $1', [practice]))[0]!.n);
    expect(await count()).toBeGreaterThan(0);
    expect((await h.post(olivia, '/api/team/mia/deactivate')).status).toBe(200);
    expect(await count()).toBe(0);
    const check = await h.cg.check(practice, 'mia', 'client.view_profile', { client: (await h.cg.list(practice, 'olivia', 'clients'))[0]!.id });
    expect(check).toMatchObject({ allowed: false, code: 'forbidden' });
    // The practice manager reaches the restricted clients by role: only the owner opens them to her again.
    const byPat = await h.post(pat, '/api/team/mia/reactivate');
    expect(byPat.json.code).toBe('only_account_owner');
    expect((await h.post(olivia, '/api/team/mia/reactivate')).status).toBe(200);
    expect(await count()).toBeGreaterThan(0);
  });

  it('transfers ownership: only the owner, only to an active member; one owner after', async () => {
    expect((await h.post(pat, '/api/team/ownership', { member: 'pat' })).json.code).toBe('forbidden');
    expect((await h.post(olivia, '/api/team/ownership', { member: 'eve' })).status).toBe(200);
    expect((await member('eve'))?.roles).toEqual(['account_owner', 'clinician_entire_practice']);
    expect((await member('olivia'))?.roles).toEqual(['clinician_entire_practice']);
    const owners = ((await h.get(olivia, '/api/team')).json.members as { roles: string[] }[]).filter((m) => m.roles.includes('account_owner'));
    expect(owners).toHaveLength(1);
    const entry = (await h.cg.activity(practice)).filter((e) => e.action === 'transfer_ownership').at(-1)!;
    expect(entry.detail.accounts).toMatchObject({ eve: { after: { roles: ['account_owner', 'clinician_entire_practice'] } }, olivia: { before: { roles: ['account_owner', 'clinician_entire_practice'] } } });
  });
});
