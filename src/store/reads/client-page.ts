/**
 * Paged reads that stay fast at 100,000 clients and 1,000,000 appointments.
 *
 * `ChartGuard.list()` reads an area under row-level security, where the database asks
 * chartguard.access_bits() once per row: correct, and hundreds of milliseconds for a large
 * practice. Here the core first describes what the member may view as a scope
 * (src/core/client-scope.ts: primary clinician of, supervisees', all unless revoked,
 * live grants, shared with all), and this module turns the scope into SQL the indexes
 * answer. No access rule lives here: the scope comes from the core, and
 * test/store/client-page.test.ts proves the page and count equal the clients seesClient()
 * allows, on random practices, on PGlite and PostgreSQL.
 *
 * Calendar and billing pages use the scope only to narrow the candidate rows; the core's
 * single checks (seesAppointment, seesCharge) decide each row, as in ChartGuard.list().
 *
 * These reads run on the store's own connection, outside row-level security: the scope is
 * the member filter here, and the policies would otherwise be evaluated row by row before
 * it. A client page is two statements (the member's part of the team, then the page with
 * its count and its clients' facts); a calendar or billing page is the team, then one
 * statement per batch of candidates, their clients' facts from the in-process facts cache
 * (the misses in one more statement).
 */
import { calendarScope, chargeScope, clientScope, type ClientScope } from '../../core/client-scope.js';
import { clientAccess, seesAppointment, seesCharge, type Context } from '../../core/index.js';
import { readContext, type Reader } from '../context.js';
import { CLIENT_FACTS_COLUMNS, clientFacts, ms, type ClientFactsRow } from '../facts/facts.js';

export interface ClientPageItem {
  readonly id: string;
  readonly name: string;
  readonly primary: string;
  readonly restricted: boolean;
  /** The member's access to the client (the core's clientAccess): clinical, or administrative only. */
  readonly access: 'clinical' | 'administrative';
}

export interface ClientPage {
  readonly items: readonly ClientPageItem[];
  /** Every client the member may view, not just this page. */
  readonly total: number;
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: { name: string; id: string } | null;
}

export interface PageOptions {
  readonly limit?: number;
  readonly after?: { name: string; id: string } | null;
}

/** Broad scopes read the name index and drop the few revoked; narrow ones gather their ids first. */
export function isBroad(scope: ClientScope): boolean {
  return scope.all || scope.unlessRevoked;
}

/** The member's live grants: a condition on `chartguard.clinical_grants g`; $1 practice, $3 member, $4 now (ms). */
export const LIVE_GRANT = `g.practice_id = $1 and g.member_id = $3 and (g.expires_at is null or g.expires_at > to_timestamp($4::float8 / 1000))`;

/**
 * The scope as a SQL condition on `chartguard.clients c` for broad scopes; $1 practice,
 * $2 primaryIn, $3 member. The revoked ids are one hashed set read from the member's
 * index range (a correlated NOT EXISTS made PostgreSQL hash every revocation of the practice).
 */
export function broadCondition(scope: ClientScope): string {
  if (scope.all) return 'true';
  return `(c.primary_clinician = any($2::text[])
           or c.id not in (select r.client_id from chartguard.administrative_revocations r where r.practice_id = $1 and r.member_id = $3))`;
}

/** Narrow scopes: the ids of the scope's clients, each from its own index (index-only scans). */
export function scopeIds(scope: ClientScope): string {
  const parts = [`select id from chartguard.clients where practice_id = $1 and primary_clinician = any($2::text[]) and ${TYPED}`];
  if (scope.liveGrant) parts.push(`select g.client_id from chartguard.clinical_grants g where ${LIVE_GRANT}`);
  if (scope.sharedWithAll) parts.push('select id from chartguard.clients where practice_id = $1 and shared_with_all');
  return parts.join('\n union\n');
}

