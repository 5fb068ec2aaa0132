/**
 * The HTTP API's input (and documented output) shapes, as Zod schemas. Every object is
 * strict: an unknown field is a 400, never silently ignored. The OpenAPI document
 * (openapi.ts) is generated from these same schemas.
 */
import { z } from 'zod';
import { CLIENT_PERMISSIONS, NOTE_KINDS, PERMISSIONS, REFUSAL_CODES, REPORT_PAGE, REPORTS, ROLES } from '../core/index.js';
import { SERVER_CODES } from './problem.js';

// ------------------------------------------------------------------ strings
/*
 * Every string the API takes is built by one of these, so no field can forget the rules
 * (test/server/schemas.test.ts walks every route's schemas to prove it):
 * - well-formed UTF-16: no lone surrogate. PostgreSQL's jsonb (the activity log) refuses
 *   one with an error, text columns silently store U+FFFD instead;
 * - no control characters: C0 (NUL included: PostgreSQL text cannot hold it), DEL and C1.
 *   Multi-line text (note and message bodies) keeps tab, line feed and carriage return;
 *   single-line fields (names, titles, ids, sign-in) refuse those and U+2028/U+2029 too;
 * - a maximum length (in UTF-16 code units).
 */
const LONE_SURROGATE = /\p{Cs}/u;
const CONTROL_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const checked = (max: number, min: number, controls: RegExp, controlMessage: string) =>
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

// ------------------------------------------------------------------ sessions
const SixDigits = z.string().regex(/^\d{6}$/);
export const SignIn = z
  .strictObject({
    username: line(200),
    password: line(1024),
    totp: SixDigits.optional().describe('The 6-digit code of the authenticator app, when enrolled. Each code works once.'),
    recoveryCode: z
      .string()
      .min(16)
      .max(64)
      .regex(/^[A-Za-z0-9 -]+$/)
      .optional()
      .describe('One of the account’s one-time recovery codes, instead of `totp` (the account owner’s, issued at setup).'),
  })
  .refine((b) => b.totp === undefined || b.recoveryCode === undefined, { message: 'Send totp or recoveryCode, not both.' });
export const PasswordChange = z.strictObject({ current: line(1024), next: line(1024, 12) });
export const TotpConfirm = z.strictObject({
  code: SixDigits.describe('A code of the new authenticator app.'),
  password: line(1024).describe('The member’s password, asked again.'),
  currentCode: SixDigits.optional().describe('When a second factor is already on (this replaces it): a current, unused code of that one.'),
});
export const TotpDisable = z.strictObject({
  code: SixDigits.describe('A current, unused code of the authenticator app in use.'),
  password: line(1024).describe('The member’s password, asked again.'),
});
export const PasswordAgain = z.strictObject({ password: line(1024).describe('The member’s password, asked again.') });

// --------------------------------------------------------------------- team
export const RolesBody = z.strictObject({ roles: z.array(line(64)).max(20).describe(`Roles: ${ROLES.join(', ')}`) });
export const SupervisionBody = z.strictObject({ supervisor: MemberId, supervisee: MemberId });
export const MemberParam = z.strictObject({ member: MemberId });
export const SupervisionParams = z.strictObject({ supervisor: MemberId, supervisee: MemberId });

// ------------------------------------------------------------------ clients
export const IdParam = z.strictObject({ id: Id });
export const ClientMemberParams = z.strictObject({ id: Id, member: MemberId });
export const CreateClient = z.strictObject({
  name: line(200),
  primary: MemberId.optional(),
  person: line(200).optional(),
  intakeLink: MemberId.optional(),
});
export const ClinicalGrant = z.strictObject({ member: MemberId, untilDays: z.int().min(1).max(3650).optional() });
export const MemberBody = z.strictObject({ member: MemberId });
export const Restriction = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal(true) }),
  z.strictObject({ on: z.literal(false), acknowledge: z.boolean() }),
]);
export const ShareWithAll = z.strictObject({ on: z.boolean() });

// ------------------------------------------------------------------ records
export const WriteNote = z.strictObject({ kind: z.enum(NOTE_KINDS), body: text(20_000, 0), sign: z.boolean().optional() });
const Money = z.number().min(0).max(1_000_000_000);
/** Epoch milliseconds within years 1970..9999. */
const Instant = z.int().min(0).max(253_402_300_799_000);
export const Appointment = z.strictObject({ client: Id, clinician: MemberId, fee: Money, startsAt: Instant.optional() });
export const InsurancePayment = z.strictObject({ covers: z.array(Id).min(1).max(100), amount: Money });
export const Message = z.strictObject({ body: text(20_000) });
export const Task = z.strictObject({ client: Id, assignee: MemberId, title: line(500) });

export const CheckQuery = z.strictObject({
  permission: z.enum(PERMISSIONS as unknown as [string, ...string[]]),
  client: Id.optional(),
  note: Id.optional(),
  payment: Id.optional(),
});
export const ReportParam = z.strictObject({ name: z.enum(REPORTS) });
/** A query-string integer: decimal digits only (no sign, exponent or spaces), then its range. */
const QueryInt = (min: number, max: number) =>
  z.string().regex(/^\d{1,9}$/).transform(Number).pipe(z.int().min(min).max(max));
