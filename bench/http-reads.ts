/**
 * Reads over HTTP by role (issue 13), against a server in another process
 * (bench/http-server.ts): every list endpoint's first page and a later page, the single
 * reads members open most, sequentially; audited chart views under load; and a mixed
 * workload of several autocannon instances at once.
 *
 * An endpoint answering `{items, next}` is paged: its later page follows `next` (`after`).
 * One that refuses `limit` (400) or answers without `next` is measured as it answers today
 * and labelled unpaged.
 */
import { hrtime } from 'node:process';
import { stats, type Stats } from './measure.js';

export interface Signed {
  readonly member: string;
  readonly role: string;
  readonly cookie: string;
}

export interface ReadRow {
  readonly database: string;
  readonly member: string;
  readonly role: string;
  readonly endpoint: string;
  /** 'first' | 'later (page n)' | 'unpaged' | 'single' */
  readonly page: string;
  readonly status: number;
  readonly items: number | null;
  readonly bytes: number;
  readonly ms: Stats;
}

export interface LoadRow {
  readonly database: string;
  readonly name: string;
  readonly member: string;
  readonly role: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** The mean number of database sessions in each state / wait event while it ran (PostgreSQL). */
  readonly waits?: Record<string, number>;
}

interface Answer {
  readonly status: number;
  readonly bytes: number;
  readonly body: unknown;
}

/** `member`: sent as x-bench-member, so the server's SQL capture knows whose request it ran. */
async function get(base: string, path: string, cookie: string, member?: string): Promise<Answer> {
  const res = await fetch(base + path, { headers: member ? { cookie, 'x-bench-member': member } : { cookie } });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, bytes: Buffer.byteLength(text), body };
}

const itemsOf = (body: unknown): unknown[] | null =>
  Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items) ? (body as { items: unknown[] }).items : null;
const nextOf = (body: unknown): string | null | undefined =>
  body && typeof body === 'object' && 'next' in body ? ((body as { next: string | null }).next ?? null) : undefined;
const withQuery = (path: string, q: string) => (q ? `${path}${path.includes('?') ? '&' : '?'}${q}` : path);

/** Signs a member in and returns the session cookie. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
  return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/**
 * Sequential requests: one timed first request (it doubles as the warm-up), then up to `max`
 * timed, stopping early (after 3) once `budgetMs` is spent. A first request slower than
 * `slowMs` is the only sample (n = 1): a request reading the whole practice is not repeated.
 */
async function sequential(base: string, path: string, who: Signed, opt: { max: number; budgetMs: number; slowMs: number }): Promise<{ last: Answer; ms: Stats }> {
  let t0 = hrtime.bigint();
  let last = await get(base, path, who.cookie, who.member);
  const firstMs = Number(hrtime.bigint() - t0) / 1e6;
  if (firstMs > opt.slowMs) return { last, ms: stats([firstMs]) };
  const out: number[] = [];
  const until = Date.now() + opt.budgetMs;
  for (let i = 0; i < opt.max && (i < 3 || Date.now() < until); i++) {
    t0 = hrtime.bigint();
    last = await get(base, path, who.cookie, who.member);
    out.push(Number(hrtime.bigint() - t0) / 1e6);
  }
  return { last, ms: stats(out) };
}

/** What a member opens: a client of theirs and one of its notes (found through the API as that member). */
export interface Opened {
  readonly client: string | null;
  readonly note: string | null;
}

export const LIST_ENDPOINTS = (from: number): readonly { readonly name: string; readonly path: (o: Opened) => string | null }[] => [
  { name: 'GET /api/clients', path: () => '/api/clients' },
  { name: 'GET /api/calendar', path: () => `/api/calendar?from=${from}` },
  { name: 'GET /api/billing', path: () => `/api/billing?from=${from}` },
  { name: 'GET /api/reports/billing_summary', path: () => '/api/reports/billing_summary' },
  { name: 'GET /api/insurance-payments', path: () => '/api/insurance-payments' },
  { name: 'GET /api/clients/:id/notes', path: (o) => o.client && `/api/clients/${o.client}/notes` },
  { name: 'GET /api/clients/:id/messages', path: (o) => o.client && `/api/clients/${o.client}/messages` },
  { name: 'GET /api/messages', path: () => '/api/messages' },
  { name: 'GET /api/tasks', path: () => '/api/tasks' },
  { name: 'GET /api/notifications', path: () => '/api/notifications' },
  { name: 'GET /api/activity-log', path: () => '/api/activity-log' },
];
export const SINGLE_ENDPOINTS: readonly { readonly name: string; readonly path: (o: Opened) => string | null }[] = [
  { name: 'GET /api/clients/:id (client overview)', path: (o) => o.client && `/api/clients/${o.client}` },
  { name: 'GET /api/notes/:id', path: (o) => o.note && `/api/notes/${o.note}` },
];

/**
 * The member's first visible client (first page of /api/clients) and a note of it: the
 * first of the client's notes when that list is paged (one item is cheap), else the client's
 * first seeded note (notes are seeded round-robin, so client k's first note is n{k}).
 */
