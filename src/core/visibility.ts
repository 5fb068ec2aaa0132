/**
 * What a member sees in each area of the account. Every area is the filter of a single
 * check from permissions.ts over the area's rows, so a list can never show what the
 * single check refuses (001: "Activity logs, Analytics and reports, Calendar, Billing and
 * insurance, Secure Messages, Tasks and notifications").
 */
import { canInPractice, canManagePayment, canOnClient, canOnNote } from './permissions.js';
import type { ActivityFacts, AppointmentFacts, ClientFacts, Context, MemberId, NoteFacts, TaskFacts } from './practice.js';
import { oneOf } from './vocabulary.js';

export const AREAS = [
  'clients',
  'directory',
  'calendar',
  'billing',
  'insurance_payments',
  'messages',
  'tasks',
  'notes',
  'activity_log',
  'notifications',
] as const;
export type Area = (typeof AREAS)[number];

export const isArea = oneOf(AREAS);

/** Client list: profiles the member may view (full or, for administrative access, limited). */
export function seesClient(ctx: Context, m: MemberId, c: ClientFacts): boolean {
  return canOnClient(ctx, m, 'client.view_profile', c).allowed;
}

/** Client directory: name and contact information (004 all-staff directory). */
export function seesContact(ctx: Context, m: MemberId, c: ClientFacts): boolean {
  return canOnClient(ctx, m, 'client.view_contact', c).allowed;
}

/** Calendar: those who schedule for the client, and the appointment's own clinician while they have access. */
export function seesAppointment(ctx: Context, m: MemberId, a: AppointmentFacts, c: ClientFacts): boolean {
  if (canOnClient(ctx, m, 'client.schedule', c).allowed) return true;
  return a.clinician === m && seesClient(ctx, m, c);
}

/** Billing: an appointment's fee is a charge (READING.md). */
export function seesCharge(ctx: Context, m: MemberId, c: ClientFacts): boolean {
  return canOnClient(ctx, m, 'client.view_billing', c).allowed;
}

/** 001: an insurance payment covering a client the member may not bill is hidden whole. */
export function seesInsurancePayment(ctx: Context, m: MemberId, covered: readonly ClientFacts[]): boolean {
  return canManagePayment(ctx, m, covered).allowed;
}

export function seesMessage(ctx: Context, m: MemberId, c: ClientFacts): boolean {
  return canOnClient(ctx, m, 'client.message', c).allowed;
}

/** Tasks: the assignee's and creator's (and the owner's), while they have access to the client. */
export function seesTask(ctx: Context, m: MemberId, t: TaskFacts, c: ClientFacts): boolean {
  if (!seesClient(ctx, m, c)) return false;
  return m === ctx.team.ownerId || t.assignee === m || t.creator === m;
}

export function seesNote(ctx: Context, m: MemberId, n: NoteFacts, c: ClientFacts): boolean {
  return canOnNote(ctx, m, 'note.view', n, c).allowed;
}

/**
 * Activity log: a client's entries for whoever may view that client (001 lists "Activity
 * logs" among the places a client's data appears for those with access, and disappears
 * for those without); entries about no client (team changes, sign-ins) for those whose
 * role reviews the practice's log, and one's own.
 */
export function seesActivity(ctx: Context, m: MemberId, e: ActivityFacts, concerned: readonly ClientFacts[]): boolean {
  if (e.clients.length > 0) return concerned.length === e.clients.length && concerned.every((c) => seesClient(ctx, m, c));
  return e.actor === m || canInPractice(ctx, m, 'activity_log.view').allowed;
}

/** Notifications go to their recipient, and only while the recipient may view the client. */
export function seesNotification(ctx: Context, m: MemberId, recipient: MemberId, c: ClientFacts | null): boolean {
  return recipient === m && (c === null || seesClient(ctx, m, c));
}
