/**
 * The app's areas for one member: which of them the member can use, and which forms each
 * offers, every one allowed or refused with its reason in words. The web app shapes its
 * navigation and forms by this answer (GET /api/me) and re-derives nothing.
 *
 * Each answer rests on the rules the commands and lists already ask: the practice
 * permissions (`canInPractice`), the role capabilities of roles.ts that `canOnClient`
 * combines with access to one client, and the scopes the lists are read by. An area is
 * shown when some client (or the practice) could give the member something there; a form
 * is allowed when its command could succeed for some client the member may see (each
 * command still decides its own client).
 */
import { capabilities } from './client-access.js';
import { calendarScope } from './client-scope.js';
import { allow, refuse, type Decision, type Reason } from './decision.js';
import { canInPractice } from './permissions.js';
import type { Context, MemberId } from './practice.js';
import { canCreateClients } from './records.js';
import { canViewOthersAccess } from './team-visibility.js';
import { oneOf } from './vocabulary.js';

/** The app's areas, in the navigation's order (account: one's own password and second factor). */
export const APP_AREAS = [
  'clients',
  'calendar',
  'billing',
  'messages',
  'tasks',
  'note_queues',
  'reports',
  'activity_log',
  'access_review',
  'team',
  'settings',
  'account',
] as const;
export type AppArea = (typeof APP_AREAS)[number];
export const isAppArea = oneOf(APP_AREAS);

/** What each area offers: its forms (and, for note queues and the activity log, its parts). */
export const AREA_ACTIONS = {
  clients: ['add_client'],
  calendar: ['book_appointment'],
  billing: ['record_payment'],
  messages: ['send_message'],
  tasks: ['create_task'],
  note_queues: ['my_notes', 'cosign'],
  reports: ['run_report'],
  activity_log: ['whole_practice'],
  access_review: ['review_others'],
  team: ['manage_team'],
  settings: ['change_settings'],
  account: ['change_password', 'recovery_codes'],
} as const satisfies { readonly [A in AppArea]: readonly string[] };
export type AreaAction<A extends AppArea> = (typeof AREA_ACTIONS)[A][number];

export interface AreaOffer<A extends AppArea = AppArea> {
  /** Whether the member can use the area: the navigation shows it. */
  readonly visible: boolean;
  /** Why it is shown or not. */
  readonly reasons: readonly Reason[];
  readonly actions: { readonly [K in AreaAction<A>]: Decision };
}

export type AppAreas = { readonly [A in AppArea]: AreaOffer<A> };

const role = (text: string): Reason => ({ code: 'role', text });
const byRole = (ok: boolean, yes: string, no: string): Decision => (ok ? allow(role(yes)) : refuse('forbidden', no));
const offer = <A extends AppArea>(visible: Decision, actions: AreaOffer<A>['actions']): AreaOffer<A> => ({ visible: visible.allowed, reasons: visible.reasons, actions });

/**
 * Every area of the app as `member` may use it.
 *
 * @example
 * appAreas(ctx, 'bill').calendar.visible; // false: billers keep no calendar
 * appAreas(ctx, 'sky').clients.actions.add_client.allowed; // true: schedulers add clients
 */
export function appAreas(ctx: Context, member: MemberId): AppAreas {
  const caps = capabilities(ctx.team, member);
  const member_ = ctx.team.members.has(member);
  const owner = member === ctx.team.ownerId;
  const clinician = caps.clinicianRole !== null;

  const clients = byRole(
    member_ && (owner || caps.administrativeByRole || clinician || caps.supervisor),
    'The role gives access to clients.',
    "Client records are not part of this member's role.",
  );
  const calendar = byRole(member_ && !calendarScope(ctx, member).ownOnly, 'The role books appointments.', "The calendar is not part of this member's role.");
  const billing = byRole(caps.billingForAll || caps.billingForOwn, caps.billingForAll ? 'The role includes billing.' : "Billing for the member's own clients.", "Billing is not part of this member's role.");
  const messages = byRole(caps.messagesByRole || clinician, 'The role sends secure messages to clients.', "Secure messaging is not part of this member's role.");
  const myNotes = byRole(clinician || caps.owner || caps.writesAdministrativeNotes, 'The role writes notes.', "Writing notes is not part of this member's role.");
  const cosign = byRole(caps.supervisor, "Supervisors co-sign their supervisees' notes.", 'Only supervisors co-sign notes.');
  const log = member_ ? allow(role("One's own actions and the entries about clients one can see.")) : refuse('not_found', 'No such team member.');
  const account = member_ ? allow(role("One's own password and two-step sign-in.")) : refuse('not_found', 'No such team member.');
  const team = canInPractice(ctx, member, 'team.manage');
  const settings = canInPractice(ctx, member, 'settings.manage');
  const reports = canInPractice(ctx, member, 'reports.billing');

  return {
    clients: offer(clients, { add_client: clients.allowed ? canCreateClients(ctx, member) : clients }),
    calendar: offer(calendar, { book_appointment: calendar }),
    billing: offer(billing, { record_payment: billing }),
    messages: offer(messages, { send_message: messages }),
    tasks: offer(clients, { create_task: clients }),
    note_queues: offer(cosign.allowed && !myNotes.allowed ? cosign : myNotes, { my_notes: myNotes, cosign }),
    reports: offer(reports, { run_report: reports }),
    activity_log: offer(log, { whole_practice: canInPractice(ctx, member, 'activity_log.view') }),
    access_review: offer(clients, { review_others: canViewOthersAccess(ctx, member) }),
    team: offer(team, { manage_team: team }),
    settings: offer(settings, { change_settings: settings }),
    account: offer(account, { change_password: account, recovery_codes: byRole(owner, 'The account owner keeps recovery codes.', 'Only the account owner has recovery codes.') }),
  };
}
