/**
 * The safeguards no chain of allowed steps may pass (READING.md "Safeguards", issue 10):
 * only the account owner opens a restricted client by a team change; nobody widens their
 * own access. Each case is one of the findings, reproduced on the core.
 */
import { describe, expect, it } from 'vitest';
import { canLiftThrottle, canOnClient, canOnNote, canResetPassword, decide, panelRow, privacyTab, type ClientFacts, type Command, type CommandResult, type Context } from '../../src/core/index.js';
import { client, input, NOW, practice, TEAM } from './fixtures.js';

const DAY = 24 * 60 * 60 * 1000;
const code = (r: CommandResult) => (r.ok ? 'ok' : r.code);

/** Decides a team command with every restricted client loaded, as the store does. */
function teamCommand(ctx: Context, actor: string, command: Command, clients: ClientFacts[]): CommandResult {
  const base = input(ctx, actor);
  return decide({ ...base, facts: { ...base.facts, restricted: new Map(clients.filter((c) => c.restricted).map((c) => [c.id, c])) } }, command);
}

describe('only the account owner opens a restricted client by a team change', () => {
  // The owner restricts Blake (c1, primary ana) and revokes Sky, the scheduler.
  const blake = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['sky', 'bill'] });
  const withSupervisorSky = practice({ ...TEAM, sky: ['practice_scheduler', 'supervisor'], bill: ['practice_biller', 'supervisor'] });

  it('refuses supervision that would reopen the client to a revoked scheduler (finding 1)', () => {
    expect(canOnClient(withSupervisorSky, 'sky', 'client.view_profile', blake).allowed).toBe(false);
    const r = teamCommand(withSupervisorSky, 'pat', { type: 'set_supervisor', supervisor: 'sky', supervisee: 'ana' }, [blake]);
    expect(code(r)).toBe('only_account_owner');
    expect(!r.ok && r.reasons[0]!.text).toMatch(/a restricted client/);
  });

  it('refuses supervision that would let a revoked biller read clinical notes (finding 1, variant)', () => {
    const r = teamCommand(withSupervisorSky, 'pat', { type: 'set_supervisor', supervisor: 'bill', supervisee: 'ana' }, [blake]);
    expect(code(r)).toBe('only_account_owner');
    const note = { id: 'n1', client: 'c1', author: 'ana', kind: 'clinical' as const, signed: true, cosigned: false, deleted: false };
    expect(canOnNote(withSupervisorSky, 'bill', 'note.view', note, blake).allowed).toBe(false);
  });

  it('lets the owner make the same change, and says which clients it opened', () => {
    const r = teamCommand(withSupervisorSky, 'olivia', { type: 'set_supervisor', supervisor: 'sky', supervisee: 'ana' }, [blake]);
    expect(r.ok && r.opened).toEqual([{ member: 'sky', client: 'c1' }]);
    expect(r.ok && r.clients).toEqual(['c1']);
  });

  it('counts the restricted clients a change would open', () => {
    const clients = [blake, client({ id: 'c2', primary: 'ana', restricted: true }), client({ id: 'c3', primary: 'ben', restricted: true })];
    const r = teamCommand(practice(TEAM), 'pat', { type: 'assign_roles', member: 'ana', roles: ['clinician_entire_practice'] }, clients);
    expect(code(r)).toBe('only_account_owner');
    expect(!r.ok && r.reasons[0]!.text).toMatch(/1 restricted client|a restricted client/);
    const r2 = teamCommand(practice(TEAM), 'pat', { type: 'assign_roles', member: 'ben', roles: ['clinician_entire_practice'] }, clients);
    expect(!r2.ok && r2.reasons[0]!.text).toMatch(/2 restricted clients/);
  });

  it('refuses a role that would open the client (finding 3), and a supervisor role alone opens nothing', () => {
    expect(code(teamCommand(practice(TEAM), 'pat', { type: 'assign_roles', member: 'pat', roles: ['practice_administrator', 'clinician_entire_practice'] }, [blake]))).toBe('only_account_owner');
    expect(code(teamCommand(practice(TEAM), 'pat', { type: 'assign_roles', member: 'sky', roles: ['practice_scheduler', 'supervisor'] }, [blake]))).toBe('ok');
  });

  it('refuses sharing a restricted client with all clinicians, except by the owner (003)', () => {
    const c = client({ id: 'c1', primary: 'ana', restricted: true });
    const ctx = practice(TEAM);
    expect(code(decide(input(ctx, 'mia', [c]), { type: 'share_with_all', client: 'c1', on: true }))).toBe('only_account_owner');
    expect(code(decide(input(ctx, 'olivia', [c]), { type: 'share_with_all', client: 'c1', on: true }))).toBe('ok');
    expect(code(decide(input(ctx, 'mia', [client({ id: 'c2', primary: 'ana' })]), { type: 'share_with_all', client: 'c2', on: true }))).toBe('ok');
  });

  it('refuses a new primary clinician whose supervisor the owner left out', () => {
    // frank keeps administrative access; sky, who supervises frank, was revoked.
    const c = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['sky'] });
    const ctx = practice({ ...TEAM, sky: ['practice_scheduler', 'supervisor'] }, { supervision: [['sky', 'frank']] });
    expect(code(decide(input(ctx, 'mia', [c]), { type: 'set_primary_clinician', client: 'c1', member: 'frank' }))).toBe('only_account_owner');
    expect(code(decide(input(ctx, 'olivia', [c]), { type: 'set_primary_clinician', client: 'c1', member: 'frank' }))).toBe('ok');
  });

  it("keeps the seed's client-level ways: a clinical grant by the primary clinician, turning restricted access off", () => {
    const c = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['sky'] });
    const ctx = practice(TEAM);
    expect(code(decide(input(ctx, 'ana', [c]), { type: 'grant_clinical', client: 'c1', member: 'ben' }))).toBe('ok');
    expect(code(decide(input(ctx, 'ana', [c]), { type: 'unrestrict', client: 'c1', acknowledge: true }))).toBe('ok');
  });

  it('keeps a revocation through a change of roles: no clinical grant until the owner lifts it (escalation run, seed -1744212189)', () => {
    // The owner revoked cara (entire practice) from Blake; pat then makes her a basic clinician.
    const c = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['cara'] });
    const before = practice({ ...TEAM, cara: ['clinician_entire_practice'] });
    const after = teamCommand(before, 'pat', { type: 'assign_roles', member: 'cara', roles: ['clinician_basic', 'supervisor'] }, [c]);
    expect(code(after)).toBe('ok');
    const ctx = practice({ ...TEAM, cara: ['clinician_basic', 'supervisor'] });
    expect(code(decide(input(ctx, 'ana', [c]), { type: 'grant_clinical', client: 'c1', member: 'cara' }))).toBe('administrative_access_required');
    expect(code(decide(input(ctx, 'olivia', [c]), { type: 'grant_clinical', client: 'c1', member: 'cara' }))).toBe('administrative_access_required');
    // Only the owner lifts the revocation; then the primary clinician may grant as for anyone.
    expect(code(decide(input(ctx, 'ana', [c]), { type: 'grant_administrative', client: 'c1', member: 'cara' }))).toBe('only_account_owner');
    const lift = decide(input(ctx, 'olivia', [c]), { type: 'grant_administrative', client: 'c1', member: 'cara' });
    expect(lift.ok && lift.effects).toEqual([{ kind: 'restore_administrative', client: 'c1', member: 'cara' }]);
    const lifted = client({ id: 'c1', primary: 'ana', restricted: true });
    expect(code(decide(input(ctx, 'ana', [lifted]), { type: 'grant_clinical', client: 'c1', member: 'cara' }))).toBe('ok');
    // Nothing to lift for a basic clinician never revoked.
    expect(code(decide(input(ctx, 'olivia', [lifted]), { type: 'grant_administrative', client: 'c1', member: 'cara' }))).toBe('not_applicable');
  });

  it('ends supervision of a member who no longer holds a clinician role, and refuses non-clinician supervisees', () => {
    const ctx = practice(TEAM, { supervision: [['sam', 'ana']] });
    const r = teamCommand(ctx, 'pat', { type: 'assign_roles', member: 'ana', roles: ['practice_scheduler'] }, []);
    expect(r.ok && r.effects.filter((e) => e.kind === 'end_supervision')).toEqual([{ kind: 'end_supervision', supervisor: 'sam', supervisee: 'ana' }]);
    expect(code(teamCommand(ctx, 'olivia', { type: 'set_supervisor', supervisor: 'sam', supervisee: 'olivia' }, []))).toBe('invalid_roles');
  });
});

