/** One Result shape across core and store (issue 11): ok with its value, or a refusal with a closed code and its reasons. */
import { describe, expect, it } from 'vitest';
import { ok, refusal, refusalOf, refuse, REFUSAL_TEXT, validateRoles, type Result } from '../../src/core/index.js';

describe('Result', () => {
  it('is ok with its value, or a refusal with the code and the sentence a person reads', () => {
    expect(ok({ entries: 3 })).toEqual({ ok: true, entries: 3 });
    expect(refusal('forbidden')).toEqual({ ok: false, code: 'forbidden', reasons: [{ code: 'forbidden', text: REFUSAL_TEXT.forbidden }] });
    expect(refusal('invalid_input', 'An id is required.')).toEqual({ ok: false, code: 'invalid_input', reasons: [{ code: 'invalid_input', text: 'An id is required.' }] });
  });

  it('keeps a refused decision’s code and reasons', () => {
    const d = refuse('only_account_owner');
    if (d.allowed) throw new Error('refuse allowed');
    expect(refusalOf(d)).toEqual({ ok: false, code: 'only_account_owner', reasons: d.reasons });
  });

  it('narrows on ok', () => {
    const half = (n: number): Result<{ half: number }> => (n % 2 === 0 ? ok({ half: n / 2 }) : refusal('invalid_input', 'An even number.'));
    const r = half(4);
    expect(r.ok && r.half).toBe(2);
    const s = half(3);
    expect(!s.ok && s.code).toBe('invalid_input');
  });

  it('answers a role check: the roles in order, or invalid_roles saying why', () => {
    expect(validateRoles(['supervisor', 'clinician_basic'], false)).toEqual({ ok: true, roles: ['clinician_basic', 'supervisor'] });
    expect(validateRoles(['wizard'], false)).toEqual({ ok: false, code: 'invalid_roles', reasons: [{ code: 'invalid_roles', text: 'Unknown role "wizard".' }] });
  });
});
