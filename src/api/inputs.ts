/**
 * The HTTP API's inputs, as Zod schemas: bodies, path parameters and query strings. Every
 * object is strict: an unknown field is a 400, never silently ignored. The server parses
 * every request with these and the OpenAPI document is generated from them.
 */
import { z } from 'zod';
import { CLINICIAN_ROLES, NOTE_KINDS, PERMISSIONS, REPORT_PAGE, REPORTS, ROLES } from '../core/index.js';
import { EMAIL_MAX, isEmailAddress } from '../core/email-address.js';
import { checked, Id, line, MemberId, text } from './strings.js';

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
export const PasswordChange = z.strictObject({ current: line(1024), next: line(1024, 12).describe('At least 12 characters.') });
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

// --------------------------------------------------------- one-time links
/** A new password: the rule of every password a member chooses (at least 12 characters). */
export const NewPassword = line(1024, 12).describe('At least 12 characters.');
export const NewUsername = line(200, 3)
  .regex(/^\S+$/, 'A username has no spaces.')
  .describe('3 to 200 characters without spaces; refused (409 `username_taken`) when someone has it, in any case.');
export const EmailAddress = line(EMAIL_MAX).refine(isEmailAddress, 'Not an email address (name@example.org).');
export const LinkParam = z.strictObject({ token: line(128).describe('The token of a setup, invitation or password-reset link (the last part of the link).') });
export const PracticeSetup = z.strictObject({
  practiceName: line(200),
  name: line(200).describe('The account owner’s name, as the team sees it.'),
  email: EmailAddress,
  username: NewUsername,
  password: NewPassword,
  clinicianRole: z.enum(CLINICIAN_ROLES).nullable().optional().describe('The clinician role the owner also holds when they see clients; none by default.'),
});
export const InvitationAcceptance = z.strictObject({ username: NewUsername, password: NewPassword });
export const PasswordResetCompletion = z.strictObject({ password: NewPassword });

// --------------------------------------------------------------------- team
export const RolesBody = z.strictObject({ roles: z.array(line(64)).max(20).describe(`Roles: ${ROLES.join(', ')}`) });
export const SupervisionBody = z.strictObject({ supervisor: MemberId, supervisee: MemberId });
export const MemberParam = z.strictObject({ member: MemberId });
const Email = z.email().max(254).describe('An email address (invitations and notices are sent there).');
const PersonName = line(200).refine((v) => v.trim().length > 0, { message: 'A name is required.' });
export const NewMember = z.strictObject({
  id: MemberId.optional().describe('The new member’s key; made from the name when absent.'),
  name: PersonName,
  email: Email.optional(),
  roles: z.array(line(64)).max(20).describe(`Roles: ${ROLES.join(', ')}`),
});
export const MemberEdit = z
  .strictObject({ name: PersonName.optional(), email: Email.nullable().optional() })
  .refine((b) => b.name !== undefined || b.email !== undefined, { message: 'Send name, email or both.' });
export const OwnershipTransfer = z.strictObject({ member: MemberId.describe('The active member who becomes the account owner.') });
export const SupervisionParams = z.strictObject({ supervisor: MemberId, supervisee: MemberId });

