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
  const inScope = scope.none
    ? 'false'
    : scope.all
      ? 'true'
      : `(c.primary_clinician = any($2::text[])${
          scope.unlessRevoked
            ? ` or not exists (select 1 from chartguard.administrative_revocations r
                                where r.practice_id = c.practice_id and r.client_id = c.id and r.member_id = $3)`
            : ''
        })`;
  const sql = `select i.client_id as client, (i.fees + i.shares)::float8 as amount, ${inScope} as visible
       from chartguard.client_income i
       join chartguard.clients c on c.practice_id = i.practice_id and c.id = i.client_id
      where i.practice_id = $1 and i.entries > 0 and $2::text[] is not null and $3::text is not null
      order by i.client_id collate "C"`;
  const params = [practice, [...scope.primaryIn], scope.member];
  // One row per client is cheap to read; PostgreSQL's JIT compilation and parallel workers
  // would cost more than they save here.
  const rows =
    tx.kind === 'postgres'
      ? await tx.transaction(async (t) => {
          await t.query('set local jit = off');
          await t.query('set local max_parallel_workers_per_gather = 0');
          return t.query<{ client: string; amount: number; visible: boolean }>(sql, params);
        })
      : await tx.query<{ client: string; amount: number; visible: boolean }>(sql, params);
  const visible = rows.filter((r) => r.visible).map((r) => ({ client: r.client, amount: Number(r.amount) }));
  const rowTotal = roundCents(visible.reduce((s, r) => s + r.amount, 0));
  // 001: the income allocation's aggregate total includes every client, restricted ones too.
  const total = name === 'income_allocation' ? roundCents(rows.reduce((s, r) => s + Number(r.amount), 0)) : rowTotal;
  return { ok: true, report: { name, rows: visible, total, omittedClients: rows.length - visible.length } };
}
