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
import { refusalOf, type Result } from './result.js';
import { seesCharge } from './visibility.js';
import { oneOf } from './vocabulary.js';

export const REPORTS = ['billing_summary', 'income_allocation'] as const;
export type ReportName = (typeof REPORTS)[number];

export const isReportName = oneOf(REPORTS);

export interface ReportRow {
  readonly client: ClientId;
  /** Appointment fees plus the client's share of insurance payments. */
  readonly amount: number;
}

export interface Report {
  readonly name: ReportName;
  /** One page of the visible rows, in client id order (compareClientIds). */
  readonly rows: readonly ReportRow[];
  /** How many visible rows there are in all pages. */
  readonly rowCount: number;
  /** Over all visible rows (billing summary) or every client of the practice (income allocation), not just the page. */
  readonly total: number;
  /** How many clients with amounts were left out of the rows for this viewer. */
  readonly omittedClients: number;
  /** The last client id of this page, to pass as `after` for the next one; null on the last page. */
  readonly next: ClientId | null;
}

/** Rows per page: the default, and the most one request may ask for. */
export const REPORT_PAGE = { defaultLimit: 100, maxLimit: 1000 } as const;

export interface ReportPageRequest {
  /** Rows per page, 1..REPORT_PAGE.maxLimit (clamped); REPORT_PAGE.defaultLimit when left out or not a number. */
  readonly limit?: number;
  /** The rows after this client id (the previous page's next); the first page when left out. */
  readonly after?: ClientId | null;
}

/** The page request with its limit clamped to 1..REPORT_PAGE.maxLimit. */
export function reportPage(page: ReportPageRequest = {}): { limit: number; after: ClientId | null } {
  const asked = page.limit !== undefined && Number.isFinite(page.limit) ? Math.trunc(page.limit) : REPORT_PAGE.defaultLimit;
  const limit = Math.min(REPORT_PAGE.maxLimit, Math.max(1, asked));
  return { limit, after: page.after ?? null };
}

/**
 * The order of report rows: Unicode code points, which is also PostgreSQL's "C" collation
 * over UTF-8, so a store can page with `client_id collate "C" > after` (JavaScript's `<`
 * compares UTF-16 units, which differs above U+E000).
 */
export function compareClientIds(a: ClientId, b: ClientId): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Surrogates (code points above U+FFFF) rank after U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

export function mayRunReport(ctx: Context, viewer: MemberId, _name: ReportName): Decision {
  return canInPractice(ctx, viewer, 'reports.billing');
}

/**
 * Builds a report from per-client amounts and the practice's figures (the total over every
 * client, and how many clients have an amount). The store computes the amounts in SQL
 * (under row-level security, it may pass only the clients the viewer can access); this
 * decides which rows the viewer gets and how many clients were left out, and returns one
 * page of the rows with the totals over all of them.
 */
export function buildReport(
  ctx: Context,
  viewer: MemberId,
  name: ReportName,
  amounts: readonly { client: ClientFacts; amount: number }[],
  practice: { readonly total: number; readonly clients: number },
  page: ReportPageRequest = {},
): Result<{ report: Report }> {
  const may = mayRunReport(ctx, viewer, name);
  if (!may.allowed) return refusalOf(may);
  const rows: ReportRow[] = [];
  for (const { client, amount } of amounts) {
    if (seesCharge(ctx, viewer, client)) rows.push({ client: client.id, amount });
  }
  rows.sort((a, b) => compareClientIds(a.client, b.client));
  // Summed in whole cents, so the total of 100,000 rows is exact.
  const rowTotal = rows.reduce((cents, r) => cents + Math.round(r.amount * 100), 0) / 100;
  const { limit, after } = reportPage(page);
  const start = after === null ? 0 : rows.findIndex((r) => compareClientIds(r.client, after) > 0);
  const pageRows = start < 0 ? [] : rows.slice(start, start + limit);
  const more = start >= 0 && start + limit < rows.length;
  return {
    ok: true,
    report: {
      name,
      rows: pageRows,
      rowCount: rows.length,
      ...reportTotals(name, practice, { total: rowTotal, count: rows.length }),
      next: more ? pageRows[pageRows.length - 1]!.client : null,
    },
  };
}

/**
 * A report's totals (001), over all the rows the viewer gets: the income allocation's total
 * is the practice's, restricted clients included, whoever views it; every other report's is
 * the sum of the viewer's rows. The clients left out are the practice's clients with an
 * amount that are not among the rows. Shared by buildReport and the store's scoped reports.
 */
export function reportTotals(
  name: ReportName,
  practice: { readonly total: number; readonly clients: number },
  rows: { readonly total: number; readonly count: number },
): { total: number; omittedClients: number } {
  return {
    total: roundCents(name === 'income_allocation' ? practice.total : rows.total),
    omittedClients: Math.max(0, practice.clients - rows.count),
  };
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

