/**
 * The activity log: entries the API shows this member, newest first, a page at a time,
 * filtered by member, client, action, outcome and dates (the API's own filters, so Show more
 * pages through the filtered log). The filters live in the address (`/activity?client=...`),
 * so a reload or a link keeps them.
 */
import { useState, type FormEvent } from 'react';
import { api, type ActivityEntry, type ActivityFilter } from '../api.js';
import { useApp } from '../context.js';
import { PageHeader, ShowMore, usePaged } from '../components/ui.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { navigate, useSearch } from '../router.js';
import { DataTable } from '../components/DataTable.js';
import { ShowList } from '../components/ShowList.js';
import { useOffer } from '../components/Offered.js';
import { ACTION_LABEL, OUTCOME_CHOICE, OUTCOME_LABEL, formatDateTime, fromZonedInput, labelOf } from '../words.js';

/** The filter form's fields as chosen: ids, codes and `YYYY-MM-DD` days, '' for any. */
export interface LogFields {
  readonly member: string;
  readonly client: string;
  readonly action: string;
  readonly outcome: string;
  readonly from: string;
  readonly to: string;
}

const ANY: LogFields = { member: '', client: '', action: '', outcome: '', from: '', to: '' };
const NAMES = Object.keys(ANY) as (keyof LogFields)[];

/** The fields an address holds: `?member=ana&from=2026-12-01`, the others any. */
export function fieldsOf(search: string): LogFields {
  const q = new URLSearchParams(search);
  return Object.fromEntries(NAMES.map((name) => [name, q.get(name) ?? ''])) as unknown as LogFields;
}

/** The log's address under the fields: `/activity` with those chosen. */
export function addressOf(fields: LogFields): string {
  const q = new URLSearchParams();
  for (const name of NAMES) if (fields[name]) q.set(name, fields[name]);
  const s = q.toString();
  return s ? `/activity?${s}` : '/activity';
}

const choices = (labels: Record<string, string>) => Object.entries(labels).map(([id, name]) => ({ id, name }));

/** Midnight of a `YYYY-MM-DD` day (plus some days) on the practice's clock, in epoch ms; undefined for no day. */
function midnight(day: string, plusDays = 0): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays));
  return fromZonedInput(`${d.toISOString().slice(0, 10)}T00:00`);
}

/** The API's filter for the fields: the To day is included, so the range ends at the next midnight. */
export function logFilter(f: LogFields): ActivityFilter {
  return {
    member: f.member || undefined,
    client: f.client || undefined,
    action: f.action || undefined,
    outcome: f.outcome || undefined,
    from: midnight(f.from),
    to: midnight(f.to, 1),
  };
}

export function ActivityPage() {
  const search = useSearch();
  const fields = fieldsOf(search);
  const filtered = Object.values(fields).some((v) => v !== '');
  const [log] = usePaged((after) => api.activityLog(after, logFilter(fields)), [search]);
  const whole = useOffer('activity_log', 'whole_practice');
  return (
    <section>
      <PageHeader
        title="Activity log"
        subtitle={
          whole?.allowed
            ? "Who did what in the practice, and when. Entries about clients you can't access are left out."
            : 'Your own actions, and what was done about the clients you can see.'
        }
      />
      <LogFilters key={search} applied={fields} onApply={(f) => navigate(addressOf(f), { replace: true })} />
      <section className="panel">
        <ShowList value={log} what="the activity log" empty={filtered ? 'No entries match these filters.' : 'No entries to show.'}>
          {(d) => (
            <>
              <LogTable entries={d.items} />
              <ShowMore list={d} what="entries" />
            </>
          )}
        </ShowList>
      </section>
    </section>
  );
}

/** The filters: chosen in the form, applied (and the log read again from its first page) on Apply filters; Clear shows every entry. */
function LogFilters(props: { applied: LogFields; onApply: (fields: LogFields) => void }) {
  const app = useApp();
  const [draft, setDraft] = useState<LogFields>(props.applied);
  const set = (name: keyof LogFields) => (value: string) => setDraft((d) => ({ ...d, [name]: value }));
  const members = app.team.length > 0 ? app.team : [{ id: app.session.member, name: app.session.name }];
  // The pickers offer the first clients by name; a client chosen by a link may be another one.
  const clients = !draft.client || app.clients.some((c) => c.id === draft.client) ? app.clients : [...app.clients, { id: draft.client, name: app.clientName(draft.client) }];
  function submit(e: FormEvent) {
    e.preventDefault();
    props.onApply(draft);
  }
  return (
    <section className="panel">
      <h2>Filters</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter the activity log">
        <ChoiceField label="Member" choices={members} placeholder="Anyone" value={draft.member} onChange={set('member')} />
        <ChoiceField label="Client" choices={clients} placeholder="Any client" value={draft.client} onChange={set('client')} />
        <ChoiceField label="Action" choices={choices(ACTION_LABEL)} placeholder="Any action" value={draft.action} onChange={set('action')} />
        <ChoiceField label="Outcome" choices={choices(OUTCOME_CHOICE)} placeholder="Any outcome" value={draft.outcome} onChange={set('outcome')} />
        <label className="field">
          <span>From</span>
          <input type="date" value={draft.from} max={draft.to || undefined} onChange={(e) => set('from')(e.target.value)} />
        </label>
        <label className="field">
          <span>To (included)</span>
          <input type="date" value={draft.to} min={draft.from || undefined} onChange={(e) => set('to')(e.target.value)} />
        </label>
        <div className="actions-row filters-actions">
          <button type="submit" className="button button-primary">
            Apply filters
          </button>
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setDraft(ANY);
              props.onApply(ANY);
            }}
          >
            Clear filters
          </button>
        </div>
      </form>
    </section>
  );
}

function LogTable(props: { entries: readonly ActivityEntry[] }) {
  const app = useApp();
  return (
    <DataTable
      label="Activity log"
      columns={[
        { header: 'When', className: 'nowrap', extra: true, cell: (e) => formatDateTime(e.at) },
        { header: 'Who', extra: true, cell: (e) => (e.actor ? app.memberName(e.actor) : 'ChartGuard') },
        {
          header: 'What',
          cell: (e) => {
            const summary = typeof e.detail?.summary === 'string' ? e.detail.summary : null;
            return (
              <>
                {labelOf(ACTION_LABEL, e.action)}
                {OUTCOME_LABEL[e.outcome] ? <span className="muted"> ({OUTCOME_LABEL[e.outcome]})</span> : null}
                {summary ? <span className="muted small block">{summary}</span> : null}
                <span className="phone-only muted small">{`${e.actor ? app.memberName(e.actor) : 'ChartGuard'} · ${formatDateTime(e.at)}`}</span>
              </>
            );
          },
        },
        { header: 'Client', cell: (e) => (e.client ? app.clientName(e.client) : '—') },
      ]}
      rows={props.entries}
      rowKey={(e) => e.id ?? e.seq}
      rowAttributes={(e) => ({ 'data-client': e.client ?? '' })}
    />
  );
}
