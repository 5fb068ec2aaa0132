/**
 * A member's note queues, a page at a time, oldest first (in (created_at, id) order):
 * - `mine`: the notes the member wrote, from the index by author (migration 046), each let
 *   through by the core's seesNote;
 * - `cosign`: signed, not yet co-signed clinical notes of the member's supervisees, from the
 *   partial index of notes awaiting a co-signature (046), each let through by the core's
 *   canOnNote(..., 'note.cosign', ...). Nothing is read for a member who supervises no one.
 * Rows are read under row-level security as the member; clients' facts in the store's own
 * view. test/store/record-pages.test.ts proves the pages equal the core's single checks.
 */
import { canOnNote, seesNote, type Context } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import { clientRowsPage, type TimeCursor, type TimePageOptions } from './client-records.js';
import type { KeysetPage } from './keyset.js';
import { NOTE_COLUMNS, noteItem, type NoteItem, type NoteRow } from './notes.js';

export const NOTE_QUEUES = ['mine', 'cosign'] as const;
export type NoteQueue = (typeof NOTE_QUEUES)[number];

/** The members `member` supervises (whether they may co-sign is still the core's, per row). */
function supervisees(ctx: Context, member: string): string[] {
  return [...ctx.team.supervisorsOf].flatMap(([supervisee, supervisors]) => (supervisors.has(member) ? [supervisee] : []));
}

/** The queue's candidates after the cursor ($4 time, $5 id), $3 rows; $2 the authors. */
function queueSql(queue: NoteQueue, after: string): string {
  const which = queue === 'mine' ? 'author = ($2::text[])[1]' : `author = any($2::text[]) and kind = 'clinical' and signed_at is not null and cosigned_at is null`;
  // Ordered by the table's columns (n.): the bare name would be the output's epoch-ms alias.
  return `select ${NOTE_COLUMNS} from chartguard.notes n
           where practice_id = $1 and ${which}${after} and deleted_at is null
           order by n.created_at, n.id limit $3`;
}

/**
 * A page of `member`'s note queue, oldest first.
 *
 * @example
 * const { items, next } = await noteQueuePage(store, 'p1', 'sam', 'cosign', { limit: 20 });
 */
export async function noteQueuePage(store: Store, practice: string, member: string, queue: NoteQueue, options: TimePageOptions = {}): Promise<KeysetPage<NoteItem, TimeCursor>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const authors = queue === 'mine' ? [member] : supervisees(ctx, member);
    if (authors.length === 0) return { items: [], next: null };
    return clientRowsPage<NoteRow, NoteItem>(store, tx, practice, options, {
      table: 'chartguard.notes',
      alias: 'n',
      fetch: (after, batch) => tx.query<NoteRow>(queueSql(queue, after.sql), [practice, authors, batch, ...after.params]),
      at: (r) => r.created_at,
      admit: (r, c) => {
        const note = { id: r.id, client: r.client_id, author: r.author, kind: r.kind, signed: r.signed, cosigned: r.cosigned, deleted: false };
        return (queue === 'mine' ? seesNote(ctx, member, note, c) : canOnNote(ctx, member, 'note.cosign', note, c).allowed) ? noteItem(r) : null;
      },
    });
  });
}
