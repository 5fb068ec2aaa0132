/**
 * The seed rules in CASL (@casl/ability): one Ability per member, built from the member's
 * roles; conditions are MongoDB queries over the client's attributes. Later rules win,
 * which gives "revoked unless primary clinician or supervisor" its natural order.
 */
import { AbilityBuilder, createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { SEED_ROLE_TABLE as T, type Peer, type PeerAction, type PeerChecker, type PeerMember, type PeerPractice, type PeerRequest } from './model.js';

const BOTH = ['view_profile', 'view_chart'];

export function abilityFor(m: PeerMember, now: number): MongoAbility {
  const { can, cannot, build } = new AbilityBuilder(createMongoAbility);
  const has = (roles: readonly string[]) => m.roles.some((r) => roles.includes(r));
  const clinician = has(T.clinician);
  const administrative = has(T.administrative);
  const liveGrant = { grants: { $elemMatch: { member: m.id, expires: { $gt: now } } } };
  // 000/002/003: clinicians see clients granted to them or shared with all.
  if (clinician) {
    can(BOTH, 'Client', { shared: true });
    can(BOTH, 'Client', liveGrant);
    // 000 entire practice access, 004 clinical administrators: every client.
    if (has(T.clinicalForAll)) can(BOTH, 'Client');
  }
  if (administrative) {
    // 000/001: administrative roles see every client until the owner revokes them;
    // revoking administrative access revokes clinical access too.
    can('view_profile', 'Client');
    cannot(BOTH, 'Client', { revoked: { $in: [m.id] } });
  }
  // 000 Supervisor: administrative access while supervising the primary clinician.
  if (m.roles.includes('supervisor') && m.supervisees.length > 0) {
    const supervised = { primary: { $in: [...m.supervisees] } };
    can('view_profile', 'Client', supervised);
    if (clinician && administrative) {
      can('view_chart', 'Client', { ...supervised, shared: true });
      can('view_chart', 'Client', { ...supervised, ...liveGrant });
      if (has(T.clinicalForAll)) can('view_chart', 'Client', supervised);
    }
  }
  // 000: the primary clinician; 003: the account owner.
  can(BOTH, 'Client', { primary: m.id });
  if (m.roles.includes('account_owner')) can(BOTH, 'Client');
  return build();
}

export const caslPeer: Peer = {
  name: 'CASL',
  async prepare(p: PeerPractice): Promise<PeerChecker> {
    const abilities = new Map([...p.members.values()].map((m) => [m.id, abilityFor(m, p.now)]));
    const subjects = new Map([...p.clients.values()].map((c) => [c.id, subject('Client', { ...c })]));
    type Request = { ability: MongoAbility; action: PeerAction; subject: ReturnType<typeof subject> };
    const resolve = (member: string, action: PeerAction, client: string): PeerRequest | null => {
      const ability = abilities.get(member);
      const s = subjects.get(client);
      return ability === undefined || s === undefined ? null : ({ ability, action, subject: s } satisfies Request as unknown as PeerRequest);
    };
    const decide = (request: PeerRequest | null): boolean => {
      const r = request as unknown as Request | null;
      return r !== null && r.ability.can(r.action, r.subject);
    };
    return { resolve, decide, check: (member, action, client) => decide(resolve(member, action, client)) };
  },
};
