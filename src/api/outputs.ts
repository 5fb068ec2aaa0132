/**
 * What each route answers, as Zod schemas: the OpenAPI document shows them, the API tests
 * parse every answer with them (test/server/contract.test.ts), and the web app takes its
 * types from them. Objects are strict, so a field the server adds or drops fails the tests.
 */
import { z } from 'zod';
import { AREA_ACTIONS, CLAIM_STATUSES, CLIENT_PERMISSIONS, NOTE_KINDS, NOTE_PERMISSIONS, REFUSAL_CODES, REPORTS, ROLES, type Decision as CoreDecision, type PrivacyTab as CorePrivacyTab, type AppAreas as CoreAppAreas } from '../core/index.js';

const Role = z.enum(ROLES);
const Instant = z.int().describe('Epoch milliseconds.');
const Items = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item) });

// ------------------------------------------------------------------ decisions
export const Reason = z.strictObject({ code: z.string(), text: z.string() });
export const Decision = z.discriminatedUnion('allowed', [
  z.strictObject({ allowed: z.literal(true), reasons: z.array(Reason) }),
  z.strictObject({ allowed: z.literal(false), code: z.enum(REFUSAL_CODES).describe('Why it is refused.'), reasons: z.array(Reason) }),
]);
export const CommandOk = z.strictObject({ ok: z.literal(true), summary: z.string(), reasons: z.array(Reason), id: z.string().optional().describe('The new record’s id (201).') });

// ------------------------------------------------------------------ session
export const SessionOut = z.strictObject({
  member: z.string(),
  name: z.string(),
  roles: z.array(Role),
  practice: z.string().describe('The practice id.'),
  practiceName: z.string(),
  csrfToken: z.string(),
  idleTimeoutSeconds: z.int(),
  mustChangePassword: z.boolean(),
  mustEnrollSecondFactor: z.boolean().describe('The practice requires two-step sign-in and this member has not set it up: only enrolling answers until they do.'),
  totpEnabled: z.boolean(),
});
/** One area of the app as the member may use it: shown or not (and why), and each of its forms allowed or refused with the reason. */
const areaOffer = <const A extends readonly string[]>(actions: A) =>
  z.strictObject({
    visible: z.boolean(),
    reasons: z.array(Reason),
    actions: z.strictObject(Object.fromEntries(actions.map((a) => [a, Decision])) as { [K in A[number]]: typeof Decision }),
  });
export const AreasOut = z
  .strictObject({
    clients: areaOffer(AREA_ACTIONS.clients),
    calendar: areaOffer(AREA_ACTIONS.calendar),
    billing: areaOffer(AREA_ACTIONS.billing),
    messages: areaOffer(AREA_ACTIONS.messages),
    tasks: areaOffer(AREA_ACTIONS.tasks),
    note_queues: areaOffer(AREA_ACTIONS.note_queues),
    reports: areaOffer(AREA_ACTIONS.reports),
    activity_log: areaOffer(AREA_ACTIONS.activity_log),
    access_review: areaOffer(AREA_ACTIONS.access_review),
    team: areaOffer(AREA_ACTIONS.team),
    settings: areaOffer(AREA_ACTIONS.settings),
    account: areaOffer(AREA_ACTIONS.account),
  })
  .describe('What each area of the app offers me, from the core (appAreas): the navigation shows the visible ones, and each form is allowed or refused with its reason.');
export const MeOut = z.strictObject({
  member: z.string(),
  name: z.string(),
  roles: z.array(Role),
  practiceName: z.string(),
  timeZone: z.string().describe('The practice’s IANA time zone: timestamps read in it.'),
  permissions: z.record(z.string(), Decision),
  areas: AreasOut,
});
export const TotpEnrollOut = z.strictObject({ secret: z.string(), uri: z.string().describe('otpauth:// URI for the authenticator app.') });
export const RecoveryCodesOut = z.strictObject({ recoveryCodes: z.array(z.string()).describe('Shown this once.') });

