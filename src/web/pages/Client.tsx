/** One client: overview, Privacy tab, notes, messages, and who can access them. */
import { api, ApiError, type ClientDetail } from '../api.js';
import { useApp } from '../context.js';
import { Badge, Link, Notice, Show, useLoad } from '../components/ui.js';
import { PERMISSION_LABEL, decisionText, errorText, labelOf } from '../words.js';
import { PrivacyTabView } from './Privacy.js';
import { ClientNotes } from './Notes.js';
import { ClientMessages } from './Messages.js';
import { WhoCanAccessView } from './AccessReview.js';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'privacy', label: 'Privacy' },
  { id: 'notes', label: 'Notes' },
  { id: 'messages', label: 'Messages' },
  { id: 'access', label: 'Who has access' },
] as const;

export function ClientPage(props: { id: string; tab: string }) {
  const [client, reload] = useLoad(() => api.client(props.id), [props.id]);
  const tab = TABS.some((t) => t.id === props.tab) ? props.tab : 'overview';

  if (client.state === 'error') {
    const e = client.error;
    const gone = e instanceof ApiError && (e.status === 404 || e.status === 403);
    return (
      <section>
        <h1 tabIndex={-1}>Client unavailable</h1>
        <Notice kind="error">{gone ? 'This client does not exist, or you do not have access to them.' : errorText(e)}</Notice>
        <p>
          <Link to="/clients">Back to clients</Link>
        </p>
      </section>
    );
  }

  return (
    <Show value={client} what="client">
      {(c) => (
        <section>
          <p className="crumbs">
            <Link to="/clients">Clients</Link> <span aria-hidden="true">›</span> {c.name}
          </p>
          <header className="page-head">
            <div>
              <h1 tabIndex={-1}>{c.name}</h1>
              <div className="badges">
                {c.restricted ? <Badge tone="restricted">Restricted access on</Badge> : null}
                {c.access === 'administrative' ? <Badge tone="limited">Limited capacity</Badge> : <Badge tone="ok">Clinical access</Badge>}
                {c.sharedWithAll ? <Badge>Shared with all clinicians</Badge> : null}
              </div>
            </div>
          </header>
          <nav className="tabs" aria-label="Client sections">
            {TABS.map((t) => (
              <Link key={t.id} to={`/clients/${encodeURIComponent(c.id)}${t.id === 'overview' ? '' : `/${t.id}`}`} className="tab" aria-current={t.id === tab ? 'page' : undefined}>
                {t.label}
              </Link>
            ))}
          </nav>
          <div className="tab-panel">
            {tab === 'overview' ? <Overview client={c} /> : null}
            {tab === 'privacy' ? <PrivacyTabView client={c} onChanged={reload} /> : null}
            {tab === 'notes' ? <ClientNotes client={c} /> : null}
            {tab === 'messages' ? <ClientMessages client={c.id} /> : null}
            {tab === 'access' ? <WhoCanAccessView client={c.id} /> : null}
          </div>
        </section>
      )}
    </Show>
  );
}

function Overview(props: { client: ClientDetail }) {
  const app = useApp();
  const c = props.client;
  const entries = Object.entries(c.permissions ?? {});
  return (
    <div className="grid-2">
      <section className="panel">
        <h2>Profile</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{c.name}</dd>
          <dt>Contact</dt>
          <dd>{c.contact || <span className="muted">None on file</span>}</dd>
          <dt>Primary clinician</dt>
          <dd>{app.memberName(c.primary)}</dd>
          <dt>Your access</dt>
          <dd>
            {c.access === 'clinical'
              ? 'Clinical: the full profile and clinical record.'
              : 'Limited capacity: the profile and administrative data your role needs, without the clinical record.'}
          </dd>
          <dt>Restricted access</dt>
          <dd>{c.restricted ? 'On: only the team members chosen on the Privacy tab can see this client.' : 'Off'}</dd>
        </dl>
        <p className="small">
          <Link to={`/activity?client=${encodeURIComponent(c.id)}`}>{`The activity log about ${c.name}`}</Link>
        </p>
      </section>
      <section className="panel">
        <h2>What you can do</h2>
        {entries.length === 0 ? (
          <p className="muted">No permissions were reported.</p>
        ) : (
          <ul className="permission-list">
            {entries.map(([p, d]) => (
              <li key={p} className={d.allowed ? 'allowed' : 'refused'}>
                <span className="permission-mark" aria-hidden="true">
                  {d.allowed ? '✓' : '–'}
                </span>
                <span>
                  <span className="permission-name">{labelOf(PERMISSION_LABEL, p)}</span>
                  <span className="visually-hidden">{d.allowed ? ': allowed' : ': not allowed'}</span>
                  {!d.allowed ? <span className="reason">{decisionText(d)}</span> : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
