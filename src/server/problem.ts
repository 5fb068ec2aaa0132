/**
 * Errors as values at the HTTP boundary: every refusal and every bad request answers an
 * RFC 9457 application/problem+json body with a stable `code`. The codes are the core's
 * refusal codes (src/core/decision.ts) plus the few that only sign-in has (src/api/problems.ts).
 */
import type { ProblemBody, ProblemCode, ServerCode } from '../api/index.js';
import { REFUSAL_TEXT, type Reason, type RefusalCode } from '../core/index.js';
import { FAULT_STATUS, FAULT_TITLES } from '../api/fault-codes.js';

// The codes are the API contract's (src/api/problems.ts): the web app maps the same union.
export { SERVER_CODES, type ProblemBody, type ProblemCode, type ServerCode } from '../api/index.js';

const TITLES: Record<ServerCode, string> = {
  totp_required: 'An authentication code is required.',
  // No longer answered (sign-in is throttled with too_many_requests instead); kept so the code stays reserved.
  locked_out: 'Too many failed sign-ins: try again later.',
  too_many_requests: 'Too many requests: slow down.',
  password_change_required: 'Choose a new password first: the password was reset.',
  second_factor_enrollment_required: 'Set up two-step sign-in first: the practice requires it.',
  csrf_token_invalid: 'The request lacks the session’s x-csrf-token header.',
  payload_too_large: 'The request body is too large.',
  internal: 'Something went wrong on the server.',
  link_unknown: 'This link is not valid.',
  link_used: 'This link was already used.',
  link_expired: 'This link has expired.',
  username_taken: 'The username is taken.',
  link_disabled: 'This form link is turned off.',
  ...FAULT_TITLES,
};

/** HTTP status of a refusal: 404 for records one may not know of, 400/422 for bad input, else 403. */
export function statusOf(code: ProblemCode): number {
  switch (code) {
    case 'not_found':
      return 404;
    case 'invalid_input':
      return 400;
    case 'invalid_roles':
    case 'invalid_setting':
    case 'invalid_state':
    case 'primary_required':
    case 'not_supervisor':
      return 422;
    case 'unauthenticated':
    case 'totp_required':
      return 401;
    case 'locked_out':
    case 'too_many_requests':
      return 429;
    case 'payload_too_large':
      return 413;
    case 'link_unknown':
      return 404;
    case 'link_used':
    case 'link_disabled':
    case 'link_expired':
      return 410;
    case 'username_taken':
      return 409;
    case 'internal':
      return 500;
    case 'database_unavailable':
    case 'insufficient_storage':
    case 'idempotency_key_reused':
    case 'idempotency_key_in_progress':
      return FAULT_STATUS[code];
    default:
      return 403;
  }
}

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    detail?: string,
    readonly reasons: readonly Reason[] = [],
    status?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? titleOf(code));
    this.status = status ?? statusOf(code);
  }

  body(): ProblemBody {
    return {
      type: `urn:chartguard:problem:${this.code}`,
      title: titleOf(this.code),
      status: this.status,
      code: this.code,
      detail: this.message,
      reasons: this.reasons.length > 0 ? this.reasons : [{ code: this.code, text: this.message }],
    };
  }
}

export function titleOf(code: ProblemCode): string {
  return (REFUSAL_TEXT as Record<string, string>)[code] ?? TITLES[code as ServerCode] ?? code;
}

/** A refused decision or command result as a problem. */
export function refusal(code: RefusalCode, reasons: readonly Reason[], status?: number): Problem {
  return new Problem(code, reasons[0]?.text ?? titleOf(code), reasons, status);
}