/**
 * Narrow scopes: the first `limit` clients by name (after the cursor) of each part of the
 * scope, each read in order from its own index, then the first `limit` of their union.
 * It reads at most a page per part, whatever the practice's or the scope's size.
 */
function narrowPage(scope: ClientScope, cursor: string): string {
  const COLS = 'c.id, c.name, c.primary_clinician, c.restricted';
  const parts = [
    `select x.* from unnest($2::text[]) as p(clinician) cross join lateral (
       select ${COLS} from chartguard.clients c
        where c.practice_id = $1 and c.primary_clinician = p.clinician and ${TYPED}${cursor}
        order by c.name, c.id limit $5) x`,
  ];
  if (scope.liveGrant) {
    parts.push(`(select ${COLS} from chartguard.clinical_grants g join chartguard.clients c on c.practice_id = g.practice_id and c.id = g.client_id
                where ${LIVE_GRANT}${cursor} order by c.name, c.id limit $5)`);
  }
  if (scope.sharedWithAll) {
    parts.push(`(select ${COLS} from chartguard.clients c where c.practice_id = $1 and c.shared_with_all${cursor} order by c.name, c.id limit $5)`);
  }
  return `select u.* from (${parts.join('\n union\n')}) u order by u.name, u.id limit $5`;
}

/** Declares the types of $2..$4 for scopes that leave some of them unused. */
export const TYPED = '($2::text[] is not null and $3::text is not null and $4::float8 is not null)';

export function scopeParams(practice: string, scope: ClientScope): unknown[] {
  return [practice, [...scope.primaryIn], scope.member, scope.now];
}

/** The member's client scope and the context it was derived from. */
export async function memberScope(guard: Reader, practice: string, member: string): Promise<{ ctx: Context; scope: ClientScope }> {
  const ctx = await readContext(guard, practice);
  return { ctx, scope: clientScope(ctx, member) };
}

/** The SQL of a client page and its count, for EXPLAIN and for the page itself. */
export function clientPageSql(scope: ClientScope, after: boolean): { page: string; count: string } {
  const cursor = after ? ' and (c.name, c.id) > ($6, $7)' : '';
  if (scope.none) return { page: 'select null where false', count: 'select 0 as total' };
  if (isBroad(scope)) {
    return {
      page: `select c.id, c.name, c.primary_clinician, c.restricted from chartguard.clients c
              where c.practice_id = $1 and ${TYPED} and ${broadCondition(scope)}${cursor}
              order by c.name, c.id limit $5`,
      // Every client (a per-practice counter, migration 021), minus the member's revocations,
      // plus those reached anyway as primary clinician or supervisor: three index counts,
      // small enough that PostgreSQL plans no parallel workers.
      count: scope.all
        ? `select coalesce((select clients from chartguard.practice_client_counts where practice_id = $1), 0)::int as total where ${TYPED}`
        : `select (coalesce((select clients from chartguard.practice_client_counts where practice_id = $1), 0)
                 - (select count(*) from chartguard.administrative_revocations r where r.practice_id = $1 and r.member_id = $3)
                 + (select count(*) from (select c.id from chartguard.clients c
                                            where c.practice_id = $1 and c.primary_clinician = any($2::text[]) and ${TYPED} offset 0) own
                     -- The member's own clients (an index range; offset 0 keeps it one) against their
                     -- revocations, hashed: a join probed the clients once per revocation (12 ms).
                     where own.id in (select r.client_id from chartguard.administrative_revocations r
                                       where r.practice_id = $1 and r.member_id = $3)))::int as total`,
    };
  }
  // Joining the scope's ids to their names made PostgreSQL hash every client of a
  // one-practice database (120 ms for 1,527 clients); each part's own name order does not.
  return { page: narrowPage(scope, cursor), count: `select count(*)::int as total from (${scopeIds(scope)}) s` };
}

/**
 * A page of the clients `member` may view, by name, with the total count (no cap).
 *
 * @example
 * const { items, total, next } = await clientPage(guard, 'p1', 'dana', { limit: 50 });
 */
