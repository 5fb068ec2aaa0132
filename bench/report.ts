/** The benchmark's outputs: results JSON, a Markdown report with the targets, and an SVG chart. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stats } from './measure.js';
import type { LoadRow, ReadRow } from './http-reads.js';

export interface Results {
  mode: 'quick' | 'full';
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string; node: string; postgres: string; loadBefore: number; loadAfter: number };
  sizes: unknown;
  seeding: { database: string; seconds: number }[];
  /** ns: the decision on the engine's inputs found beforehand; byId: the same cases by id, lookups included. */
  checks: { size: string; engine: string; ns: Stats; byId: Stats | null }[];
  /** The clients Map lookup by id alone, the part of ChartGuard's by-id figure that is not the check. */
  lookups: { size: string; clients: number; ns: Stats }[];
  panels: { size: string; members: number; ns: Stats }[];
  lists: { database: string; size: string; member: string; role: string; visible: number; clients: Stats; calendar: Stats; billing: Stats }[];
  plans: { database: string; size: string; query: string; member: string; indexes: string[]; seqScans: string[] }[];
  /** rows: the page served (first page, default limit); rowCount: the report's rows in all pages. */
  reports: { database: string; size: string; report: string; member: string; rows: number; rowCount: number; appointments: number; ms: Stats }[];
  baseline: { database: string; size: string; what: string; member: string; ms: number; rows: number }[];
  http:
    | { measured: false; reason: string }
    | { measured: true; endpoint: string; requestsPerSecond: number; p50: number; p99: number; errors: number; connections: number; seconds: number };
  /** Issue 13: reads over HTTP by role on the large practice with a year of records (absent in older results). */
  reads: ReadRow[];
  loads: LoadRow[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the statements an endpoint ran, replayed with its settings. */
  explains: { route: string; url: string; member: string; sql: string; ms: number; plan: string[] }[];
  readsFailed?: string;
  /** The mean number of database sessions in each state / wait event during the mixed workload. */
  mixedWaits?: Record<string, number>;
}

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
const ns = (x: number) => (x >= 1e6 ? `${f(x / 1e6)} ms` : x >= 1e4 ? `${f(x / 1e3, 1)} µs` : `${f(x, 0)} ns`);