describe('a password reset is no way around the owner', () => {
  const blake = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['sky'] });
  const open = client({ id: 'c2', primary: 'ben' });
  const ctx = practice(TEAM);

  it('lets only the owner reset the password of a member who reaches restricted clients the actor cannot', () => {
    const r = canResetPassword(ctx, 'pat', 'ana', [blake, open]);
    expect(r.allowed).toBe(false);
    expect(!r.allowed && r.code).toBe('only_account_owner');
    expect(!r.allowed && r.reasons[0]!.text).toMatch(/a restricted client/);
    expect(canResetPassword(ctx, 'olivia', 'ana', [blake, open]).allowed).toBe(true);
    // Sky was revoked from Blake; Ben reaches no restricted client.
    expect(canResetPassword(ctx, 'pat', 'sky', [blake, open]).allowed).toBe(true);
    expect(canResetPassword(ctx, 'pat', 'ben', [blake, open]).allowed).toBe(true);
    // Nobody but the owner resets the owner's password.
    const owner = canResetPassword(ctx, 'pat', 'olivia', []);
    expect(!owner.allowed && owner.code).toBe('account_owner');
  });

  it('still lets who manages the team lift a sign-in slowdown, which opens nothing', () => {
    expect(canLiftThrottle(ctx, 'pat', 'ana').allowed).toBe(true);
    expect(canLiftThrottle(ctx, 'ana', 'ben').allowed).toBe(false);
  });
});

