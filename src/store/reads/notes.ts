/**
 * Notes: the notes area, one note's state, and opening a note (the GET note use case) in
 * one transaction with the viewer's decisions on it.
 */
import { canOnClient, canOnNote, NOTE_PERMISSIONS, ok, refusal, refusalOf, seesNote, type Decision, type NoteFacts, type NoteKind, type NotePermission, type Result } from '../../core/index.js';

interface NoteFactsRow {
  client_id: string;
  author: string;
  kind: NoteKind;
  signed: boolean;
  cosigned: boolean;
  deleted: boolean;
}
import { readContext, type Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { CLIENT_FACTS_COLUMNS, clientFacts, ms, type ClientFactsRow } from '../facts/facts.js';
import type { AreaDefinition } from './area.js';

export interface NoteRow {
  id: string;
  client_id: string;
  author: string;
  kind: NoteKind;
  body: string;
  signed: boolean;
  cosigned: boolean;
  cosigned_by: string | null;
  created_at: number;
}

export const NOTE_COLUMNS = `id, client_id, author, kind, body, signed_at is not null as signed, cosigned_at is not null as cosigned, cosigned_by, ${ms('created_at')} as created_at`;

/** A note as the API shows it (a type, so it is a ListItem too). */
export type NoteItem = {
  readonly id: string;
  readonly client: string;
  readonly author: string;
  readonly kind: NoteKind;
  readonly body: string;
  readonly signed: boolean;
  readonly cosigned: boolean;
  readonly cosignedBy: string | null;
  readonly at: number;
};

/** An opened note with the viewer's decision on each of its actions (the core's canOnNote). */
export type OpenedNote = NoteItem & {
  readonly permissions: Readonly<Record<NotePermission, Decision>>;
};

export function noteItem(r: NoteRow): NoteItem {
  return { id: r.id, client: r.client_id, author: r.author, kind: r.kind, body: r.body, signed: r.signed, cosigned: r.cosigned, cosignedBy: r.cosigned_by, at: Number(r.created_at) };
}

/** Switches the open transaction between row-level security as the member and the store's own view. */
export const setMode = (tx: Queryable, mode: 'system' | 'member') => tx.query(`select set_config('chartguard.mode', $1, true)`, [mode]);

export const notesArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await tx.query<NoteRow>(`select ${NOTE_COLUMNS} from chartguard.notes where practice_id = $1 and deleted_at is null order by created_at, id`, [practice]);
    // A supervisor's rows include supervisees' notes on clients they cannot see (002): the
    // core decides on those clients' facts, read in system mode for the rows already let through.
    await setMode(tx, 'system');
    const f = await facts(rows.map((r) => r.client_id));
    await setMode(tx, 'member');
    return rows
      .filter((r) => f.has(r.client_id) && seesNote(ctx, member, { id: r.id, client: r.client_id, author: r.author, kind: r.kind, signed: r.signed, cosigned: r.cosigned, deleted: false }, f.get(r.client_id)!))
      .map(noteItem);
  },
};

export async function noteState(store: Store, practice: string, note: string) {
  return store.within(practice, null, 'system', async (tx) => {
    const [r] = await tx.query<{ author: string; signed: boolean; cosigned: boolean; deleted: boolean; client_id: string; kind: NoteKind }>(
      'select author, client_id, kind, signed_at is not null as signed, cosigned_at is not null as cosigned, deleted_at is not null as deleted from chartguard.notes where practice_id = $1 and id = $2',
      [practice, note],
    );
    return r ? { exists: !r.deleted, author: r.author, signed: r.signed, cosigned: r.cosigned, client: r.client_id, kind: r.kind } : { exists: false };
  });
}

const NO_SUCH_NOTE = refusal('not_found', 'No such note.');

/**
 * Opens one note as `member`: one round trip reads the note's facts and its client's (in the
 * store's own view), the core decides, and one more reads the note's text under row-level
 * security as the member; then the audited read (`view_note`) is appended and the note
 * returned with the member's decision on each note permission. Each round trip is its own
 * snapshot: a note deleted or hidden in between is not found by the second. A note that
 * does not exist, was deleted, or whose client the member may not see at all is
 * `not_found` (no existence oracle); a note of a client the member sees but may not read is
 * the core's refusal.
 *
 * @example
 * const r = await openNote(store, 'p1', 'dana', 'n1');
 * if (r.ok && r.note.permissions['note.sign'].allowed) showSignButton();
 */
export async function openNote(store: Store, practice: string, member: string, id: string): Promise<Result<{ note: OpenedNote }>> {
  const opened = await (async (): Promise<Result<{ note: OpenedNote }>> => {
    const [facts] = await store.readOnce<NoteFactsRow & { client: ClientFactsRow | null }>(
      practice,
      member,
      'system',
      `select n.client_id, n.author, n.kind, n.signed_at is not null as signed, n.cosigned_at is not null as cosigned, n.deleted_at is not null as deleted,
              (select row_to_json(f) from (select ${CLIENT_FACTS_COLUMNS} from chartguard.clients c where c.practice_id = n.practice_id and c.id = n.client_id) f) as client
         from chartguard.notes n where n.practice_id = $1 and n.id = $2`,
      [practice, id],
    );
    if (!facts || facts.deleted || !facts.client) return NO_SUCH_NOTE;
    const ctx = await readContext(store, practice);
    const note: NoteFacts = { id, client: facts.client_id, author: facts.author, kind: facts.kind, signed: facts.signed, cosigned: facts.cosigned, deleted: false };
    const client = clientFacts(facts.client);
    if (!canOnClient(ctx, member, 'client.view_profile', client).allowed) return NO_SUCH_NOTE;
    const view = canOnNote(ctx, member, 'note.view', note, client);
    if (!view.allowed) return refusalOf(view);
    // The text as the member reads it: under row-level security, like the notes area.
    const [row] = await store.readOnce<NoteRow>(practice, member, 'member', `select ${NOTE_COLUMNS} from chartguard.notes where practice_id = $1 and id = $2 and deleted_at is null`, [practice, id]);
    if (!row) return NO_SUCH_NOTE;
    const permissions = Object.fromEntries(NOTE_PERMISSIONS.map((p) => [p, canOnNote(ctx, member, p, note, client)])) as Record<NotePermission, Decision>;
    return ok({ note: { ...noteItem(row), permissions } });
  })();
  // The audited read, committed before the note is shown.
  if (opened.ok) await store.audit(practice, { actor: member, action: 'view_note', client: opened.note.client, outcome: 'read', detail: { note: id } });
  return opened;
}