interface Target {
  name: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

export function targets(r: Results): Target[] {
  const out: Target[] = [];
  const check = (size: string, engine: string) => r.checks.find((c) => c.size === size && c.engine === engine)?.ns.median ?? NaN;
  for (const [engine, factor] of [
    ['CASL', 4],
    ['Cedar', 300],
  ] as const) {
    for (const size of ['small', 'large']) {
      const ratio = check(size, engine) / check(size, 'ChartGuard');
      out.push({ name: `Single check vs ${engine} (${size})`, goal: `≥ ${factor}x faster`, measured: `${f(ratio, 1)}x`, met: Number.isFinite(ratio) ? ratio >= factor : null });
    }
  }
  for (const size of ['small', 'large']) {
    const ratio = check(size, 'CASL') / check(size, 'ChartGuard predicate');
    out.push({ name: `Predicate (boolean, like the peers) vs CASL (${size})`, goal: '≥ 4x faster', measured: `${f(ratio, 1)}x`, met: Number.isFinite(ratio) ? ratio >= 4 : null });
  }
  const growth = check('large', 'ChartGuard') / check('small', 'ChartGuard');
  out.push({ name: 'Cost per check, large / small (client facts in hand)', goal: '≤ 2x', measured: `${f(growth)}x`, met: Number.isFinite(growth) ? growth <= 2 : null });
  // Not a target: the same cases by id, where the clients Map lookup (its own row) grows with the practice.
  const byId = (size: string) => r.checks.find((c) => c.size === size && c.engine === 'ChartGuard')?.byId?.median ?? NaN;
  const lookup = (size: string) => r.lookups.find((l) => l.size === size)?.ns.median ?? NaN;
  out.push({
    name: 'Cost per check by id, large / small (Map lookup included)',
    goal: '(reported)',
    measured: `${f(byId('large') / byId('small'))}x; the lookup alone ${f(lookup('small'), 0)} → ${f(lookup('large'), 0)} ns`,
    met: null,
  });
  const pages = r.lists.filter((l) => l.database === 'postgres' && l.size === 'large');
  const worst = pages.reduce((m, l) => (l.clients.p95 > m.clients.p95 ? l : m), pages[0]!);
  if (worst) {
    const worstMedian = Math.max(...pages.map((l) => l.clients.median));
    out.push({ name: `Visible clients, first 50 + count, every role (PostgreSQL, large)`, goal: 'p95 < 10 ms', measured: `worst p95 ${f(worst.clients.p95)} ms (${worst.role}); worst median ${f(worstMedian)} ms`, met: worst.clients.p95 < 10 });
  }
  for (const [name, goal] of [
    ['income_allocation', 100],
    ['billing_summary', 250],
  ] as const) {
    const rs = r.reports.filter((x) => x.database === 'postgres' && x.size === 'large' && x.report === name);
    const w = Math.max(...rs.map((x) => x.ms.p95));
    const wm = Math.max(...rs.map((x) => x.ms.median));
    out.push({ name: `${name} over ${rs[0]?.appointments.toLocaleString('en-US') ?? '?'} appointments (PostgreSQL)`, goal: `< ${goal} ms`, measured: `worst p95 ${f(w)} ms; worst median ${f(wm)} ms`, met: rs.length ? w < goal : null });
  }
  if (r.http.measured) {
    out.push({ name: 'HTTP authorized reads', goal: '≥ 5,000/s, p99 < 10 ms', measured: `${f(r.http.requestsPerSecond, 0)}/s, p99 ${r.http.p99} ms`, met: r.http.requestsPerSecond >= 5000 && r.http.p99 < 10 });
  } else {
    out.push({ name: 'HTTP authorized reads', goal: '≥ 5,000/s, p99 < 10 ms', measured: `not measured: ${r.http.reason}`, met: null });
  }
  out.push(...readTargets(r));
  return out;
}

/** Issue 13's targets, on the large practice with a year of records (PostgreSQL, over HTTP). */
function readTargets(r: Results): Target[] {
  const out: Target[] = [];
  const reads = (r.reads ?? []).filter((x) => x.database === 'postgres' && x.page !== 'skipped');
  if (!reads.length) {
    const why = r.readsFailed ? `not measured: ${r.readsFailed}` : 'not measured';
    return [{ name: 'Every list page and single read, every role (issue 13)', goal: 'p95 < 25 ms', measured: why, met: null }];
  }
  const worst = reads.reduce((m, x) => (x.ms.p95 > m.ms.p95 ? x : m), reads[0]!);
  const under = reads.filter((x) => x.ms.p95 < 25).length;
  const skipped = (r.reads ?? []).filter((x) => x.page === 'skipped').length;
  out.push({
    name: 'Every list page and single read, every role, sequential over HTTP (issue 13)',
    goal: 'p95 < 25 ms',
    measured: `${under} of ${reads.length} under 25 ms${skipped ? ` (${skipped} skipped in --quick)` : ''}; worst ${f(worst.ms.p95, 1)} ms (${worst.endpoint}, ${worst.page}, ${worst.role})`,
    met: under === reads.length,
  });
  const views = (r.loads ?? []).filter((x) => x.database === 'postgres' && x.name.startsWith('audited chart views'));
  if (views.length) {
    const slow = views.reduce((m, x) => (x.requestsPerSecond < m.requestsPerSecond ? x : m), views[0]!);
    const p99 = Math.max(...views.map((x) => x.p99));
    out.push({
      name: 'Audited chart views, 32 connections, each role (issue 13)',
      goal: '≥ 1,500/s, p99 < 50 ms',
      measured: `${f(slow.requestsPerSecond, 0)}/s (${slow.role}) to ${f(Math.max(...views.map((x) => x.requestsPerSecond)), 0)}/s; worst p99 ${p99} ms`,
      met: views.every((x) => x.requestsPerSecond >= 1500 && x.p99 < 50),
    });
  }
  const mixed = (r.loads ?? []).filter((x) => x.database === 'postgres' && x.name.startsWith('mixed'));
  if (mixed.length) {
    const total = mixed.reduce((n, x) => n + x.requestsPerSecond, 0);
    const p99 = Math.max(...mixed.map((x) => x.p99));
    out.push({ name: `Mixed workload, ${mixed.reduce((n, x) => n + x.connections, 0)} connections (issue 13)`, goal: '≥ 2,000/s, p99 < 50 ms', measured: `${f(total, 0)}/s in all; worst p99 ${p99} ms`, met: total >= 2000 && p99 < 50 });
  }
  const pgl = (r.reads ?? []).filter((x) => x.database === 'pglite' && x.page !== 'skipped');
  if (pgl.length) {
    const ratios = pgl.flatMap((x) => {
      const p = reads.find((y) => y.member === x.member && y.endpoint === x.endpoint && y.page === x.page);
      return p ? [{ x, ratio: x.ms.median / p.ms.median }] : [];
    });
    const w = ratios.reduce((m, y) => (y.ratio > m.ratio ? y : m), ratios[0]!);
    out.push({ name: 'The same reads on PGlite (issue 13)', goal: '≤ 3x PostgreSQL (median)', measured: w ? `worst ${f(w.ratio, 1)}x (${w.x.endpoint}, ${w.x.page}, ${w.x.role})` : 'no pairs', met: w ? ratios.every((y) => y.ratio <= 3) : null });
  } else {
    out.push({ name: 'The same reads on PGlite (issue 13)', goal: '≤ 3x PostgreSQL', measured: 'not measured yet', met: null });
  }
  return out;
}

const kb = (b: number) => (b >= 1e6 ? `${f(b / 1e6, 1)} MB` : `${f(b / 1e3, 1)} kB`);

/** One cell of the reads table: median / p95 in ms, with what the answer was when it matters. */
function readCell(x: ReadRow | undefined): string {
  if (!x) return '';
  if (x.page === 'skipped') return 'skipped';
  const notes: string[] = [];
  if (x.status !== 200) notes.push(String(x.status));
  if (x.ms.n === 1) notes.push('n=1');
  if (x.page === 'unpaged' && x.items !== null) notes.push(`${x.items.toLocaleString('en-US')} items, ${kb(x.bytes)}`);
  return `${f(x.ms.median, 1)} / ${f(x.ms.p95, 1)}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/** Issue 13's tables: reads by role, chart views under load, the mixed workload, the plans. */
export function readTables(r: Results): string {
  const L: string[] = [];
  const reads = r.reads ?? [];
  if (!reads.length) return r.readsFailed ? `Reads by role: not measured (${r.readsFailed}).` : '';
  for (const database of [...new Set(reads.map((x) => x.database))]) {
    const rows = reads.filter((x) => x.database === database);
    const roles = [...new Set(rows.map((x) => x.role))];
    const order = ['owner', 'practice manager', 'biller', 'scheduler', 'entire-practice clinician', 'supervisor', 'basic clinician'];
    roles.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    L.push(`#### ${database}: sequential, median / p95 (ms)`, '');
    L.push(
      'Over HTTP from the benchmark process to the server in a second process. first: `?limit=50`; later: the page reached by following `next` (`after`); unpaged: the endpoint takes no `limit` yet and answers everything (its item count and size shown). A status other than 200 is shown (403: the role may not); n=1: the first request took longer than the slow threshold and was not repeated; skipped: left out of a --quick run once two roles had shown it reads the whole practice.',
      '',
    );
    L.push(`| Request | Page | ${roles.join(' | ')} |`, `|---|---|${roles.map(() => '---').join('|')}|`);
    // One line per endpoint and page kind: a later page, a single read, or the first page (paged, unpaged, refused or skipped alike).
    const kindOf = (x: ReadRow) => (x.page.startsWith('later') ? 'later' : x.page === 'single' ? 'single' : 'first');
    const keys = [...new Set(rows.map((x) => `${x.endpoint}\u0000${kindOf(x)}`))];
    for (const key of keys) {
      const [endpoint, kind] = key.split('\u0000') as [string, string];
      const mine = rows.filter((x) => x.endpoint === endpoint && kindOf(x) === kind);
      const label = kind === 'later' ? 'later (page 5, or the last)' : kind === 'single' ? 'single' : mine.some((x) => x.page === 'unpaged') ? '**unpaged**' : 'first';
      L.push(`| \`${endpoint}\` | ${label} | ${roles.map((role) => readCell(mine.find((x) => x.role === role))).join(' | ')} |`);
    }
    L.push('');
  }
  const loads = r.loads ?? [];
  if (loads.length) {
    L.push('#### Under load (autocannon, each instance cycling through its own paths)', '');
    L.push(
      'Database sessions: the mean number of the server\'s PostgreSQL sessions in each state and wait event while the load ran (pg_stat_activity sampled every 20 ms; idle ones left out), the three most frequent.',
      '',
      '| Database | Workload | Member (role) | Connections | Seconds | Requests/s | p50 | p99 | Errors + non-2xx | Database sessions |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    const waits = (w: Record<string, number> | undefined) => (w ? Object.entries(w).slice(0, 3).map(([k, n]) => `${f(n, 1)} ${k}`).join('; ') : '');
    for (const x of loads) L.push(`| ${x.database} | ${x.name} | ${x.member} (${x.role}) | ${x.connections} | ${x.seconds} | ${f(x.requestsPerSecond, 0)} | ${x.p50} ms | ${x.p99} ms | ${x.errors} | ${waits(x.waits)} |`);
    const mixed = loads.filter((x) => x.name.startsWith('mixed'));
    if (mixed.length) L.push(`| ${mixed[0]!.database} | **mixed, all instances at once** | | ${mixed.reduce((n, x) => n + x.connections, 0)} | ${mixed[0]!.seconds} | **${f(mixed.reduce((n, x) => n + x.requestsPerSecond, 0), 0)}** | | worst ${Math.max(...mixed.map((x) => x.p99))} ms | ${mixed.reduce((n, x) => n + x.errors, 0)} | ${waits(r.mixedWaits)} |`);
    L.push('');
  }
  return L.join('\n');
}

/** The plans: for each endpoint and member, its slowest statement with EXPLAIN (ANALYZE, BUFFERS). */
export function explainSection(r: Results): string {
  const L: string[] = [];
  const byRequest = new Map<string, Results['explains']>();
  for (const e of r.explains ?? []) byRequest.set(`${e.route} ${e.member}`, [...(byRequest.get(`${e.route} ${e.member}`) ?? []), e]);
  for (const [key, statements] of byRequest) {
    const slowest = statements.reduce((m, e) => (e.ms > m.ms ? e : m), statements[0]!);
    const total = statements.reduce((n, e) => n + (Number.isFinite(e.ms) ? e.ms : 0), 0);
    L.push(`##### \`${key}\` (${statements.length} reads, ${f(total)} ms executing in all; the slowest, ${f(slowest.ms)} ms:)`, '');
    L.push('```sql', slowest.sql.replace(/\s+/g, ' ').slice(0, 600), '```', '```', ...slowest.plan.slice(0, 40), ...(slowest.plan.length > 40 ? [`... (${slowest.plan.length - 40} more lines)`] : []), '```', '');
  }
  return L.join('\n');
}

export function markdownTables(r: Results, svgName: string): string {
  const L: string[] = [];
  L.push(`Run: ${r.mode} mode, ${r.date}. Sizes: \`${JSON.stringify(r.sizes)}\`.`, '');
  L.push(`Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres} (local, default settings), PGlite in process. Load average (1 min) ${f(r.machine.loadBefore)} before the run, ${f(r.machine.loadAfter)} after: the machine was shared with other work, so tails (p95, p99) are noisier than the medians.`, '');
  L.push(`Seeding: ${r.seeding.map((s) => `${s.database} ${f(s.seconds, 1)} s`).join(', ')}.`, '');
  L.push('### Targets', '', '| Target | Goal | Measured | Met |', '|---|---|---|---|');
  for (const t of targets(r)) L.push(`| ${t.name} | ${t.goal} | ${t.measured} | ${t.met === null ? '—' : t.met ? 'yes' : '**no**'} |`);
  L.push('', `![Cost vs practice size](${svgName})`, '');
  L.push('### Single access check in process (client.view_profile / client.view_chart, same cases for every engine)', '');
  L.push(
    'ChartGuard = `canOnClient()`, the Decision with its reasons; ChartGuard predicate = `hasAnyAccess()` / `clinicalAccess()`, a boolean like the peers return.',
    'Median and p99: the decision on inputs found by id beforehand (ChartGuard: the client facts; a peer: its own principal and resource). By id: the same cases with the lookups inside the timed call.',
    '',
    '| Size | Engine | Median | p99 | By id, median | ChartGuard (canOnClient) is faster by, median | By id |',
    '|---|---|---|---|---|---|---|',
  );
  for (const c of r.checks) {
    const core = r.checks.find((x) => x.size === c.size && x.engine === 'ChartGuard')!;
    const pred = r.checks.find((x) => x.size === c.size && x.engine === 'ChartGuard predicate')?.ns.median ?? NaN;
    const mine = c.engine.startsWith('ChartGuard');
    const idRatio = c.byId && core.byId ? `${f(c.byId.median / core.byId.median, 1)}x` : '—';
    L.push(
      `| ${c.size} | ${c.engine} | ${ns(c.ns.median)} | ${ns(c.ns.p99)} | ${c.byId ? ns(c.byId.median) : '—'} | ${mine ? '—' : `${f(c.ns.median / core.ns.median, 1)}x (predicate: ${f(c.ns.median / pred, 1)}x)`} | ${mine ? '—' : idRatio} |`,
    );
  }
  for (const l of r.lookups) L.push(`| ${l.size} | clients Map lookup by id alone (${l.clients.toLocaleString('en-US')} clients) | ${ns(l.ns.median)} | ${ns(l.ns.p99)} | — | — | — |`);
  L.push('', '### Privacy tab for one client (every member\'s clinical and administrative checkboxes)', '', '| Size | Members | Median | p99 |', '|---|---|---|---|');
  for (const p of r.panels) L.push(`| ${p.size} | ${p.members} | ${ns(p.ns.median)} | ${ns(p.ns.p99)} |`);
  L.push('', '### Lists: visible clients (first 50 by name + total count), calendar page, billing page (ms)', '');
  L.push('| Database | Size | Member (role) | Visible clients | Clients median / p95 | Calendar median / p95 | Billing median / p95 |', '|---|---|---|---|---|---|---|');
  for (const l of r.lists) {
    L.push(`| ${l.database} | ${l.size} | ${l.member} (${l.role}) | ${l.visible.toLocaleString('en-US')} | ${f(l.clients.median)} / ${f(l.clients.p95)} | ${f(l.calendar.median)} / ${f(l.calendar.p95)} | ${f(l.billing.median)} / ${f(l.billing.p95)} |`);
  }
  L.push('', '### Query plans (EXPLAIN)', '', '| Database | Size | Query | Member | Indexes used | Sequential scans |', '|---|---|---|---|---|---|');
  for (const p of r.plans) L.push(`| ${p.database} | ${p.size} | ${p.query} | ${p.member} | ${p.indexes.join(', ') || '—'} | ${p.seqScans.join(', ') || 'none'} |`);
  L.push('', '### Reports: first page and totals (ms)', '', '| Database | Size | Report | Viewer | Page rows | Rows in all pages | Appointments | Median | p95 |', '|---|---|---|---|---|---|---|---|---|');
  for (const x of r.reports) L.push(`| ${x.database} | ${x.size} | ${x.report} | ${x.member} | ${x.rows.toLocaleString('en-US')} | ${(x.rowCount ?? x.rows).toLocaleString('en-US')} | ${x.appointments.toLocaleString('en-US')} | ${f(x.ms.median)} | ${f(x.ms.p95)} |`);
  L.push('', '### Before: the row-by-row path', '', '| Database | Size | What | Member | Rows | Time |', '|---|---|---|---|---|---|');
  for (const b of r.baseline) L.push(`| ${b.database} | ${b.size} | ${b.what} | ${b.member} | ${b.rows.toLocaleString('en-US')} | ${b.ms} ms |`);
  L.push('', '### HTTP reads under load', '');
  if (r.http.measured) {
    L.push(`${r.http.endpoint}; autocannon in the benchmark process, the server in a second process, loopback, ${r.http.connections} connections, ${r.http.seconds} s after an unmeasured warm-up.`, '');
    L.push('| Requests/s | p50 | p99 | Errors |', '|---|---|---|---|', `| ${f(r.http.requestsPerSecond, 0)} | ${r.http.p50} ms | ${r.http.p99} ms | ${r.http.errors} |`);
  } else {
    L.push(`Not measured: ${r.http.reason}.`);
  }
  const reads = readTables(r);
  if (reads) L.push('', '### Reads by role on the large practice with a year of records (issue 13)', '', reads);
  const plans = explainSection(r);
  if (plans) L.push('', '#### Query plans of the reads (EXPLAIN (ANALYZE, BUFFERS), owner m0000 and basic clinician m0010)', '', 'Each request\'s statements replayed in a rolled-back transaction with the settings the server set (role, member, mode); writes and `for update` locks left out.', '', plans);
  return L.join('\n');
}

/** Grouped bars on a log scale: what each operation costs at each practice size. */
export function svgChart(r: Results): string {
  const groups = ['small', 'large', 'platform'];
  const series: { label: string; color: string; value: (size: string) => number | undefined }[] = [
    { label: 'check, ChartGuard (median)', color: '#1b7f3b', value: (s) => r.checks.find((c) => c.size === s && c.engine === 'ChartGuard')?.ns.median },
    { label: 'check, CASL', color: '#8fbf5a', value: (s) => r.checks.find((c) => c.size === s && c.engine === 'CASL')?.ns.median },
    { label: 'check, Casbin', color: '#c9a227', value: (s) => r.checks.find((c) => c.size === s && c.engine === 'Casbin')?.ns.median },
    { label: 'check, Cedar (wasm)', color: '#d9712b', value: (s) => r.checks.find((c) => c.size === s && c.engine === 'Cedar')?.ns.median },
    { label: 'check, Cerbos (HTTP)', color: '#b23a48', value: (s) => r.checks.find((c) => c.size === s && c.engine === 'Cerbos')?.ns.median },
    { label: 'client page p95, PostgreSQL (worst role)', color: '#2b6cb0', value: (s) => max(r.lists.filter((l) => l.database === 'postgres' && l.size === s).map((l) => l.clients.p95 * 1e6)) },
    { label: 'client page median, PostgreSQL (worst role)', color: '#5a8fd6', value: (s) => max(r.lists.filter((l) => l.database === 'postgres' && l.size === s).map((l) => l.clients.median * 1e6)) },
    { label: 'client page p95, PGlite (worst role)', color: '#6b46c1', value: (s) => max(r.lists.filter((l) => l.database === 'pglite' && l.size === s).map((l) => l.clients.p95 * 1e6)) },
    { label: 'billing_summary p95, PostgreSQL', color: '#444444', value: (s) => max(r.reports.filter((x) => x.database === 'postgres' && x.size === s && x.report === 'billing_summary').map((x) => x.ms.p95 * 1e6)) },
  ];
  const W = 980;
  const H = 440;
  const left = 70;
  const top = 40;
  const plotH = 300;
  const plotW = 560;
  const lo = 1e2; // 100 ns
  const hi = 1e9; // 1 s
  const y = (v: number) => top + plotH - ((Math.log10(Math.max(lo, Math.min(hi, v))) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
  const gw = plotW / groups.length;
  const bw = (gw - 20) / series.length;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">ChartGuard: cost vs practice size (${r.mode} run, log scale)</text>`);
  const ticks: [number, string][] = [[1e2, '100 ns'], [1e3, '1 µs'], [1e4, '10 µs'], [1e5, '100 µs'], [1e6, '1 ms'], [1e7, '10 ms'], [1e8, '100 ms'], [1e9, '1 s']];
  for (const [v, label] of ticks) {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="#555">${label}</text>`);
  }
  const sizeLabel: Record<string, string> = {
    small: 'small practice',
    large: r.mode === 'quick' ? 'large (scaled down)' : 'large practice',
    platform: 'one of many practices',
  };
  groups.forEach((g, gi) => {
    const x0 = left + gi * gw + 10;
    series.forEach((s, si) => {
      const v = s.value(g);
      if (v === undefined || !Number.isFinite(v)) return;
      const x = x0 + si * bw;
      out.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${s.color}"><title>${s.label}: ${ns(v)}</title></rect>`);
    });
    out.push(`<text x="${x0 + (gw - 20) / 2}" y="${top + plotH + 18}" text-anchor="middle">${sizeLabel[g]}</text>`);
  });
  series.forEach((s, si) => {
    const ly = top + 10 + si * 18;
    out.push(`<rect x="${left + plotW + 20}" y="${ly - 9}" width="12" height="12" fill="${s.color}"/>`);
    out.push(`<text x="${left + plotW + 38}" y="${ly + 1}">${s.label}</text>`);
  });
  out.push(`<text x="${left}" y="${top + plotH + 45}" fill="#555">Checks: one decision in process (Cerbos: one HTTP call to its PDP). Pages and reports: one request's database work.</text>`);
  out.push('</svg>');
  return out.join('\n');
}

