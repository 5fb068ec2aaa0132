import { describe, expect, it } from 'vitest';
import { allow, canViewMemberAccess, notFound, redactLogEntry, redactRefusal, refuse } from '../../src/core/index.js';
import { practice, TEAM } from './fixtures.js';

describe('redaction of refusals (no existence oracle)', () => {
  const forbidden = refuse('forbidden', 'Has neither clinical nor administrative access to this client.');

  it('answers a refusal about a record the caller does not see as that record not existing', () => {
    expect(redactRefusal(forbidden, 'client', false)).toEqual(notFound('client'));
    expect(redactRefusal(refuse('primary_clinician'), 'note', false)).toEqual({ allowed: false, code: 'not_found', reasons: [{ code: 'not_found', text: 'No such note.' }] });
  });

  it('keeps the refusal about a record the caller sees, and every allowed or practice-level decision', () => {
    expect(redactRefusal(forbidden, 'client', true)).toBe(forbidden);
    expect(redactRefusal(forbidden, null, false)).toBe(forbidden);
    const ok = allow({ code: 'owner', text: 'x' });
    expect(redactRefusal(ok, 'client', false)).toBe(ok);
  });

  it('hides an insurance payment the caller may not manage whole, seen or not (001)', () => {
    expect(redactRefusal(forbidden, 'payment', true)).toEqual(notFound('payment'));
  });

  it('names no id in a not-found answer', () => {
    expect(notFound('client').reasons[0]!.text).toBe('No such client.');
  });

  it('leaves note and message bodies out of activity-log entries, and the rest as it is', () => {
    const entry = { id: 'e1', action: 'write_note', detail: { effects: [{ kind: 'write_note', note: 'n1', body: 'secret' }, 'x', null], other: 1 } };
    expect(redactLogEntry(entry)).toEqual({ id: 'e1', action: 'write_note', detail: { effects: [{ kind: 'write_note', note: 'n1' }, 'x', null], other: 1 } });
    const plain = { id: 'e2', detail: { client: 'c1' } };
    expect(redactLogEntry(plain)).toBe(plain);
  });
});

describe('who sees what another member can access', () => {
  const ctx = practice(TEAM);

  it('lets everyone see their own', () => {
    expect(canViewMemberAccess(ctx, 'ana', 'ana').allowed).toBe(true);
    expect(canViewMemberAccess(ctx, 'bill', 'bill').allowed).toBe(true);
  });

  it('lets the owner, practice administrators and practice managers see anyone’s (004), nobody else', () => {
    const viewers = Object.keys(TEAM).filter((m) => m !== 'ana' && canViewMemberAccess(ctx, m, 'ana').allowed);
    expect(viewers).toEqual(['olivia', 'pat', 'mia']);
    const d = canViewMemberAccess(ctx, 'bill', 'ana');
    expect(d.allowed ? null : d.code).toBe('forbidden');
  });

  it('answers not_found for someone not on the team', () => {
    const d = canViewMemberAccess(ctx, 'olivia', 'nobody');
    expect(d.allowed ? null : d.code).toBe('not_found');
  });
});
