/**
 * The seed rules in Casbin: an ABAC model whose policy lines are (role, action, rule), the
 * rule a Casbin expression over the request's member and client evaluated with eval().
 * Role membership and list membership are registered functions.
 */
import { newEnforcer, newModelFromString, type Enforcer } from 'casbin';
import { SEED_ROLE_TABLE as T, type Peer, type PeerAction, type PeerChecker, type PeerClient, type PeerPractice, type PeerRequest } from './model.js';

const MODEL = `
[request_definition]
r = sub, obj, act

[policy_definition]
p = role, act, rule

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == p.act && hasRole(r.sub.roles, p.role) && eval(p.rule)
`;

// A member's administrative access to the client (000, 001): primary clinician,
// supervising the primary clinician, or an administrative role not revoked.
const ADMIN = '(r.obj.primary == r.sub.id || (hasRole(r.sub.roles, "supervisor") && inList(r.sub.supervisees, r.obj.primary)) || (r.sub.administrative && !inList(r.obj.revoked, r.sub.id)))';
// Clinical access beyond role: a live grant (002) or shared with all (003).
const GRANTED = '(liveGrant(r.obj.grants, r.sub.id, r.sub.now) || r.obj.shared)';

const POLICIES: [role: string, action: string, rule: string][] = [
  ['account_owner', 'view_profile', 'true'],
  ['account_owner', 'view_chart', 'true'],
  ['*', 'view_profile', 'r.obj.primary == r.sub.id'],
  ['*', 'view_chart', 'r.obj.primary == r.sub.id'],
  ['supervisor', 'view_profile', 'inList(r.sub.supervisees, r.obj.primary)'],
  ...T.administrative.map((role): [string, string, string] => [role, 'view_profile', '!inList(r.obj.revoked, r.sub.id)']),
  // 000: clinical access of clinicians whose roles carry administrative access needs it.
  ...T.clinicalForAll.map((role): [string, string, string] => [role, 'view_chart', ADMIN]),
  ...T.clinician.flatMap((role): [string, string, string][] => [
    [role, 'view_chart', `(!r.sub.administrative || ${ADMIN}) && ${GRANTED}`],
    [role, 'view_profile', `(!r.sub.administrative || ${ADMIN}) && ${GRANTED}`],
  ]),
];

export async function casbinEnforcer(): Promise<Enforcer> {
  const e = await newEnforcer(newModelFromString(MODEL));
  e.addFunction('hasRole', (roles: string[], role: string) => role === '*' || roles.includes(role));
  e.addFunction('inList', (list: string[], x: string) => list.includes(x));
  e.addFunction('liveGrant', (grants: { member: string; expires: number }[], member: string, now: number) =>
    grants.some((g) => g.member === member && g.expires > now),
  );
  for (const p of POLICIES) await e.addPolicy(...p);
  return e;
}

export const casbinPeer: Peer = {
  name: 'Casbin',
  async prepare(p: PeerPractice): Promise<PeerChecker> {
    const e = await casbinEnforcer();
    const subs = new Map(
      [...p.members.values()].map((m) => [m.id, { ...m, administrative: m.roles.some((r) => (T.administrative as readonly string[]).includes(r)), now: p.now }]),
    );
    type Request = { sub: unknown; obj: PeerClient; action: PeerAction };
    const resolve = (member: string, action: PeerAction, client: string): PeerRequest | null => {
      const s = subs.get(member);
      const c = p.clients.get(client);
      return s === undefined || c === undefined ? null : ({ sub: s, obj: c, action } satisfies Request as unknown as PeerRequest);
    };
    const decide = (request: PeerRequest | null): boolean => {
      const r = request as unknown as Request | null;
      return r !== null && e.enforceSync(r.sub, r.obj, r.action);
    };
    return { resolve, decide, check: (member, action, client) => decide(resolve(member, action, client)) };
  },
};
