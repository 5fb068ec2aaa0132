/**
 * One-time links through the store (issue 14): a link works once and until it expires (an
 * injected clock), an unknown token or one of another kind opens nothing, a new invitation
 * ends the member's earlier one, only the token's hash is kept; setting up a practice and
 * accepting an invitation are one transaction each, so a refusal leaves nothing behind.
 */
import { describe, expect, it } from 'vitest';
import { acceptInvitation, invitationDetails, issueInvitation } from '../../src/store/auth/invitations.js';
import { issueLink, peekLink, redeemLink, LINK_LIFETIME_MS } from '../../src/store/auth/one-time-links.js';
import { createPracticeForOwner, issueSetupLink, practiceRows, renewSetupLink, setupDetails, setUpPractice, slugOf, type SetupInput } from '../../src/store/auth/practice-setup.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds, newPracticeId, type DatabaseKind } from '../support/databases.js';

const HOUR = 3_600_000;

async function setup(kind: DatabaseKind) {
  const clock = { now: Date.UTC(2026, 0, 5, 9) };
  const cg = ChartGuard.over(await database(kind), () => clock.now);
  return { cg, clock };
}

const unique = () => Math.random().toString(36).slice(2, 8);

function owner(overrides: Partial<SetupInput> = {}): SetupInput {
  const u = unique();
  return { practiceName: `Harbor Therapy ${u}`, name: 'Hana Harbor', email: `hana.${u}@harbor.example`, username: `hana-${u}`, passwordHash: 'not-a-real-hash', clinicianRole: null, ...overrides };
}

async function countRows(cg: ChartGuard, sql: string, params: unknown[]): Promise<number> {
  const [r] = await cg.db.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params);
  return Number(r!.n);
}

