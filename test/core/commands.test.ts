import { describe, expect, it } from 'vitest';
import { decide, privacyTab, sharingGains, type Command, type CommandResult } from '../../src/core/index.js';
import { client, input, practice, TEAM } from './fixtures.js';

const ctx = practice(TEAM, { supervision: [['sam', 'ana']] });
const code = (r: CommandResult) => (r.ok ? 'ok' : r.code);
const effects = (r: CommandResult) => (r.ok ? r.effects.map((e) => e.kind) : []);

function run(actor: string, command: Command, c = client({ id: 'c1', primary: 'ana' })) {
  return decide(input(ctx, actor, [c]), command);
}

describe('commands: preconditions and cascades', () => {
  it('keeps a client shared with all clinicians from being revoked member by member', () => {
    const shared = client({ id: 'c1', primary: 'ana', sharedWithAll: true });
    expect(code(run('olivia', { type: 'revoke_clinical', client: 'c1', member: 'ben' }, shared))).toBe('shared_with_all');
  });

  it('turns the previous primary clinician into a clinician with access (000 "reassigned to manage their access")', () => {
    const r = run('olivia', { type: 'set_primary_clinician', client: 'c1', member: 'ben' });
    expect(r.ok && r.effects).toEqual([
      { kind: 'set_primary', client: 'c1', member: 'ben', previous: 'ana' },
      { kind: 'put_clinical_grant', client: 'c1', member: 'ana', expiresAt: null },
    ]);
  });

  it('refuses a primary clinician without a clinician role', () => {
    expect(code(run('olivia', { type: 'set_primary_clinician', client: 'c1', member: 'bill' }))).toBe('not_applicable');
  });

  it('clears the revocations when restricted access is turned off (READING: revocations end with the restriction)', () => {
    const c = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['bill', 'eve'] });
    const r = run('olivia', { type: 'unrestrict', client: 'c1', acknowledge: true }, c);
    expect(effects(r)).toEqual(['set_restricted', 'clear_administrative_revocations']);
  });

  it('notifies the account owner, in the account and by email, when restricted access is turned on (001)', () => {
    const r = run('ana', { type: 'restrict', client: 'c1' });
    expect(r.ok && r.effects[1]).toEqual({ kind: 'notify', member: 'olivia', event: 'restricted_access_on', client: 'c1', email: true });
  });

  it('restores administrative access to an entire-practice clinician, and with it their clinical access', () => {
    const c = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['eve'] });
    expect(effects(run('olivia', { type: 'grant_administrative', client: 'c1', member: 'eve' }, c))).toEqual(['restore_administrative']);
  });

  it('asks for a full-client-list clinician\'s manual grant to be revoked first (000 table)', () => {
    const c = client({ id: 'c1', primary: 'ana', restricted: true, grants: [['frank', { expiresAt: null }]] });
    expect(code(run('olivia', { type: 'revoke_administrative', client: 'c1', member: 'frank' }, c))).toBe('revoke_clinical_first');
  });

  it('succeeds, changing nothing, when granting what a member has or revoking what they lack (READING)', () => {
    const c = client({ id: 'c1', primary: 'ana', restricted: true });
    expect(run('olivia', { type: 'grant_administrative', client: 'c1', member: 'bill' }, c)).toMatchObject({ ok: true, effects: [] });
    expect(run('olivia', { type: 'revoke_clinical', client: 'c1', member: 'ben' }, c)).toMatchObject({ ok: true, effects: [] });
    expect(run('olivia', { type: 'grant_clinical', client: 'c1', member: 'eve' }, c)).toMatchObject({ ok: true, effects: [] });
  });

  it('rejects a bad grant length', () => {
    expect(code(run('ana', { type: 'grant_clinical', client: 'c1', member: 'ben', untilDays: 0 }))).toBe('invalid_input');
    expect(code(run('ana', { type: 'grant_clinical', client: 'c1', member: 'ben', untilDays: 1.5 }))).toBe('invalid_input');
  });

  it('answers not_found for unknown clients and members', () => {
    expect(code(run('olivia', { type: 'restrict', client: 'nope' }))).toBe('not_found');
    expect(code(run('olivia', { type: 'grant_clinical', client: 'c1', member: 'nobody' }))).toBe('not_found');
    expect(code(run('nobody', { type: 'restrict', client: 'c1' }))).toBe('not_found');
  });
});

