/** The activity log: entries the API shows this member, newest first. */
import { api } from '../api.js';
import { useApp } from '../context.js';
import { useState } from 'react';
import { Empty, PageHeader, Show, useLoad } from '../components/ui.js';
import { ACTION_LABEL, OUTCOME_LABEL, formatDateTime } from '../words.js';

const PAGE = 100;

export function ActivityPage() {
  const app = useApp();
  const [log] = useLoad(() => api.activityLog(), []);
  const [shown, setShown] = useState(PAGE);
  return (
    <section>
      <PageHeader title="Activity log" subtitle="Who did what, and when. Entries about clients you can't access are left out." />
      <section className="panel">
        <Show value={log} what="the activity log">
          {(d) =>
            d.items.length === 0 ? (
              <Empty>No entries to show.</Empty>
            ) : (
              <>
              <div className="table-wrap">
                <table aria-label="Activity log">
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Client</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...d.items].reverse().slice(0, shown).map((e) => {
                      const summary = typeof e.detail?.summary === 'string' ? e.detail.summary : null;
                      return (
                        <tr key={e.id ?? e.seq} data-client={e.client ?? ''}>
                          <td className="nowrap">{formatDateTime(e.at)}</td>
                          <td>{e.actor ? app.memberName(e.actor) : 'ChartGuard'}</td>
                          <td>
                            {ACTION_LABEL[e.action] ?? e.action}
                            {OUTCOME_LABEL[e.outcome] ? <span className="muted"> ({OUTCOME_LABEL[e.outcome]})</span> : null}
                            {summary ? <span className="muted small block">{summary}</span> : null}
                          </td>
                          <td>{e.client ? app.clientName(e.client) : '—'}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
              {d.items.length > shown ? (
                <p className="row-end">
                  <span className="muted small">
                    Showing the newest {shown} of {d.items.length}.
                  </span>
                  <button type="button" className="button button-secondary" onClick={() => setShown((n) => n + PAGE)}>
                    Show older entries
                  </button>
                </p>
              ) : null}
              </>
            )
          }
        </Show>
      </section>
    </section>
  );
}
