/** Bill as Supervisor (004), claims and the intern role (FORMAT, second part). */
import { describe, expect, it } from 'vitest';
import { capabilitiesOf, clientAccess, decide, validateRoles, type ClaimableAppointment, type Command, type CommandResult, type Role } from '../../src/core/index.js';
import { client, input, practice, TEAM } from './fixtures.js';

const team: Record<string, Role[]> = {
  ...TEAM,
  ian: ['clinician_basic', 'intern'],
  sam: ['clinician_basic', 'supervisor'],
  sue: ['supervisor'],
  cal: ['clinician_basic', 'supervisor'],
};
const ctx = practice(team, { supervision: [['sam', 'ian'], ['sue', 'ian']] });
const c1 = client({ id: 'c1', primary: 'ian' });
const code = (r: CommandResult) => (r.ok ? 'ok' : r.code);

function appointment(id: string, more: Partial<ClaimableAppointment> = {}): ClaimableAppointment {
  return { id, client: 'c1', clinician: 'ian', fee: 120, billAs: null, cancelled: false, claimed: false, ...more };
}

function run(actor: string, command: Command, appointments: ClaimableAppointment[] = [], existingIds: string[] = []) {
  const base = input(ctx, actor, [c1], { existingIds: new Set(existingIds) });
  return decide({ ...base, facts: { ...base.facts, appointments: new Map(appointments.map((a) => [a.id, a])) } }, command);
}

const schedule = (billAs?: string): Command => ({ type: 'schedule_appointment', id: 'a1', client: 'c1', clinician: 'ian', fee: 120, ...(billAs ? { billAs } : {}) });

describe('Bill as Supervisor', () => {
  it('bills as a supervisor of the clinician who holds a clinician role', () => {
    const r = run('olivia', schedule('sam'));
    expect(r.ok && r.effects[0]).toMatchObject({ kind: 'create_appointment', clinician: 'ian', billAs: 'sam' });
  });

  it('refuses a supervisor with no clinician role, a clinician who does not supervise, and the clinician themself', () => {
    expect(code(run('olivia', schedule('sue')))).toBe('not_supervisor');
    expect(code(run('olivia', schedule('cal')))).toBe('not_supervisor');
    expect(code(run('olivia', schedule('bella')))).toBe('not_supervisor');
    expect(code(run('olivia', schedule('ian')))).toBe('not_supervisor');
    expect(code(run('olivia', schedule('nobody')))).toBe('not_found');
  });

  it('asks the scheduling permission before whom it bills as', () => {
    expect(code(run('bill', schedule('sue')))).toBe('forbidden');
  });

  it('leaves an appointment without bill_as billed as its clinician', () => {
    const r = run('olivia', schedule());
    expect(r.ok && r.effects[0]).not.toHaveProperty('billAs');
  });
});

describe('submit_claim', () => {
  it('names the appointment’s clinician as rendering, or whom it bills as', () => {
    const own = run('bill', { type: 'submit_claim', id: 'k1', appointment: 'a1' }, [appointment('a1')]);
    expect(own.ok && own.effects).toEqual([{ kind: 'create_claim', claim: 'k1', appointment: 'a1', client: 'c1', rendering: 'ian', amount: 120 }]);
    const billed = run('bill', { type: 'submit_claim', id: 'k1', appointment: 'a1' }, [appointment('a1', { billAs: 'sam' })]);
    expect(billed.ok && billed.effects[0]).toMatchObject({ rendering: 'sam' });
  });

  it('is for billers with administrative access: never billers for their own clients only, clinicians or schedulers (004)', () => {
    const claim = (actor: string) => code(run(actor, { type: 'submit_claim', id: 'k1', appointment: 'a1' }, [appointment('a1')]));
    expect(claim('olivia')).toBe('ok');
    expect(claim('mia')).toBe('ok');
    expect(claim('eve')).toBe('ok');
    const bellas = client({ id: 'c1', primary: 'bella' });
    const base = input(ctx, 'bella', [bellas]);
    const own = decide({ ...base, facts: { ...base.facts, appointments: new Map([['a1', appointment('a1', { clinician: 'bella' })]]) } }, { type: 'submit_claim', id: 'k1', appointment: 'a1' });
    expect(code(own)).toBe('forbidden');
    expect(claim('ian')).toBe('forbidden');
    expect(claim('sky')).toBe('forbidden');
    expect(claim('pat')).toBe('forbidden');
  });

  it('refuses an unknown, cancelled or already claimed appointment, and a key already used', () => {
    expect(code(run('bill', { type: 'submit_claim', id: 'k1', appointment: 'a9' }, [appointment('a1')]))).toBe('not_found');
    expect(code(run('bill', { type: 'submit_claim', id: 'k1', appointment: 'a1' }, [appointment('a1', { cancelled: true })]))).toBe('invalid_state');
    expect(code(run('bill', { type: 'submit_claim', id: 'k1', appointment: 'a1' }, [appointment('a1', { claimed: true })]))).toBe('invalid_state');
    expect(code(run('bill', { type: 'submit_claim', id: 'k1', appointment: 'a1' }, [appointment('a1')], ['k1']))).toBe('invalid_input');
    expect(code(run('bill', { type: 'submit_claim', id: '', appointment: 'a1' }, [appointment('a1')]))).toBe('invalid_input');
  });

  it('does not tell a member without access to the client more than its other refusals would', () => {
    const restricted = client({ id: 'c1', primary: 'ian', restricted: true, administrativeRevoked: ['bill'] });
    const base = input(ctx, 'bill', [restricted]);
    const r = decide({ ...base, facts: { ...base.facts, appointments: new Map([['a1', appointment('a1', { claimed: true })]]) } }, { type: 'submit_claim', id: 'k1', appointment: 'a1' });
    expect(code(r)).toBe('forbidden');
  });
});

describe('the intern role', () => {
  it('is held with basic clinician access or billing for own clients only', () => {
    expect(validateRoles(['clinician_basic', 'intern'], false)).toEqual({ ok: true, roles: ['clinician_basic', 'intern'] });
    expect(validateRoles(['intern', 'clinician_billing', 'supervisor'], false)).toEqual({ ok: true, roles: ['clinician_billing', 'supervisor', 'intern'] });
    for (const roles of [['intern'], ['intern', 'clinician_full_client_list'], ['intern', 'clinician_entire_practice'], ['intern', 'practice_biller']]) {
      const r = validateRoles(roles, false);
      expect(r.ok ? 'ok' : r.code, roles.join()).toBe('invalid_roles');
    }
  });

  it('gives the access of the clinician role held with it, nothing more', () => {
    const { intern, ...withIntern } = capabilitiesOf(['clinician_basic', 'intern']);
    const { intern: none, ...without } = capabilitiesOf(['clinician_basic']);
    expect([intern, none]).toEqual([true, false]);
    expect(withIntern).toEqual(without);
    const other = client({ id: 'c2', primary: 'ana' });
    expect(clientAccess(ctx, 'ian', other)).toEqual(clientAccess(ctx, 'ben', other));
    expect(clientAccess(ctx, 'ian', c1).clinical).toEqual({ kind: 'primary_clinician' });
  });

  it('is assignable by who manages the team', () => {
    const r = decide(input(ctx, 'pat', [], { primaryCounts: new Map() }), { type: 'assign_roles', member: 'ben', roles: ['clinician_basic', 'intern'] });
    expect(code(r)).toBe('ok');
    const bad = decide(input(ctx, 'pat', [], { primaryCounts: new Map() }), { type: 'assign_roles', member: 'ben', roles: ['intern'] });
    expect(code(bad)).toBe('invalid_roles');
  });
});
