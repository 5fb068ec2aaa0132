/** Secure messages: threads for the clients the API shows this member, and sending one; one client's messages (the client's Messages tab). */
import { useState, type FormEvent } from 'react';
import { api, type Message } from '../api.js';
import { useApp } from '../context.js';
import { PageHeader, usePaged, useCommand, ClientField } from '../components/ui.js';
import { SubmitRow } from '../components/SubmitRow.js';
import { PagedItems } from '../components/PagedItems.js';
import { OfferedPanel, useOffer } from '../components/Offered.js';
import { formatDateTime } from '../words.js';

export function MessagesPage() {
  const app = useApp();
  const [messages, reload] = usePaged((after) => api.messages(after), []);
  const [client, setClient] = useState('');
  const [body, setBody] = useState('');
  const { busy, outcome, run } = useCommand();
  const send = useOffer('messages', 'send_message');

  async function submit(e: FormEvent) {
    e.preventDefault();
    await run(async () => {
      const r = await api.sendMessage(client, body);
      setBody('');
      await reload();
      return r.summary || 'The message was sent.';
    });
  }

  return (
    <section>
      <PageHeader title="Secure messages" subtitle="Conversations with the clients you can see." />
      <div className="grid-2 grid-wide-left">
        <PagedItems title="Messages" value={messages} what="messages" empty="No messages to show." className="messages">
          {(m) => <MessageItem message={m} />}
        </PagedItems>
        <OfferedPanel title="New message" decision={send}>
          <section className="panel">
            <h2>New message</h2>
            <form onSubmit={submit} className="stack">
              <ClientField clients={app.clients} value={client} onChange={setClient} required />
              <label className="field">
                <span>Message</span>
                <textarea rows={5} value={body} onChange={(e) => setBody(e.target.value)} required />
              </label>
              <SubmitRow outcome={outcome} busy={busy}>
                Send
              </SubmitRow>
            </form>
          </section>
        </OfferedPanel>
      </div>
    </section>
  );
}

/** One message: its client, who wrote it and when, and its text. */
function MessageItem(props: { message: Message }) {
  const app = useApp();
  const m = props.message;
  return (
    <li className="message" data-client={m.client}>
      <div className="message-head">
        <strong>{app.clientName(m.client)}</strong>
        <span className="muted small">
          {app.memberName(m.author)} · {formatDateTime(m.at)}
        </span>
      </div>
      <p>{m.body}</p>
    </li>
  );
}

/** One client's secure messages, a page at a time (GET /api/clients/:id/messages); sending one is on the Messages page. */
export function ClientMessages(props: { client: string }) {
  const [messages] = usePaged((after) => api.clientMessages(props.client, after), [props.client]);
  return (
    <PagedItems title="Messages" value={messages} what="messages" empty="No messages you can read." className="messages">
      {(m) => <MessageItem message={m} />}
    </PagedItems>
  );
}
