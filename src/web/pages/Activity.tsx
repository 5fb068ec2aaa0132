/** The activity log: entries the API shows this member, newest first, a page at a time. */
import { api } from '../api.js';
import { useApp } from '../context.js';
import { PageHeader, ShowMore, usePaged } from '../components/ui.js';
import { DataTable } from '../components/DataTable.js';
import { ShowList } from '../components/ShowList.js';
import { ACTION_LABEL, OUTCOME_LABEL, formatDateTime } from '../words.js';

export function ActivityPage() {
  const app = useApp();
  const [log] = usePaged((after) => api.activityLog(after), []);
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
                rows={d.items}
                rowKey={(e) => e.id ?? e.seq}
                rowAttributes={(e) => ({ 'data-client': e.client ?? '' })}
              />
              <ShowMore list={d} what="entries" />
            </>
          )}
        </ShowList>
      </section>
    </section>
  );
}
