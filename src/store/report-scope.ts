/**
 * Reports over a large practice (001 "Limiting access to Analytics dashboard and reports"):
 * the per-client amounts come from chartguard.client_income (migration 020, kept by
 * triggers), the rows from the viewer's charge scope (src/core/client-scope.ts), so a
 * report sums one row per client instead of asking the access predicate for each of a
 * million appointments. The report's shape and rules are the core's (reports.ts):
 * test/store/client-page.test.ts proves it equals buildReport() on random practices.
 */
import { chargeScope } from '../core/client-scope.js';
import { mayRunReport, roundCents, type Decision, type Report, type ReportName } from '../core/index.js';
import type { ChartGuard } from './chartguard.js';
import { readContext } from './client-page.js';

/** The report as `viewer` may see it, or the refusal. */
export async function scopedReport(
  guard: ChartGuard,
  practice: string,
  viewer: string,
  name: ReportName,
): Promise<{ ok: true; report: Report } | { ok: false; decision: Decision }> {
  // Outside row-level security, like client-page.ts: the charge scope is the filter.
  const tx = guard.db;
  const ctx = await readContext(tx, practice, guard.now());
  const may = mayRunReport(ctx, viewer, name);
  if (!may.allowed) return { ok: false, decision: may };
  const scope = chargeScope(ctx, viewer);
  // The charge scope as joins: the primary clinician from clients, this member's
  // revocations by a left join (one hash join, not a subquery per client).
  const inScope = scope.none
    ? 'false'
    : scope.all
      ? 'true'
      : `(c.primary_clinician = any($2::text[])${scope.unlessRevoked ? ' or r.member_id is null' : ''})`;
  const joins =
    scope.none || scope.all
      ? ''
      : `join chartguard.clients c on c.practice_id = i.practice_id and c.id = i.client_id
         ${scope.unlessRevoked ? 'left join chartguard.administrative_revocations r on r.practice_id = i.practice_id and r.client_id = i.client_id and r.member_id = $3' : ''}`;
  // One statement, one row: the visible rows as JSON (100,000 rows cost one parse instead of
  // 100,000 protocol rows), the omitted count and both totals, summed exactly in numeric.
  const sql = `select coalesce(json_agg(json_build_array(x.client, x.amount::float8) order by x.client collate "C") filter (where x.visible), '[]')::text as rows,
                      count(*) filter (where not x.visible)::int as omitted,
                      coalesce(sum(x.amount) filter (where x.visible), 0)::float8 as row_total,
                      coalesce(sum(x.amount), 0)::float8 as practice_total
                 from (select i.client_id as client, i.fees + i.shares as amount, ${inScope} as visible
                         from chartguard.client_income i ${joins}
                        where i.practice_id = $1 and i.entries > 0 and $2::text[] is not null and $3::text is not null) x`;
  const params = [practice, [...scope.primaryIn], scope.member];
  type Row = { rows: string; omitted: number; row_total: number; practice_total: number };
  // PostgreSQL's JIT compilation and parallel workers would cost more than they save here.
  const [row] =
    tx.kind === 'postgres'
      ? await tx.transaction(async (t) => {
          await t.query('set local jit = off');
          await t.query('set local max_parallel_workers_per_gather = 0');
          return t.query<Row>(sql, params);
        })
      : await tx.query<Row>(sql, params);
  const visible = (JSON.parse(row!.rows) as [string, number][]).map(([client, amount]) => ({ client, amount }));
  const rowTotal = roundCents(Number(row!.row_total));
  // 001: the income allocation's aggregate total includes every client, restricted ones too.
  const total = name === 'income_allocation' ? roundCents(Number(row!.practice_total)) : rowTotal;
  return { ok: true, report: { name, rows: visible, total, omittedClients: Number(row!.omitted) } };
}
