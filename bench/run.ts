/**
 * ChartGuard's benchmarks: `npm run bench` (full sizes) or `npm run bench -- --quick`
 * (scaled down, under two minutes). Generates synthetic practices on PostgreSQL and PGlite,
 * then reports in one run: single checks in process against CASL, Casbin, Cedar and
 * Cerbos on the same rules (test/peers proves they agree), the Privacy tab, client pages,
 * calendar and billing pages with their query plans, reports, and HTTP reads under load;
 * then issue 13's reads by role over HTTP on the large practice with a year of records
 * (bench/http-reads.ts), on PostgreSQL and, sequentially, on PGlite.
 *
 * Environment: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/test) names a
 * server where the scratch database (chartguard_bench, or chartguard_bench_quick for
 * --quick; BENCH_DB names another) is dropped and recreated.
 * Output: bench/results/{quick,full}.json, .md and .svg; the full run also writes BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem, platform, release, tmpdir } from 'node:os';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { REPORT_PAGE, canOnClient, clinicalAccess, hasAnyAccess, privacyTab, type ClientFacts, type Context } from '../src/core/index.js';
import { ChartGuard } from '../src/store/chartguard.js';
import { openDatabase, type Database } from '../src/store/db/database.js';
import { loadClients, loadTeam } from '../src/store/facts/facts.js';
import { migrate } from '../src/store/db/migrate.js';
import { appointmentCandidatesSql, appointmentPage, clientPage, clientPageSql, memberScope } from '../src/store/reads/client-page.js';
import { reportSql, scopedReport } from '../src/store/reads/report-scope.js';
import { chargeScope } from '../src/core/client-scope.js';
import { seedPractices, seedYear, memberId, clientId, ROLE_CYCLE, type PracticeSize, type YearSize } from './generate.js';
import { checkCases, stats, timeAsync, timeSync, type Stats } from './measure.js';
import { caslPeer } from './peers/casl.js';
import { casbinPeer } from './peers/casbin.js';
import { cedarPeer } from './peers/cedar.js';
import { cerbosPeer, startCerbos, type CerbosPdp } from './peers/cerbos.js';
import { PEER_PERMISSION, casesInHand, peerPractice, type Peer, type PeerAction, type PeerChecker } from './peers/model.js';
import { writeOutputs, type Results } from './report.js';
import { load, opened, pagePaths, sequentialReads, signIn, visibleClients, type Signed } from './http-reads.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Separate scratch databases, so a quick run never drops a full run's data; BENCH_DB names another (two runs on one server). */
const BENCH_DB = process.env.BENCH_DB ?? (quick ? 'chartguard_bench_quick' : 'chartguard_bench');
if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DB)) throw new Error(`BENCH_DB must be a plain lower-case identifier, not ${BENCH_DB}`);

const SIZES: Record<'small' | 'large', PracticeSize> & { platform: PracticeSize & { practices: number } } = quick
  ? {
      small: { members: 20, clients: 2_000, appointments: 20_000 },
      large: { members: 100, clients: 10_000, appointments: 50_000 },
      platform: { practices: 200, members: 5, clients: 20, appointments: 100 },
    }
  : {
      small: { members: 20, clients: 2_000, appointments: 20_000 },
      large: { members: 500, clients: 100_000, appointments: 1_000_000 },
      platform: { practices: 10_000, members: 5, clients: 20, appointments: 100 },
    };
/** A year of records in the large practice (issue 13), scaled with its clients for --quick. */
const YEAR_SIZE: YearSize = quick
  ? { notes: 50_000, messages: 20_000, tasks: 10_000, logEntries: 100_000, notifications: 10_000 }
  : { notes: 500_000, messages: 200_000, tasks: 100_000, logEntries: 1_000_000, notifications: 100_000 };
const ITER = quick ? 8 : 40;

/**
 * Seeding a large practice runs statements of minutes: the benchmark's own connections lift
 * the product's statement and idle-transaction timeouts (issue 12: 10 s). The server it
 * measures runs with the timeouts as the operator set them (the product's defaults here).
 */
