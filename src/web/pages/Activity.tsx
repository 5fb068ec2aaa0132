/** The activity log: entries the API shows this member, newest first. */
import { api } from '../api.js';
import { useApp } from '../context.js';
import { useState } from 'react';
import { PageHeader, useLoad } from '../components/ui.js';
import { DataTable } from '../components/DataTable.js';
import { ShowList } from '../components/ShowList.js';
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
        <ShowList value={log} what="the activity log" empty="No entries to show.">
          {(d) => (
            <>
              <DataTable
                label="Activity log"
                columns={[
                  { header: 'When', className: 'nowrap', cell: (e) => formatDateTime(e.at) },
                  { header: 'Who', cell: (e) => (e.actor ? app.memberName(e.actor) : 'ChartGuard') },
                  {
                    header: 'What',
                    cell: (e) => {
                      const summary = typeof e.detail?.summary === 'string' ? e.detail.summary : null;
                      return (
                        <>
                          {ACTION_LABEL[e.action] ?? e.action}
                          {OUTCOME_LABEL[e.outcome] ? <span className="muted"> ({OUTCOME_LABEL[e.outcome]})</span> : null}
                          {summary ? <span className="muted small block">{summary}</span> : null}
                        </>
                      );
                    },
                  },
                  { header: 'Client', cell: (e) => (e.client ? app.clientName(e.client) : '—') },
                ]}
                rows={[...d.items].reverse().slice(0, shown)}
                rowKey={(e) => e.id ?? e.seq}
                rowAttributes={(e) => ({ 'data-client': e.client ?? '' })}
              />
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
          )}
        </ShowList>
      </section>
    </section>
  );
}
