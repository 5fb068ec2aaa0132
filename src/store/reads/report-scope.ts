/**
 * Reports over a large practice (001 "Limiting access to Analytics dashboard and reports"):
 * the per-client amounts come from chartguard.client_income (migration 020, kept by
 * triggers), the rows from the viewer's charge scope (src/core/client-scope.ts), so a
 * report sums one row per client instead of asking the access predicate for each of a
 * million appointments. The report's shape and rules are the core's (reports.ts): totals
 * over all rows, and one page of rows in client id order after a keyset cursor.
 * test/store/client-page.test.ts proves every page and the totals equal buildReport() on
 * random practices, on PGlite and PostgreSQL.
 */
import type { ClientScope } from '../../core/client-scope.js';
import { chargeScope } from '../../core/client-scope.js';
import { mayRunReport, refusalOf, reportPage, reportTotals, type Report, type ReportName, type ReportPageRequest, type Result } from '../../core/index.js';
import { readContext, type Reader } from '../context.js';

/** A page of a report, or why the viewer may not run it. */
export type ReportAnswer = Result<{ report: Report }>;

/** One statement and its parameters. */
export interface ReportSql {
  readonly text: string;
  readonly params: readonly unknown[];
}

const AMOUNT = '(i.fees + i.shares)';

/**
 * The report's one statement for a charge scope: the practice's figures (clients with an
 * amount and their sum, 001's income allocation total: chartguard.practice_income,
 * migration 026), the visible rows' count and sum, and `limit + 1` visible rows after
 * `after` as one JSON value (the extra row says whether a next page exists). Sums stay
 * numeric until the end: exact over 100,000 rows.
 *
 * The visible rows by the scope's shape (chargeScope has no grant or shared-with-all paths):
 * every client; none; every client but the member's revocations, unless reached as primary
 * clinician or supervisor (the totals subtract those few from the practice's); or the
 * clients of some primary clinicians (their index).
 */
export function reportSql(practice: string, scope: ClientScope, page: { limit: number; after: string | null }): ReportSql {
  if (scope.liveGrant || scope.sharedWithAll) throw new Error('A charge scope has no clinical grant or shared-with-all path.');
  const params: unknown[] = [practice];
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const broad = scope.all || scope.unlessRevoked;
  const primaryIn = !scope.all && !scope.none && scope.primaryIn.length > 0 ? param([...scope.primaryIn], 'text[]') : null;
  const member = scope.unlessRevoked ? param(scope.member, 'text') : null;
  /** The cursor and the limit, on the rows' key. */
  const keyset = (key: string) => {
    const cursor = page.after === null ? '' : ` and ${key} collate "C" > ${param(page.after, 'text')}`;
    return `${cursor} order by ${key} collate "C" limit ${param(page.limit + 1, 'int')}`;
  };

  let visible: string;
  let rows: string;
  if (scope.none || (!broad && primaryIn === null)) {
    visible = 'select 0::bigint as rows, 0::numeric as amount';
    rows = 'select null::text as client, null::float8 as amount where false';
  } else if (broad) {
    visible = scope.all
      ? 'select clients as rows, amount from everyone'
      : `select e.clients - h.rows as rows, e.amount - h.amount as amount
           from everyone e,
                (select count(*) as rows, coalesce(sum(${AMOUNT}), 0) as amount
                   from chartguard.administrative_revocations r
                   join chartguard.client_income i on i.practice_id = r.practice_id and i.client_id = r.client_id
                  where r.practice_id = $1 and r.member_id = ${member} and i.entries > 0
                    and r.client_id not in (select id from reached)) h`;
    // The client id index in "C" order (migration 026): a page reads about `limit` rows.
    // Both sets are small and this practice's own (the member's revocations, the clients
    // reached anyway): hashed once, not looked up per row (a per-row look-up of the client
    // let the planner walk a whole practice's name index for each revocation).
    const unlessRevoked = scope.all
      ? ''
      : ` and (i.client_id not in (select r.client_id from chartguard.administrative_revocations r
                                    where r.practice_id = $1 and r.member_id = ${member})
               or i.client_id in (select id from reached))`;
    rows = `select i.client_id as client, ${AMOUNT}::float8 as amount
              from chartguard.client_income i
             where i.practice_id = $1 and i.entries > 0${unlessRevoked}${keyset('i.client_id')}`;
  } else {
    const own = `from chartguard.clients c
                 join chartguard.client_income i on i.practice_id = c.practice_id and i.client_id = c.id
                where c.practice_id = $1 and c.primary_clinician = any(${primaryIn}) and i.entries > 0`;
    visible = `select count(*) as rows, coalesce(sum(${AMOUNT}), 0) as amount ${own}`;
    rows = `select c.id as client, ${AMOUNT}::float8 as amount ${own}${keyset('c.id')}`;
  }
  // The clients reached anyway as primary clinician or supervisor (000: revocations do not apply to them).
  const reached = broad && !scope.all && primaryIn
    ? `select c.id from chartguard.clients c where c.practice_id = $1 and c.primary_clinician = any(${primaryIn})`
    : 'select null::text as id where false';
  const text = `with reached as materialized (${reached}),
                everyone as (
                  select coalesce(max(clients), 0) as clients, coalesce(max(amount), 0) as amount
                    from chartguard.practice_income where practice_id = $1
                ),
                visible as (${visible}),
                page as (${rows})
                select e.clients::int as clients, e.amount::float8 as practice_total,
                       v.rows::int as row_count, v.amount::float8 as row_total,
                       (select coalesce(json_agg(json_build_array(p.client, p.amount) order by p.client collate "C"), '[]')::text from page p) as rows
                  from everyone e, visible v`;
  return { text, params };
}

/**
 * One page of the report as `viewer` may see it, with its totals over all rows, or the
 * refusal.
 *
 * @example
 * const first = await scopedReport(guard, 'p1', 'bill', 'billing_summary', { limit: 100 });
 * const second = first.ok && first.report.next ? await scopedReport(guard, 'p1', 'bill', 'billing_summary', { after: first.report.next }) : null;
 */
export async function scopedReport(guard: Reader, practice: string, viewer: string, name: ReportName, page: ReportPageRequest = {}): Promise<ReportAnswer> {
  // Outside row-level security, like client-page.ts: the charge scope is the filter.
  const tx = guard.db;
  const ctx = await readContext(guard, practice);
  const may = mayRunReport(ctx, viewer, name);
  if (!may.allowed) return refusalOf(may);
  const { limit, after } = reportPage(page);
  const sql = reportSql(practice, chargeScope(ctx, viewer), { limit, after });
  type Row = { clients: number; practice_total: number; row_count: number; row_total: number; rows: string };
  const [row] = await tx.query<Row>(sql.text, sql.params);
  const fetched = (JSON.parse(row!.rows) as [string, number][]).map(([client, amount]) => ({ client, amount }));
  const rows = fetched.slice(0, limit);
  const rowCount = Number(row!.row_count);
  const totals = reportTotals(name, { total: Number(row!.practice_total), clients: Number(row!.clients) }, { total: Number(row!.row_total), count: rowCount });
  return {
    ok: true,
    report: {
      name,
      rows,
      rowCount,
      ...totals,
      next: fetched.length > limit ? rows[rows.length - 1]!.client : null,
    },
  };
}
