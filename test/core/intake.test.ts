import { describe, expect, it } from 'vitest';
import { decide, decidePublic, NO_SUCH_PRACTITIONER, submitIntake, type Command, type CommandResult } from '../../src/core/index.js';
import { input, practice } from './fixtures.js';

const TEAM = { olivia: ['account_owner'], ana: ['clinician_basic'], ben: ['clinician_billing', 'supervisor'], bill: ['practice_biller'], pat: ['practice_administrator'] } as const;
const ctx = practice(Object.fromEntries(Object.entries(TEAM).map(([k, v]) => [k, [...v]])));
const facts = (taken: string[] = []) => {
  const { facts } = input(ctx, 'olivia', [], { existingIds: new Set(taken) });
  return facts;
};
const submit = (cmd: Omit<Extract<Command, { type: 'submit_intake' }>, 'type'>, taken: string[] = []): CommandResult =>
  decidePublic({ ctx, facts: facts(taken) }, { type: 'submit_intake', ...cmd });

const code = (r: CommandResult) => (r.ok ? 'ok' : r.code);

describe('submit_intake (003: one form URL per practitioner, form rules)', () => {
  it("a practitioner's own link creates the client with them as primary, keeps the answers and notifies them", () => {
    const r = submit({ id: 'k1', formOf: 'ben', name: 'Kim', answers: { reason: 'sleep' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.client).toBe('k1');
    expect(r.effects).toEqual([
      { kind: 'create_client', client: 'k1', name: 'Kim', primary: 'ben', person: null },
      { kind: 'keep_intake_answers', client: 'k1', form: 'ben', answers: { reason: 'sleep' } },
      { kind: 'notify', member: 'ben', event: 'intake_submitted', client: 'k1', email: true },
    ]);
  });

  it("the practice form's choice routes to the chosen practitioner; its form is null", () => {
    const r = submit({ id: 'k2', choice: 'ana' });
    expect(r.ok && r.effects[0]).toMatchObject({ kind: 'create_client', primary: 'ana' });
    expect(r.ok && r.effects[1]).toMatchObject({ kind: 'keep_intake_answers', form: null });
  });

  it('refuses, with the one same sentence, a practitioner who is unknown, deactivated, not a clinician, or not offered', () => {
    const deactivated = practice({ olivia: ['account_owner'], ana: ['clinician_basic'] });
    const inactiveCtx = { ...deactivated, team: { ...deactivated.team, members: new Map([...deactivated.team.members].filter(([id]) => id !== 'ana')), inactive: new Map([['ana', deactivated.team.members.get('ana')!]]) } };
    const refusals = [
      submit({ id: 'k', formOf: 'ghost' }),
      submit({ id: 'k', choice: 'bill' }),
      submit({ id: 'k', formOf: 'pat' }),
      submit({ id: 'k', formOf: 'olivia' }),
      submit({ id: 'k', choice: 'ana', offered: ['ben'] }),
      decidePublic({ ctx: inactiveCtx, facts: facts() }, { type: 'submit_intake', id: 'k', formOf: 'ana' }),
    ];
    for (const r of refusals) {
      expect(code(r)).toBe('forbidden');
      expect(!r.ok && r.reasons.map((x) => x.text)).toEqual([NO_SUCH_PRACTITIONER]);
    }
    expect(code(submit({ id: 'k', choice: 'ben', offered: ['ben'] }))).toBe('ok');
  });

  it('refuses a key already used, and a submission naming both or neither of a form and a choice', () => {
    expect(code(submit({ id: 'c1', formOf: 'ana' }, ['c1']))).toBe('invalid_input');
    expect(code(submit({ id: '', formOf: 'ana' }))).toBe('invalid_input');
    expect(code(submit({ id: 'k', formOf: 'ana', choice: 'ben' }))).toBe('invalid_input');
    expect(code(submit({ id: 'k' }))).toBe('invalid_input');
  });

  it('is sent by someone signed in as nobody: a member sending it is refused, and nobody sends any other command', () => {
    expect(code(decide(input(ctx, 'olivia'), { type: 'submit_intake', id: 'k', formOf: 'ana' }))).toBe('forbidden');
    expect(code(decidePublic({ ctx, facts: facts() }, { type: 'create_client', id: 'k', primary: 'ana' }))).toBe('unauthenticated');
    expect(submitIntake({ ctx, facts: facts() }, { type: 'submit_intake', id: 'k', formOf: 'ana' }).ok).toBe(true);
  });
});
