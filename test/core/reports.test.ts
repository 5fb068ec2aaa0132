/** Report totals (001): one rule for the in-memory report and the store's scoped SQL report. */
import { describe, expect, it } from 'vitest';
import { reportTotals } from '../../src/core/index.js';

describe('reportTotals', () => {
  const practice = { total: 1234.5, clients: 10 };
  const rows = { total: 300.25, count: 7 };

  it("gives the income allocation the practice's total, restricted clients included, whoever views it", () => {
    expect(reportTotals('income_allocation', practice, rows)).toEqual({ total: 1234.5, omittedClients: 3 });
  });

  it("gives every other report the sum of the viewer's rows", () => {
    expect(reportTotals('billing_summary', practice, rows)).toEqual({ total: 300.25, omittedClients: 3 });
  });

  it('rounds to the cent and never counts fewer than no clients left out', () => {
    expect(reportTotals('billing_summary', { total: 0, clients: 2 }, { total: 0.1 + 0.2, count: 5 })).toEqual({ total: 0.3, omittedClients: 0 });
  });
});
