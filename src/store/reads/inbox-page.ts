/**
 * The member's secure-messages inbox a page at a time, oldest first: messages of the clients
 * in the core's client scope (src/core/client-scope.ts; seesMessage allows only clients the
 * member may view), in (created_at, id) order, each let through by seesMessage on its
 * client's facts, as ChartGuard.list() lets them through. Broad scopes walk the practice's
 * messages in time order (migration 045); narrow ones read only their clients' messages.
 * test/store/record-pages.test.ts proves the pages equal the old list.
 */
import { messageScope } from '../../core/client-scope.js';
import { seesMessage } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import { ms, ts } from '../facts/facts.js';
import { isBroad, scopeParams, TYPED } from './client-page.js';
import { RECORD_PAGE_LIMIT, storeFacts, type MessageItem, type TimeCursor, type TimePageOptions } from './client-records.js';
import { keysetPage, type KeysetPage } from './keyset.js';
import { inKeyOrder, inStoreView, isWithheld, reachOf, walksInOrder, type Reach, type ReachStrategy, type Withheld } from './scope-keys.js';

interface MessageRow {
  id: string;
  client_id: string;
  author: string;
  body: string;
  at: number;
}

/** Broad scopes: candidates after the cursor ($6 time in ms, $7 id), $5 rows; $1..$4 the scope's parameters (scopeParams). */
function broadSql(after: boolean): string {
  const cursor = after ? ` and (m.created_at, m.id) > (${ts('$6')}, $7)` : '';
  return `select ${COLUMNS} from chartguard.messages m
           where m.practice_id = $1 and ${TYPED}${cursor}
           order by m.created_at, m.id limit $5`;
}

/**
 * Narrow scopes: the keys of the reach's messages after the cursor, in (created_at, id) order
 * ($1 practice, $2 the reach's ids, $3 rows, $4 time in ms and $5 id after). A small reach
 * reads its clients' messages (messages_by_client_time) and sorts them; a large one walks the
 * practice's messages in time order (messages_by_time) and keeps its clients' (scope-keys.ts).
 */
function narrowKeysSql(walk: boolean, after: boolean): string {
  const cursor = after ? ` and (m.created_at, m.id) > (${ts('$4')}, $5)` : '';
  const keys = `select m.id, m.created_at, ${ms('m.created_at')} as at from chartguard.messages m
                 where m.practice_id = $1 and m.client_id = any($2::text[])${cursor}`;
  // (offset 0 keeps a small reach's rows from the time index: read by client, then sorted.)
  return walk ? `${keys} order by m.created_at, m.id limit $3` : `select k.id, k.at from (${keys} offset 0) k order by k.created_at, k.id limit $3`;
}

const COLUMNS = `m.id, m.client_id, m.author, m.body, ${ms('m.created_at')} as at`;

type Candidate = MessageRow | Withheld<TimeCursor>;

/**
 * A page of the messages `member` may see (seesMessage), oldest first. `reach` pins how a
 * narrow member's keys are found (scope-keys.ts; by default from the reach's share of the practice).
 *
 * @example
 * const { items, next } = await inboxPage(store, 'p1', 'dana', { limit: 20 });
 */
export async function inboxPage(
  store: Store,
  practice: string,
  member: string,
  options: TimePageOptions & { readonly reach?: ReachStrategy } = {},
): Promise<KeysetPage<MessageItem, TimeCursor>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const scope = messageScope(ctx, member);
    if (scope.none) return { items: [], next: null };
    let reach: Promise<Reach> | null = null;
    const fetch = async (after: TimeCursor | null, batch: number): Promise<Candidate[]> => {
      if (isBroad(scope)) return tx.query<MessageRow>(broadSql(after !== null), [...scopeParams(practice, scope), batch, ...(after ? [after.at, after.id] : [])]);
      const keys = await inStoreView(tx, async () => {
        const r = await (reach ??= reachOf(tx, practice, scope));
        if (!r.ids.length) return [];
        const rows = await tx.query<{ id: string; at: number }>(narrowKeysSql(walksInOrder(r, options.reach), after !== null), [practice, r.ids, batch, ...(after ? [after.at, after.id] : [])]);
        return rows.map((k): TimeCursor => ({ id: k.id, at: Number(k.at) }));
      });
      if (!keys.length) return [];
      const rows = await tx.query<MessageRow>(`select ${COLUMNS} from chartguard.messages m where m.practice_id = $1 and m.id = any($2::text[])`, [practice, keys.map((k) => k.id)]);
      return inKeyOrder(keys, rows, (k) => k.id, (r) => r.id);
    };
    return keysetPage<Candidate, MessageItem, TimeCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch,
      key: (r) => (isWithheld<TimeCursor>(r) ? r.key : { at: Number(r.at), id: r.id }),
      admit: async (candidates) => {
        const facts = await storeFacts(store, tx, practice, candidates.flatMap((r) => (isWithheld(r) ? [] : [r.client_id])));
        return candidates.map((r) => {
          if (isWithheld(r)) return null;
          const c = facts.get(r.client_id);
          return c && seesMessage(ctx, member, c) ? { id: r.id, client: r.client_id, author: r.author, body: r.body, at: Number(r.at) } : null;
        });
      },
    });
  });
}
