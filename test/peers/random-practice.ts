/**
 * Random practices as plain data, for the differential tests (peers, client pages): every
 * rule input the seeds name - roles, supervision, primary clinicians, restricted access,
 * sharing, grants (some expired), administrative revocations - in small numbers, so that
 * every combination shows up within a few hundred cases.
 */
import fc from 'fast-check';
import { makeClient, makeTeam, type ClientFacts, type Context, type Role } from '../../src/core/index.js';

export const ROLE_SETS: readonly (readonly Role[])[] = [
  ['practice_manager'],
  ['practice_biller'],
  ['practice_scheduler'],
  ['practice_administrator'],
  ['clinician_basic'],
  ['clinician_billing'],
  ['clinician_full_client_list'],
  ['clinician_entire_practice'],
  ['clinician_basic', 'clinical_administrator'],
  ['clinician_basic', 'supervisor'],
  ['clinician_full_client_list', 'supervisor'],
  ['supervisor'],
  ['supervisor', 'practice_manager'],
  ['practice_biller', 'clinician_basic'],
];

export const NOW = Date.UTC(2026, 0, 15);
const DAY = 86_400_000;

export interface RandomPractice {
  readonly members: { id: string; roles: readonly Role[] }[];
  readonly supervision: { supervisor: string; supervisee: string }[];
  readonly clients: {
    id: string;
    name: string;
    primary: string;
    restricted: boolean;
    sharedWithAll: boolean;
    grants: { member: string; expiresAt: number | null }[];
    revoked: string[];
  }[];
  readonly appointments: { id: string; client: string; clinician: string; fee: number; startsAt: number }[];
}

const isClinician = (roles: readonly Role[]) => roles.some((r) => r.startsWith('clinician_'));

export function randomPractice(opts: { maxMembers?: number; maxClients?: number; appointments?: boolean } = {}): fc.Arbitrary<RandomPractice> {
  const maxMembers = opts.maxMembers ?? 7;
  const maxClients = opts.maxClients ?? 12;
  return fc
    .record({
      roleIdx: fc.array(fc.nat(ROLE_SETS.length - 1), { minLength: 1, maxLength: maxMembers }),
      clinicianOnly: fc.nat(3),
      seeds: fc.array(fc.nat(1_000_000), { minLength: 200, maxLength: 200 }),
      nClients: fc.integer({ min: 1, max: maxClients }),
    })
    .map(({ roleIdx, clinicianOnly, seeds, nClients }) => {
      let k = 0;
      const rnd = (n: number) => (seeds[k++ % seeds.length]! + k * 7919) % n;
      const members = [{ id: 'owner', roles: ['account_owner'] as readonly Role[] }];
      roleIdx.forEach((i, j) => members.push({ id: `m${j}`, roles: ROLE_SETS[i]! }));
      // Always at least one non-owner clinician, so primaries vary.
      members.push({ id: `c${clinicianOnly}`, roles: ['clinician_basic'] });
      const clinicians = members.filter((m) => isClinician(m.roles) || m.id === 'owner').map((m) => m.id);
      const supervisors = members.filter((m) => m.roles.includes('supervisor')).map((m) => m.id);
      const supervisees = members.filter((m) => isClinician(m.roles)).map((m) => m.id);
      const supervision: RandomPractice['supervision'] = [];
      for (const s of supervisors) {
        for (const e of supervisees) if (s !== e && rnd(3) === 0) supervision.push({ supervisor: s, supervisee: e });
      }
      const clients: RandomPractice['clients'] = [];
      for (let i = 0; i < nClients; i++) {
        const restricted = rnd(3) === 0;
        const grants: RandomPractice['clients'][number]['grants'] = [];
        const revoked: string[] = [];
        for (const m of members) {
          if (m.id === 'owner') continue;
          const r = rnd(8);
          if (r === 0) grants.push({ member: m.id, expiresAt: null });
          else if (r === 1) grants.push({ member: m.id, expiresAt: NOW + (rnd(2) === 0 ? -DAY : DAY) });
          if (restricted && rnd(3) === 0) revoked.push(m.id);
        }
        clients.push({
          id: `k${String(i).padStart(3, '0')}`,
          // Names repeat, so the id breaks ties in the page order.
          name: `Client ${String.fromCharCode(65 + rnd(5))}`,
          primary: clinicians[rnd(clinicians.length)]!,
          restricted,
          sharedWithAll: rnd(6) === 0,
          grants,
          revoked,
        });
      }
      const appointments: RandomPractice['appointments'] = [];
      if (opts.appointments !== false) {
        for (let i = 0; i < nClients * 2; i++) {
          const client = clients[rnd(clients.length)]!;
          appointments.push({
            id: `a${String(i).padStart(4, '0')}`,
            client: client.id,
            clinician: rnd(2) === 0 ? client.primary : clinicians[rnd(clinicians.length)]!,
            fee: rnd(4) === 0 ? 0 : 50 + rnd(200) + rnd(100) / 100,
            startsAt: NOW + rnd(20) * 3_600_000,
          });
        }
      }
      return { members, supervision, clients, appointments };
    });
}

/** The practice as the core's facts. */
export function coreFacts(p: RandomPractice): { ctx: Context; clients: ClientFacts[] } {
  const team = makeTeam({ members: p.members, supervision: p.supervision });
  const clients = p.clients.map((c) =>
    makeClient({
      id: c.id,
      primary: c.primary,
      restricted: c.restricted,
      sharedWithAll: c.sharedWithAll,
      grants: c.grants.map((g) => [g.member, { expiresAt: g.expiresAt }] as const),
      administrativeRevoked: c.revoked,
    }),
  );
  return { ctx: { team, now: NOW }, clients };
}
