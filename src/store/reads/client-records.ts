/**
 * One client's notes and messages, a page at a time: only that client's rows, read in
 * (created_at, id) order from the index of migration 042, each let through by the core's
 * single check on the one client's facts (seesNote, seesMessage), as ChartGuard.list()
 * lets them through. The rows are read under row-level security as the member, like the
 * notes and messages areas; the client's facts in the store's own view (a supervisor may
 * read a supervisee's note on a client row-level security hides from them: 002).
 *
 * test/store/record-pages.test.ts proves every page walk equals the old full-list path
 * (the area's list filtered to the client, same order) and the core's single checks, on
 * random practices, on both databases.
 */
import { seesMessage, seesNote, type ClientFacts, type Context } from '../../core/index.js';
import { txContext, type Reader, type Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { ms, ts } from '../facts/facts.js';
import { keysetPage, type KeysetPage } from './keyset.js';
import { inStoreView } from './scope-keys.js';
import { NOTE_COLUMNS, noteItem, setMode, type NoteItem, type NoteRow } from './notes.js';

/** Where a page of time-ordered records starts: after this record (its time in epoch ms, and its id). */
export interface TimeCursor {
  readonly at: number;
  readonly id: string;
}

export interface TimePageOptions {
  readonly limit?: number;
  readonly after?: TimeCursor | null;
}

/** A message as the API shows it (a type, so it is a ListItem too). */
export type MessageItem = {
  readonly id: string;
  readonly client: string;
  readonly author: string;
  readonly body: string;
  readonly at: number;
};

/** The default page size of these reads, when the request names none. */
export const RECORD_PAGE_LIMIT = 50;

/** The keyset condition after a TimeCursor on the table aliased `t` ($4 its time in ms, $5 its id), and its parameters; nothing on a first page. */
export function afterTime(after: TimeCursor | null, t: string): { sql: string; params: unknown[] } {
  return after ? { sql: ` and (${t}.created_at, ${t}.id) > (${ts('$4')}, $5)`, params: [after.at, after.id] } : { sql: '', params: [] };
}

/**
 * The facts of these clients in the store's own view: from the in-process facts cache (kept
 * fresh by change notifications, as the single checks read them), and those it misses from
 * the database in the store's own view, inside a transaction under row-level security (which
 * it is again after).
 */
export async function storeFacts(store: Reader, tx: Queryable, practice: string, ids: readonly string[]): Promise<Map<string, ClientFacts>> {
  const { found, missing } = store.facts.cached(practice, new Set(ids));
  if (missing.length === 0) return found;
  await setMode(tx, 'system');
  const loaded = await store.facts.clients(practice, missing, tx);
  await setMode(tx, 'member');
  for (const [id, c] of loaded) found.set(id, c);
  return found;
}

/**
 * The keyset walk of time-ordered rows each about one client (a member's tasks, note
 * queues): the page's limit and cursor, a batch of candidates after the cursor read in the
 * store's own view, the core's check of each on its client's facts (cached), and then
 * row-level security as the member on the ones the core let through (scope-keys.ts: the
 * policy is asked only about the rows shown).
 */
export function clientRowsPage<R extends { readonly id: string; readonly client_id: string }, T>(
  store: Reader,
  tx: Queryable,
  practice: string,
  options: TimePageOptions,
  walk: {
    /** The table read (its rows have practice_id and a text id), for the policy's check of the rows shown. */
    table: string;
    /** The alias of the table read, for the keyset condition after the cursor (afterTime). */
    alias: string;
    /** Up to `batch` rows after the cursor: `after.sql` (empty on a first page) with its parameters $4, $5. */
    fetch(after: { sql: string; params: unknown[] }, batch: number): Promise<readonly R[]>;
    /** The row's time (epoch ms), its key with its id. */
    at(row: R): number;
    /** The row as an item when the core lets it through, else null. */
    admit(row: R, client: ClientFacts): T | null;
  },
): Promise<KeysetPage<T, TimeCursor>> {
  return keysetPage<R, T, TimeCursor>({
    limit: options.limit ?? RECORD_PAGE_LIMIT,
    after: options.after ?? null,
    fetch: (after, batch) => inStoreView(tx, () => walk.fetch(afterTime(after, walk.alias), batch)),
    key: (r) => ({ at: Number(walk.at(r)), id: r.id }),
    admit: async (rows) => {
      const facts = await storeFacts(store, tx, practice, rows.map((r) => r.client_id));
      const core = rows.map((r) => {
        const c = facts.get(r.client_id);
        return c ? walk.admit(r, c) : null;
      });
      const ids = rows.filter((_, i) => core[i] !== null).map((r) => r.id);
      const policy = ids.length
        ? new Set((await tx.query<{ id: string }>(`select x.id from ${walk.table} x where x.practice_id = $1 and x.id = any($2::text[])`, [practice, ids])).map((r) => r.id))
        : new Set<string>();
      return rows.map((r, i) => (policy.has(r.id) ? core[i]! : null));
    },
  });
}

/**
 * Runs `read` in one transaction under row-level security as `member`, given the core's
 * context and the client's facts (read in the store's own view), or answers an empty page
 * for a client that does not exist.
 */
async function withClient<T, K>(
  store: Store,
  practice: string,
  member: string,
  client: string,
  read: (tx: Queryable, ctx: Context, facts: ClientFacts) => Promise<KeysetPage<T, K>>,
): Promise<KeysetPage<T, K>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const facts = (await storeFacts(store, tx, practice, [client])).get(client);
    return facts ? read(tx, ctx, facts) : { items: [], next: null };
  });
}

