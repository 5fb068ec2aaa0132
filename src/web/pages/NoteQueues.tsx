/**
 * A member's note queues on the Tasks page, a page at a time (GET /api/notes?queue=...):
 * the notes I wrote, and a supervisor's notes awaiting their co-signature. Each note links to
 * itself, and mine to its client's notes too.
 */
import { api } from '../api.js';
import { useApp } from '../context.js';
import { Link, usePaged } from '../components/ui.js';
import { PagedItems } from '../components/PagedItems.js';
import { NoteStatus } from './Notes.js';
import { NOTE_KIND_LABEL, formatDateTime, labelOf } from '../words.js';

const noteLink = (id: string) => `/notes/${encodeURIComponent(id)}`;

/** The notes I wrote, in the API's order (oldest first), with their kind and whether each is a draft, signed or co-signed. */
export function MyNotes() {
  const app = useApp();
  const [notes] = usePaged((after) => api.noteQueue('mine', after), []);
  return (
    <PagedItems title="My notes" value={notes} what="notes" empty="You have written no notes." className="rows">
      {(n) => (
        <li className="row-item" data-client={n.client} data-note={n.id}>
          <span className="note-item-head">
            <Link to={noteLink(n.id)}>{`Note about ${app.clientName(n.client)}`}</Link>
            <NoteStatus note={n} />
          </span>
          <span className="muted small">
            {formatDateTime(n.at)} · <Link to={`/clients/${encodeURIComponent(n.client)}/notes`}>{`${app.clientName(n.client)}'s notes`}</Link>
          </span>
        </li>
      )}
    </PagedItems>
  );
}

/** A supervisor's queue: signed notes of the members they supervise awaiting their co-signature, each linked. */
export function ToCosign() {
  const app = useApp();
  const [notes] = usePaged((after) => api.noteQueue('cosign', after), []);
  return (
    <PagedItems title="To co-sign" value={notes} what="notes" empty="No notes await your co-signature." className="rows">
      {(n) => (
        <li className="row-item" data-client={n.client}>
          <Link to={noteLink(n.id)}>
            {labelOf(NOTE_KIND_LABEL, n.kind)} by {app.memberName(n.author)}: {app.clientName(n.client)}
          </Link>
          <span className="muted small">{formatDateTime(n.at)}</span>
        </li>
      )}
    </PagedItems>
  );
}
