/**
 * What a caller is told, and what they are not: no existence oracle. A client, note or
 * insurance payment the caller may not see at all answers exactly as one that does not
 * exist (the existence test in test/server proves it byte for byte), and the free text of
 * notes and messages never leaves in an activity-log entry.
 */
import type { Decision } from './decision.js';

export const HIDDEN_RECORDS = ['client', 'note', 'payment', 'appointment', 'claim'] as const;
export type HiddenRecord = (typeof HIDDEN_RECORDS)[number];

/** The one not-found sentence of each record kind: it names no id, so hidden and missing read the same. */
export const NOT_FOUND_TEXT: Readonly<Record<HiddenRecord, string>> = {
  client: 'No such client.',
  note: 'No such note.',
  payment: 'No such insurance payment.',
  appointment: 'No such appointment.',
  claim: 'No such claim.',
};

/** A refused decision. */
export type Refused = Extract<Decision, { readonly allowed: false }>;

export function notFound(record: HiddenRecord): Refused {
  return { allowed: false, code: 'not_found', reasons: [{ code: 'not_found', text: NOT_FOUND_TEXT[record] }] };
}

/**
 * A refusal as the caller may hear it. About a record the caller does not see (`seen`
 * false), whatever the core's first reason (forbidden, restricted, a missing member), it is
 * that record's not-found; about one they see, the refusal as it is. A payment the caller
 * may not manage is hidden whole (001, `seesInsurancePayment`), so every refusal about one
 * is not found. Allowed decisions and practice-level ones (`record` null) pass unchanged.
 */
export function redactRefusal(d: Refused, record: HiddenRecord | null, seen: boolean): Refused;
export function redactRefusal(d: Decision, record: HiddenRecord | null, seen: boolean): Decision;
export function redactRefusal(d: Decision, record: HiddenRecord | null, seen: boolean): Decision {
  if (d.allowed || record === null) return d;
  if (record === 'payment' || !seen) return notFound(record);
  return d;
}

/** An activity-log entry as shown: effects keep everything but a note's or message's `body`. */
export function redactLogEntry<T extends object>(entry: T): T {
  const detail = (entry as { detail?: Record<string, unknown> }).detail;
  if (!detail || !Array.isArray(detail.effects)) return entry;
  const effects = (detail.effects as unknown[]).map((e) => {
    if (!e || typeof e !== 'object' || !('body' in e)) return e;
    const { body: _body, ...rest } = e as Record<string, unknown>;
    return rest;
  });
  return { ...entry, detail: { ...detail, effects } };
}
