/**
 * The string rules of the API. Every string the API takes is built by one of these, so
 * no field can forget the rules (test/server/schemas.test.ts walks every route's schemas
 * to prove it):
 * - well-formed UTF-16: no lone surrogate. PostgreSQL's jsonb (the activity log) refuses
 *   one with an error, text columns silently store U+FFFD instead;
 * - no control characters: C0 (NUL included: PostgreSQL text cannot hold it), DEL and C1.
 *   Multi-line text (note and message bodies) keeps tab, line feed and carriage return;
 *   single-line fields (names, titles, ids, sign-in) refuse those and U+2028/U+2029 too;
 * - a maximum length (in UTF-16 code units).
 */
import { z } from 'zod';

const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const checked = (max: number, min: number, controls: RegExp, controlMessage: string) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !LONE_SURROGATE.test(s), 'Not well-formed Unicode: a lone surrogate (\\ud800-\\udfff without its pair).')
    .refine((s) => !controls.test(s), controlMessage);

/** A single-line string: names, titles, ids, usernames, passwords. */
export const line = (max: number, min = 1) => checked(max, min, CONTROL_IN_LINE, 'Control characters and line breaks are not allowed here.');
/** Multi-line text (note and message bodies): tab, line feed and carriage return allowed. */
export const text = (max: number, min = 1) => checked(max, min, CONTROL_IN_TEXT, 'Control characters other than tab and line breaks are not allowed.');
/** A record or team member id. */
export const id = () => line(128);

export const Id = id().describe('A record or team member id.');
export const MemberId = Id.describe('A team member id.');

export const Empty = z.strictObject({}).optional();