const SERVER_TIMEOUTS = Object.fromEntries(
  ['CHARTGUARD_DB_STATEMENT_TIMEOUT_MS', 'CHARTGUARD_DB_IDLE_TX_TIMEOUT_MS'].map((k) => [k, process.env[k]]),
) as Record<string, string | undefined>;
for (const k of Object.keys(SERVER_TIMEOUTS)) process.env[k] = String(60 * 60 * 1000);

const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${s}`);

const ROLE_NAMES = ['account_owner', ...ROLE_CYCLE.slice(1, 11).map((r) => r.join('+'))];
/** One member per role kind: the owner and cycle positions 1..10. */
function sampleMembers(members: number): { member: string; role: string }[] {
  return ROLE_NAMES.map((role, i) => ({ member: memberId(i), role })).filter((_, i) => i < members);
}

async function recreatePg(): Promise<string> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  await c.query(`drop database if exists ${BENCH_DB} with (force)`);
  await c.query(`create database ${BENCH_DB}`);
  const [v] = (await c.query<{ server_version: string }>('show server_version')).rows;
  await c.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${BENCH_DB}`;
  pgVersion = v?.server_version ?? '?';
  return url.toString();
}
let pgVersion = '?';

async function timeMs(fn: () => Promise<unknown>, n: number): Promise<Stats> {
  const s = await timeAsync(fn, n, 3);
  return { n: s.n, p10: s.p10 / 1e6, median: s.median / 1e6, p95: s.p95 / 1e6, p99: s.p99 / 1e6 };
}

interface PlanSummary {
  readonly query: string;
  readonly member: string;
  readonly indexes: string[];
  readonly seqScans: string[];
}

