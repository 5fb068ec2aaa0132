/** Reports: billing summary and income allocation, saying when clients are left out of the rows. */
import { useState } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { Empty, Notice, PageHeader, Show, useLoad } from '../components/ui.js';
import { REPORT_LABEL, formatMoney } from '../words.js';

type Name = 'billing_summary' | 'income_allocation';

export function ReportsPage() {
  const app = useApp();
  const [name, setName] = useState<Name>('billing_summary');
  const [report] = useLoad(() => api.report(name), [name]);
  return (
    <section>
      <PageHeader title="Reports" />
      <div className="segmented" role="group" aria-label="Report">
        {(['billing_summary', 'income_allocation'] as const).map((n) => (
          <button key={n} type="button" className="segment" aria-pressed={n === name} onClick={() => setName(n)}>
            {REPORT_LABEL[n]}
          </button>
        ))}
      </div>
      <section className="panel">
        <h2>{REPORT_LABEL[name]}</h2>
        <p className="muted small">
          {name === 'billing_summary'
            ? 'Appointment fees and insurance payments per client. The total is the sum of the rows below.'
            : 'Income per client. The total counts every client of the practice, including any left out of the rows.'}
        </p>
        <Show value={report} what="the report">
          {(r) => (
            <>
              {r.omittedClients > 0 ? (
                <Notice kind="info">
                  {r.omittedClients} client{r.omittedClients === 1 ? ' is' : 's are'} left out of the rows because they are restricted and you do not have
                  access to them.
                  {name === 'income_allocation' ? ' The total still includes them.' : ''}
                </Notice>
              ) : null}
              {r.rows.length === 0 ? (
                <Empty>No rows to show.</Empty>
              ) : (
                <div className="table-wrap">
                  <table aria-label={REPORT_LABEL[name]}>
                    <thead>
                      <tr>
                        <th scope="col">Client</th>
                        <th scope="col" className="num">
                          Amount
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {[...r.rows].sort((a, b) => app.clientName(a.client).localeCompare(app.clientName(b.client))).map((row) => (
                        <tr key={row.client} data-client={row.client}>
                          <td>{app.clientName(row.client)}</td>
                          <td className="num">{formatMoney(row.amount)}</td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      {name === 'income_allocation' ? (
                        <tr className="subtotal">
                          <th scope="row">Rows shown</th>
                          <td className="num">{formatMoney(Math.round(r.rows.reduce((sum, row) => sum + row.amount, 0) * 100) / 100)}</td>
                        </tr>
                      ) : null}
                      <tr>
                        <th scope="row">Total{name === 'income_allocation' ? ', whole practice' : ''}</th>
                        <td className="num total">{formatMoney(r.total)}</td>
                      </tr>
                    </tfoot>
                  </table>
                </div>
              )}
            </>
          )}
        </Show>
      </section>
    </section>
  );
}