export const ReportQuery = z.strictObject({
  limit: QueryInt(1, REPORT_PAGE.maxLimit).optional().describe(`Rows per page, 1..${REPORT_PAGE.maxLimit} (default ${REPORT_PAGE.defaultLimit}).`),
  after: Id.optional().describe('The previous page’s next: the rows after this client id. Left out: the first page.'),
});
export const NoQuery = z.strictObject({});

// ------------------------------------------------------------------ outputs (documented)
export const Reason = z.object({ code: z.string(), text: z.string() });
export const Decision = z.object({
  allowed: z.boolean(),
  code: z.enum(REFUSAL_CODES).optional().describe('Present when refused.'),
  reasons: z.array(Reason),
});
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  code: z.enum([...REFUSAL_CODES, ...SERVER_CODES]),
  detail: z.string(),
  reasons: z.array(Reason),
});
export const CommandOk = z.object({ ok: z.literal(true), summary: z.string(), reasons: z.array(Reason), id: z.string().optional() });
export const SessionOut = z.object({
  member: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  practice: z.string().describe('The practice id.'),
  practiceName: z.string(),
  csrfToken: z.string(),
  idleTimeoutSeconds: z.int(),
  mustChangePassword: z.boolean(),
  totpEnabled: z.boolean(),
});
export const MeOut = z.object({
  member: z.string(),
  name: z.string(),
  roles: z.array(z.enum(ROLES)),
  permissions: z.record(z.string(), Decision),
});
export const ClientOut = z.object({
  id: z.string(),
  name: z.string(),
  contact: z.string(),
  primary: z.string(),
  restricted: z.boolean(),
  sharedWithAll: z.boolean(),
  access: z.enum(['clinical', 'administrative']),
  permissions: z.object(Object.fromEntries(CLIENT_PERMISSIONS.map((p) => [p, Decision]))),
});
export const ReportOut = z.object({
  name: z.enum(REPORTS),
  rows: z.array(z.object({ client: z.string(), amount: z.number() })).describe('One page of the rows (clients I may bill), by client id.'),
  rowCount: z.int().min(0).describe('Rows in all pages.'),
  total: z.number().describe('billing_summary: the sum of all rows, not just this page; income_allocation: every client of the practice, restricted ones included (001).'),
  omittedClients: z.int().min(0).describe('Clients with amounts left out of the rows for me (none of them named).'),
  next: z.string().nullable().describe('Pass as `after` for the next page; null on the last page.'),
});
export const Items = (item: z.ZodType) => z.object({ items: z.array(item) });
export const AnyObject = z.object({}).catchall(z.unknown());

// -------------------------------------------------------------------- pages
/** The most items one page answers. */
export const PAGE_LIMIT_MAX = 200;

/** A whole number in a query string, as a number. */
const queryInt = (schema: z.ZodInt) =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'Expected a whole number.')
    .transform(Number)
    .pipe(schema);

const Limit = queryInt(z.int().min(1).max(PAGE_LIMIT_MAX)).describe(`Items per page, 1..${PAGE_LIMIT_MAX} (default 50).`);

/** An opaque page cursor (the `next` of the previous page): base64url of a JSON value of `shape`. */
function cursor<T extends z.ZodType>(shape: T) {
  return z
    .string()
    .min(1)
    .max(2048)
    .regex(/^[A-Za-z0-9_-]+$/, 'Not a page cursor.')
    .transform((s, ctx): z.output<T> => {
      let value: unknown;
      try {
        value = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
      } catch {
        value = undefined;
      }
      const r = shape.safeParse(value);
      if (!r.success) {
        ctx.addIssue({ code: 'custom', message: 'Not a page cursor: pass the `next` of the previous page.' });
        return z.NEVER;
      }
      return r.data;
    })
    .describe('The `next` of the previous page; omit for the first page.');
}

/** The `next` of a page: the cursor of its last item, or null on the last page. */
export const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

// The name is one the server stored (and may predate these rules): well-formed, any character but NUL.
export const ClientCursor = z.strictObject({ name: checked(1000, 0, /\u0000/, 'Not a page cursor.'), id: Id });
export const AppointmentCursor = z.strictObject({ startsAt: Instant, id: Id });

export const ClientPageQuery = z.strictObject({ limit: Limit.optional(), after: cursor(ClientCursor).optional() });
export const AppointmentPageQuery = z.strictObject({
  limit: Limit.optional(),
  from: queryInt(Instant).describe('Appointments from this time on (epoch milliseconds); default: all.').optional(),
  after: cursor(AppointmentCursor).optional(),
});

const Next = z.string().nullable().describe('Pass as `after` for the next page; null on the last page.');
export const ClientPageOut = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      client: z.string(),
      name: z.string(),
      primary: z.string(),
      restricted: z.boolean(),
      access: z.enum(['clinical', 'administrative']),
    }),
  ),
  total: z.int().describe('Every client I may view, not just this page.'),
  next: Next,
});
export const CalendarPageOut = z.object({
  items: z.array(z.object({ id: z.string(), client: z.string(), clinician: z.string(), startsAt: z.int() })),
  next: Next,
});
export const BillingPageOut = z.object({
  items: z.array(z.object({ id: z.string(), client: z.string(), clinician: z.string(), amount: z.number(), at: z.int() })),
  next: Next,
});
