/**
 * Notes: a client's notes, writing one, and a single note with sign, co-sign and delete.
 * Which kinds may be written, and which actions apply to a note, are the API's decisions.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type ClientDetail, type Decision, type Note } from '../api.js';
import { useApp } from '../context.js';
import { ActionButton, Badge, Link, Notice, OutcomeLine, Show, useCommand, useLoad, usePaged, type Outcome } from '../components/ui.js';
import { PagedItems } from '../components/PagedItems.js';
import { DeleteNoteDialog, useNoteName } from './DeleteNoteDialog.js';
import { NOTE_KIND_LABEL, decisionText, errorText, formatDateTime, labelOf } from '../words.js';

const KINDS = ['clinical', 'missed_appointment', 'contact', 'miscellaneous'] as const;

function kindDecision(client: ClientDetail, kind: string): Decision | undefined {
  return client.permissions?.[kind === 'clinical' ? 'client.write_clinical_note' : 'client.write_administrative_note'];
}

export function ClientNotes(props: { client: ClientDetail }) {
  const [notes, reload] = usePaged((after) => api.notes(props.client.id, after), [props.client.id]);
  return (
    <div className="grid-2 grid-notes">
      <PagedItems title="Notes" value={notes} what="notes" empty="No notes you can read." className="note-list">
        {(n) => <NoteListItem note={n} />}
      </PagedItems>
      <WriteNote client={props.client} onWritten={reload} />
    </div>
  );
}

/** A note's kind and state as badges: draft, signed, co-signed. */
export function NoteStatus(props: { note: Note }) {
  const n = props.note;
  return (
    <span className="badges">
      <Badge tone={n.kind === 'clinical' ? 'ok' : 'neutral'}>{labelOf(NOTE_KIND_LABEL, n.kind)}</Badge>
      {n.signed ? <Badge tone="ok">Signed</Badge> : <Badge tone="pending">Draft</Badge>}
      {n.cosigned ? <Badge tone="ok">Co-signed</Badge> : null}
    </span>
  );
}

function NoteListItem(props: { note: Note }) {
  const app = useApp();
  const n = props.note;
  return (
    <li className="note-item">
      <div className="note-item-head">
        <Link to={`/notes/${encodeURIComponent(n.id)}`}>
          {labelOf(NOTE_KIND_LABEL, n.kind)} by {app.memberName(n.author)}
        </Link>
        <NoteStatus note={n} />
      </div>
      {n.at ? <span className="muted small">{formatDateTime(n.at)}</span> : null}
      <p className="note-excerpt">{n.body.length > 160 ? `${n.body.slice(0, 160)}…` : n.body}</p>
    </li>
  );
}

function WriteNote(props: { client: ClientDetail; onWritten: () => Promise<void> }) {
  const firstAllowed = KINDS.find((k) => kindDecision(props.client, k)?.allowed) ?? 'contact';
  const [kind, setKind] = useState<string>(firstAllowed);
  const [body, setBody] = useState('');
  const [sign, setSign] = useState(false);
  const { busy, outcome, run } = useCommand();
  const [written, setWritten] = useState<string | null>(null);
  const decision = kindDecision(props.client, kind);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setWritten(null);
    await run(async () => {
      const r = await api.writeNote(props.client.id, kind, body, sign);
      setBody('');
      setSign(false);
      setWritten(r.id ?? null);
      await props.onWritten();
      return r.summary || 'The note was saved.';
    });
  }

  return (
    <section className="panel">
      <h2>Write a note</h2>
      <form onSubmit={submit} className="stack">
        <label className="field">
          <span>Kind</span>
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map((k) => {
              const d = kindDecision(props.client, k);
              const refused = d !== undefined && !d.allowed;
              return (
                <option key={k} value={k} disabled={refused}>
                  {NOTE_KIND_LABEL[k]}
                  {refused ? ` — ${decisionText(d)}` : ''}
                </option>
              );
            })}
          </select>
        </label>
        <label className="field">
          <span>Note</span>
          <textarea rows={6} value={body} onChange={(e) => setBody(e.target.value)} required />
        </label>
        <label className="check-inline">
          <input type="checkbox" checked={sign} onChange={(e) => setSign(e.target.checked)} />
          <span>Sign now</span>
        </label>
        {decision && !decision.allowed ? <p className="reason">{decisionText(decision)}</p> : null}
        <OutcomeLine outcome={outcome} />
        {written ? (
          <p>
            <Link to={`/notes/${encodeURIComponent(written)}`}>Open the note</Link>
          </p>
        ) : null}
        <div className="row-end">
          <button type="submit" className="button button-primary" disabled={busy || (decision !== undefined && !decision.allowed)}>
            Save note
          </button>
        </div>
      </form>
    </section>
  );
}

