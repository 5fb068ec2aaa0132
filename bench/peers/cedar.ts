/**
 * The seed rules in Cedar (cedar-wasm, the WebAssembly build used from JavaScript).
 * Members and clients are entities; the one fact Cedar cannot look up by key - this
 * member's grant on this client and its end - travels in the request context.
 */
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { NEVER, type Peer, type PeerAction, type PeerChecker, type PeerPractice, type PeerRequest } from './model.js';

const ADMIN_ROLES = '["practice_manager", "practice_biller", "practice_scheduler", "clinician_entire_practice", "clinician_full_client_list", "clinical_administrator"]';
const CLINICIAN_ROLES = '["clinician_basic", "clinician_billing", "clinician_full_client_list", "clinician_entire_practice"]';
const BOTH = '[Action::"view_profile", Action::"view_chart"]';

export const CEDAR_POLICIES = `
// 003: the account owner; 000: the primary clinician.
permit (principal, action in ${BOTH}, resource) when { principal.roles.contains("account_owner") };
permit (principal, action in ${BOTH}, resource) when { resource.primary == principal };
// 000 Supervisor: administrative access while supervising the primary clinician.
permit (principal, action == Action::"view_profile", resource)
  when { principal.roles.contains("supervisor") && principal.supervisees.contains(resource.primary) };
// 000/001: administrative roles, unless the owner revoked the member on a restricted client.
permit (principal, action == Action::"view_profile", resource)
  when { principal.roles.containsAny(${ADMIN_ROLES}) && !resource.revoked.contains(principal) };
// 000: clinical access - by role (entire practice, 004 clinical administrator), a live grant
// (002) or shared with all (003) - and, for administrative roles, only with administrative access.
permit (principal, action in ${BOTH}, resource)
  when {
    principal.roles.containsAny(${CLINICIAN_ROLES}) &&
    (!principal.roles.containsAny(${ADMIN_ROLES}) ||
      !resource.revoked.contains(principal) ||
      (principal.roles.contains("supervisor") && principal.supervisees.contains(resource.primary))) &&
    (principal.roles.containsAny(["clinician_entire_practice", "clinical_administrator"]) ||
      (context.grantExpires > context.now) ||
      resource.shared)
  };
`;

let counter = 0;

export const cedarPeer: Peer = {
  name: 'Cedar',
  async prepare(p: PeerPractice): Promise<PeerChecker> {
    const id = `chartguard-${++counter}`;
    const parsed = cedar.preparsePolicySet(id, { staticPolicies: CEDAR_POLICIES });
    if (parsed.type !== 'success') throw new Error(`cedar: ${JSON.stringify(parsed.errors)}`);
    const memberEntity = new Map(
      [...p.members.values()].map((m) => [
        m.id,
        { uid: { type: 'Member', id: m.id }, attrs: { roles: [...m.roles], supervisees: m.supervisees.map((s) => ({ __entity: { type: 'Member', id: s } })) }, parents: [] },
      ]),
    );
    const clientEntity = new Map(
      [...p.clients.values()].map((c) => [
        c.id,
        {
          uid: { type: 'Client', id: c.id },
          attrs: { primary: { __entity: { type: 'Member', id: c.primary } }, shared: c.shared, revoked: c.revoked.map((r) => ({ __entity: { type: 'Member', id: r } })) },
          parents: [],
        },
      ]),
    );
    type Request = Parameters<typeof cedar.statefulIsAuthorized>[0];
    // The request as the application hands it to Cedar: principal, action, resource, the
    // member's grant on the client as context, and the two entities.
    const resolve = (member: string, action: PeerAction, client: string): PeerRequest | null => {
      const m = memberEntity.get(member);
      const c = clientEntity.get(client);
      if (!m || !c) return null;
      const grant = p.clients.get(client)!.grants.find((g) => g.member === member);
      // Cedar's Long is 64-bit signed: NEVER fits.
      const grantExpires = grant ? Math.trunc(Math.min(grant.expires, NEVER)) : -1;
      const request: Request = {
        principal: m.uid,
        action: { type: 'Action', id: action },
        resource: c.uid,
        context: { now: Math.trunc(p.now), grantExpires },
        preparsedPolicySetId: id,
        entities: [m, c] as never,
      };
      return request as unknown as PeerRequest;
    };
    const decide = (request: PeerRequest | null): boolean => {
      if (request === null) return false;
      const answer = cedar.statefulIsAuthorized(request as unknown as Request);
      if (answer.type !== 'success') throw new Error(`cedar: ${JSON.stringify(answer.errors)}`);
      return answer.response.decision === 'allow';
    };
    return { resolve, decide, check: (member, action, client) => decide(resolve(member, action, client)) };
  },
};