// --------------------------------------------------------- one-time links
export const SetupDetailsOut = z.strictObject({
  practiceName: z.string().nullable().describe('The name given by `chartguard practice create`; null when the owner names the practice.'),
  ownerName: z.string().nullable(),
  ownerEmail: z.string().nullable(),
});
export const SetupDoneOut = z.strictObject({
  session: SessionOut,
  recoveryCodes: z.array(z.string()).describe('The account owner’s one-time recovery codes: shown this once (only their hashes are kept).'),
});
export const InvitationDetailsOut = z.strictObject({ practiceName: z.string(), memberName: z.string(), email: z.string().nullable() });
export const SettingsOut = z.strictObject({
  name: z.string(),
  timeZone: z.string(),
  clientDirectory: z.enum(['by_role', 'all_staff']),
  idleLogoffMinutes: z.int().nullable().describe('null: the server’s default (defaultIdleLogoffMinutes).'),
  defaultIdleLogoffMinutes: z.int(),
  requireSecondFactor: z.boolean(),
});
export const NotificationsMarkedOut = z.strictObject({ marked: z.int().min(0).describe('How many were unread.') });
export const PasswordResetDetailsOut = z.strictObject({ practiceName: z.string(), memberName: z.string(), username: z.string().describe('What the member signs in with.') });
export const PasswordResetDoneOut = z.strictObject({
  session: SessionOut.nullable().describe('The member’s new session (cookie set); null when they have a second factor: they sign in with the new password and a code.'),
});

// --------------------------------------------------------------------- team
export const TeamOut = z.strictObject({
  members: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      roles: z.array(Role),
      email: z.string().nullable().describe('Shown to who manages the team; null for everyone else or when none is on file.'),
      active: z.boolean().describe('False once deactivated: the member can no longer sign in or see anything.'),
      hasSignIn: z.boolean().describe('Whether the member has a sign-in account (false: their invitation is not accepted yet).'),
    }),
  ),
  supervision: z.array(z.strictObject({ supervisor: z.string(), supervisee: z.string() })),
});
export const InvitationOut = z.strictObject({
  emailed: z.boolean().describe('True: the link went to the member’s email address, and is not shown here.'),
  link: z.string().nullable().describe('The invitation link, shown this once when it was not emailed: pass it on privately.'),
  expiresAt: z.number().describe('When the link stops working (ms since the epoch).'),
});
export const MemberAddedOut = CommandOk.extend({ invitation: InvitationOut.nullable().describe('The new member’s invitation; null when it could not be made (send one with POST /api/team/:member/invitation).') });
export const PasswordResetOut = z.strictObject({
  emailed: z.boolean().describe('True: a link to choose a new password went to the member’s email address (mail configured and an address on file); no password is shown.'),
  temporaryPassword: z.string().nullable().describe('When not emailed: the temporary password, shown this once; pass it on privately. Null when emailed.'),
});
export const ThrottleLiftedOut = z.strictObject({ failures: z.int().min(0).describe('How many failures there were.') });

// ------------------------------------------------------------------ clients
const Access = z.enum(['clinical', 'administrative']);
const Next = z.string().nullable().describe('Pass as `after` for the next page; null on the last page.');
export const ClientSummary = z.strictObject({ id: z.string(), client: z.string(), name: z.string(), primary: z.string(), restricted: z.boolean(), access: Access });
export const ClientPageOut = z.strictObject({ items: z.array(ClientSummary), total: z.int().describe('Every client I may view, not just this page.'), next: Next });
const DirectoryItem = z.strictObject({ id: z.string(), client: z.string(), name: z.string(), contact: z.string() });
export const DirectoryOut = z.strictObject({ items: z.array(DirectoryItem), next: Next });
export const DirectoryEntriesOut = z.strictObject({ items: z.array(DirectoryItem) });
export const ClientOut = z.strictObject({
  id: z.string(),
  name: z.string(),
  contact: z.string(),
  primary: z.string(),
  restricted: z.boolean(),
  sharedWithAll: z.boolean(),
  person: z.string().nullable().describe('Profiles with the same person belong to one person (000).'),
  access: Access,
  permissions: z.strictObject(Object.fromEntries(CLIENT_PERMISSIONS.map((p) => [p, Decision])) as Record<(typeof CLIENT_PERMISSIONS)[number], typeof Decision>),
});

