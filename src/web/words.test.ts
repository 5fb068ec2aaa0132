/** The web app's words cover every code the core can answer with. */
import { describe, expect, it } from 'vitest';
import { REFUSAL_CODES, REFUSAL_TEXT } from '../core/decision.js';
import { PERMISSIONS } from '../core/permissions.js';
import { ROLES } from '../core/roles.js';
import { NOTIFICATION_EVENTS } from '../core/command.js';
import { PROBLEM_CODES } from '../api/problems.js';
import { ApiError } from './api.js';
import { EVENT_LABEL, PERMISSION_LABEL, ROLE_HINT, ROLE_LABEL, decisionText, errorText, reasonText } from './words.js';

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
});
