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
import { memberProfile, type MemberProfile } from './member-profile.js';
import { capabilitiesOf, type RoleCapabilities } from './roles.js';
import type { Reason } from './decision.js';
import type { AccessPath, ClientAccess } from './access-path.js';

export type { AccessPath, ClientAccess } from './access-path.js';

const NO_CAPABILITIES = capabilitiesOf([]);

/** The member's role capabilities (derived once per team). */
export function capabilities(team: Team, member: MemberId): RoleCapabilities {
  return memberProfile(team, member)?.caps ?? NO_CAPABILITIES;
}

const OWNER: AccessPath = { kind: 'account_owner' };
const PRIMARY: AccessPath = { kind: 'primary_clinician' };
const SHARED: AccessPath = { kind: 'shared_with_all' };

export function administrativeAccess(ctx: Context, member: MemberId, client: ClientFacts): AccessPath | null {
  const team = ctx.team;
  if (member === team.ownerId) return OWNER;
  const p = memberProfile(team, member);
  if (!p) return null;
  if (client.primary === member) return PRIMARY;
  return administrativeByRoleOrSupervision(p, client);
}

function administrativeByRoleOrSupervision(p: MemberProfile, client: ClientFacts): AccessPath | null {
  // 000 (Supervisor): held while the member supervises the primary clinician.
  if (p.caps.supervisor) {
    const supervision = p.supervising.get(client.primary);
    if (supervision) return supervision;
  }
  if (p.caps.administrativeByRole && !client.administrativeRevoked.has(p.id)) return p.administrativeRole;
  return null;
}

/** Clinical access given the member's administrative access (already computed). */
function clinicalGiven(ctx: Context, client: ClientFacts, p: MemberProfile, admin: AccessPath | null): AccessPath | null {
  const caps = p.caps;
  if (caps.clinicianRole === null) return null;
  // 000: for clinicians whose roles carry administrative access, clinical access needs it.
  if (caps.administrativeByRole && admin === null) return null;
  if (caps.clinicalByRole) return p.clinicalRole;
  const grant = client.grants.size === 0 ? undefined : client.grants.get(p.id);
  if (grant && (grant.expiresAt === null || grant.expiresAt > ctx.now)) {
    return { kind: 'clinical_grant', expiresAt: grant.expiresAt };
  }
  if (client.sharedWithAll) return SHARED;
  return null;
}

export function clinicalAccess(ctx: Context, member: MemberId, client: ClientFacts): AccessPath | null {
  return clientAccess(ctx, member, client).clinical;
}

const NO_ACCESS: ClientAccess = { administrative: null, clinical: null };
const FULL_AS_OWNER: ClientAccess = { administrative: OWNER, clinical: OWNER };
const FULL_AS_PRIMARY: ClientAccess = { administrative: PRIMARY, clinical: PRIMARY };

/** Both accesses at once (administrative access is computed once and feeds the clinical rule). */
export function clientAccess(ctx: Context, member: MemberId, client: ClientFacts): ClientAccess {
  const p = memberProfile(ctx.team, member);
  return p ? memberAccess(ctx, p, client) : NO_ACCESS;
}

/** clientAccess() for a member whose profile the caller already holds. */
export function memberAccess(ctx: Context, p: MemberProfile, client: ClientFacts): ClientAccess {
  if (p.isOwner) return FULL_AS_OWNER;
  if (client.primary === p.id) return FULL_AS_PRIMARY;
  const administrative = administrativeByRoleOrSupervision(p, client);
  const clinical = clinicalGiven(ctx, client, p, administrative);
  if (administrative === p.byRole.administrative && clinical === p.byRole.clinical) return p.byRole;
  return administrative === null && clinical === null ? NO_ACCESS : { administrative, clinical };
}

/** Any access at all: the member may see the client's profile and the data of their role. */
export function hasAnyAccess(ctx: Context, member: MemberId, client: ClientFacts): boolean {
  const a = clientAccess(ctx, member, client);
  return a.administrative !== null || a.clinical !== null;
}

/** A live manual grant (not expired), whatever else the member holds. */
export function hasLiveGrant(ctx: Context, member: MemberId, client: ClientFacts): boolean {
  const grant = client.grants.get(member);
  return grant !== undefined && (grant.expiresAt === null || grant.expiresAt > ctx.now);
}

const ROLE_WORDS: Record<string, string> = {
  clinician_entire_practice: 'a clinician with entire practice access',
  clinician_full_client_list: 'a clinician with full client list access',
  clinical_administrator: 'a clinical administrator',
  practice_manager: 'a practice manager',
  practice_biller: 'a practice biller',
  practice_scheduler: 'a practice scheduler',
};

const reasonCache = new WeakMap<AccessPath, { clinical?: Reason; administrative?: Reason }>();

/** A sentence for an access path, e.g. "primary clinician of the client". */
export function explainPath(kind: 'clinical' | 'administrative', path: AccessPath): Reason {
  // Paths without a date or a name explain the same way every time: build each sentence once.
  if (path.kind === 'clinical_grant' || path.kind === 'supervision') return explain(kind, path);
  // Keyed by the path object itself: the owner's, a primary's and each member's role paths are shared objects.
  let byKind = reasonCache.get(path);
  if (!byKind) reasonCache.set(path, (byKind = {}));
  return (byKind[kind] ??= Object.freeze(explain(kind, path)));
}

function explain(kind: 'clinical' | 'administrative', path: AccessPath): Reason {
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