// ----------------------------------------------------------------- settings
/** Only the settings given change; the core decides each value (unknown time zone, minutes out of range: 422 `invalid_setting`). */
export const SettingsPatch = z
  .strictObject({
    name: line(200).optional().describe('The practice’s name.'),
    timeZone: line(64).optional().describe('An IANA time zone name, such as America/New_York.'),
    clientDirectory: z.enum(['by_role', 'all_staff']).optional().describe('`all_staff`: every member sees every unrestricted client’s name and contact details; `by_role`: as their roles allow.'),
    idleLogoffMinutes: z.int().nullable().optional().describe('Automatic logoff after this many minutes without activity, 5..720; null: the server’s default.'),
    requireSecondFactor: z.boolean().optional().describe('Every member signs in with an authenticator app; one without sets it up before anything else.'),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give at least one setting.' });

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
export const Appointment = z.strictObject({
  client: Id,
  clinician: MemberId,
  fee: Money,
  startsAt: Instant.optional(),
  billAs: MemberId.optional().describe('Bill as Supervisor: a supervisor of the clinician who holds a clinician role; claims name them as rendering (422 `not_supervisor` otherwise).'),
});
/** A claim for an appointment (submit_claim). */
export const Claim = z.strictObject({ appointment: Id.describe('The appointment the claim bills.') });
/** Claims, newest first: the last claim's creation time and id. */
export const ClaimCursor = z.strictObject({ createdAt: Instant, id: Id });
export const InsurancePayment = z.strictObject({ covers: z.array(Id).min(1).max(100), amount: Money });
export const Message = z.strictObject({ body: text(20_000) });
export const Task = z.strictObject({ client: Id, assignee: MemberId, title: line(500) });
export const DeleteNote = z.strictObject({ reason: line(500, 0).optional().describe('Why the note is deleted: kept in the activity log’s entry.') }).optional();

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
/** The client directory, by name: the last client's name and id (as the client list). */
export const DirectoryQuery = z.strictObject({ limit: Limit.optional(), after: cursor(ClientCursor).optional() });
/** Clients named by id: 1 to 100 ids, comma-separated. */
export const DirectoryIdsQuery = z.strictObject({
  ids: line(100 * 130)
    .transform((v) => v.split(',').filter((x) => x !== ''))
    .pipe(z.array(Id).min(1).max(100)),
});
/** What a member can access, by client id: the last client's id. */
export const ClientIdCursor = z.strictObject({ id: Id });
export const MemberAccessQuery = z.strictObject({ limit: Limit.optional(), after: cursor(ClientIdCursor).optional() });
/** Records in time order (a client's notes and messages, tasks): the last item's time and id. */
export const RecordCursor = z.strictObject({ at: Instant, id: Id });
export const RecordPageQuery = z.strictObject({ limit: Limit.optional(), after: cursor(RecordCursor).optional() });
/** A member's note queues (notes I wrote; notes of my supervisees I may co-sign), oldest first. */
export const NoteQueueQuery = z.strictObject({
  queue: z.enum(['mine', 'cosign']).describe('`mine`: notes I wrote; `cosign`: signed notes of members I supervise, awaiting my co-signature.'),
  limit: Limit.optional(),
  after: cursor(RecordCursor).optional(),
});
/** Notifications, in the order they were made: the last one's id. */
export const NotificationCursor = z.strictObject({ id: z.string().regex(/^\d{1,18}$/) });
export const NotificationPageQuery = z.strictObject({
  limit: Limit.optional(),
  after: cursor(NotificationCursor).optional(),
  order: z.enum(['oldest', 'newest']).optional().describe('`oldest` first (default), or `newest` first (as the bell shows them).'),
});
export const NotificationParam = z.strictObject({ id: z.string().regex(/^\d{1,18}$/, 'Not a notification id.') });
/** The activity log, newest first: the last entry's seq. */
export const ActivityCursor = z.strictObject({ seq: z.int().min(1) });
export const ActivityLogQuery = z.strictObject({
  limit: Limit.optional(),
  after: cursor(ActivityCursor).optional(),
  member: MemberId.optional().describe('Entries by this member.'),
  client: Id.optional().describe('Entries about this client (their `client`).'),
  action: line(100).optional().describe('Entries of this action (`view_note`, `grant_clinical`, ...).'),
  outcome: line(100).optional().describe('Entries of this outcome (`success`, `read`, ...).'),
  from: queryInt(Instant).describe('Entries at or after this time (epoch milliseconds).').optional(),
  to: queryInt(Instant).describe('Entries before this time (epoch milliseconds).').optional(),
});
/** Insurance payments, by id: the last one's id. */
export const PaymentCursor = z.strictObject({ id: Id });
export const PaymentPageQuery = z.strictObject({ limit: Limit.optional(), after: cursor(PaymentCursor).optional() });
export const ClaimPageQuery = z.strictObject({ limit: Limit.optional(), after: cursor(ClaimCursor).optional() });
export const AppointmentPageQuery = z.strictObject({
  limit: Limit.optional(),
  from: queryInt(Instant).describe('Appointments from this time on (epoch milliseconds); default: all.').optional(),
  after: cursor(AppointmentCursor).optional(),
});