export async function opened(base: string, cookie: string): Promise<Opened> {
  const page = await get(base, '/api/clients?limit=1', cookie);
  const first = (itemsOf(page.body)?.[0] ?? null) as { id?: string } | null;
  const client = first?.id ?? null;
  if (!client) return { client: null, note: null };
  const notes = await get(base, `/api/clients/${client}/notes?limit=1`, cookie);
  const listed = notes.status === 200 ? ((itemsOf(notes.body)?.[0] ?? null) as { id?: string } | null) : null;
  return { client, note: listed?.id ?? `n${client.slice(1).padStart(7, '0')}` };
}

export interface SequentialOptions {
  readonly database: string;
  readonly from: number;
  readonly limit: number;
  /** The later page measured: the page reached by following `next` this many times (or the last). */
  readonly laterPage: number;
  readonly max: number;
  readonly budgetMs: number;
  /** A request slower than this is measured once (see sequential()). */
  readonly slowMs: number;
  /**
   * Endpoints to leave out for this member (a --quick run measures the whole-practice reads
   * for the first roles only); they are reported as skipped.
   */
  readonly skip: ReadonlySet<string>;
}

/** Every list endpoint (first and a later page) and the single reads, for one member, one request at a time. */
export async function sequentialReads(base: string, who: Signed, o: Opened, opt: SequentialOptions): Promise<ReadRow[]> {
  const rows: ReadRow[] = [];
  const row = (endpoint: string, page: string, a: Answer, ms: Stats): ReadRow => ({
    database: opt.database,
    member: who.member,
    role: who.role,
    endpoint,
    page,
    status: a.status,
    items: itemsOf(a.body)?.length ?? null,
    bytes: a.bytes,
    ms,
  });
  for (const e of LIST_ENDPOINTS(opt.from)) {
    const path = e.path(o);
    if (!path) continue;
    if (opt.skip.has(e.name)) {
      rows.push({ ...row(e.name, 'skipped', { status: 0, bytes: 0, body: null }, stats([])), items: null });
      continue;
    }
    let first = withQuery(path, `limit=${opt.limit}`);
    const probe = await get(base, first, who.cookie, who.member);
    // A 400 for `limit`: not paged yet; measure what it answers without.
    if (probe.status === 400) first = path;
    const m = await sequential(base, first, who, opt);
    const paged = first !== path && nextOf(m.last.body) !== undefined;
    rows.push(row(e.name, paged ? 'first' : m.last.status === 200 ? 'unpaged' : 'first', m.last, m.ms));
    if (!paged) continue;
    let next = nextOf(m.last.body);
    let page = 1;
    let later: string | null = null;
    while (next && page < opt.laterPage) {
      later = withQuery(path, `limit=${opt.limit}&after=${encodeURIComponent(next)}`);
      page++;
      if (page < opt.laterPage) next = nextOf((await get(base, later, who.cookie, who.member)).body);
    }
    if (later) {
      const l = await sequential(base, later, who, opt);
      rows.push(row(e.name, `later (page ${page})`, l.last, l.ms));
    }
  }
  for (const e of SINGLE_ENDPOINTS) {
    const path = e.path(o);
    if (!path) continue;
    const m = await sequential(base, path, who, opt);
    rows.push(row(e.name, 'single', m.last, m.ms));
  }
  return rows;
}

interface CannonRequest {
  readonly method: 'GET';
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** One autocannon instance: `connections` connections cycling through `paths` as one member. */
export async function load(base: string, who: Signed, paths: readonly string[], connections: number, seconds: number): Promise<{ requestsPerSecond: number; p50: number; p99: number; errors: number }> {
  const { default: autocannon } = await import('autocannon');
  const requests: CannonRequest[] = paths.map((path) => ({ method: 'GET', path, headers: { cookie: who.cookie } }));
  const r = await autocannon({ url: base, headers: { cookie: who.cookie }, connections, duration: seconds, pipelining: 1, requests });
  return { requestsPerSecond: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx + r.timeouts };
}

/** The paths reached by following `next` from `path`, up to `pages` pages (the first included). */
export async function pagePaths(base: string, path: string, cookie: string, limit: number, pages: number): Promise<string[]> {
  const out = [withQuery(path, `limit=${limit}`)];
  let next = nextOf((await get(base, out[0]!, cookie)).body);
  while (next && out.length < pages) {
    out.push(withQuery(path, `limit=${limit}&after=${encodeURIComponent(next)}`));
    next = nextOf((await get(base, out[out.length - 1]!, cookie)).body);
  }
  return out;
}

/** The first `n` client ids a member sees, and for each a note id as opened() finds one (the client's first seeded note). */
export async function visibleClients(base: string, cookie: string, n: number): Promise<string[]> {
  const page = await get(base, `/api/clients?limit=${n}`, cookie);
  return (itemsOf(page.body) ?? []).map((c) => (c as { id: string }).id);
}