describe('nobody widens their own access', () => {
  const ctx = practice(TEAM);
  const temporary = client({ id: 'c1', primary: 'ben', grants: [['ana', { expiresAt: NOW + 14 * DAY }]] });

  it('refuses a self-grant, with or without an end date (finding 2)', () => {
    expect(code(decide(input(ctx, 'ana', [temporary]), { type: 'grant_clinical', client: 'c1', member: 'ana' }))).toBe('own_access');
    expect(code(decide(input(ctx, 'ana', [temporary]), { type: 'grant_clinical', client: 'c1', member: 'ana', untilDays: 3650 }))).toBe('own_access');
    const shared = client({ id: 'c2', primary: 'ben', sharedWithAll: true });
    expect(code(decide(input(ctx, 'bella', [shared]), { type: 'grant_clinical', client: 'c2', member: 'bella' }))).toBe('own_access');
  });

  it('refuses forbidden first where the actor may not manage the client at all', () => {
    const c = client({ id: 'c1', primary: 'ben' });
    expect(code(decide(input(ctx, 'ana', [c]), { type: 'grant_clinical', client: 'c1', member: 'ana' }))).toBe('forbidden');
  });

  it('keeps temporary coverage temporary: no self-made primary, no sharing to outlast the grant', () => {
    expect(code(decide(input(ctx, 'ana', [temporary]), { type: 'set_primary_clinician', client: 'c1', member: 'ana' }))).toBe('own_access');
    expect(code(decide(input(ctx, 'ana', [temporary]), { type: 'share_with_all', client: 'c1', on: true }))).toBe('own_access');
    const shared = client({ id: 'c2', primary: 'ben', sharedWithAll: true });
    expect(code(decide(input(ctx, 'bella', [shared]), { type: 'set_primary_clinician', client: 'c2', member: 'bella' }))).toBe('own_access');
    // Someone else may still make the covering clinician primary, or share the client.
    expect(code(decide(input(ctx, 'ben', [temporary]), { type: 'set_primary_clinician', client: 'c1', member: 'ana' }))).toBe('ok');
  });

  it('lets a clinician granted lasting access, the owner and clinical administrators take a client over (000, 004)', () => {
    const lasting = client({ id: 'c1', primary: 'ben', grants: [['ana', { expiresAt: null }]] });
    expect(code(decide(input(ctx, 'ana', [lasting]), { type: 'set_primary_clinician', client: 'c1', member: 'ana' }))).toBe('ok');
    expect(code(decide(input(ctx, 'cora', [temporary]), { type: 'set_primary_clinician', client: 'c1', member: 'cora' }))).toBe('ok');
    expect(code(decide(input(practice({ ...TEAM, olivia: ['account_owner', 'clinician_basic'] }), 'olivia', [temporary]), { type: 'set_primary_clinician', client: 'c1', member: 'olivia' }))).toBe('ok');
  });

  it('refuses a practice manager who holds a clinician role making themselves primary', () => {
    const managerClinician = practice({ ...TEAM, mia: ['practice_manager', 'clinician_basic'] });
    const c = client({ id: 'c1', primary: 'ben' });
    expect(code(decide(input(managerClinician, 'mia', [c]), { type: 'set_primary_clinician', client: 'c1', member: 'mia' }))).toBe('own_access');
  });

  it('refuses adding roles to oneself or supervising for oneself, but not dropping a role', () => {
    const cx = practice({ ...TEAM, pat: ['practice_administrator', 'supervisor'] });
    expect(code(teamCommand(practice(TEAM), 'pat', { type: 'assign_roles', member: 'pat', roles: ['practice_administrator', 'clinician_entire_practice'] }, []))).toBe('own_access');
    expect(code(teamCommand(cx, 'pat', { type: 'set_supervisor', supervisor: 'pat', supervisee: 'ana' }, []))).toBe('own_access');
    expect(code(teamCommand(cx, 'pat', { type: 'assign_roles', member: 'pat', roles: ['practice_administrator'] }, []))).toBe('ok');
  });

  it("shows the refusal on the viewer's own panel row and primary clinician choice", () => {
    const managerClinician = practice({ ...TEAM, mia: ['practice_manager', 'clinician_basic'] });
    const c = client({ id: 'c1', primary: 'ben' });
    expect(panelRow(managerClinician, 'mia', c, 'mia').clinical).toMatchObject({ checked: false, enabled: false, reason: 'own_access' });
    expect(panelRow(managerClinician, 'mia', c, 'ana').clinical).toMatchObject({ checked: false, enabled: true });
    const tab = privacyTab(ctx, 'ana', temporary);
    expect(tab.primaryOptions.find((o) => o.member === 'ana')).toMatchObject({ enabled: false, reason: 'own_access' });
    expect(tab.primaryOptions.find((o) => o.member === 'cora')).toMatchObject({ enabled: true });
  });
});

