/**
 * A report the reference way (`ChartGuard.reportByRows`): every appointment and payment
 * summed under row-level security and each row let through by the core's filter. Slow at
 * scale; the proofs compare report-scope.ts with it.
 */
import { buildReport, type ReportName, type ReportPageRequest } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import { loadClients } from '../facts/facts.js';
import type { ReportAnswer } from './report-scope.js';

/** Per-client income: appointment fees plus shares of insurance payments (READING.md: a fee is a charge). */
const AMOUNTS_SQL = `
  select client_id, sum(amount)::float8 as amount from (
    select client_id, fee as amount from chartguard.appointments where practice_id = $1
    union all
    select client_id, share as amount from chartguard.insurance_payment_clients where practice_id = $1
  ) x group by client_id`;

export async function reportByRows(store: Store, practice: string, member: string, name: ReportName, page: ReportPageRequest = {}): Promise<ReportAnswer> {
  const rows = await store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const amounts = await tx.query<{ client_id: string; amount: number }>(AMOUNTS_SQL, [practice]);
    const f = await loadClients(tx, practice, amounts.map((a) => a.client_id));
    return { ctx, amounts: amounts.filter((a) => f.has(a.client_id)).map((a) => ({ client: f.get(a.client_id)!, amount: Number(a.amount) })) };
  });
  // 001: the income allocation's total includes restricted clients, whoever views it; the
  // count says how many clients the rows leave out (a number, naming none of them).
  const whole = await store.within(practice, member, 'system', async (tx) => {
    const [r] = await tx.query<{ total: number; clients: number }>(
      `select coalesce(sum(amount), 0)::float8 as total, count(*)::int as clients from (${AMOUNTS_SQL}) t`,
      [practice],
    );
    return { total: Number(r?.total ?? 0), clients: Number(r?.clients ?? 0) };
  });
  return buildReport(rows.ctx, member, name, rows.amounts, whole, page);
}