export async function clientPage(guard: Reader, practice: string, member: string, options: PageOptions = {}): Promise<ClientPage> {
  const limit = options.limit ?? 50;
  const after = options.after ?? null;
  const db = guard.db;
  const { ctx, scope } = await memberScope(guard, practice, member);
  if (scope.none) return { items: [], total: 0, next: null };
  const sql = clientPageSql(scope, after !== null);
  // The count, the page and the page's client facts (for the access column) in one
  // statement: one snapshot, one round trip.
  const rows = await db.query<{ total: number; name: string } & ClientFactsRow>(
    `select t.total, p.name, ${CLIENT_FACTS_COLUMNS}
       from (${sql.count}) t
       left join lateral (${sql.page}) p on true
       left join chartguard.clients c on c.practice_id = $1 and c.id = p.id
      order by p.name, p.id`,
    after ? [...scopeParams(practice, scope), limit, after.name, after.id] : [...scopeParams(practice, scope), limit],
  );
  const items: ClientPageItem[] = [];
  for (const r of rows) {
    if (r.id === null) continue;
    const access = clientAccess(ctx, member, clientFacts(r));
    items.push({ id: r.id, name: r.name, primary: r.primary_clinician, restricted: r.restricted, access: access.clinical ? 'clinical' : 'administrative' });
  }
  const last = items[items.length - 1];
  return { items, total: Number(rows[0]?.total ?? 0), next: items.length === limit && last ? { name: last.name, id: last.id } : null };
}

export interface AppointmentPageItem {
  readonly id: string;
  readonly client: string;
  readonly clinician: string;
  readonly startsAt: number;
  readonly amount: number;
}

/**
 * Candidate appointments of the scope's clients from a time on, in (starts_at, id) order;
 * `ownOnly`: only the member's own appointments.
 */
export function appointmentCandidatesSql(scope: ClientScope, ownOnly = false): string {
  const cols = `a.id, a.client_id, a.clinician, a.fee::float8 as fee, ${ms('a.starts_at')} as starts_at`;
  const cursor = `(a.starts_at, a.id) > (to_timestamp($5::float8 / 1000), $6)${ownOnly ? ' and a.clinician = $3' : ''}`;
  if (isBroad(scope)) {
    // Every client, or every client not revoked from the member (a hashed set of the member's
    // revocations, on the time-ordered scan) unless reached as primary clinician or supervisor.
    // A per-row look-up of the client instead made PostgreSQL plan parallel workers (50 ms
    // to start them on a busy machine).
    const inScope = scope.all
      ? ''
      : ` and (a.client_id not in (select r.client_id from chartguard.administrative_revocations r where r.practice_id = $1 and r.member_id = $3)
               or exists (select 1 from chartguard.clients c where c.practice_id = $1 and c.id = a.client_id and c.primary_clinician = any($2::text[])))`;
    return `select ${cols} from chartguard.appointments a
             where a.practice_id = $1 and ${TYPED} and ${cursor}${inScope}
             order by a.starts_at, a.id limit $7`;
  }
  // Two plans, one chosen by the scope's size when the statement runs (a one-time filter):
  // - few clients: each client's first appointments from the cursor on (an index range scan
  //   each), then the earliest of those: bounded by clients x limit;
  // - many: walk the practice's appointments in time order and keep the scope's, which
  //   finds a page after about limit x practice clients / scope clients index entries.
  // Measured on 100,000 clients (1,000,000 appointments), a range scan costs about 30
  // index entries of the walk, so the walk wins from scope² x 32 >= limit x clients
  // (a supervisor's 1,527 clients: 5 ms instead of 26 ms).
  const walk = `(select n from n) * (select n from n) * 32 >= $7 * coalesce((select clients from chartguard.practice_client_counts where practice_id = $1), 0)`;
  return `with s as materialized (${scopeIds(scope)}),
               n as materialized (select count(*) as n from s)
          select x.* from (
            (select ${cols} from chartguard.appointments a
              where a.practice_id = $1 and ${cursor} and ${walk}
                -- IS TRUE keeps it a filter (a hashed set) on the time-ordered scan, not a join.
                and (a.client_id in (select id from s)) is true
              order by a.starts_at, a.id limit $7)
            union all
            (select a.* from s
               cross join lateral (
                 select ${cols} from chartguard.appointments a
                  where a.practice_id = $1 and a.client_id = s.id and ${cursor}
                  order by a.starts_at, a.id limit $7) a
              where not (${walk})
              order by a.starts_at, a.id limit $7)
          ) x
          order by x.starts_at, x.id limit $7`;
}

