/**
 * The single access check alone, in a few seconds: `npm run bench:checks`.
 *
 * Builds the small and large practices of bench/generate.ts in memory (the same members,
 * supervision, primaries, grants and revocations as the SQL: makeTeam as loadTeam does, and
 * the rows loadClients reads through its own clientsFromRows), then times, on the same 4,096
 * random (member, client, permission) cases as `npm run bench`, ChartGuard canOnClient,
 * the ChartGuard predicate and CASL, and prints medians and ratios from one process: each on
 * its inputs found by id beforehand (the headline figure), and canOnClient and CASL by id too.
 *
 * `--pglite` seeds the practices in an in-memory PGlite instead (no appointments) and
 * loads them with loadTeam/loadClients, as `npm run bench` does. `--size small|large`
 * runs one size; `--rounds N` repeats the three measurements N times (default 3);
 * `--engine lookup|core|core-by-id|predicate|casl|casl-by-id` times one of them only (lookup:
 * the loop and `clients.get(id)` alone, what the by-id figure adds to the check) (for `node --cpu-prof`).
 */
import { canOnClient, clinicalAccess, hasAnyAccess, makeTeam, type ClientFacts, type Context, type MemberId, type Role } from '../src/core/index.js';
import { clientsFromRows, type ClientFactsRow } from '../src/store/facts/facts.js';
import { clientId, memberId, ROLE_CYCLE, type PracticeSize } from './generate.js';
import { checkCases, timeSync, type Stats } from './measure.js';
import { caslPeer } from './peers/casl.js';
import { PEER_PERMISSION, casesInHand, peerPractice, type PeerAction } from './peers/model.js';

const SIZES: Record<'small' | 'large', PracticeSize> = {
  small: { members: 20, clients: 2_000, appointments: 0 },
  large: { members: 500, clients: 100_000, appointments: 0 },
};
const DAY = 86_400_000;
const CLINICIAN_ROLES = ['clinician_basic', 'clinician_billing', 'clinician_full_client_list', 'clinician_entire_practice'];

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

/** The practice of bench/generate.ts `seedPractices`, row for row, as core facts. */
function inMemory(size: PracticeSize, now: number): { ctx: Context; clients: Map<string, ClientFacts> } {
  const roles = (i: number) => (i === 0 ? ['account_owner'] : ROLE_CYCLE[i % ROLE_CYCLE.length]!) as Role[];
  const members = Array.from({ length: size.members }, (_, i) => ({ id: memberId(i), roles: roles(i) }));
  const supervision: { supervisor: MemberId; supervisee: MemberId }[] = [];
  for (let i = 0; i < size.members; i++) {
    if (i % ROLE_CYCLE.length !== 6) continue;
    for (let d = 4; d <= 6; d++) if (i + d < size.members) supervision.push({ supervisor: memberId(i), supervisee: memberId(i + d) });
  }
  const team = makeTeam({ members, supervision });
  // Indexes of the members who may be primary: every clinician but the owner.
  const clinicians: number[] = [];
  for (let i = 1; i < size.members; i++) if (roles(i).some((r) => CLINICIAN_ROLES.includes(r))) clinicians.push(i);
  // The rows loadClients reads, each with its own strings as the driver returns them.
  const rows: ClientFactsRow[] = [];
  for (let i = 1; i <= size.clients; i++) {
    const grant = i % 20 !== 3 ? null : ([memberId(clinicians[(i * 40503 + 17) % clinicians.length]!), i % 100 === 3 ? now - DAY : i % 100 === 43 ? now + 30 * DAY : null] as [string, number | null]);
    const revoked: MemberId[] = [];
    if (i % 50 === 0) {
      for (let m = 0; m <= Math.min(size.members - 1, 99); m++) {
        if ([2, 4].includes(m % ROLE_CYCLE.length) && (Math.floor(i / 50) + m) % 2 === 0) revoked.push(memberId(m));
      }
    }
    rows.push({
      id: clientId(i),
      primary_clinician: memberId(clinicians[(i * 2654435761) % clinicians.length]!),
      restricted: i % 50 === 0,
      shared_with_all: i % 200 === 7,
      person: null,
      grants: grant ? [grant] : null,
      revoked: revoked.length > 0 ? revoked : null,
    });
  }
  const clients = clientsFromRows(rows);
  return { ctx: { team, now }, clients };
}

/** The same practice seeded by bench/generate.ts in an in-memory PGlite, loaded as the store does. */
async function fromPglite(sizeName: 'small' | 'large', size: PracticeSize): Promise<{ ctx: Context; clients: Map<string, ClientFacts> }> {
  const { openDatabase } = await import('../src/store/db/database.js');
  const { migrate } = await import('../src/store/db/migrate.js');
  const { ChartGuard } = await import('../src/store/chartguard.js');
  const { loadClients, loadTeam } = await import('../src/store/facts/facts.js');
  const { seedPractices } = await import('./generate.js');
  const db = await openDatabase({ dataDir: 'memory' });
  await migrate(db);
  const guard = ChartGuard.over(db);
  const [practice] = await seedPractices(db, `${sizeName}-`, 1, size);
  const facts = await guard.within(practice!, null, 'system', async (tx) => ({
    ctx: { team: await loadTeam(tx, practice!), now: guard.now() },
    clients: await loadClients(tx, practice!, null),
  }));
  await guard.close();
  return facts;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}


