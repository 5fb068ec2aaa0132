/**
 * What the access rules read about one member, derived once per team: the role
 * capabilities, the access paths the roles give, and whom the member supervises.
 *
 * A Team is an immutable value (makeTeam builds a new one for every change), so every
 * member's profile is computed the first time a rule asks about the team and then found
 * with one lookup per check, instead of re-reading roles and supervision each time.
 * Members with the same roles share their capabilities and role paths: a practice of 500
 * members holds a dozen of each, which stay in the cache next to the clients a check reads.
 */
import type { AccessPath, ClientAccess } from './access-path.js';
import type { MemberId, Team } from './practice.js';
import { capabilitiesOf, type Role, type RoleCapabilities } from './roles.js';

export interface MemberProfile {
  readonly id: MemberId;
  /** The team's account owner (team.ownerId), told apart without comparing ids on every check. */
  readonly isOwner: boolean;
  readonly caps: RoleCapabilities;
  /** The path for administrative access held by role (one object per member, not per check). */
  readonly administrativeRole: AccessPath;
  /** The path for clinical access held by role. */
  readonly clinicalRole: AccessPath;
  /** What the roles alone give on a client with no revocation (returned as is, not rebuilt per check). */
  readonly byRole: ClientAccess;
  /** Supervisee id -> the path "supervises the client's primary clinician" (supervision rows, whatever the roles). */
  readonly supervising: ReadonlyMap<MemberId, AccessPath>;
}

const profilesByTeam = new WeakMap<Team, ReadonlyMap<MemberId, MemberProfile>>();
/** The team asked about last and its profiles: checks come in runs on one team. */
let lastTeam: Team | null = null;
let lastProfiles: ReadonlyMap<MemberId, MemberProfile> = new Map();

/** The member's profile; undefined: not a member of the team. */
export function memberProfile(team: Team, member: MemberId): MemberProfile | undefined {
  if (team !== lastTeam) {
    let profiles = profilesByTeam.get(team);
    if (!profiles) profilesByTeam.set(team, (profiles = profilesOf(team)));
    lastTeam = team;
    lastProfiles = profiles;
  }
  return lastProfiles.get(member);
}

const NOT_SUPERVISING: ReadonlyMap<MemberId, AccessPath> = new Map();

function profilesOf(team: Team): ReadonlyMap<MemberId, MemberProfile> {
  const supervising = new Map<MemberId, Map<MemberId, AccessPath>>();
  for (const [supervisee, supervisors] of team.supervisorsOf) {
    for (const s of supervisors) {
      let paths = supervising.get(s);
      if (!paths) supervising.set(s, (paths = new Map()));
      paths.set(supervisee, { kind: 'supervision', supervisee });
    }
  }
  const profiles = new Map<MemberId, MemberProfile>();
  for (const [id, facts] of team.members) {
    profiles.set(id, {
      id,
      isOwner: id === team.ownerId,
      ...roleProfile(facts.roles),
      supervising: supervising.get(id) ?? NOT_SUPERVISING,
    });
  }
  return profiles;
}

/** The part of a profile the roles decide alone, shared by every member with those roles. */
type RoleProfile = Pick<MemberProfile, 'caps' | 'administrativeRole' | 'clinicalRole' | 'byRole'>;

const roleProfiles = new Map<string, RoleProfile>();
function roleProfile(roles: readonly Role[]): RoleProfile {
  const key = roles.join(',');
  let shared = roleProfiles.get(key);
  if (!shared) {
    const caps = capabilitiesOf(roles);
    const administrativeRole: AccessPath = { kind: 'role', role: administrativeRoleName(roles) };
    const clinicalRole: AccessPath = {
      kind: 'role',
      role: caps.clinicalAdministrator && caps.clinicianRole !== 'clinician_entire_practice' ? 'clinical_administrator' : 'clinician_entire_practice',
    };
    shared = {
      caps,
      administrativeRole,
      clinicalRole,
      byRole: {
        administrative: caps.administrativeByRole ? administrativeRole : null,
        clinical: caps.clinicalByRole && caps.clinicianRole !== null ? clinicalRole : null,
      },
    };
    roleProfiles.set(key, shared);
  }
  return shared;
}

function administrativeRoleName(roles: readonly Role[]): string {
  for (const r of ['clinician_entire_practice', 'clinician_full_client_list', 'clinical_administrator', 'practice_manager', 'practice_biller', 'practice_scheduler'] as const) {
    if (roles.includes(r)) return r;
  }
  return 'administrative';
}
