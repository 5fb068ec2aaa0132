/** Tasks and notifications the API shows this member, their note queues (mine; a supervisor's to co-sign), and creating a task. */
import { useState, type FormEvent } from 'react';
import { api } from '../api.js';
import { useApp } from '../context.js';
import { PageHeader, usePaged, useCommand, ClientField } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { ChoiceField } from '../components/ChoiceField.js';
import { PagedItems } from '../components/PagedItems.js';
import { OfferedPanel, isOffered, useOffer } from '../components/Offered.js';
import { EVENT_LABEL, formatDateTime, labelOf } from '../words.js';
import { MyNotes, ToCosign } from './NoteQueues.js';

export function TasksPage() {
  const app = useApp();
  const [tasks, reload] = usePaged((after) => api.tasks(after), []);
  const [notifications, setNotifications] = useState<{ unread: number } | null>(null);
  const [notes] = usePaged(async (after) => {
    const page = await api.notifications(after);
    setNotifications({ unread: page.unread });
    return page;
  }, []);
  const [client, setClient] = useState('');
  const [assignee, setAssignee] = useState(app.session.member);
  const [title, setTitle] = useState('');
  const { busy, outcome, run } = useCommand();
  const create = useOffer('tasks', 'create_task');
  // The note queues: the co-signing one for supervisors, mine for who writes notes (the core's areas).
  const cosign = useOffer('note_queues', 'cosign');
  const myNotes = useOffer('note_queues', 'my_notes');
  const people = app.team.length > 0 ? app.team : [{ id: app.session.member, name: app.session.name, roles: app.session.roles }];

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const r = await api.createTask(client, assignee, title);
      setTitle('');
      await reload();
      return r.summary || 'The task was created.';
    });
  }

  return (
    <section>
      <PageHeader title="Tasks and notifications" />
      <div className="grid-2 grid-wide-left">
        <div className="stack">
          <PagedItems title="Tasks" value={tasks} what="tasks" empty="No tasks to show." className="rows">
            {(t) => (
              <li className="row-item" data-client={t.client}>
                <strong>{t.title}</strong>
                <span className="muted small">
                  {app.clientName(t.client)} · for {app.memberName(t.assignee)} · from {app.memberName(t.creator)}
                </span>
              </li>
            )}
          </PagedItems>
          {cosign?.allowed ? <ToCosign /> : null}
          {isOffered(myNotes) ? <MyNotes /> : null}
          <PagedItems title={notifications?.unread ? `Notifications (${notifications.unread} unread)` : 'Notifications'} value={notes} what="notifications" empty="No notifications." className="rows">
            {(n) => (
              <li className="row-item" data-client={n.client ?? ''}>
                <strong>
                  {labelOf(EVENT_LABEL, n.event)}
                  {n.client ? `: ${app.clientName(n.client)}` : ''}
                </strong>
                <span className="muted small">{formatDateTime(n.at)}</span>
              </li>
            )}
          </PagedItems>
        </div>
        <OfferedPanel title="New task" decision={create}>
          <section className="panel">
            <h2>New task</h2>
            <form onSubmit={submit} className="stack">
              <label className="field">
                <span>Title</span>
                <input value={title} onChange={(e) => setTitle(e.target.value)} required />
              </label>
              <ClientField clients={app.clients} value={client} onChange={setClient} required />
              <ChoiceField label="Assign to" choices={people} value={assignee} onChange={setAssignee} />
              <SubmitRow outcome={outcome} busy={busy}>
                Create task
              </SubmitRow>
            </form>
          </section>
        </OfferedPanel>
      </div>
    </section>
  );
}
