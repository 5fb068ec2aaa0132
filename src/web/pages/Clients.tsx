/** The client list: exactly the clients the API returns for this member, a page at a time. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { ActionButton, Badge, Dialog, Empty, Link, Notice, PageHeader, Show, ShowMore, usePaged } from '../components/ui.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { navigate } from '../router.js';
import { useOffer } from '../components/Offered.js';
import { errorText } from '../words.js';

export function ClientsPage() {
  const app = useApp();
  const [list, reload] = usePaged((after) => api.clients(after), []);
  const [adding, setAdding] = useState(false);
  const [filter, setFilter] = useState('');
  const addClient = useOffer('clients', 'add_client');

  return (
    <section>
      <PageHeader
        title="Clients"
        subtitle="Everyone you can see in this practice."
        actions={
          <ActionButton decision={addClient} kind="primary" onClick={() => setAdding(true)}>
            Add client
          </ActionButton>
        }
      />
      <Show value={list} what="clients">
        {(data) => {
          const q = filter.trim().toLowerCase();
          const items = q ? data.items.filter((c) => c.name.toLowerCase().includes(q)) : data.items;
          return (
            <>
              {data.items.length > 6 ? (
                <label className="field search">
                  <span>{data.next ? 'Find a client among those shown' : 'Find a client'}</span>
                  <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
                </label>
              ) : null}
              {items.length === 0 ? (
                <Empty>{data.items.length === 0 ? 'No clients to show. Clients appear here once you have access to them.' : 'No client matches that name.'}</Empty>
              ) : (
                <ul className="card-list" aria-label="Clients">
                  {items.map((c) => (
                    <li key={c.id} className="card client-card" data-client={c.id}>
                      <div className="client-card-main">
                        <Link to={`/clients/${encodeURIComponent(c.id)}`} className="client-name">
                          {c.name}
                        </Link>
                        <span className="muted">Primary clinician: {app.memberName(c.primary)}</span>
                      </div>
                      <div className="badges">
                        {c.restricted ? <Badge tone="restricted">Restricted</Badge> : null}
                        {c.access === 'administrative' ? (
                          <Badge tone="limited" title="You see this client's profile within your administrative role, without the clinical record.">
                            Limited capacity
                          </Badge>
                        ) : null}
                      </div>
                    </li>
                  ))}
                </ul>
              )}
              <ShowMore list={data} what="clients" />
            </>
          );
        }}
      </Show>
      {adding ? (
        <AddClientDialog
          onClose={() => setAdding(false)}
          onAdded={async (id) => {
            setAdding(false);
            await Promise.all([reload(), app.refresh()]);
            if (id) navigate(`/clients/${encodeURIComponent(id)}`);
          }}
        />
      ) : null}
    </section>
  );
}

function AddClientDialog(props: { onClose: () => void; onAdded: (id: string | undefined) => void }) {
  const app = useApp();
  const [name, setName] = useState('');
  const [primary, setPrimary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const clinicians = app.team.filter((m) => m.roles.some((r) => r.startsWith('clinician_')));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.createClient(primary ? { name: name.trim(), primary } : { name: name.trim() });
      props.onAdded(r.id);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Add a client" onClose={props.onClose}>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </label>
        {clinicians.length > 0 ? (
          <ChoiceField label="Primary clinician" choices={clinicians} placeholder="Me, if I am a clinician" value={primary} onChange={setPrimary} />
        ) : null}
        {error ? <Notice kind="error">{error}</Notice> : null}
        <div className="row-end">
          <button type="button" className="button button-quiet" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Add client
          </button>
        </div>
      </form>
    </Dialog>
  );
}