describe('the account owner hears of widened access', () => {
  const notified = (r: CommandResult) => (r.ok ? r.effects.filter((e) => e.kind === 'notify') : []);

  it('notifies on a role that widens access or a new supervision, not on a narrowing or the owner\'s own change', () => {
    const ctx = practice(TEAM);
    expect(notified(teamCommand(ctx, 'pat', { type: 'assign_roles', member: 'ana', roles: ['clinician_entire_practice'] }, []))).toEqual([
      { kind: 'notify', member: 'olivia', event: 'access_widened', client: null, email: true },
    ]);
    expect(notified(teamCommand(ctx, 'pat', { type: 'set_supervisor', supervisor: 'sam', supervisee: 'ana' }, []))).toHaveLength(1);
    expect(notified(teamCommand(ctx, 'pat', { type: 'assign_roles', member: 'eve', roles: ['clinician_basic'] }, []))).toEqual([]);
    expect(notified(teamCommand(ctx, 'olivia', { type: 'assign_roles', member: 'ana', roles: ['clinician_entire_practice'] }, []))).toEqual([]);
  });

  it('names whose roles changed in the summary', () => {
    const r = teamCommand(practice(TEAM), 'pat', { type: 'assign_roles', member: 'ana', roles: ['clinician_billing'] }, []);
    expect(r.ok && r.summary).toBe('Roles of ana set to clinician_billing (were clinician_basic).');
  });
});