describe('team commands (004)', () => {
  const team = (actor: string, command: Command, primaryCounts = new Map<string, number>()) => decide(input(ctx, actor, [], { primaryCounts }), command);

  it('lets only the owner and practice administrators change roles', () => {
    expect(code(team('pat', { type: 'assign_roles', member: 'ben', roles: ['clinician_entire_practice'] }))).toBe('ok');
    expect(code(team('olivia', { type: 'assign_roles', member: 'ben', roles: ['clinician_entire_practice'] }))).toBe('ok');
    expect(code(team('mia', { type: 'assign_roles', member: 'ben', roles: ['clinician_entire_practice'] }))).toBe('forbidden');
  });

  it.each([
    [['clinical_administrator']],
    [['clinician_basic', 'clinician_billing']],
    [['account_owner', 'clinician_basic']],
    [['wizard']],
  ])('rejects the role set %j', (roles) => {
    expect(code(team('pat', { type: 'assign_roles', member: 'ben', roles }))).toBe('invalid_roles');
  });

  it('keeps the owner the owner', () => {
    expect(code(team('pat', { type: 'assign_roles', member: 'olivia', roles: ['practice_manager'] }))).toBe('invalid_roles');
  });

  it('refuses to leave clients without a clinician as primary', () => {
    expect(code(team('pat', { type: 'assign_roles', member: 'ana', roles: ['practice_biller'] }, new Map([['ana', 2]])))).toBe('primary_clinician');
  });

  it('drops grants with the last clinician role, and supervisions with the supervisor role', () => {
    // A biller reaches every client's billing: the owner is told (READING.md "Safeguards").
    expect(effects(team('pat', { type: 'assign_roles', member: 'ben', roles: ['practice_biller'] }))).toEqual(['set_roles', 'delete_member_grants', 'notify']);
    expect(effects(team('pat', { type: 'assign_roles', member: 'sam', roles: ['clinician_basic'] }))).toEqual(['set_roles', 'end_supervision', 'notify']);
  });

  it('supervises clinicians only, by supervisors only', () => {
    expect(code(team('olivia', { type: 'set_supervisor', supervisor: 'ben', supervisee: 'ana' }))).toBe('not_applicable');
    // A supervisee must hold a clinician role (issue 10).
    expect(code(team('olivia', { type: 'set_supervisor', supervisor: 'sam', supervisee: 'bill' }))).toBe('invalid_roles');
    expect(code(team('olivia', { type: 'set_supervisor', supervisor: 'sam', supervisee: 'ben' }))).toBe('ok');
    expect(code(team('bill', { type: 'set_supervisor', supervisor: 'sam', supervisee: 'ben' }))).toBe('forbidden');
  });
});

