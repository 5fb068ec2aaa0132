/**
 * The pages over a member's reach (src/store/reads/reach-pages.ts: the client directory and
 * "what can this member access, and why") answer what the old whole-practice reads
 * answered and what the core's single checks allow: on random practices (random command
 * sequences, then clients added with tied names, restricted, shared and granted), on PGlite
 * and PostgreSQL, for every member and every viewer, walking every page with a small random
 * page size. The directory's pages joined are ChartGuard.list(…, 'directory'), item for
 * item and in the same order; a member's access is the old whatCanAccess (kept here as the
 * reference: every client of the practice, read as the member, then the viewer's list).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contactScope, inContactScope } from '../../src/core/client-scope.js';
import { canViewMemberAccess, clientAccess, explainPath, seesClient, seesContact } from '../../src/core/index.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { txContext } from '../../src/store/context.js';
import { loadClients } from '../../src/store/facts/facts.js';
import type { KeysetPage } from '../../src/store/reads/keyset.js';
import { directoryPage, memberAccessPage, type IdCursor, type MemberAccessItem, type NameCursor } from '../../src/store/reads/reach-pages.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { walk } from '../support/pages.js';
import { sequence } from '../support/generators.js';
import { replay } from '../support/replay.js';
import { loadAll } from '../properties/store.js';

const RUNS = Number(process.env.CHARTGUARD_REACH_PAGE_RUNS ?? 20);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The old whatCanAccess (before issue 13), verbatim but for its store: every client of the practice, then the viewer's list. */
async function oldWhatCanAccess(cg: ChartGuard, practice: string, viewer: string, member: string) {
  const team = await cg.facts.team(practice);
  if (!team.members.has(member)) return null;
  const self = viewer === member;
  if (!canViewMemberAccess({ team, now: cg.now() }, viewer, member).allowed) return undefined;
  const mine = await cg.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(cg, tx, practice);
    const clients = await loadClients(tx, practice, null);
    return [...clients.values()].map((c) => ({ c, a: clientAccess(ctx, member, c) })).filter((x) => x.a.clinical || x.a.administrative);
  });
  const visibleToViewer = self ? null : new Set((await cg.list(practice, viewer, 'clients')).map((i) => i.id));
  return mine
    .filter((x) => visibleToViewer === null || visibleToViewer.has(x.c.id))
    .sort((x, y) => x.c.id.localeCompare(y.c.id))
    .map(({ c, a }) => ({
      client: c.id,
      clinical: a.clinical ? explainPath('clinical', a.clinical) : null,
      administrative: a.administrative ? explainPath('administrative', a.administrative) : null,
    }));
}

/** Clients with tied and distinct names, each primary clinician's, some restricted, shared or granted. */
async function addClients(cg: ChartGuard, practice: string, owner: string, members: readonly string[], salt: number): Promise<void> {
  for (let i = 0; i < 8; i++) {
    const id = `r${(i * 7 + salt) % 10}-${i}`;
    const primary = members[(salt + i) % members.length]!;
    await cg.execute(practice, owner, { type: 'create_client', id, name: i % 3 === 0 ? 'Same Name' : `Name ${(salt + i) % 5}`, primary, person: null, intakeLink: null });
    if ((salt + i) % 3 === 0) await cg.execute(practice, owner, { type: 'share_with_all', client: id, on: true });
    const grantee = members[(salt + 2 * i + 1) % members.length]!;
    if ((salt + i) % 2 === 0) await cg.execute(practice, owner, { type: 'grant_clinical', client: id, member: grantee, untilDays: i % 4 === 0 ? 1 : null });
    if ((salt + i) % 4 < 2) await cg.execute(practice, owner, { type: 'restrict', client: id });
    if ((salt + i) % 4 === 0) await cg.execute(practice, owner, { type: 'revoke_administrative', client: id, member: grantee });
  }
}

describe.each(databaseKinds())('pages over a member\'s reach on %s', (kind) => {
  it(`equal the old whole-practice reads and the core's single checks on ${RUNS} random practices`, async () => {
    let now = START;
    const cg = ChartGuard.over(await database(kind), () => now);
    let seen = 0;
    let multiPage = 0;
    await fc.assert(
      fc.asyncProperty(sequence({ maxSteps: 12 }), fc.integer({ min: 1, max: 3 }), fc.nat(), fc.boolean(), async (seq, limit, salt, later) => {
        now = START;
        const practice = newPracticeId('reach-page');
        await replay(cg, practice, seq, (ms) => (now += ms));
        const members = seq.practice.members.map((m) => m.id);
        const owner = seq.practice.members.find((m) => m.roles.includes('account_owner'))!.id;
        await addClients(cg, practice, owner, members, salt);
        // Some one-day grants have expired by now.
        if (later) now += 2 * 86_400_000;
        const stored = await loadAll(cg, practice);
        const ctx = { team: stored.team, now };
        const clients = [...stored.rows.clients.values()];
        for (const m of [...members, 'stranger']) {
          const directory = await walk<unknown, NameCursor>(limit, (after) => directoryPage(cg, practice, m, { limit, after }));
          expect(directory, `${m}'s directory`).toEqual(await cg.list(practice, m, 'directory'));
          const ids = (directory as { id: string }[]).map((x) => x.id).sort();
          expect(ids, `${m}'s directory (core)`).toEqual(clients.filter((c) => seesContact(ctx, m, c)).map((c) => c.id).sort());
          // The core's scope holds every client seesContact allows (it only narrows).
          const scope = contactScope(ctx, m);
          for (const c of clients) if (seesContact(ctx, m, c)) expect(inContactScope(scope, c), `${m} ${c.id} contact scope`).toBe(true);
          seen += directory.length;
          if (directory.length > limit) multiPage++;
          for (const viewer of [...members, 'stranger']) {
            const old = await oldWhatCanAccess(cg, practice, viewer, m);
            const first = await memberAccessPage(cg, practice, viewer, m, { limit });
            if (!first) {
              expect(first, `${viewer} on ${m}`).toBe(old);
              continue;
            }
            const got = await walk<MemberAccessItem, IdCursor>(limit, async (after) => (await memberAccessPage(cg, practice, viewer, m, { limit, after }))!);
            expect(got, `${viewer} on what ${m} can access`).toEqual(old);
            const core = clients.filter((c) => {
              const a = clientAccess(ctx, m, c);
              return (a.clinical || a.administrative) && (viewer === m || seesClient(ctx, viewer, c));
            });
            expect(got.map((x) => x.client).sort(), `${viewer} on what ${m} can access (core)`).toEqual(core.map((c) => c.id).sort());
            seen += got.length;
            if (got.length > limit) multiPage++;
          }
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(seen).toBeGreaterThan(0);
    expect(multiPage).toBeGreaterThan(0);
  }, 600_000);
});
