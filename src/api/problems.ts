/**
 * The problem codes of the API: every refusal and bad request answers an RFC 9457
 * application/problem+json body whose `code` is one of these. They are the core's refusal
 * codes (src/core/decision.ts) plus the few only the HTTP boundary has; the web app's words
 * are keyed by this union, so a code cannot drift between the layers.
 */
import { z } from 'zod';
import { REFUSAL_CODES, type RefusalCode } from '../core/index.js';
import { FAULT_CODES } from './fault-codes.js';
import { Reason } from './outputs.js';

/** The one-time links' (setup, invitation): unknown, used already, expired; and a username someone has. An intake form link turned off: disabled. */
export const LINK_CODES = ['link_unknown', 'link_used', 'link_expired', 'username_taken', 'link_disabled'] as const;

/** Codes only the HTTP boundary produces (sign-in, sessions, one-time links, transport, operational faults). */
export const SERVER_CODES = ['totp_required', 'locked_out', 'too_many_requests', 'password_change_required', 'second_factor_enrollment_required', 'csrf_token_invalid', 'payload_too_large', 'internal', ...LINK_CODES, ...FAULT_CODES] as const;
export type ServerCode = (typeof SERVER_CODES)[number];

export const PROBLEM_CODES = [...REFUSAL_CODES, ...SERVER_CODES] as const;
export type ProblemCode = RefusalCode | ServerCode;

export const ProblemSchema = z.strictObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.enum(PROBLEM_CODES),
  detail: z.string(),
  reasons: z.array(Reason),
});
/** A problem document as the server builds it. */
export interface ProblemBody extends Readonly<Omit<z.output<typeof ProblemSchema>, 'reasons'>> {
  readonly reasons: readonly z.output<typeof Reason>[];
}
