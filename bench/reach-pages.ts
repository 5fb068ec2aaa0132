/**
 * The pages over a member's reach (src/store/reads/reach-pages.ts) against the whole-practice
 * reads they replace, on the benchmark's large practice (500 members, 100,000 clients; no
 * appointments: neither read touches them), for a member of each role, by_role and all_staff.
 *
 *   DATABASE_URL=postgres://... node --import tsx bench/reach-pages.ts   (PostgreSQL)
 *   node --import tsx bench/reach-pages.ts                               (PGlite, in memory)
 *
 * The practice `reach-bench-1` is seeded when absent (and left for the next run on a server).
 */
import { clientAccess, explainPath } from '../src/core/index.js';
import { ChartGuard } from '../src/store/chartguard.js';
import { txContext } from '../src/store/context.js';
import { openDatabase } from '../src/store/db/database.js';
import { migrate } from '../src/store/db/migrate.js';
import { loadClients } from '../src/store/facts/facts.js';
import { directoryPage, memberAccessPage } from '../src/store/reads/reach-pages.js';
import { ROLE_CYCLE, seedPractices } from './generate.js';

const url = process.env.DATABASE_URL;
const db = await openDatabase(url ? { url } : { dataDir: 'memory' });
await migrate(db);
const cg = ChartGuard.over(db);
const practice = 'reach-bench-1';
if ((await db.query('select 1 from chartguard.practices where id = $1', [practice])).length === 0) {
  const t0 = Date.now();
  await seedPractices(db, 'reach-bench-', 1, { members: 500, clients: 100_000, appointments: 0 });
  await db.query('analyze');
  console.log(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The median of `n` runs of `fn`, in ms; Infinity when it failed (the old reads can pass the statement timeout). */
async function median(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    try {
      await fn();
    } catch {
      return Infinity;
    }
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(n / 2)]!;
}

/** The old GET /api/members/:member/access (before issue 13): every client, read as the member, then the viewer's whole list. */
async function oldWhatCanAccess(viewer: string, member: string) {
  const mine = await cg.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(cg, tx, practice);
    return [...(await loadClients(tx, practice, null)).values()].filter((c) => {
      const a = clientAccess(ctx, member, c);
      return a.clinical || a.administrative;
    });
  });
  const seen = viewer === member ? null : new Set((await cg.list(practice, viewer, 'clients')).map((i) => i.id));
  return mine.filter((c) => seen === null || seen.has(c.id)).map((c) => ({ client: c.id, why: explainPath('clinical', { kind: 'primary_clinician' }) }));
}

const roleOf = (i: number) => (i === 0 ? 'account_owner' : ROLE_CYCLE[i % ROLE_CYCLE.length]!.join('+'));
const members = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => ({ id: `m${String(i).padStart(4, '0')}`, role: roleOf(i) }));
const fmt = (ms: number) => (ms === Infinity ? 'timeout' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));

console.log(`\n${url ? 'PostgreSQL' : 'PGlite'}, 100,000 clients, ms (median; old: 3 runs, pages: 9)\n`);
console.log('| member | directory | old | page 1 | page 2 | access (owner asks) | old | page 1 | page 2 |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const setting of ['by_role', 'all_staff'] as const) {
  await db.query('update chartguard.practices set client_directory = $2 where id = $1', [practice, setting]);
  await new Promise((r) => setTimeout(r, 200)); // the facts cache hears the change
  for (const m of members) {
    const first = await directoryPage(cg, practice, m.id, { limit: 50 });
    const dir = [
      await median(3, () => cg.list(practice, m.id, 'directory')),
      await median(9, () => directoryPage(cg, practice, m.id, { limit: 50 })),
      await median(9, () => directoryPage(cg, practice, m.id, { limit: 50, after: first.next })),
    ];
    if (setting === 'all_staff') {
      console.log(`| ${m.role} (${setting}) | ${first.items.length} | ${dir.map(fmt).join(' | ')} | | | | |`);
      continue;
    }
    const a1 = (await memberAccessPage(cg, practice, 'm0000', m.id, { limit: 50 }))!;
    const acc = [
      await median(3, () => oldWhatCanAccess('m0000', m.id)),
      await median(9, () => memberAccessPage(cg, practice, 'm0000', m.id, { limit: 50 })),
      await median(9, () => memberAccessPage(cg, practice, 'm0000', m.id, { limit: 50, after: a1.next })),
    ];
    console.log(`| ${m.role} | ${first.items.length} | ${dir.map(fmt).join(' | ')} | ${a1.items.length} | ${acc.map(fmt).join(' | ')} |`);
  }
}
await db.query('update chartguard.practices set client_directory = $2 where id = $1', [practice, 'by_role']);
await cg.close();
