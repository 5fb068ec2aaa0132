/**
 * The claims page (reads/claims.ts) on random practices and command sequences (claims among
 * them, generators.ts `claimStory`): walked a page at a time, it holds exactly the claims whose
 * client's billing the core lets the member see (seesCharge), newest first, and a single claim
 * opens for exactly those members; on every database kind.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, seesCharge } from '../../src/core/index.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { loadClients, loadTeam } from '../../src/store/facts/facts.js';
import { claimPage, openClaim } from '../../src/store/reads/claims.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { claimStory, sequence } from '../support/generators.js';

const RUNS = Number(process.env.CHARTGUARD_CLAIM_RUNS ?? 25);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

describe.each(databaseKinds())('claims pages on %s', (kind) => {
  it(`equal the claims whose billing the member may see (${RUNS} random practices)`, async () => {
    const db = await database(kind);
    let now = START;
    const cg = ChartGuard.over(db, () => now);
    let claims = 0;
    let hidden = 0;
    // A random sequence, then a few claims' lives after it.
    const withClaims = sequence({ maxSteps: 12 }).chain((seq) => fc.array(claimStory(seq.practice), { minLength: 2, maxLength: 4 }).map((s) => ({ ...seq, steps: [...seq.steps, ...s.flat()] })));
    await fc.assert(
      fc.asyncProperty(withClaims, async (seq) => {
        now = START;
        const practice = newPracticeId('claims');
        await cg.createPractice({ id: practice, ...seq.practice });
        for (const step of seq.steps) {
          now += 1000;
          if (step.kind === 'advance') now += step.days * DAY_MS;
          else await cg.execute(practice, step.actor, step.command);
        }
        const { team, clients } = await cg.within(practice, null, 'system', async (tx) => ({ team: await loadTeam(tx, practice), clients: await loadClients(tx, practice, null) }));
        const rows = await cg.within(practice, null, 'system', (tx) =>
          tx.query<{ id: string; client_id: string }>('select id, client_id from chartguard.claims where practice_id = $1 order by created_at desc, id desc', [practice]),
        );
        claims += rows.length;
        const ctx = { team, now };
        for (const member of team.members.keys()) {
          const expected = rows.filter((r) => seesCharge(ctx, member, clients.get(r.client_id)!)).map((r) => r.id);
          hidden += rows.length - expected.length;
          const paged: string[] = [];
          let after: { createdAt: number; id: string } | null = null;
          do {
            const page = await claimPage(cg, practice, member, { limit: 1, after });
            paged.push(...page.items.map((k) => k.id));
            after = page.next;
          } while (after !== null);
          expect(paged, member).toEqual(expected);
          for (const r of rows) expect((await openClaim(cg, practice, member, r.id)) !== null, `${member} opens ${r.id}`).toBe(expected.includes(r.id));
        }
      }),
      { numRuns: RUNS },
    );
    // The runs must hold claims, some of them hidden from someone, or they prove little.
    expect(claims).toBeGreaterThan(RUNS / 2);
    expect(hidden).toBeGreaterThan(0);
  });
});