/**
 * A page of the client's notes `member` may view (seesNote), oldest first.
 *
 * @example
 * const first = await clientNotesPage(store, 'p1', 'dana', 'c1', { limit: 20 });
 * const second = first.next && (await clientNotesPage(store, 'p1', 'dana', 'c1', { limit: 20, after: first.next }));
 */
export async function clientNotesPage(store: Store, practice: string, member: string, client: string, options: TimePageOptions = {}): Promise<KeysetPage<NoteItem, TimeCursor>> {
  return withClient(store, practice, member, client, (tx, ctx, facts) =>
    keysetPage<NoteRow, NoteItem, TimeCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) =>
        tx.query<NoteRow>(
          // Ordered by the table's columns (n.): the bare name would be the output's epoch-ms alias, which no index holds.
          `select ${NOTE_COLUMNS} from chartguard.notes n
            where practice_id = $1 and client_id = $2${afterTime(after, 'n').sql} and deleted_at is null
            order by n.created_at, n.id limit $3`,
          [practice, client, batch, ...afterTime(after, 'n').params],
        ),
      key: (r) => ({ at: Number(r.created_at), id: r.id }),
      admit: async (rows) =>
        rows.map((r) =>
          seesNote(ctx, member, { id: r.id, client: r.client_id, author: r.author, kind: r.kind, signed: r.signed, cosigned: r.cosigned, deleted: false }, facts) ? noteItem(r) : null,
        ),
    }),
  );
}

interface MessageRow {
  id: string;
  client_id: string;
  author: string;
  body: string;
  created_at: number;
}

/**
 * A page of the client's messages, oldest first, when `member` may see them (seesMessage:
 * one decision for the client, so a page is one statement).
 *
 * @example
 * const { items, next } = await clientMessagesPage(store, 'p1', 'dana', 'c1', { limit: 20 });
 */
export async function clientMessagesPage(store: Store, practice: string, member: string, client: string, options: TimePageOptions = {}): Promise<KeysetPage<MessageItem, TimeCursor>> {
  return withClient(store, practice, member, client, async (tx, ctx, facts) => {
    if (!seesMessage(ctx, member, facts)) return { items: [], next: null };
    return keysetPage<MessageRow, MessageItem, TimeCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) =>
        tx.query<MessageRow>(
          `select id, client_id, author, body, ${ms('created_at')} as created_at from chartguard.messages m
            where practice_id = $1 and client_id = $2${afterTime(after, 'm').sql}
            order by m.created_at, m.id limit $3`,
          [practice, client, batch, ...afterTime(after, 'm').params],
        ),
      key: (r) => ({ at: Number(r.created_at), id: r.id }),
      admit: async (rows) => rows.map((r) => ({ id: r.id, client: r.client_id, author: r.author, body: r.body, at: Number(r.created_at) })),
    });
  });
}