/** A note the API refused or could not find: a 403 says why, a 404 that it is missing or not mine to see. */
function NoteUnavailable(props: { error: unknown }) {
  const e = props.error;
  const refused = e instanceof ApiError && (e.status === 403 || e.status === 404);
  return (
    <section>
      <h1 tabIndex={-1}>Note unavailable</h1>
      <Notice kind="error">
        {refused ? `You can't open this note. ${e.status === 403 ? errorText(e) : 'It does not exist, or you do not have access to it.'}` : errorText(e)}
      </Notice>
      <p>
        <Link to="/clients">Back to clients</Link>
      </p>
    </section>
  );
}

/** After a deletion: which note is gone and why (the heading takes the focus the dialog gave back). */
function NoteDeleted(props: { note: Note; reason: string }) {
  const app = useApp();
  const noteName = useNoteName();
  const n = props.note;
  return (
    <section>
      <h1 tabIndex={-1} ref={(h) => h?.focus()}>
        Note deleted
      </h1>
      <Notice kind="success">{`Deleted: ${noteName(n)}. Your reason, “${props.reason}”, is kept in the activity log.`}</Notice>
      <p>
        <Link to={`/clients/${encodeURIComponent(n.client)}/notes`}>{`Back to ${app.clientName(n.client)}'s notes`}</Link>
      </p>
    </section>
  );
}

export function NotePage(props: { id: string }) {
  const app = useApp();
  // One request: the note carries my decisions on its actions.
  const [note, reload] = useLoad(() => api.note(props.id), [props.id]);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleted, setDeleted] = useState<{ note: Note; reason: string } | null>(null);

  async function act(what: 'sign' | 'cosign', n: Note) {
    setBusy(true);
    setOutcome(null);
    try {
      const r = what === 'sign' ? await api.signNote(n.id) : await api.cosignNote(n.id);
      setOutcome({ kind: 'success', text: r.summary || 'Done.' });
      await reload();
    } catch (e) {
      setOutcome({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  }

  if (deleted) return <NoteDeleted note={deleted.note} reason={deleted.reason} />;
  if (note.state === 'error') return <NoteUnavailable error={note.error} />;

  return (
    <Show value={note} what="note">
      {(n) => (
        <section>
          <p className="crumbs">
            <Link to="/clients">Clients</Link> <span aria-hidden="true">›</span>{' '}
            <Link to={`/clients/${encodeURIComponent(n.client)}/notes`}>{app.clientName(n.client)}</Link> <span aria-hidden="true">›</span> Note
          </p>
          <header className="page-head">
            <div>
              <h1 tabIndex={-1}>
                {labelOf(NOTE_KIND_LABEL, n.kind)} by {app.memberName(n.author)}
              </h1>
              <NoteStatus note={n} />
              {n.at ? <p className="muted small">{formatDateTime(n.at)}</p> : null}
            </div>
          </header>
          <article className="panel note-body">{n.body}</article>
          {n.cosigned && n.cosignedBy ? <p className="muted">Co-signed by {app.memberName(n.cosignedBy)}.</p> : null}
          <OutcomeLine outcome={outcome} />
          <div className="actions-row">
            {!n.signed ? (
              <ActionButton decision={n.permissions['note.sign']} kind="primary" busy={busy} onClick={() => void act('sign', n)}>
                Sign
              </ActionButton>
            ) : null}
            {n.signed && !n.cosigned ? (
              <ActionButton decision={n.permissions['note.cosign']} kind="primary" busy={busy} onClick={() => void act('cosign', n)}>
                Co-sign
              </ActionButton>
            ) : null}
            <ActionButton decision={n.permissions['note.delete']} kind="danger" busy={busy} onClick={() => setDeleting(true)}>
              Delete…
            </ActionButton>
          </div>
          {deleting ? <DeleteNoteDialog note={n} onClose={() => setDeleting(false)} onDeleted={(reason) => setDeleted({ note: n, reason })} /> : null}
        </section>
      )}
    </Show>
  );
}