describe('record commands', () => {
  const note = (over: Partial<{ signed: boolean; cosigned: boolean; author: string; kind: 'clinical' | 'contact' }> = {}) => ({
    id: 'n1', client: 'c1', author: 'ana', kind: 'clinical' as const, signed: true, cosigned: false, deleted: false, ...over,
  });
  const onNote = (actor: string, command: Command, n = note()) =>
    decide(input(ctx, actor, [client({ id: 'c1', primary: 'ana' })], { notes: new Map([['n1', n]]) }), command);

  it('makes the creator the primary clinician, or asks for one (003)', () => {
    const r = decide(input(ctx, 'ana'), { type: 'create_client', id: 'k1' });
    expect(r.ok && r.effects[0]).toMatchObject({ kind: 'create_client', primary: 'ana' });
    expect(code(decide(input(ctx, 'sky'), { type: 'create_client', id: 'k1' }))).toBe('primary_required');
    expect(code(decide(input(ctx, 'bill'), { type: 'create_client', id: 'k1', primary: 'ana' }))).toBe('forbidden');
    expect(code(decide(input(ctx, 'sky', [], { existingIds: new Set(['k1']) }), { type: 'create_client', id: 'k1', primary: 'ana' }))).toBe('invalid_input');
  });

  it('lets a supervisor co-sign a signed clinical note of a supervisee, once (002, 004)', () => {
    expect(code(onNote('sam', { type: 'cosign_note', note: 'n1' }))).toBe('ok');
    expect(code(onNote('sam', { type: 'cosign_note', note: 'n1' }, note({ signed: false })))).toBe('invalid_state');
    expect(code(onNote('sam', { type: 'cosign_note', note: 'n1' }, note({ cosigned: true })))).toBe('invalid_state');
    expect(code(onNote('eve', { type: 'cosign_note', note: 'n1' }))).toBe('forbidden');
  });

  it('lets the author sign their own unsigned note, and delete it while unsigned', () => {
    const unsigned = note({ signed: false });
    expect(code(onNote('ana', { type: 'sign_note', note: 'n1' }, unsigned))).toBe('ok');
    expect(code(onNote('eve', { type: 'sign_note', note: 'n1' }, unsigned))).toBe('forbidden');
    expect(code(onNote('ana', { type: 'sign_note', note: 'n1' }))).toBe('invalid_state');
    expect(code(onNote('ana', { type: 'delete_note', note: 'n1' }, unsigned))).toBe('ok');
    expect(code(onNote('ana', { type: 'delete_note', note: 'n1' }))).toBe('forbidden');
    expect(code(onNote('cora', { type: 'delete_note', note: 'n1' }))).toBe('ok');
  });

  it('needs billing on every covered client to record an insurance payment (001)', () => {
    const c1 = client({ id: 'c1', primary: 'ana' });
    const c2 = client({ id: 'c2', primary: 'ana', restricted: true, administrativeRevoked: ['bill'] });
    expect(code(decide(input(ctx, 'bill', [c1, c2]), { type: 'record_insurance_payment', id: 'p1', covers: ['c1', 'c2'], amount: 10 }))).toBe('forbidden');
    expect(code(decide(input(ctx, 'bill', [c1, c2]), { type: 'record_insurance_payment', id: 'p1', covers: ['c1'], amount: 10 }))).toBe('ok');
    expect(code(decide(input(ctx, 'bill', [c1]), { type: 'record_insurance_payment', id: 'p1', covers: [], amount: 10 }))).toBe('invalid_input');
    expect(code(decide(input(ctx, 'bill', [c1]), { type: 'record_insurance_payment', id: 'p1', covers: ['c1'], amount: -1 }))).toBe('invalid_input');
  });

  it('schedules appointments with clinicians only', () => {
    expect(code(run('sky', { type: 'schedule_appointment', id: 'a1', client: 'c1', clinician: 'bill', fee: 10 }))).toBe('not_applicable');
    expect(code(run('sky', { type: 'schedule_appointment', id: 'a1', client: 'c1', clinician: 'ana', fee: Number.NaN }))).toBe('invalid_input');
    expect(code(run('bill', { type: 'schedule_appointment', id: 'a1', client: 'c1', clinician: 'ana', fee: 10 }))).toBe('forbidden');
  });

  it('refuses a task assigned to a member who cannot see its client, saying why', () => {
    const r = run('olivia', { type: 'create_task', id: 't1', client: 'c1', assignee: 'ben' });
    expect(r).toMatchObject({ ok: false, code: 'forbidden', reasons: [{ text: 'The task cannot be assigned to this team member: they cannot see this client.' }] });
    expect(code(run('olivia', { type: 'create_task', id: 't1', client: 'c1', assignee: 'ana' }))).toBe('ok');
    expect(code(run('olivia', { type: 'create_task', id: 't1', client: 'c1', assignee: 'bill' }))).toBe('ok');
    const restricted = client({ id: 'c1', primary: 'ana', restricted: true, administrativeRevoked: ['bill'] });
    expect(code(run('olivia', { type: 'create_task', id: 't1', client: 'c1', assignee: 'bill' }, restricted))).toBe('forbidden');
  });

  it('names who would gain clinical access by sharing with all clinicians, and nobody once shared', () => {
    const c = client({ id: 'c1', primary: 'ana', grants: [['ben', { expiresAt: null }]] });
    // olivia (owner) and eve (entire practice) have it already, ana is primary, ben has a grant; cora (basic + clinical administrator) has it by role.
    expect(sharingGains(ctx, c)).toEqual(['bella', 'frank']);
    expect(sharingGains(ctx, { ...c, sharedWithAll: true })).toEqual([]);
    const tab = privacyTab(ctx, 'ana', c);
    expect(tab.sharing).toMatchObject({ decision: { allowed: true }, gains: ['bella', 'frank'] });
    expect(privacyTab(ctx, 'bill', c).sharing.decision).toMatchObject({ allowed: false, code: 'forbidden' });
  });
});
