/** The web app's words cover every code the core can answer with. */
import { describe, expect, it } from 'vitest';
import { REFUSAL_CODES, REFUSAL_TEXT } from '../core/decision.js';
import { PERMISSIONS } from '../core/permissions.js';
import { ROLES } from '../core/roles.js';
import { NOTIFICATION_EVENTS } from '../core/command.js';
import { PROBLEM_CODES } from '../api/problems.js';
import { ApiError } from './api.js';
import { COMMAND_TYPES } from '../core/command.js';
import { ACTION_LABEL, EVENT_LABEL, PERMISSION_LABEL, ROLE_HINT, ROLE_LABEL, codeWords, decisionText, errorText, everyReason, formatDateTime, fromZonedInput, labelOf, reasonText, setTimeZone, toZonedInput } from './words.js';

describe('words', () => {
  it('says every refusal code in the core’s own sentence', () => {
    for (const code of REFUSAL_CODES) expect(reasonText(code)).toBe(REFUSAL_TEXT[code]);
    expect(reasonText('administrative_access_required')).toBe('Administrative access must be granted first.');
  });

  it('says every problem code the server sends in words of its own, csrf_token_invalid included', () => {
    for (const code of PROBLEM_CODES) expect(reasonText(code), code).not.toBe('This could not be done.');
    expect(errorText(new ApiError(403, 'csrf_token_invalid', 'The request lacks the session’s x-csrf-token header.'))).toMatch(/Reload the page/);
  });

  it('names every role and every permission', () => {
    for (const role of ROLES) {
      expect(ROLE_LABEL[role], role).toBeTruthy();
      expect(ROLE_HINT[role], role).toBeTruthy();
    }
    for (const p of PERMISSIONS) expect(PERMISSION_LABEL[p], p).toBeTruthy();
  });

  it('names every notification event', () => {
    for (const e of NOTIFICATION_EVENTS) expect(EVENT_LABEL[e], e).toBeTruthy();
  });

  it('prefers the core’s own sentence for the generic forbidden code', () => {
    const text = 'Only the account owner and practice administrators manage the team and settings.';
    expect(decisionText({ allowed: false, code: 'forbidden', reasons: [{ code: 'forbidden', text }] })).toBe(text);
    expect(decisionText({ allowed: false, code: 'forbidden', reasons: [] })).toBe(REFUSAL_TEXT.forbidden);
    expect(decisionText({ allowed: false, code: 'not_restricted', reasons: [{ code: 'not_restricted', text: 'other words' }] })).toBe(REFUSAL_TEXT.not_restricted);
  });

  it('turns a refused request into the sentence for its code', () => {
    expect(errorText(new ApiError(403, 'acknowledgement_required', 'ignored'))).toBe(REFUSAL_TEXT.acknowledgement_required);
    expect(errorText(new ApiError(429, 'locked_out', ''))).toMatch(/Too many attempts/);
    expect(errorText(new ApiError(500, 'internal', 'Something went wrong on the server.'))).toBe('Something went wrong on the server.');
  });

  it('shows every reason of a refusal in a dialog that keeps its edits, never a raw code', () => {
    const refused = new ApiError(422, 'invalid_roles', 'ignored', [
      { code: 'invalid_roles', text: 'A member holds at most one clinician role, not Clinician, basic access and Clinician with billing.' },
      { code: 'invalid_roles', text: 'Clinical administrators must also hold a clinician role.' },
      { code: 'invalid_roles', text: 'invalid_roles' },
    ]);
    expect(everyReason(refused)).toBe('A member holds at most one clinician role, not Clinician, basic access and Clinician with billing. Clinical administrators must also hold a clinician role.');
    expect(everyReason(new ApiError(403, 'forbidden', 'ignored', []))).toBe(REFUSAL_TEXT.forbidden);
    expect(everyReason(new ApiError(403, 'csrf_token_invalid', 'x'))).toBe(errorText(new ApiError(403, 'csrf_token_invalid', 'x')));
  });

  it('names every command in the activity log, and says an unknown code in words, never raw', () => {
    for (const t of COMMAND_TYPES) expect(ACTION_LABEL[t], t).toBeTruthy();
    expect(codeWords('view_client_page')).toBe('View client page');
    expect(labelOf(ACTION_LABEL, 'some_new_action')).toBe('Some new action');
    expect(labelOf(ACTION_LABEL, 'delete_note')).toBe('Deleted a note');
  });

  it('shows times in the practice’s time zone, UTC until it is known, and reads booking fields on that clock', () => {
    const at = Date.UTC(2026, 11, 3, 15, 0);
    setTimeZone(undefined);
    expect(formatDateTime(at)).toBe('Dec 3, 2026, 3:00 PM');
    setTimeZone('America/Los_Angeles');
    expect(formatDateTime(at)).toBe('Dec 3, 2026, 7:00 AM');
    expect(toZonedInput(at)).toBe('2026-12-03T07:00');
    expect(fromZonedInput('2026-12-03T07:00')).toBe(at);
    // Across a change of clocks (summer time in July).
    expect(fromZonedInput('2026-07-01T09:30')).toBe(Date.UTC(2026, 6, 1, 16, 30));
    setTimeZone('Not/AZone');
    expect(formatDateTime(at)).toBe('Dec 3, 2026, 3:00 PM');
    setTimeZone(undefined);
  });
});
