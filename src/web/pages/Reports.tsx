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
import { REPORT_LABEL, formatMoney, labelOf } from '../words.js';

type Name = 'billing_summary' | 'income_allocation';

const PAGE_SIZES = [10, 50, 100] as const;

export function ReportsPage() {
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
          {(r) => (
            <>
              <Omitted report={r} name={name} />
              {r.rowCount === 0 ? (
                <Empty>No rows to show.</Empty>
              ) : (
                <>
                  <ReportTable report={r} name={name} busy={busy} />
                  <Pager
                    report={r}
                    busy={busy}
                    first={(trail.length - 1) * pageSize}
                    canGoBack={trail.length > 1}
                    onPrevious={() => setTrail(trail.slice(0, -1))}
                    onNext={(next) => setTrail([...trail, next])}
                    pageSize={pageSize}
                    onPageSize={(n) => {
                      setPageSize(n);
                      restart();
                    }}
                  />
                </>
              )}
            </>
          )}
        </Show>
      </section>
    </section>
  );
}

function Omitted(props: { report: Report; name: Name }) {
  const r = props.report;
  if (r.omittedClients === 0) return null;
  return (
    <Notice kind="info">
      {r.omittedClients} client{r.omittedClients === 1 ? ' is' : 's are'} left out of the rows because they are restricted and you do not have
      access to them.
      {props.name === 'income_allocation' ? ' The total still includes them.' : ''}
    </Notice>
  );
}

/** One page of rows; the foot holds this page's sum when it is not the whole, and the report's total. */
function ReportTable(props: { report: Report; name: Name; busy: boolean }) {
  const app = useApp();
  const { report: r, name } = props;
  return (
    <DataTable
      label={labelOf(REPORT_LABEL, name)}
      busy={props.busy}
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
  );
}

/** Previous and Next (announced as disabled while a page loads or at either end) and the page size. */
function Pager(props: {
  report: Report;
  busy: boolean;
  first: number;
  canGoBack: boolean;
  onPrevious: () => void;
  onNext: (after: string) => void;
  pageSize: number;
  onPageSize: (n: number) => void;
}) {
  const { report: r, busy, first } = props;
  return (
    <nav className="pager" aria-label="Report pages">
      <button
        type="button"
        className="button button-secondary"
        aria-disabled={busy || !props.canGoBack}
        onClick={() => {
          if (!busy && props.canGoBack) props.onPrevious();
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
          if (!busy && r.next !== null) props.onNext(r.next);
        }}
      >
        Next
      </button>
      <label className="pager-size">
        Rows per page{' '}
        <select value={props.pageSize} onChange={(e) => props.onPageSize(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </nav>
  );
}
