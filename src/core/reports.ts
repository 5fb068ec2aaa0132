/**
 * Reports (001 "Limiting access to Analytics dashboard and reports").
 *
 * Rows hold only the clients the viewer may bill. The billing summary's total is the sum
 * of its rows; the income allocation's total counts every client of the practice,
 * restricted ones included, whoever views it (001: "the aggregate totals ... will include
 * data from restricted clients, regardless of which team member is viewing them").
 */
import type { Decision } from './decision.js';
import { canInPractice } from './permissions.js';
import type { ClientFacts, ClientId, Context, MemberId } from './practice.js';
import { seesCharge } from './visibility.js';

export const REPORTS = ['billing_summary', 'income_allocation'] as const;
export type ReportName = (typeof REPORTS)[number];

export function isReportName(value: unknown): value is ReportName {
  return typeof value === 'string' && (REPORTS as readonly string[]).includes(value);
}

export interface ReportRow {
  readonly client: ClientId;
  /** Appointment fees plus the client's share of insurance payments. */
  readonly amount: number;
}

export interface Report {
  readonly name: ReportName;
  readonly rows: readonly ReportRow[];
  readonly total: number;
  /** How many clients with amounts were left out of the rows for this viewer. */
  readonly omittedClients: number;
}

export function mayRunReport(ctx: Context, viewer: MemberId, _name: ReportName): Decision {
  return canInPractice(ctx, viewer, 'reports.billing');
}

/**
 * Builds a report from per-client amounts and the practice's figures (the total over every
 * client, and how many clients have an amount). The store computes the amounts in SQL
 * (under row-level security, it may pass only the clients the viewer can access); this
 * decides which rows the viewer gets and how many clients were left out.
 */
export function buildReport(
  ctx: Context,
  viewer: MemberId,
  name: ReportName,
  amounts: readonly { client: ClientFacts; amount: number }[],
  practice: { readonly total: number; readonly clients: number },
): { ok: true; report: Report } | { ok: false; decision: Decision } {
  const may = mayRunReport(ctx, viewer, name);
  if (!may.allowed) return { ok: false, decision: may };
  const rows: ReportRow[] = [];
  for (const { client, amount } of amounts) {
    if (seesCharge(ctx, viewer, client)) rows.push({ client: client.id, amount });
  }
  const omitted = Math.max(0, practice.clients - rows.length);
  const practiceTotal = practice.total;
  rows.sort((a, b) => (a.client < b.client ? -1 : a.client > b.client ? 1 : 0));
  const rowTotal = roundCents(rows.reduce((s, r) => s + r.amount, 0));
  return { ok: true, report: { name, rows, total: name === 'income_allocation' ? roundCents(practiceTotal) : rowTotal, omittedClients: omitted } };
}

export function roundCents(n: number): number {
  return Math.round(n * 100) / 100;
}

/** An insurance payment's amount split over the clients it covers, to the cent. */
export function allocatePayment(amount: number, covers: readonly ClientId[]): Map<ClientId, number> {
  const cents = Math.round(amount * 100);
  const share = Math.floor(cents / covers.length);
  let rest = cents - share * covers.length;
  const out = new Map<ClientId, number>();
  for (const c of covers) {
    const extra = rest > 0 ? 1 : 0;
    rest -= extra;
    out.set(c, (share + extra) / 100);
  }
  return out;
}