describe.each(databaseKinds())('one-time links on %s', (kind) => {
  it('work once and until they expire; an unknown token or one of another kind opens nothing; only the hash is kept', async () => {
    const { cg, clock } = await setup(kind);
    const practice = newPracticeId('links');
    await cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'ana', roles: ['clinician_basic'] }] });
    const token = await cg.db.transaction((tx) => issueLink(tx, { kind: 'invitation', practice, member: 'ana' }, clock.now));
    expect(await countRows(cg, 'chartguard_auth.one_time_links where token_hash = $1', [token])).toBe(0);

    expect(await peekLink(cg.db, token, 'invitation', clock.now)).toMatchObject({ ok: true, link: { kind: 'invitation', practice, member: 'ana', expiresAt: clock.now + LINK_LIFETIME_MS.invitation } });
    expect(await peekLink(cg.db, token, 'setup', clock.now)).toMatchObject({ ok: false, code: 'link_unknown' });
    expect(await peekLink(cg.db, 'no-such-token', 'invitation', clock.now)).toMatchObject({ ok: false, code: 'link_unknown' });
    // One second before the end it works; at the end it does not.
    expect((await peekLink(cg.db, token, 'invitation', clock.now + LINK_LIFETIME_MS.invitation - 1000)).ok).toBe(true);
    expect(await peekLink(cg.db, token, 'invitation', clock.now + LINK_LIFETIME_MS.invitation)).toMatchObject({ ok: false, code: 'link_expired' });

    expect((await cg.db.transaction((tx) => redeemLink(tx, token, 'invitation', clock.now))).ok).toBe(true);
    expect(await cg.db.transaction((tx) => redeemLink(tx, token, 'invitation', clock.now))).toMatchObject({ ok: false, code: 'link_used', detail: expect.stringContaining('already used') });

    const late = await cg.db.transaction((tx) => issueLink(tx, { kind: 'setup', practice, member: null }, clock.now));
    clock.now += HOUR;
    expect(await cg.db.transaction((tx) => redeemLink(tx, late, 'setup', clock.now))).toMatchObject({ ok: false, code: 'link_expired', detail: expect.stringContaining('ask for a new one') });
  });

  it('a new invitation ends the earlier one of the same member; the invitation page names the practice and the member', async () => {
    const { cg, clock } = await setup(kind);
    const practice = newPracticeId('invite');
    await cg.createPractice({ id: practice, name: 'Cedar Practice', members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'ana', name: 'Ana Alvarez', roles: ['clinician_basic'] }] });
    await cg.db.query("update chartguard.members set email = 'ana@cedar.example' where practice_id = $1 and id = 'ana'", [practice]);
    const first = await cg.db.transaction((tx) => issueInvitation(tx, practice, 'ana', clock.now));
    clock.now += 1000;
    const second = await cg.db.transaction((tx) => issueInvitation(tx, practice, 'ana', clock.now));
    expect(await invitationDetails(cg, first)).toMatchObject({ ok: false, code: 'link_expired' });
    expect(await invitationDetails(cg, second)).toEqual({ ok: true, details: { practiceName: 'Cedar Practice', memberName: 'Ana Alvarez', email: 'ana@cedar.example' } });

    const username = `ana-${unique()}`;
    expect(await acceptInvitation(cg, second, { username, passwordHash: 'h' })).toEqual({ ok: true, practice, member: 'ana' });
    expect(await countRows(cg, 'chartguard_auth.users where practice_id = $1 and member_id = $2 and username = $3', [practice, 'ana', username])).toBe(1);
    expect(await acceptInvitation(cg, second, { username: `${username}-2`, passwordHash: 'h' })).toMatchObject({ ok: false, code: 'link_used' });
    const entry = (await cg.activity(practice)).at(-1)!;
    expect(entry).toMatchObject({ actor: 'ana', action: 'invitation_accepted', outcome: 'changed', detail: { member: 'ana', username } });
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
  });

  it('refuses a username taken (in any case), leaving the invitation unused and no account behind', async () => {
    const { cg, clock } = await setup(kind);
    const practice = newPracticeId('taken');
    await cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }, { id: 'ana', roles: ['clinician_basic'] }, { id: 'ben', roles: ['clinician_basic'] }] });
    const taken = `Olivia-${unique()}`;
    await cg.db.query('insert into chartguard_auth.users (practice_id, member_id, username, password_hash) values ($1, $2, $3, $4)', [practice, 'olivia', taken, 'h']);
    const token = await cg.db.transaction((tx) => issueInvitation(tx, practice, 'ana', clock.now));
    const before = (await cg.activity(practice)).length;
    expect(await acceptInvitation(cg, token, { username: taken.toLowerCase(), passwordHash: 'h' })).toMatchObject({ ok: false, code: 'username_taken' });
    expect(await countRows(cg, 'chartguard_auth.users where practice_id = $1 and member_id = $2', [practice, 'ana'])).toBe(0);
    expect((await cg.activity(practice)).length).toBe(before);
    expect((await invitationDetails(cg, token)).ok).toBe(true);
  });

  it('sets up a practice from `start --no-demo`: practice, owner, account, recovery codes and log in one go, once', async () => {
    const { cg } = await setup(kind);
    const token = await issueSetupLink(cg);
    expect(await setupDetails(cg, token)).toEqual({ ok: true, details: { practiceName: null, ownerName: null, ownerEmail: null } });
    const input = owner({ clinicianRole: 'clinician_entire_practice' });
    const done = await setUpPractice(cg, token, input);
    if (!done.ok) throw new Error(done.detail);
    expect(done.practice).toBe(slugOf(input.practiceName, 'x'));
    expect(done.member).toBe(slugOf(input.email.split('@')[0]!, 'x'));
    expect(done.recoveryCodes).toHaveLength(10);
    const team = await cg.team(done.practice);
    expect(team.ownerId).toBe(done.member);
    expect(team.members.get(done.member)?.roles).toEqual(['account_owner', 'clinician_entire_practice']);
    expect(await countRows(cg, 'chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2', [done.practice, done.member])).toBe(10);
    const log = await cg.activity(done.practice);
    expect(log.map((e) => e.action)).toEqual(['create_practice', 'practice_setup', 'recovery_codes_issued']);
    expect(log[1]).toMatchObject({ actor: done.member, detail: { member: done.member, username: input.username } });
    expect(await cg.verifyLog(done.practice)).toMatchObject({ ok: true });

    expect(await setUpPractice(cg, token, owner())).toMatchObject({ ok: false, code: 'link_used' });
    expect(await setupDetails(cg, token)).toMatchObject({ ok: false, code: 'link_used' });
  });

  it('a refused setup creates nothing and leaves the link usable; the same name twice gets its own id', async () => {
    const { cg } = await setup(kind);
    const first = owner();
    const a = await setUpPractice(cg, await issueSetupLink(cg), first);
    if (!a.ok) throw new Error(a.detail);
    const token = await issueSetupLink(cg);
    const clash = owner({ practiceName: first.practiceName, username: first.username.toUpperCase() });
    const practices = (await practiceRows(cg.db)).length;
    expect(await setUpPractice(cg, token, clash)).toMatchObject({ ok: false, code: 'username_taken' });
    expect(await setUpPractice(cg, token, { ...clash, username: `x-${unique()}`, email: 'not-an-address' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await setUpPractice(cg, token, { ...clash, username: `x-${unique()}`, practiceName: '  ' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect((await practiceRows(cg.db)).length).toBe(practices);
    const b = await setUpPractice(cg, token, { ...clash, username: `x-${unique()}` });
    if (!b.ok) throw new Error(b.detail);
    expect(b.practice).toBe(`${a.practice}-2`);
  });

  it('`practice create` makes the practice and its owner at once; the setup link completes them, and a new link ends the old one', async () => {
    const { cg, clock } = await setup(kind);
    const u = unique();
    expect(await createPracticeForOwner(cg, { name: `Birch ${u}`, ownerEmail: 'nobody' })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await createPracticeForOwner(cg, { name: ' ', ownerEmail: 'b@birch.example' })).toMatchObject({ ok: false, code: 'invalid_input' });
    const made = await createPracticeForOwner(cg, { name: `Birch ${u}`, ownerEmail: `bo.birch@birch.example` });
    if (!made.ok) throw new Error(made.detail);
    expect(made).toMatchObject({ practice: `birch-${u}`, owner: 'bo-birch' });
    expect(await practiceRows(cg.db, made.practice)).toMatchObject([{ id: made.practice, name: `Birch ${u}`, members: 1, ownerSignedUp: false }]);
    expect(await setupDetails(cg, made.token)).toEqual({ ok: true, details: { practiceName: `Birch ${u}`, ownerName: null, ownerEmail: 'bo.birch@birch.example' } });

    clock.now += 1000;
    const renewed = await renewSetupLink(cg, made.practice);
    if (!renewed.ok) throw new Error(renewed.detail);
    expect(await setupDetails(cg, made.token)).toMatchObject({ ok: false, code: 'link_expired' });
    const done = await setUpPractice(cg, renewed.token, owner({ practiceName: `Birch Counseling ${u}`, name: 'Bo Birch', email: 'bo@birch.example', clinicianRole: 'clinician_basic' }));
    if (!done.ok) throw new Error(done.detail);
    expect(done).toMatchObject({ practice: made.practice, member: 'bo-birch' });
    expect(await practiceRows(cg.db, made.practice)).toMatchObject([{ name: `Birch Counseling ${u}`, ownerSignedUp: true }]);
    expect((await cg.team(made.practice)).members.get('bo-birch')?.roles).toEqual(['account_owner', 'clinician_basic']);
    const entry = (await cg.activity(made.practice)).find((e) => e.action === 'practice_setup')!;
    expect(entry.detail).toMatchObject({ before: { name: `Birch ${u}`, roles: ['account_owner'] }, after: { name: `Birch Counseling ${u}`, displayName: 'Bo Birch', roles: ['account_owner', 'clinician_basic'] } });
    expect(await renewSetupLink(cg, made.practice)).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await cg.verifyLog(made.practice)).toMatchObject({ ok: true });
  });
});
