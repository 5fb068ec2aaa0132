/**
 * The database's copy of the access predicate, chartguard.access_bits (src/store/db/access-policy.ts),
 * decides exactly as the core's clientAccess() (src/core/client-access.ts): for every
 * (member, client) pair of random practices, after random command sequences (grants,
 * time-limited grants, revocations, reassignments, role and supervision changes), at
 * several instants of the practice clock, the exact instants grants expire included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientAccess, DAY_MS } from '../../src/core/index.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { loadClients, loadTeam } from '../../src/store/facts/facts.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { sequence, type Sequence } from '../support/generators.js';

const RUNS = Number(process.env.CHARTGUARD_POLICY_RUNS ?? 150);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Always run too: a time-limited grant, so the clock part never depends on what the random runs drew. */
const TIMED_GRANT: Sequence = {
  practice: {
    members: [
      { id: 'olivia', roles: ['account_owner'] },
      { id: 'ana', roles: ['clinician_basic'] },
      { id: 'ben', roles: ['clinician_basic'] },
    ],
    clients: [{ id: 'c1', primary: 'ana', restricted: false, sharedWithAll: false, person: null }],
    supervision: [],
  },
  steps: [{ kind: 'command', actor: 'olivia', command: { type: 'grant_clinical', client: 'c1', member: 'ben', untilDays: 1 } }],
};

/** Always run too: a deactivated member who held a grant, supervision and an administrative role (every check refused). */
const DEACTIVATED: Sequence = {
  practice: {
    members: [
      { id: 'olivia', roles: ['account_owner'] },
      { id: 'ana', roles: ['clinician_basic'] },
      { id: 'ben', roles: ['clinician_basic'] },
      { id: 'mia', roles: ['practice_manager'] },
      { id: 'sam', roles: ['clinician_basic', 'supervisor'] },
    ],
    clients: [{ id: 'c1', primary: 'ana', restricted: false, sharedWithAll: true, person: null }],
    supervision: [{ supervisor: 'sam', supervisee: 'ana' }],
  },
  steps: [
    { kind: 'command', actor: 'olivia', command: { type: 'grant_clinical', client: 'c1', member: 'ben', untilDays: null } },
    { kind: 'command', actor: 'olivia', command: { type: 'deactivate_member', member: 'ben' } },
    { kind: 'command', actor: 'olivia', command: { type: 'deactivate_member', member: 'mia' } },
    { kind: 'command', actor: 'olivia', command: { type: 'deactivate_member', member: 'sam' } },
  ],
};

describe.each(databaseKinds())('chartguard.access_bits on %s', (kind) => {
  it(`equals clientAccess() for every member and client of ${RUNS} random practices`, async () => {
    const db = await database(kind);
    let now = START;
    const cg = ChartGuard.over(db, () => now);
    let pairs = 0;
    let expiredGrants = 0;
    let inactivePairs = 0;
    await fc.assert(
      fc.asyncProperty(sequence({ maxSteps: 12 }), async (seq) => {
        now = START;
        const practice = newPracticeId('policy');
        await cg.createPractice({ id: practice, ...seq.practice });
        for (const step of seq.steps) {
          if (step.kind === 'advance') now += step.days * DAY_MS;
          else await cg.execute(practice, step.actor, step.command);
        }
        const { team, clients } = await cg.within(practice, null, 'system', async (tx) => ({ team: await loadTeam(tx, practice), clients: await loadClients(tx, practice, null) }));
        // The clock: now, later (grants expire), and each grant's last millisecond and expiry instant.
        const instants = new Set([START, now, now + DAY_MS, now + 5 * DAY_MS]);
        for (const c of clients.values()) {
          for (const g of c.grants.values()) {
            if (g.expiresAt !== null) instants.add(g.expiresAt).add(g.expiresAt - 1);
          }
        }
        const members = [...team.members.keys(), ...team.inactive.keys(), 'ghost'];
        inactivePairs += team.inactive.size * clients.size;
        for (const at of instants) {
          const rows = await cg.within(practice, null, 'system', (tx) =>
            tx.query<{ member: string; client: string; bits: number }>(
              `select m.member, c.id as client, chartguard.access_bits($1, m.member, c.id, to_timestamp($2::float8 / 1000)) as bits
                 from unnest($3::text[]) as m(member) cross join chartguard.clients c where c.practice_id = $1`,
              [practice, at, members],
            ),
          );
          expect(rows.length).toBe(members.length * clients.size);
          for (const r of rows) {
            const a = clientAccess({ team, now: at }, r.member, clients.get(r.client)!);
            const expected = (a.administrative ? 1 : 0) | (a.clinical ? 2 : 0);
            expect(Number(r.bits), `${r.member} on ${r.client} at +${(at - START) / DAY_MS} days`).toBe(expected);
            pairs++;
            const g = clients.get(r.client)!.grants.get(r.member);
            if (g?.expiresAt != null && g.expiresAt <= at) expiredGrants++;
          }
        }
      }),
      { numRuns: RUNS, examples: [[TIMED_GRANT], [DEACTIVATED]] },
    );
    // The runs must have reached expired grants, or the clock part proves nothing.
    expect(expiredGrants).toBeGreaterThan(0);
    // And deactivated members, or the deactivation part proves nothing.
    expect(inactivePairs).toBeGreaterThan(0);
    expect(pairs).toBeGreaterThan(RUNS * 10);
  }, 600_000);
});