// ------------------------------------------------------------------- access
/** Why a member has a kind of access: the path's code and its sentence. */
export const AccessPath = Reason;
const Checkbox = z.strictObject({
  checked: z.boolean(),
  enabled: z.boolean(),
  reason: z.enum(REFUSAL_CODES).optional().describe('Why it cannot be changed (absent when enabled).'),
  reasons: z.array(Reason),
  expiresAt: Instant.nullable().optional().describe('A time-limited clinical grant’s end.'),
});
export const PrivacyTabOut = z.strictObject({
  client: z.strictObject({ id: z.string(), primary: z.string(), restricted: z.boolean(), sharedWithAll: z.boolean() }),
  manageClinical: Decision,
  manageAdministrative: Decision,
  restrict: Decision,
  primaryOptions: z.array(z.strictObject({ member: z.string(), selected: z.boolean(), enabled: z.boolean(), reason: z.enum(REFUSAL_CODES).optional() })),
  rows: z.array(z.strictObject({ member: z.string(), roles: z.array(Role), clinical: Checkbox, administrative: Checkbox })),
  sharing: z.strictObject({
    decision: Decision.describe('Whether I may turn sharing with all clinicians the other way (share_with_all).'),
    gains: z.array(z.string()).describe('Who would gain clinical access if the client were shared with all clinicians (empty when it is).'),
  }),
});
export const WhoCanAccessOut = z.strictObject({
  client: z.string(),
  restricted: z.boolean(),
  members: z.array(z.strictObject({ member: z.string(), roles: z.array(Role), clinical: AccessPath.nullable(), administrative: AccessPath.nullable() })),
});
export const WhatCanAccessOut = z.strictObject({
  member: z.string(),
  items: z.array(z.strictObject({ client: z.string(), clinical: AccessPath.nullable(), administrative: AccessPath.nullable() })),
  next: Next,
});

// -------------------------------------------------------------------- notes
export const NoteOut = z.strictObject({
  id: z.string(),
  client: z.string(),
  author: z.string(),
  kind: z.enum(NOTE_KINDS),
  body: z.string(),
  signed: z.boolean(),
  cosigned: z.boolean(),
  cosignedBy: z.string().nullable(),
  at: Instant,
});
export const NotesOut = z.strictObject({ items: z.array(NoteOut), next: Next });
/** A note as GET /api/notes/:id answers it: with my decision on each of its actions (one request opens a note). */
export const OpenedNoteOut = NoteOut.extend({
  permissions: z
    .strictObject(Object.fromEntries(NOTE_PERMISSIONS.map((p) => [p, Decision])) as Record<(typeof NOTE_PERMISSIONS)[number], typeof Decision>)
    .describe('My decisions on the note, by the core (canOnNote).'),
});

// ----------------------------------------------------- calendar, billing
export const CalendarPageOut = z.strictObject({ items: z.array(z.strictObject({ id: z.string(), client: z.string(), clinician: z.string(), startsAt: z.int() })), next: Next });
export const BillingPageOut = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), client: z.string(), clinician: z.string(), amount: z.number(), at: z.int() })),
  next: Next,
});
export const ClaimOut = z.strictObject({
  id: z.string(),
  appointment: z.string(),
  client: z.string(),
  clinician: z.string().describe('The appointment’s clinician.'),
  rendering: z.string().describe('The rendering clinician the claim names: the clinician, or the supervisor it was billed as.'),
  status: z.enum(CLAIM_STATUSES),
  amount: z.number(),
  createdAt: z.int(),
  submittedAt: z.int().nullable(),
  serviceAt: z.int().describe('When the service was (the appointment’s start).'),
});
/** An ASC X12 file (application/edi-x12): segments ended by `~`, elements by `*`. */
export const X12File = z.string().describe('The ASC X12 837P interchange, ISA to IEA.');
export const ClaimsPageOut = z.strictObject({ items: z.array(ClaimOut), next: Next });
export const InsurancePaymentsOut = z.strictObject({ items: z.array(z.strictObject({ id: z.string(), client: z.null(), amount: z.number(), covers: z.array(z.string()) })), next: Next });

