/**
 * Clinical and administrative access of one team member to one client: the single
 * predicate that every check, list, report and database policy rests on.
 *
 * 000: "each client is assigned one primary clinician, who has full access";
 *      "By default, the Account Owner and clinicians with entire practice access are
 *      listed as clinicians with access for all clients"; administrative roles "view all
 *      client profiles within the limitations of their role"; "Revoking administrative
 *      access for a clinician will automatically revoke their clinical access as well";
 *      "Clinical access can't be granted while administrative access is revoked".
 * 001: restricted access makes administrative access revocable per member.
 * 002: client-level access (grants, optionally time-limited); supervisors need it for the chart.
 * 003: the admin account always has access; "shared with all" practitioners.
 * 004: clinical administrators have full access to all clients.
 */
import type { ClientFacts, Context, MemberId, Team } from './practice.js';
import { supervises } from './practice.js';
import { capabilitiesOf, type RoleCapabilities } from './roles.js';
import type { Reason } from './decision.js';

/** How a member came to have an access: the reason it can be explained with. */
export type AccessPath =
  | { readonly kind: 'account_owner' }
  | { readonly kind: 'primary_clinician' }
  | { readonly kind: 'supervision'; readonly supervisee: MemberId }
  | { readonly kind: 'role'; readonly role: string }
  | { readonly kind: 'clinical_grant'; readonly expiresAt: number | null }
  | { readonly kind: 'shared_with_all' };

export interface ClientAccess {
  /** Profile and administrative data within the member's role; null: none. */
  readonly administrative: AccessPath | null;
  /** The full clinical record; null: none. */
  readonly clinical: AccessPath | null;
}

const capabilityCache = new WeakMap<object, RoleCapabilities>();

/** The member's role capabilities (cached per immutable member record). */
export function capabilities(team: Team, member: MemberId): RoleCapabilities {
  const facts = team.members.get(member);
  if (!facts) return NO_CAPABILITIES;
  let caps = capabilityCache.get(facts);
  if (!caps) capabilityCache.set(facts, (caps = capabilitiesOf(facts.roles)));
  return caps;
}

const NO_CAPABILITIES = capabilitiesOf([]);

const OWNER: AccessPath = { kind: 'account_owner' };
const PRIMARY: AccessPath = { kind: 'primary_clinician' };
const SHARED: AccessPath = { kind: 'shared_with_all' };

export function administrativeAccess(ctx: Context, member: MemberId, client: ClientFacts): AccessPath | null {
  const team = ctx.team;
  if (!team.members.has(member)) return null;
  if (member === team.ownerId) return OWNER;
  if (client.primary === member) return PRIMARY;
  const caps = capabilities(team, member);
  // 000 (Supervisor): held while the member supervises the primary clinician.
  if (caps.supervisor && supervises(team, member, client.primary)) {
    return { kind: 'supervision', supervisee: client.primary };
  }
  if (caps.administrativeByRole && !client.administrativeRevoked.has(member)) {
    return { kind: 'role', role: administrativeRoleName(team, member) };
  }
  return null;
}

export function clinicalAccess(ctx: Context, member: MemberId, client: ClientFacts): AccessPath | null {
  const team = ctx.team;
  if (!team.members.has(member)) return null;
  if (member === team.ownerId) return OWNER;
  if (client.primary === member) return PRIMARY;
  const caps = capabilities(team, member);
  if (caps.clinicianRole === null) return null;
  // 000: for clinicians whose roles carry administrative access, clinical access needs it.
  const administrativeHeld = !caps.administrativeByRole || administrativeAccess(ctx, member, client) !== null;
  if (!administrativeHeld) return null;
  if (caps.clinicalByRole) {
    return { kind: 'role', role: caps.clinicalAdministrator && caps.clinicianRole !== 'clinician_entire_practice' ? 'clinical_administrator' : 'clinician_entire_practice' };
  }
  const grant = client.grants.get(member);
  if (grant && (grant.expiresAt === null || grant.expiresAt > ctx.now)) {
    return { kind: 'clinical_grant', expiresAt: grant.expiresAt };
  }
  if (client.sharedWithAll) return SHARED;
  return null;
}

export function clientAccess(ctx: Context, member: MemberId, client: ClientFacts): ClientAccess {
  return { administrative: administrativeAccess(ctx, member, client), clinical: clinicalAccess(ctx, member, client) };
}

/** Any access at all: the member may see the client's profile and the data of their role. */
export function hasAnyAccess(ctx: Context, member: MemberId, client: ClientFacts): boolean {
  return administrativeAccess(ctx, member, client) !== null || clinicalAccess(ctx, member, client) !== null;
}

/** A live manual grant (not expired), whatever else the member holds. */
export function hasLiveGrant(ctx: Context, member: MemberId, client: ClientFacts): boolean {
  const grant = client.grants.get(member);
  return grant !== undefined && (grant.expiresAt === null || grant.expiresAt > ctx.now);
}

function administrativeRoleName(team: Team, member: MemberId): string {
  const roles = team.members.get(member)?.roles ?? [];
  for (const r of ['clinician_entire_practice', 'clinician_full_client_list', 'clinical_administrator', 'practice_manager', 'practice_biller', 'practice_scheduler'] as const) {
    if (roles.includes(r)) return r;
  }
  return 'administrative';
}

const ROLE_WORDS: Record<string, string> = {
  clinician_entire_practice: 'a clinician with entire practice access',
  clinician_full_client_list: 'a clinician with full client list access',
  clinical_administrator: 'a clinical administrator',
  practice_manager: 'a practice manager',
  practice_biller: 'a practice biller',
  practice_scheduler: 'a practice scheduler',
};

/** A sentence for an access path, e.g. "primary clinician of the client". */
export function explainPath(kind: 'clinical' | 'administrative', path: AccessPath): Reason {
  const what = kind === 'clinical' ? 'Clinical access' : 'Administrative access';
  switch (path.kind) {
    case 'account_owner':
      return { code: 'account_owner', text: `${what}: the account owner always has access to every client.` };
    case 'primary_clinician':
      return { code: 'primary_clinician', text: `${what}: the primary clinician has full access to the client.` };
    case 'supervision':
      return { code: 'supervision', text: `${what}: supervises the client's primary clinician.` };
    case 'role':
      return { code: `role:${path.role}`, text: `${what}: held by role, as ${ROLE_WORDS[path.role] ?? path.role}.` };
    case 'clinical_grant':
      return {
        code: 'clinical_grant',
        text:
          path.expiresAt === null
            ? `${what}: granted as a clinician with access.`
            : `${what}: granted as a clinician with access until ${new Date(path.expiresAt).toISOString()}.`,
      };
    case 'shared_with_all':
      return { code: 'shared_with_all', text: `${what}: the client is shared with all clinicians.` };
  }
}
