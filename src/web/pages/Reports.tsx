/**
 * Reports: billing summary and income allocation, saying when clients are left out of the
 * rows. The totals cover every row; the rows come a page at a time (by client id), with
 * Previous / Next buttons.
 */
import { useRef, useState } from 'react';
import { api, type Report } from '../api.js';
import { useApp } from '../context.js';
import { Empty, Notice, PageHeader, Show, useLoad, type Loaded } from '../components/ui.js';
import { DataTable } from '../components/DataTable.js';
import { REPORT_LABEL, formatMoney } from '../words.js';

type Name = 'billing_summary' | 'income_allocation';

const PAGE_SIZES = [10, 50, 100] as const;

export function ReportsPage() {
  const app = useApp();
  const [name, setName] = useState<Name>('billing_summary');
  const [pageSize, setPageSize] = useState<number>(50);
  // The cursor of each page on the way to this one: Next adds the page's next, Previous drops one.
  const [trail, setTrail] = useState<readonly (string | null)[]>([null]);
  const after = trail[trail.length - 1] ?? null;
  const [loaded] = useLoad(() => api.report(name, { limit: pageSize, after }), [name, pageSize, after]);
  // While the next page loads, the current one stays on screen, so the focus stays on its button.
  const shown = useRef<Report | null>(null);
  if (loaded.state === 'ok') shown.current = loaded.data;
  const busy = loaded.state === 'loading';
  const report: Loaded<Report> = busy && shown.current?.name === name ? { state: 'ok', data: shown.current } : loaded;
  const restart = () => setTrail([null]);
  return (
    <section>
      <PageHeader title="Reports" />
      <div className="segmented" role="group" aria-label="Report">
        {(['billing_summary', 'income_allocation'] as const).map((n) => (
          <button
            key={n}
            type="button"
            className="segment"
            aria-pressed={n === name}
            onClick={() => {
              setName(n);
              restart();
            }}
          >
            {REPORT_LABEL[n]}
          </button>
        ))}
      </div>
      <section className="panel">
        <h2>{REPORT_LABEL[name]}</h2>
        <p className="muted small">
          {name === 'billing_summary'
            ? 'Appointment fees and insurance payments per client. The total is the sum of all rows, on every page.'
            : 'Income per client. The total counts every client of the practice, including any left out of the rows.'}
        </p>
        <Show value={report} what="the report">
          {(r) => {
            const first = (trail.length - 1) * pageSize;
            return (
              <>
                {r.omittedClients > 0 ? (
                  <Notice kind="info">
                    {r.omittedClients} client{r.omittedClients === 1 ? ' is' : 's are'} left out of the rows because they are restricted and you do not have
                    access to them.
                    {name === 'income_allocation' ? ' The total still includes them.' : ''}
                  </Notice>
                ) : null}
                {r.rowCount === 0 ? (
                  <Empty>No rows to show.</Empty>
                ) : (
                  <>
                    <DataTable
                      label={REPORT_LABEL[name] ?? name}
                      busy={busy}
                      columns={[
                        { header: 'Client', cell: (row) => app.clientName(row.client) },
                        { header: 'Amount', className: 'num', cell: (row) => formatMoney(row.amount) },
                      ]}
                      rows={r.rows}
                      rowKey={(row) => row.client}
                      rowAttributes={(row) => ({ 'data-client': row.client })}
                      foot={
                        <>
                          {r.rowCount > r.rows.length || name === 'income_allocation' ? (
                            <tr className="subtotal">
                              <th scope="row">Rows on this page</th>
                              <td className="num">{formatMoney(r.rows.reduce((cents, row) => cents + Math.round(row.amount * 100), 0) / 100)}</td>
                            </tr>
                          ) : null}
                          <tr>
                            <th scope="row">Total{name === 'income_allocation' ? ', whole practice' : `, all ${r.rowCount} rows`}</th>
                            <td className="num total">{formatMoney(r.total)}</td>
                          </tr>
                        </>
                      }
                    />
                    <nav className="pager" aria-label="Report pages">
                      <button
                        type="button"
                        className="button button-secondary"
                        aria-disabled={busy || trail.length === 1}
                        onClick={() => {
                          if (!busy && trail.length > 1) setTrail(trail.slice(0, -1));
                        }}
                      >
                        Previous
                      </button>
                      <span role="status" aria-live="polite">
                        {busy ? 'Loading rows…' : `Rows ${first + 1}–${first + r.rows.length} of ${r.rowCount}`}
                      </span>
                      <button
                        type="button"
                        className="button button-secondary"
                        aria-disabled={busy || r.next === null}
                        onClick={() => {
                          if (!busy && r.next !== null) setTrail([...trail, r.next]);
                        }}
                      >
                        Next
                      </button>
                      <label className="pager-size">
                        Rows per page{' '}
                        <select
                          value={pageSize}
                          onChange={(e) => {
                            setPageSize(Number(e.target.value));
                            restart();
                          }}
                        >
                          {PAGE_SIZES.map((n) => (
                            <option key={n} value={n}>
                              {n}
                            </option>
                          ))}
                        </select>
                      </label>
                    </nav>
                  </>
                )}
              </>
            );
          }}
        </Show>
      </section>
    </section>
  );
}