async function explain(db: Database, guard: ChartGuard, practice: string, member: string): Promise<PlanSummary[]> {
  {
    const tx = db;
    const { ctx, scope } = await memberScope(guard, practice, member);
    const params = [practice, [...scope.primaryIn], scope.member, scope.now];
    const sql = clientPageSql(scope, false);
    const report = reportSql(practice, chargeScope(ctx, member), { limit: REPORT_PAGE.defaultLimit, after: null });
    const plans: [string, string, readonly unknown[]][] = [
      ['clients page', sql.page, [...params, 50]],
      ['clients count', sql.count, params],
      ['appointment candidates', appointmentCandidatesSql(scope), [...params, 0, '', 100]],
      ['report page + totals', report.text, report.params],
    ];
    const out: PlanSummary[] = [];
    for (const [query, text, p] of plans) {
      const rows = await tx.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${text}`, p);
      const raw = rows[0]?.['QUERY PLAN'];
      const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
      const indexes = new Set<string>();
      const seq = new Set<string>();
      const walk = (n: PlanNode) => {
        if (n['Index Name']) indexes.add(n['Index Name']);
        if (n['Node Type'] === 'Seq Scan' && n['Relation Name']) seq.add(n['Relation Name']);
        for (const c of n.Plans ?? []) walk(c);
      };
      walk(plan[0]!.Plan);
      out.push({ query, member, indexes: [...indexes].sort(), seqScans: [...seq].sort() });
    }
    return out;
  }
}
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

async function loadFacts(guard: ChartGuard, practice: string): Promise<{ ctx: Context; clients: Map<string, ClientFacts> }> {
  return guard.within(practice, null, 'system', async (tx) => ({
    ctx: { team: await loadTeam(tx, practice), now: guard.now() },
    clients: await loadClients(tx, practice, null),
  }));
}

/** Collects garbage between measurements when node runs with --expose-gc (npm run bench does). */
function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}


async function inProcess(results: Results, sizeName: string, facts: { ctx: Context; clients: Map<string, ClientFacts> }, cerbos: CerbosPdp | null): Promise<void> {
  const { ctx, clients } = facts;
  const members = [...ctx.team.members.keys()];
  const cases = checkCases<PeerAction>(members, [...clients.keys()], ['view_profile', 'view_chart']);
  const N = cases.length;
  // Every engine is timed on its own inputs found by id beforehand (ChartGuard: the client's
  // facts, as a request holds them once loaded; a peer: its principal and resource), and
  // again by id, the lookup included (reported beside it, and the lookup alone as a row).
  const inHand = casesInHand(cases, clients);
  gc();
  const lookup = timeSync((i) => clients.get(cases[i % N]!.client)!.restricted, quick ? 500 : 3000);
  results.lookups.push({ size: sizeName, clients: clients.size, ns: lookup });
  gc();
  // By id first, as for the peers below.
  const coreById = timeSync((i) => {
    const c = cases[i % N]!;
    return canOnClient(ctx, c.member, PEER_PERMISSION[c.action], clients.get(c.client)!).allowed;
  }, quick ? 500 : 3000);
  gc();
  // canOnClient: the public check, a Decision with its reasons (what the API answers).
  const core = timeSync((i) => {
    const c = inHand[i % N]!;
    return canOnClient(ctx, c.member, c.permission, c.client).allowed;
  }, quick ? 500 : 3000);
  results.checks.push({ size: sizeName, engine: 'ChartGuard', ns: core, byId: coreById });
  log(`${sizeName}: ChartGuard check median ${core.median.toFixed(0)} ns, p99 ${core.p99.toFixed(0)} ns; by id ${coreById.median.toFixed(0)} ns (lookup alone ${lookup.median.toFixed(0)} ns)`);
  gc();
  // The predicate alone, a boolean like the peers' answers: any access / clinical access.
  const predicate = timeSync((i) => {
    const c = inHand[i % N]!;
    return c.chart ? clinicalAccess(ctx, c.member, c.client) !== null : hasAnyAccess(ctx, c.member, c.client);
  }, quick ? 500 : 3000);
  results.checks.push({ size: sizeName, engine: 'ChartGuard predicate', ns: predicate, byId: null });
  log(`${sizeName}: ChartGuard predicate median ${predicate.median.toFixed(0)} ns`);

  const peers: [Peer, number][] = [
    [caslPeer, quick ? 200 : 1000],
    [casbinPeer, quick ? 10 : 150],
    [cedarPeer, quick ? 8 : 100],
  ];
  const pp = peerPractice(ctx.team, clients.values(), ctx.now);
  for (const [peer, batches] of peers) {
    const checker = await peer.prepare(pp);
    const requests = cases.map((c) => checker.resolve!(c.member, c.action, c.client));
    // By id first: the headline figure then comes after the longer warm-up (Cedar's wasm
    // tiers up from its baseline compiler while it runs).
    gc();
    const byId = timeSync((i) => {
      const c = cases[i % N]!;
      return checker.check(c.member, c.action, c.client);
    }, batches);
    gc();
    const s = timeSync((i) => checker.decide!(requests[i % N]!), batches);
    results.checks.push({ size: sizeName, engine: peer.name, ns: s, byId });
    log(`${sizeName}: ${peer.name} check median ${s.median.toFixed(0)} ns (${(s.median / core.median).toFixed(0)}x ChartGuard); by id ${byId.median.toFixed(0)} ns`);
  }
  if (cerbos) {
    // Over HTTP by id: the request on the wire is the work, there is nothing to resolve first.
    const checker: PeerChecker = await cerbosPeer(cerbos).prepare(pp);
    const s = await timeAsync(async (i) => {
      const c = cases[i % N]!;
      return checker.check(c.member, c.action, c.client);
    }, quick ? 150 : 2000);
    results.checks.push({ size: sizeName, engine: 'Cerbos', ns: s, byId: s });
    log(`${sizeName}: Cerbos check median ${(s.median / 1000).toFixed(0)} µs (${(s.median / core.median).toFixed(0)}x ChartGuard)`);
  }
  // The Privacy tab: every member's checkboxes for one client, as the owner sees it.
  const panel = timeSync((i) => privacyTab(ctx, ctx.team.ownerId, clients.get(cases[i % N]!.client)!).rows.length > 0, quick ? 30 : 100, members.length > 100 ? 1 : 10);
  results.panels.push({ size: sizeName, members: members.length, ns: panel });
  log(`${sizeName}: Privacy tab (${members.length} members) median ${(panel.median / 1000).toFixed(0)} µs`);
}

async function databaseRun(results: Results, kind: 'postgres' | 'pglite', cerbos: CerbosPdp | null): Promise<string | null> {
  const url = kind === 'postgres' ? await recreatePg() : undefined;
  const db = await openDatabase(url ? { url } : { dataDir: 'memory' });
  await migrate(db);
  const guard = ChartGuard.over(db);
  log(`${kind}: seeding`);
  const t0 = Date.now();
  const [small] = await seedPractices(db, 'small-', 1, SIZES.small);
  const [large] = await seedPractices(db, 'large-', 1, SIZES.large);
  const { practices: nPlat, ...platSize } = SIZES.platform;
  const platform = await seedPractices(db, 'platform-', nPlat, platSize);
  if (kind === 'postgres') {
    // The year of records feeds the HTTP run (bench/http-server.ts), which reads this database.
    const t1 = Date.now();
    await seedYear(db, large!, SIZES.large.clients, SIZES.large.members, YEAR_SIZE);
    const v = await guard.verifyLog(large!);
    if (!v.ok) throw new Error(`the seeded activity log does not verify: ${JSON.stringify(v)}`);
    log(`${kind}: a year of records in ${large} in ${((Date.now() - t1) / 1000).toFixed(1)} s; verify-log ok (${v.entries.toLocaleString('en-US')} entries)`);
  }
  await db.exec('vacuum analyze');
  // Write the seeded pages out now: otherwise the next timed checkpoint (PostgreSQL's
  // default is every 5 minutes) flushes them in the middle of a later measurement.
  await db.exec('checkpoint').catch((err: Error) => log(`${kind}: checkpoint skipped (${err.message})`));
  results.seeding.push({ database: kind, seconds: (Date.now() - t0) / 1000 });
  log(`${kind}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const sizes: [string, string, PracticeSize][] = [
    ['small', small!, SIZES.small],
    ['large', large!, SIZES.large],
    ['platform', platform[Math.floor(platform.length / 2)]!, platSize],
  ];
  for (const [sizeName, practice, size] of sizes) {
    for (const { member, role } of sampleMembers(size.members)) {
      let total = 0;
      const page = await timeMs(async () => {
        total = (await clientPage(guard, practice, member, { limit: 50 })).total;
      }, ITER);
      const cal = await timeMs(() => appointmentPage(guard, practice, member, 'calendar', { from: Date.UTC(2026, 5, 1), limit: 50 }), ITER);
      const bill = await timeMs(() => appointmentPage(guard, practice, member, 'billing', { from: Date.UTC(2026, 5, 1), limit: 50 }), ITER);
      results.lists.push({ database: kind, size: sizeName, member, role, visible: total, clients: page, calendar: cal, billing: bill });
      if (process.env.BENCH_VERBOSE) log(`  ${member} ${role}: ${total} visible; p95 clients ${page.p95.toFixed(2)} calendar ${cal.p95.toFixed(2)} billing ${bill.p95.toFixed(2)} ms`);
    }
    const worst = results.lists.filter((l) => l.database === kind && l.size === sizeName).reduce((m, l) => Math.max(m, l.clients.p95), 0);
    log(`${kind} ${sizeName}: client page worst p95 over roles ${worst.toFixed(2)} ms`);
    for (const member of [memberId(0), memberId(2), memberId(10)].filter((_, i) => i === 0 || size.members > 10)) {
      results.plans.push(...(await explain(db, guard, practice, member)).map((p) => ({ database: kind, size: sizeName, ...p })));
    }
    if (sizeName !== 'platform') {
      for (const name of ['billing_summary', 'income_allocation'] as const) {
        for (const member of [memberId(0), memberId(2)]) {
          // What GET /api/reports/:name serves: the first page (the default limit) and the totals.
          let rows = 0;
          let rowCount = 0;
          const s = await timeMs(async () => {
            const r = await scopedReport(guard, practice, member, name, { limit: REPORT_PAGE.defaultLimit });
            rows = r.ok ? r.report.rows.length : -1;
            rowCount = r.ok ? r.report.rowCount : -1;
          }, Math.max(20, ITER / 2));
          results.reports.push({ database: kind, size: sizeName, report: name, member, rows, rowCount, appointments: size.appointments, ms: s });
        }
      }
      log(`${kind} ${sizeName}: reports done`);
    }
  }
  // The row-by-row path this replaces: ChartGuard.list() under row-level security.
  {
    const member = memberId(10);
    const t = Date.now();
    const n = (await guard.list(large!, member, 'clients')).length;
    results.baseline.push({ database: kind, size: 'large', what: "ChartGuard.list('clients') under row-level security", member, ms: Date.now() - t, rows: n });
    log(`${kind}: baseline list() ${Date.now() - t} ms`);
  }
  if (kind === 'postgres') {
    for (const [sizeName, practice] of sizes.slice(0, 2)) await inProcess(results, sizeName, await loadFacts(guard, practice), cerbos);
  }
  await guard.close();
  return url ?? null;
}

interface Server {
  readonly base: string;
  stop(): void;
}

/** bench/http-server.ts in a second process, over `url`, with sign-in accounts for `members`. */
async function startServer(url: string, practice: string, password: string, members: readonly string[], env: Record<string, string> = {}): Promise<Server> {
  const tsx = join(ROOT, 'node_modules/.bin/tsx');
  const serverEnv: Record<string, string | undefined> = { ...process.env, PGPOOL_MAX: '16', ...SERVER_TIMEOUTS, ...env };
  for (const [k, v] of Object.entries(serverEnv)) if (v === undefined) delete serverEnv[k];
  const child = spawn(tsx, [join(ROOT, 'bench/http-server.ts'), url, practice, password, members.join(',')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: serverEnv as NodeJS.ProcessEnv,
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      const onData = (d: unknown) => {
        buf += String(d);
        // The server's own log lines are JSON too: the ready line is the one with the port.
        const line = buf.split('\n').find((l) => l.startsWith('{"port":'));
        if (!line) return;
        // The request log lines that follow are drained, not kept.
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve((JSON.parse(line) as { port: number }).port);
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    return { base: `http://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
}

async function httpRun(results: Results, url: string, practice: string): Promise<void> {
  const password = 'bench-password-123456';
  const server = await startServer(url, practice, password, []);
  try {
    const base = server.base;
    const cookie = await signIn(base, `owner@${practice}`, password);
    const path = `/api/check?permission=client.view_profile&client=${clientId(123)}`;
    const probe = await fetch(base + path, { headers: { cookie } });
    const decision = (await probe.json()) as { allowed?: boolean };
    if (!probe.ok || decision.allowed !== true) throw new Error(`probe: ${probe.status} ${JSON.stringify(decision)}`);
    const { default: autocannon } = await import('autocannon');
    const duration = quick ? 3 : 15;
    // Warm-up (JIT, the connection pool, the caches), not measured.
    await autocannon({ url: base + path, headers: { cookie }, connections: 32, duration: quick ? 2 : 5, pipelining: 1 });
    const r = await autocannon({ url: base + path, headers: { cookie }, connections: 32, duration, pipelining: 1 });
    results.http = {
      measured: true,
      endpoint: 'GET /api/check?permission=client.view_profile (signed-in owner, small practice, PostgreSQL)',
      requestsPerSecond: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.non2xx,
      connections: 32,
      seconds: duration,
    };
    log(`http: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors + r.non2xx}`);
  } finally {
    server.stop();
  }
}

/** The members issue 13 measures, one per role: member ids of the generator's role cycle. */
const READ_ROLES: readonly { member: string; role: string }[] = [
  { member: memberId(0), role: 'owner' },
  { member: memberId(1), role: 'practice manager' },
  { member: memberId(2), role: 'biller' },
  { member: memberId(3), role: 'scheduler' },
  { member: memberId(5), role: 'entire-practice clinician' },
  { member: memberId(6), role: 'supervisor' },
  { member: memberId(10), role: 'basic clinician' },
];
const FROM = Date.UTC(2026, 5, 1);
const rank = (role: string) => (role === 'owner' ? 0 : role === 'basic clinician' ? 1 : 2);

/**
 * Issue 13 over HTTP on the large practice with its year of records: every list endpoint
 * and the single reads per role, sequentially; audited chart views under load per role;
 * the mixed workload; and EXPLAIN (ANALYZE, BUFFERS) of the SQL each endpoint ran.
 */
async function readsRun(results: Results, url: string, practice: string): Promise<void> {
  const password = 'bench-password-123456';
  const sqlLog = join(tmpdir(), `chartguard-bench-sql-${process.pid}.jsonl`);
  rmSync(sqlLog, { force: true });
  const server = await startServer(url, practice, password, READ_ROLES.map((r) => r.member), { BENCH_SQL_LOG: sqlLog });
  try {
    const base = server.base;
    const signed: Signed[] = [];
    for (const r of READ_ROLES) signed.push({ ...r, cookie: await signIn(base, r.member === 'm0000' ? `owner@${practice}` : `${r.member}@${practice}`, password) });
    const t0 = Date.now();
    // The owner and the basic clinician first: a --quick run measures the reads slower than
    // SLOW_MS (the ones that read the whole practice) for these two only, to stay under two minutes.
    const slowMs = quick ? 300 : 10_000;
    const slowSeen = new Map<string, number>();
    const order = [...signed].sort((a, b) => rank(a.role) - rank(b.role));
    for (const who of order) {
      const o = await opened(base, who.cookie);
      const skip = new Set([...slowSeen].filter(([, n]) => quick && n >= 2).map(([e]) => e));
      const rows = await sequentialReads(base, who, o, { database: 'postgres', from: FROM, limit: 50, laterPage: 5, max: ITER * 2, budgetMs: quick ? 250 : 3000, slowMs, skip });
      for (const r of rows) if (r.ms.n === 1) slowSeen.set(r.endpoint, (slowSeen.get(r.endpoint) ?? 0) + 1);
      results.reads.push(...rows);
      const worst = rows.reduce((m, r) => (r.ms.p95 > m.ms.p95 ? r : m), rows[0]!);
      log(`reads ${who.role} (${who.member}, client ${o.client}, note ${o.note}): worst p95 ${worst.ms.p95.toFixed(1)} ms (${worst.endpoint} ${worst.page})`);
    }
    log(`reads: sequential done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const seconds = quick ? 1 : 10;
    // Audited chart views under load: each role's member opening the overviews of their first 20 clients.
    for (const who of signed) {
      const clients = await visibleClients(base, who.cookie, 20);
      if (!clients.length) continue;
      const [r, waits] = await withWaits(url, () => load(base, who, clients.map((c) => `/api/clients/${c}`), 32, seconds));
      results.loads.push({ database: 'postgres', name: 'audited chart views (GET /api/clients/:id)', member: who.member, role: who.role, connections: 32, seconds, ...r, waits });
      log(`load chart views ${who.role}: ${r.requestsPerSecond.toFixed(0)}/s, p99 ${r.p99} ms, errors ${r.errors}; server sessions ${waitText(waits)}`);
    }
    await mixedRun(results, url, base, signed, quick ? 3 : 20);
  } finally {
    server.stop();
  }
  results.explains.push(...(await explainCaptured(url, sqlLog)));
  rmSync(sqlLog, { force: true });
}

/**
 * Runs `fn` while sampling, every 20 ms, what the database's client sessions are doing
 * (pg_stat_activity: state and wait event). Returns the mean number of sessions in each, so
 * a load that queues on a row lock shows as sessions waiting on `Lock:transactionid` or `Lock:tuple`.
 */
async function withWaits<T>(url: string, fn: () => Promise<T>): Promise<[T, Record<string, number>]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const counts = new Map<string, number>();
  let samples = 0;
  let running = true;
  const poll = (async () => {
    while (running) {
      const rows = await c.query<{ what: string; n: number }>(
        `select state || coalesce(' ' || wait_event_type || ':' || wait_event, '') as what, count(*)::int as n
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'
          group by 1`,
      );
      samples++;
      for (const r of rows.rows) counts.set(r.what, (counts.get(r.what) ?? 0) + r.n);
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  try {
    const result = await fn();
    const mean = [...counts].map(([k, n]): [string, number] => [k, Math.round((n / Math.max(1, samples)) * 100) / 100]);
    return [result, Object.fromEntries(mean.sort((a, b) => b[1] - a[1]))];
  } finally {
    running = false;
    await poll.catch(() => undefined);
    await c.end();
  }
}

const waitText = (w: Record<string, number>) =>
  Object.entries(w)
    .slice(0, 3)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'none busy';

/**
 * The same sequential reads on PGlite, the server and its embedded database in a second
 * process seeded there alike. Only the reads that answer a page or a single record: the ones
 * that read the whole practice on PostgreSQL (measured once there, n=1) are left out, and a
 * --quick run measures the owner and the basic clinician only.
 */
async function pgliteReadsRun(results: Results): Promise<void> {
  const password = 'bench-password-123456';
  const roles = quick ? READ_ROLES.filter((r) => rank(r.role) < 2) : READ_ROLES;
  const t0 = Date.now();
  const server = await startServer('pglite', 'large-1', password, roles.map((r) => r.member), { BENCH_SEED: JSON.stringify({ size: SIZES.large, year: YEAR_SIZE }) });
  log(`pglite reads: server seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  try {
    const whole = new Set(results.reads.filter((x) => x.database === 'postgres' && (x.ms.n === 1 || x.page === 'skipped')).map((x) => x.endpoint));
    for (const r of roles) {
      const who: Signed = { ...r, cookie: await signIn(server.base, r.member === 'm0000' ? 'owner@large-1' : `${r.member}@large-1`, password) };
      const o = await opened(server.base, who.cookie);
      const rows = await sequentialReads(server.base, who, o, { database: 'pglite', from: FROM, limit: 50, laterPage: 5, max: ITER * 2, budgetMs: quick ? 250 : 3000, slowMs: quick ? 300 : 10_000, skip: whole });
      results.reads.push(...rows);
      log(`pglite reads ${who.role}: worst p95 ${Math.max(...rows.filter((x) => x.ms.n > 0).map((x) => x.ms.p95)).toFixed(1)} ms`);
    }
  } finally {
    server.stop();
  }
}

/**
 * The mixed workload, 32 connections in all: clinicians opening charts and notes, the
 * scheduler paging the calendar, the biller paging billing, each also reading their
 * notifications (one request in four), as concurrent autocannon instances.
 */
async function mixedRun(results: Results, url: string, base: string, signed: readonly Signed[], seconds: number): Promise<void> {
  const by = (role: string) => signed.find((s) => s.role === role)!;
  const noteOf = (client: string) => `n${client.slice(1).padStart(7, '0')}`;
  const withNotifications = (paths: string[]) => paths.flatMap((p, i) => (i % 3 === 2 ? [p, '/api/notifications'] : [p]));
  const charts = async (who: Signed) => withNotifications((await visibleClients(base, who.cookie, 20)).flatMap((c) => [`/api/clients/${c}`, `/api/notes/${noteOf(c)}`]));
  const mix: [Signed, string[], number][] = [
    [by('basic clinician'), await charts(by('basic clinician')), 10],
    [by('entire-practice clinician'), await charts(by('entire-practice clinician')), 6],
    [by('supervisor'), await charts(by('supervisor')), 4],
    [by('scheduler'), withNotifications(await pagePaths(base, `/api/calendar?from=${FROM}`, by('scheduler').cookie, 50, 20)), 6],
    [by('biller'), withNotifications(await pagePaths(base, `/api/billing?from=${FROM}`, by('biller').cookie, 50, 20)), 6],
  ];
  const [runs, waits] = await withWaits(url, () => Promise.all(mix.map(([who, paths, connections]) => load(base, who, paths, connections, seconds))));
  mix.forEach(([who, , connections], i) => {
    const r = runs[i]!;
    const what = who.role.includes('clinician') || who.role === 'supervisor' ? 'charts + notes' : who.role === 'scheduler' ? 'calendar pages' : 'billing pages';
    results.loads.push({ database: 'postgres', name: `mixed: ${what} + notifications`, member: who.member, role: who.role, connections, seconds, ...r });
  });
  const total = runs.reduce((n, r) => n + r.requestsPerSecond, 0);
  results.mixedWaits = waits;
  log(`mixed: ${total.toFixed(0)} req/s in all, worst p99 ${Math.max(...runs.map((r) => r.p99))} ms, errors ${runs.reduce((n, r) => n + r.errors, 0)}; server sessions ${waitText(waits)}`);
}

/**
 * Replays each captured request's statements in a transaction that is rolled back: the
 * settings (role, member, mode) as the server set them, and EXPLAIN (ANALYZE, BUFFERS) of
 * every read. Writes (the activity-log append) are left out.
 */
async function explainCaptured(url: string, file: string): Promise<Results['explains']> {
  if (!existsSync(file)) return [];
  const wanted = new Set([memberId(0), memberId(10)]);
  const out: Results['explains'] = [];
  const c = new pg.Client({ connectionString: url, options: '-c jit=off' });
  await c.connect();
  try {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const req = JSON.parse(line) as { route: string; url: string; member: string; statements: { sql: string; params: unknown[] }[] };
      if (!wanted.has(req.member) || req.route.startsWith('POST')) continue;
      await c.query('begin');
      try {
        for (const st of req.statements) {
          const sql = st.sql.trim();
          if (/^select set_config\(/i.test(sql)) {
            await c.query(sql, st.params);
          } else if (/^(select|with)\b/i.test(sql) && !/\bfor update\b/i.test(sql) && !/\b(insert\s+into|update\s+chartguard\.|delete\s+from)\b/i.test(sql)) {
            // (Writes are left out: a batch of log entries is a `with ... insert ... update`.)
            const rows = await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, st.params);
            const plan = rows.rows.map((r) => r['QUERY PLAN']);
            const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan.join('\n'))?.[1] ?? NaN);
            out.push({ route: req.route, url: req.url, member: req.member, sql, ms, plan });
          }
        }
      } finally {
        await c.query('rollback');
      }
    }
  } finally {
    await c.end();
  }
  return out;
}

async function main(): Promise<void> {
  // --from <results.json>: re-render the tables, chart and BENCHMARKS.md without measuring.
  const from = process.argv[process.argv.indexOf('--from') + 1];
  if (process.argv.includes('--from') && from) {
    const saved = JSON.parse(readFileSync(from, 'utf8')) as Results;
    writeOutputs(saved, join(ROOT, 'bench/results'), saved.mode === 'full' || process.argv.includes('--write-doc') ? join(ROOT, 'BENCHMARKS.md') : null);
    log(`re-rendered ${from}`);
    return;
  }
  const cpu = cpus();
  const results: Results = {
    mode: quick ? 'quick' : 'full',
    date: new Date().toISOString(),
    machine: { cpu: cpu[0]?.model ?? '?', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}`, node: process.version, postgres: '?', loadBefore: loadavg()[0]!, loadAfter: NaN },
    sizes: { ...SIZES, year: YEAR_SIZE },
    seeding: [],
    checks: [],
    lookups: [],
    panels: [],
    lists: [],
    plans: [],
    reports: [],
    baseline: [],
    http: { measured: false, reason: '' },
    reads: [],
    loads: [],
    explains: [],
  };
  log(`mode ${results.mode}${quick ? ' (sizes scaled down: large = 100 members / 10,000 clients / 50,000 appointments, platform = 200 practices)' : ''}`);
  let cerbos: CerbosPdp | null = null;
  try {
    cerbos = await startCerbos();
  } catch (err) {
    log(`Cerbos not measured: ${(err as Error).message}`);
  }
  // An interrupted run stops the PDP it started.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void (cerbos?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));
  }
  try {
    const pgUrl = await databaseRun(results, 'postgres', cerbos);
    results.machine.postgres = pgVersion;
    await databaseRun(results, 'pglite', null);
    if (existsSync(join(ROOT, 'src/server/app.ts')) && pgUrl) {
      try {
        await httpRun(results, pgUrl, 'small-1');
      } catch (err) {
        results.http = { measured: false, reason: `the load test failed: ${(err as Error).message}` };
      }
      try {
        await readsRun(results, pgUrl, 'large-1');
        await pgliteReadsRun(results);
      } catch (err) {
        results.readsFailed = (err as Error).message;
        log(`reads: failed: ${(err as Error).stack ?? String(err)}`);
      }
    } else {
      results.http = { measured: false, reason: 'src/server does not export buildServer' };
    }
  } finally {
    await cerbos?.stop();
  }
  results.machine.loadAfter = loadavg()[0]!;
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  // The full run rewrites BENCHMARKS.md; a quick run only with --write-doc.
  writeOutputs(results, dir, quick && !process.argv.includes('--write-doc') ? null : join(ROOT, 'BENCHMARKS.md'));
  log(`done: ${join(dir, results.mode)}.{json,md,svg}`);
}

void stats;
await main();
process.exit(0);
