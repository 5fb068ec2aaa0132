/**
 * One result shape for everything that may be refused (issue 11): `{ ok: true, ...value }`
 * or a refusal with a code from a closed union and the reasons a person reads. A
 * `Decision` (`allowed`) answers "may M do P?"; a `Result` answers "did it happen, and
 * what came of it?": a command, a role check, opening a note, a report.
 *
 * A failure that is not a refusal (a broken activity log, a sign-in outcome) is a
 * `Result<T, F>` with its own closed `code` union instead of `RefusalCode`.
 *
 * @example
 * function half(n: number): Result<{ half: number }> {
 *   return n % 2 === 0 ? ok({ half: n / 2 }) : refusal('invalid_input', 'An even number, please.');
 * }
 */
import { REFUSAL_TEXT, type Decision, type Reason, type RefusalCode } from './decision.js';

/** What every failure has: `ok: false` and a code from its own closed union. */
export interface Failure<C extends string> {
  readonly ok: false;
  readonly code: C;
}

/** Nothing happened, for a reason of the core's (decision.ts `REFUSAL_CODES`). */
export interface Refusal extends Failure<RefusalCode> {
  readonly reasons: readonly Reason[];
}

export type Result<T extends object, F extends Failure<string> = Refusal> = ({ readonly ok: true } & T) | F;

export function ok<T extends object>(value: T): { readonly ok: true } & T {
  return { ok: true, ...value };
}

/** A refusal with the code's own sentence, or the one given. */
export function refusal(code: RefusalCode, text?: string): Refusal {
  return { ok: false, code, reasons: [{ code, text: text ?? REFUSAL_TEXT[code] }] };
}

/** The refusal a refused decision stands for: the same code and reasons. */
export function refusalOf(d: Extract<Decision, { readonly allowed: false }>): Refusal {
  return { ok: false, code: d.code, reasons: d.reasons };
}