export interface AppointmentPage {
  readonly items: readonly AppointmentPageItem[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: { startsAt: number; id: string } | null;
}

export interface AppointmentPageOptions {
  /** Appointments from this time on (epoch ms); default: all. */
  readonly from?: number | undefined;
  readonly limit?: number;
  /** The `next` of the previous page: appointments after it, in (startsAt, id) order. */
  readonly after?: { startsAt: number; id: string } | null;
}

/**
 * A page of the calendar (appointments the member sees) or the billing list (charges the
 * member may view) from `from` on. The core's scopes narrow; seesAppointment/seesCharge decide.
 *
 * @example
 * const first = await appointmentPage(guard, 'p1', 'dana', 'calendar', { limit: 50 });
 * const second = first.next && (await appointmentPage(guard, 'p1', 'dana', 'calendar', { limit: 50, after: first.next }));
 */
export async function appointmentPage(
  guard: Reader,
  practice: string,
  member: string,
  area: 'calendar' | 'billing',
  options: AppointmentPageOptions = {},
): Promise<AppointmentPage> {
  const limit = options.limit ?? 50;
  const db = guard.db;
  const ctx = await readContext(guard, practice);
  const { clients: scope, ownOnly } = area === 'calendar' ? calendarScope(ctx, member) : { clients: chargeScope(ctx, member), ownOnly: false };
  if (scope.none) return { items: [], next: null };
  // The candidates, one round trip per batch; their clients' facts for the core's single
  // checks from the in-process facts cache (kept fresh by change notifications; the misses
  // in one more statement), so the page's statement reads only the appointments' index.
  const sql = appointmentCandidatesSql(scope, ownOnly);
  const out: AppointmentPageItem[] = [];
  // (starts_at, id) > cursor: from `from` on (every id is after ''), or after the previous page.
  let cursor: [number, string] = options.after ? [options.after.startsAt, options.after.id] : [options.from ?? 0, ''];
  // The core refuses some candidates (a supervisor's calendar holds the supervisees' clients
  // but not their appointments): later batches grow, so a sparse page takes few statements.
  let batch = limit * 2;
  const page = (): AppointmentPage => {
    const last = out[out.length - 1];
    return { items: out, next: out.length === limit && last ? { startsAt: last.startsAt, id: last.id } : null };
  };
  for (;;) {
    const rows = await db.query<{ id: string; client_id: string; clinician: string; fee: number; starts_at: number }>(sql, [...scopeParams(practice, scope), cursor[0], cursor[1], batch]);
    const facts = await guard.facts.clients(practice, [...new Set(rows.map((r) => r.client_id))]);
    for (const r of rows) {
      const c = facts.get(r.client_id);
      if (!c) continue;
      const sees = area === 'calendar' ? seesAppointment(ctx, member, { id: r.id, client: r.client_id, clinician: r.clinician }, c) : seesCharge(ctx, member, c);
      if (sees) out.push({ id: r.id, client: r.client_id, clinician: r.clinician, startsAt: Number(r.starts_at), amount: Number(r.fee) });
      if (out.length === limit) return page();
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last) return page();
    cursor = [Number(last.starts_at), last.id];
    batch = Math.min(batch * 4, 2000);
  }
}