// ------------------------------------------ messages, tasks, notifications, log
const MessageOut = z.strictObject({ id: z.string(), client: z.string(), author: z.string(), body: z.string(), at: Instant });
/** Messages (mine, or one client's), a page at a time. */
export const MessagesOut = z.strictObject({ items: z.array(MessageOut), next: Next });
export const TasksOut = z.strictObject({
  items: z.array(z.strictObject({ id: z.string(), client: z.string(), assignee: z.string(), creator: z.string(), title: z.string() })),
  next: Next,
});
export const NotificationsOut = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      client: z.string().nullable(),
      event: z.string(),
      at: Instant,
      read: z.boolean(),
      actor: z.string().nullable().describe('Who acted: the member whose change made it (null for notifications older than this field).'),
      actorName: z.string().nullable(),
    }),
  ),
  next: Next,
  unread: z.int().describe('My unread notifications, not just this page’s.'),
});
export const ActivityLogOut = z.strictObject({
  items: z.array(
    z.strictObject({
      id: z.string(),
      seq: z.int(),
      at: Instant,
      actor: z.string().nullable(),
      action: z.string(),
      outcome: z.string(),
      client: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()).describe('What changed (effects, before/after); never a note’s or message’s text.'),
    }),
  ),
  next: Next,
});

// ------------------------------------------------------------------ reports
export const ReportOut = z.strictObject({
  name: z.enum(REPORTS),
  rows: z.array(z.strictObject({ client: z.string(), amount: z.number() })).describe('One page of the rows (clients I may bill), by client id.'),
  rowCount: z.int().min(0).describe('Rows in all pages.'),
  total: z.number().describe('billing_summary: the sum of all rows, not just this page; income_allocation: every client of the practice, restricted ones included (001).'),
  omittedClients: z.int().min(0).describe('Clients with amounts left out of the rows for me (none of them named).'),
  next: z.string().nullable().describe('Pass as `after` for the next page; null on the last page.'),
});

// The core's own values, described here: a drift between the two fails to compile.
export type Decision = CoreDecision;
export type PrivacyTab = CorePrivacyTab;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
const _decisionDescribed: Same<DeepMutable<CoreDecision>, z.output<typeof Decision>> = true;
const _privacyDescribed: Same<DeepMutable<CorePrivacyTab>, z.output<typeof PrivacyTabOut>> = true;
const _areasDescribed: Same<DeepMutable<CoreAppAreas>, z.output<typeof AreasOut>> = true;
void _areasDescribed;
void _decisionDescribed;
void _privacyDescribed;

// ------------------------------------------------------------------ types
/** What a route answers, by its schema: `Answer<typeof TasksOut>`. */
export type Answer<S extends z.ZodType> = z.output<S>;
/** The answers the web app names: one definition, the schema's. */
export type Session = Answer<typeof SessionOut>;
export type Me = Answer<typeof MeOut>;
export type Settings = Answer<typeof SettingsOut>;
export type NotificationItem = Answer<typeof NotificationsOut>['items'][number];
export type Team = Answer<typeof TeamOut>;
export type TeamMember = Team['members'][number];
export type CommandAnswer = Answer<typeof CommandOk>;
export type ClientSummary = Answer<typeof ClientSummary>;
export type ClientDetail = Answer<typeof ClientOut>;
export type WhoCanAccess = Answer<typeof WhoCanAccessOut>;
export type WhatCanAccess = Answer<typeof WhatCanAccessOut>;
export type AccessPath = Answer<typeof AccessPath>;
export type Reason = Answer<typeof Reason>;
export type Note = Answer<typeof NoteOut>;
export type OpenedNote = Answer<typeof OpenedNoteOut>;
export type CalendarItem = Answer<typeof CalendarPageOut>['items'][number];
export type Charge = Answer<typeof BillingPageOut>['items'][number];
export type Report = Answer<typeof ReportOut>;
