/**
 * The facts a peer engine is given, in the plain shape those engines expect (attributes of
 * a principal and a resource). Only data is converted here, never a rule: which roles
 * carry administrative or clinical access is written in each peer's own policy language
 * (casl.ts, casbin.ts, cedar.ts, cerbos.ts), from the seeds, independently of src/core.
 *
 * The peers encode the two permissions every engine can express with plain attributes:
 * client.view_profile (any access) and client.view_chart (clinical access).
 */
import type { ClientFacts, Team } from '../../src/core/index.js';

export const PEER_ACTIONS = ['view_profile', 'view_chart'] as const;
export type PeerAction = (typeof PEER_ACTIONS)[number];
/** The ChartGuard permission each peer action is: what the core is asked for the same decision. */
export const PEER_PERMISSION = { view_profile: 'client.view_profile', view_chart: 'client.view_chart' } as const satisfies Record<PeerAction, string>;

/** A single-check case with what ChartGuard's timed call takes, found by id beforehand. */
export interface CaseInHand {
  readonly member: string;
  readonly permission: (typeof PEER_PERMISSION)[PeerAction];
  /** view_chart: the predicate asked is clinicalAccess(), else hasAnyAccess(). */
  readonly chart: boolean;
  readonly client: ClientFacts;
}

/** The benchmark's cases (bench/measure.ts checkCases) with each client's facts looked up once. */
export function casesInHand(cases: readonly { member: string; client: string; action: PeerAction }[], clients: ReadonlyMap<string, ClientFacts>): CaseInHand[] {
  return cases.map((c) => ({ member: c.member, permission: PEER_PERMISSION[c.action], chart: c.action === 'view_chart', client: clients.get(c.client)! }));
}

/** A grant with no end date never expires. */
export const NEVER = Number.MAX_SAFE_INTEGER;

export interface PeerMember {
  readonly id: string;
  readonly roles: readonly string[];
  /** Clinicians this member supervises (supervision rows, whatever the roles). */
  readonly supervisees: readonly string[];
}

export interface PeerClient {
  readonly id: string;
  readonly primary: string;
  readonly restricted: boolean;
  readonly shared: boolean;
  /** Members whose administrative access the account owner revoked. */
  readonly revoked: readonly string[];
  readonly grants: readonly { member: string; expires: number }[];
}

export interface PeerPractice {
  readonly members: ReadonlyMap<string, PeerMember>;
  readonly clients: ReadonlyMap<string, PeerClient>;
  readonly now: number;
}

export function peerPractice(team: Team, clients: Iterable<ClientFacts>, now: number): PeerPractice {
  const supervisees = new Map<string, string[]>();
  for (const [supervisee, supervisors] of team.supervisorsOf) {
    for (const s of supervisors) (supervisees.get(s) ?? supervisees.set(s, []).get(s)!).push(supervisee);
  }
  const members = new Map<string, PeerMember>();
  for (const m of team.members.values()) members.set(m.id, { id: m.id, roles: [...m.roles], supervisees: supervisees.get(m.id) ?? [] });
  const out = new Map<string, PeerClient>();
  for (const c of clients) {
    out.set(c.id, {
      id: c.id,
      primary: c.primary,
      restricted: c.restricted,
      shared: c.sharedWithAll,
      revoked: [...c.administrativeRevoked],
      grants: [...c.grants].map(([member, g]) => ({ member, expires: g.expiresAt ?? NEVER })),
    });
  }
  return { members, clients: out, now };
}

/** One engine, prepared for one practice. */
export interface PeerChecker {
  check(member: string, action: PeerAction, client: string): boolean | Promise<boolean>;
  /**
   * In-process engines: the engine's own inputs for one question (its principal, resource and
   * context, found by id), so that decide() times the decision alone, as ChartGuard's check is
   * timed on the client facts in hand; null: an unknown member or client (decided as a denial).
   * check(m, a, c) is decide(resolve(m, a, c)).
   */
  resolve?(member: string, action: PeerAction, client: string): PeerRequest | null;
  decide?(request: PeerRequest | null): boolean;
  /** Many decisions in one call, where the engine has a batch API (Cerbos). */
  checkMany?(member: string, action: PeerAction, clients: readonly string[]): Promise<boolean[]>;
  close?(): Promise<void>;
}

/** An engine's resolved inputs for one decision (opaque outside the engine). */
export type PeerRequest = { readonly __peerRequest: unique symbol };

export interface Peer {
  readonly name: string;
  prepare(practice: PeerPractice): Promise<PeerChecker>;
  /** Stops what the peer started (a PDP process). */
  shutdown?(): Promise<void>;
}

/** 000/001/004: roles that carry administrative access; 000: the clinician roles. */
export const SEED_ROLE_TABLE = {
  administrative: ['practice_manager', 'practice_biller', 'practice_scheduler', 'clinician_entire_practice', 'clinician_full_client_list', 'clinical_administrator'],
  clinician: ['clinician_basic', 'clinician_billing', 'clinician_full_client_list', 'clinician_entire_practice'],
  clinicalForAll: ['clinician_entire_practice', 'clinical_administrator'],
} as const;
