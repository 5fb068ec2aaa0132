/**
 * A member's client scope: which clients `seesClient()` (client.view_profile) allows,
 * described by the member's roles and supervision alone, so that a store can answer
 * "every client this member may view" with indexes instead of asking the predicate
 * row by row.
 *
 * It is derived from the same capabilities and paths as client-access.ts:
 * - the account owner: every client (003, 000);
 * - anyone: clients they are primary clinician of (000);
 * - supervisors: clients whose primary clinician they supervise (000 Supervisor);
 * - roles with administrative access: every client whose administrative access was not
 *   revoked from them (000, 001); their clinical access needs that administrative access,
 *   so it adds nothing to the scope;
 * - other clinicians: clients with a live grant for them (000, 002) or shared with all (003).
 *
 * test/store/client-page.test.ts proves `inClientScope` and the store's SQL agree with
 * seesClient() on random practices.
 */
import { capabilities } from './client-access.js';
import type { ClientFacts, Context, MemberId } from './practice.js';

export interface ClientScope {
  readonly member: MemberId;
  /** Not a member of the practice: no client at all. */
  readonly none: boolean;
  /** Every client of the practice. */
  readonly all: boolean;
  /** Clients whose primary clinician is one of these (the member and their supervisees). */
  readonly primaryIn: readonly MemberId[];
  /** Every client unless the member's administrative access to it was revoked. */
  readonly unlessRevoked: boolean;
  /** Clients with a live (unexpired at `now`) clinical grant for the member. */
  readonly liveGrant: boolean;
  /** Clients shared with all clinicians. */
  readonly sharedWithAll: boolean;
  /** The practice clock the grants are judged at. */
  readonly now: number;
}

/** The clients `member` may view in the client list, as a scope. */
export function clientScope(ctx: Context, member: MemberId): ClientScope {
  const team = ctx.team;
  const base = { member, none: false, all: false, primaryIn: [member], unlessRevoked: false, liveGrant: false, sharedWithAll: false, now: ctx.now };
  if (!team.members.has(member)) return { ...base, none: true, primaryIn: [] };
  if (member === team.ownerId) return { ...base, all: true };
  const caps = capabilities(team, member);
  const primaryIn = [member];
  if (caps.supervisor) {
    for (const [supervisee, supervisors] of team.supervisorsOf) if (supervisors.has(member)) primaryIn.push(supervisee);
  }
  primaryIn.sort();
  if (caps.administrativeByRole) return { ...base, primaryIn, unlessRevoked: true };
  const clinician = caps.clinicianRole !== null;
  return { ...base, primaryIn, liveGrant: clinician, sharedWithAll: clinician };
}

/**
 * The clients whose secure messages `member` may see (seesMessage, client.message): the
 * client scope, less the supervisees' clients of a member whose roles do not message by role.
 * Supervising a clinician gives administrative access to their clients (002), and messaging
 * a client needs clinical access unless the role messages by role. A superset of what
 * seesMessage allows (test/store/client-page.test.ts); the core still decides each message.
 */
export function messageScope(ctx: Context, member: MemberId): ClientScope {
  const scope = clientScope(ctx, member);
  if (scope.none || scope.all || scope.unlessRevoked) return scope;
  if (capabilities(ctx.team, member).messagesByRole) return scope;
  return { ...scope, primaryIn: [member] };
}

/**
 * The clients whose billing `member` may view (seesCharge, client.view_billing): the
 * billing roles' administrative access (000 "within the limitations of their role"), or,
 * for billers for assigned patients only, the clients they are primary clinician of (004).
 */
export function chargeScope(ctx: Context, member: MemberId): ClientScope {
  const scope = clientScope(ctx, member);
  if (scope.none || scope.all) return scope;
  const caps = capabilities(ctx.team, member);
  const none = { ...scope, primaryIn: [], unlessRevoked: false, liveGrant: false, sharedWithAll: false };
  // Administrative access, without the clinical paths: billing is not clinical.
  if (caps.billingForAll) return { ...none, primaryIn: scope.primaryIn, unlessRevoked: caps.administrativeByRole };
  if (caps.billingForOwn) return { ...none, primaryIn: [member] };
  return { ...none, none: true };
}

/**
 * Where a member's calendar entries can be (seesAppointment): the clients they may view,
 * and, for members who neither schedule for clients nor are clinicians, only their own
 * appointments (004: billers and administrators have no calendar of their own).
 */
export function calendarScope(ctx: Context, member: MemberId): { clients: ClientScope; ownOnly: boolean } {
  const clients = clientScope(ctx, member);
  const caps = capabilities(ctx.team, member);
  return { clients, ownOnly: !(caps.owner || caps.schedulesAll || caps.clinicianRole !== null) };
}

/**
 * Whose name and contact details `member` may see (seesContact, client.view_contact): the
 * clients they may view and, when the practice shares the client directory with all staff
 * (004), every client that is not restricted (001 keeps a restricted one hidden).
 */
export function contactScope(ctx: Context, member: MemberId): { clients: ClientScope; unrestricted: boolean } {
  const clients = clientScope(ctx, member);
  return { clients, unrestricted: !clients.none && ctx.team.settings.clientDirectory === 'all_staff' };
}

/** Whether the contact scope contains the client. */
export function inContactScope(scope: { clients: ClientScope; unrestricted: boolean }, client: ClientFacts): boolean {
  return (scope.unrestricted && !client.restricted) || inClientScope(scope.clients, client);
}

/** Whether the scope contains the client (the plain-data reading of the scope). */
export function inClientScope(scope: ClientScope, client: ClientFacts): boolean {
  if (scope.none) return false;
  if (scope.all) return true;
  if (scope.primaryIn.includes(client.primary)) return true;
  if (scope.unlessRevoked && !client.administrativeRevoked.has(scope.member)) return true;
  if (scope.liveGrant) {
    const g = client.grants.get(scope.member);
    if (g && (g.expiresAt === null || g.expiresAt > scope.now)) return true;
  }
  return scope.sharedWithAll && client.sharedWithAll;
}