function max(xs: number[]): number | undefined {
  return xs.length ? Math.max(...xs) : undefined;
}

export const NOTES_MARKER = '<!-- Analysis: hand-written, kept when the benchmark rewrites this file. -->';

const METHOD = `## Method

- \`npm run bench\` (full) or \`npm run bench -- --quick\` (scaled down, under two minutes) runs
  everything below in one process and writes \`bench/results/{full,quick}.{json,md,svg}\`; the
  full run also rewrites this file.
- Data: \`bench/generate.ts\` seeds practices inside the database with \`generate_series\`
  (deterministic: the same rows on PostgreSQL and PGlite). Members cycle through every role
  (about half are basic clinicians; supervisors supervise three clinicians each); 2% of clients
  are restricted with administrative revocations, 0.5% shared with all, 5% carry a clinical grant
  (a fifth expired); appointments belong to a client and its primary clinician. Sizes: small
  (20 members, 2,000 clients, 20,000 appointments), large (500 members, 100,000 clients,
  1,000,000 appointments), platform (10,000 practices of 5 members, 20 clients and 100
  appointments in one database; the page timings are for one of them). Then \`VACUUM ANALYZE\`
  and \`CHECKPOINT\` (so that no flush of the seeded pages lands in a later measurement).
- Single checks: the same 4,096 random (member, client, permission) cases for every engine,
  half \`client.view_profile\`, half \`client.view_chart\`. Synchronous engines are timed in
  batches of 100 calls (a single call is shorter than the clock's resolution); the table gives
  the median and p99 of the per-call cost over the batches. Each engine gets its data in its own
  prepared form (CASL abilities per member, Casbin request objects, Cedar entity JSON with a
  pre-parsed policy set, Cerbos principal/resource JSON). The headline figure times the decision
  alone: each case's inputs are found by id before the clock starts, for every engine alike
  (ChartGuard: the client's facts, which a request holds once it has loaded the client; a peer:
  its principal, resource and context, \`PeerChecker.resolve\`). The same cases are timed again
  by id, lookups inside the call, and the clients Map lookup alone is its own row: at 100,000
  clients that lookup, not the check, is what grows. Cerbos is its PDP binary on
  127.0.0.1, asked over HTTP one check per request, as a sidecar would be.
  \`test/peers/peers.test.ts\` proves every peer returns the core's decisions for these two
  permissions on random practices, so the ratios compare the same answers.
- Lists: \`src/store/reads/client-page.ts\`. The core derives the member's client scope from roles
  and supervision (\`src/core/client-scope.ts\`); the store turns it into SQL the indexes answer
  (broad scopes walk the name index and drop revoked clients; narrow ones union the primary,
  grant and shared-with-all indexes). Calendar and billing pages use the scope to narrow the
  candidate rows and let the core's single checks decide each one.
  \`test/store/client-page.test.ts\` proves page, count, calendar, billing and reports equal the
  core's decisions on random practices on both databases. One member of each role is timed
  (owner, manager, biller, scheduler, the four clinician roles, supervisor, practice
  administrator, clinical administrator); each figure covers the whole request (its
  transaction, loading the team, the queries).
- Reports: \`src/store/reads/report-scope.ts\` reads \`chartguard.client_income\` (migration 020: one
  row per client, kept by triggers on appointments and insurance payment shares) instead of
  aggregating every appointment per request. Reports are paged: a request (timed here, as
  \`GET /api/reports/:name\` serves it) answers the totals over all rows and the first page of
  100 rows; the practice's totals come from \`chartguard.practice_income\` (migration 024).
- HTTP: the server (\`buildServer\`) runs in a child process; autocannon runs in the
  benchmark process against loopback, after an unmeasured warm-up (JIT, pool, caches). A warm
  authorized read makes no database round trip (\`src/store/facts/facts-cache.ts\`).
- Reads by role (issue 13): the large practice also gets a year of records, generated in the
  database (\`seedYear\` in \`bench/generate.ts\`): 500,000 notes (5 per client), 200,000
  messages, 100,000 tasks, 1,000,000 activity-log entries and 100,000 notifications (a tenth
  of each in --quick). The activity log is a valid hash chain built in SQL (a recursive query
  applies \`sha256\` to the same canonical JSON as \`src/store/commands/activity-log.ts\`) and
  the run checks it with \`verifyLog\` before measuring. A server over that database runs in a
  second process (\`bench/http-server.ts\`) with an account for one member of each role;
  \`bench/http-reads.ts\` times every list endpoint's first page (\`limit=50\`) and a later one
  (following \`next\`), or what an unpaged endpoint answers, and the client overview and a
  note, one request at a time; then audited chart views at 32 connections per role, and a
  mixed workload of concurrent autocannon instances. The server logs the SQL each endpoint
  ran (\`BENCH_SQL_LOG\`), and the benchmark replays it with \`EXPLAIN (ANALYZE, BUFFERS)\`
  under the same settings. The same sequential reads run again on PGlite (an in-memory
  server seeded alike in a second process), leaving out the reads that take the whole practice.
`;

export function writeOutputs(r: Results, dir: string, benchmarksMd: string | null): void {
  writeFileSync(join(dir, `${r.mode}.json`), JSON.stringify(r, null, 2) + '\n');
  writeFileSync(join(dir, `${r.mode}.svg`), svgChart(r) + '\n');
  writeFileSync(join(dir, `${r.mode}.md`), `# ChartGuard benchmarks (${r.mode} run)\n\n${markdownTables(r, `${r.mode}.svg`)}\n`);
  if (benchmarksMd) {
    // Hand-written analysis below the marker survives a re-run.
    const previous = existsSync(benchmarksMd) ? readFileSync(benchmarksMd, 'utf8') : '';
    const at = previous.indexOf(NOTES_MARKER);
    const notes = at >= 0 ? previous.slice(at) : `${NOTES_MARKER}\n`;
    writeFileSync(
      benchmarksMd,
      `# Benchmarks\n\nSpeed and scale of ChartGuard's access decisions, side by side with the engines people would pick instead (CASL, Casbin, Cedar, Cerbos) encoding the same seed rules.\n\n${METHOD}\n## Results\n\n${markdownTables(r, `bench/results/${r.mode}.svg`)}\n\n${notes}`,
    );
  }
}