interface Round {
  /** The loop alone with `clients.get(id)`: what the by-id figure adds to the check. */
  readonly lookup: Stats | null;
  /** canOnClient on the client facts in hand (the benchmark's headline figure). */
  readonly core: Stats | null;
  /** canOnClient by id: `clients.get(id)` inside the timed call. */
  readonly coreById: Stats | null;
  readonly predicate: Stats | null;
  /** CASL on its ability and subject in hand (PeerChecker.decide). */
  readonly casl: Stats | null;
  readonly caslById: Stats | null;
}

async function measure(sizeName: string, facts: { ctx: Context; clients: Map<string, ClientFacts> }, rounds: number, engine: string | undefined): Promise<Round[]> {
  const { ctx, clients } = facts;
  const members = [...ctx.team.members.keys()];
  const cases = checkCases<PeerAction>(members, [...clients.keys()], ['view_profile', 'view_chart']);
  const N = cases.length;
  const inHand = casesInHand(cases, clients);
  const checker = await caslPeer.prepare(peerPractice(ctx.team, clients.values(), ctx.now));
  const requests = cases.map((c) => checker.resolve!(c.member, c.action, c.client));
  const runs = (name: string) => engine === undefined || engine === name;
  // The batch counts of bench/run.ts (full mode).
  const time = (name: string, fn: (i: number) => unknown, batches: number): Stats | null => {
    if (!runs(name)) return null;
    gc();
    return timeSync(fn, batches);
  };
  const out: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const lookup = time('lookup', (i) => clients.get(cases[i % N]!.client)!.restricted, 3000);
    const core = time('core', (i) => {
      const c = inHand[i % N]!;
      return canOnClient(ctx, c.member, c.permission, c.client).allowed;
    }, 3000);
    const coreById = time('core-by-id', (i) => {
      const c = cases[i % N]!;
      return canOnClient(ctx, c.member, PEER_PERMISSION[c.action], clients.get(c.client)!).allowed;
    }, 3000);
    const predicate = time('predicate', (i) => {
      const c = inHand[i % N]!;
      return c.chart ? clinicalAccess(ctx, c.member, c.client) !== null : hasAnyAccess(ctx, c.member, c.client);
    }, 3000);
    // By id first, as bench/run.ts does.
    const caslById = time('casl-by-id', (i) => {
      const c = cases[i % N]!;
      return checker.check(c.member, c.action, c.client);
    }, 1000);
    const casl = time('casl', (i) => checker.decide!(requests[i % N]!), 1000);
    out.push({ lookup, core, coreById, predicate, casl, caslById });
    const ns = (s: Stats | null) => (s ? `${s.median.toFixed(0).padStart(5)} ns (p10 ${s.p10.toFixed(0).padStart(4)})` : '-');
    const ratio = (a: Stats | null, b: Stats | null) => (a && b ? `${(a.median / b.median).toFixed(2)}x` : '-');
    console.log(
      `${sizeName.padEnd(5)} round ${r + 1}: canOnClient ${ns(core)}  predicate ${ns(predicate)}  CASL ${ns(casl)}  CASL/canOnClient ${ratio(casl, core)}  CASL/predicate ${ratio(casl, predicate)}\n` +
        `${''.padEnd(5)}   by id: lookup ${ns(lookup)}  canOnClient ${ns(coreById)}  CASL ${ns(caslById)}  CASL/canOnClient ${ratio(caslById, coreById)}`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const rounds = Number(arg('--rounds') ?? 3);
  const only = arg('--size');
  const pglite = process.argv.includes('--pglite');
  const now = Date.now();
  const medians: Record<string, number> = {};
  for (const sizeName of ['small', 'large'] as const) {
    if (only && only !== sizeName) continue;
    const facts = pglite ? await fromPglite(sizeName, SIZES[sizeName]) : inMemory(SIZES[sizeName], now);
    const runs = await measure(sizeName, facts, rounds, arg('--engine'));
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const key of ['core', 'coreById', 'lookup'] as const) {
      const m = mid(runs.flatMap((r) => (r[key] ? [r[key].median] : [])));
      if (m !== undefined) medians[`${key} ${sizeName}`] = m;
    }
  }
  for (const [key, label] of [
    ['core', 'canOnClient, client in hand'],
    ['coreById', 'canOnClient by id'],
    ['lookup', 'clients.get(id) alone'],
  ] as const) {
    const small = medians[`${key} small`];
    const large = medians[`${key} large`];
    if (small && large) console.log(`${label}, large/small: ${(large / small).toFixed(2)}x (median of rounds)`);
  }
}

await main();
