/**
 * The member's secure-messages inbox a page at a time, oldest first: messages of the clients
 * in the core's client scope (src/core/client-scope.ts; seesMessage allows only clients the
 * member may view), in (created_at, id) order, each let through by seesMessage on its
 * client's facts, as ChartGuard.list() lets them through. Broad scopes walk the practice's
 * messages in time order (migration 045); narrow ones read only their clients' messages.
 * test/store/record-pages.test.ts proves the pages equal the old list.
 */
import { clientScope, type ClientScope } from '../../core/client-scope.js';
import { seesMessage } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import { ms, ts } from '../facts/facts.js';
import { isBroad, scopeIds, scopeParams, TYPED } from './client-page.js';
import { RECORD_PAGE_LIMIT, storeFacts, type MessageItem, type TimeCursor, type TimePageOptions } from './client-records.js';
import { keysetPage, type KeysetPage } from './keyset.js';

interface MessageRow {
  id: string;
  client_id: string;
  author: string;
  body: string;
  at: number;
}

/** Candidates after the cursor ($6 time in ms, $7 id), $5 rows; $1..$4 the scope's parameters (scopeParams). */
function inboxSql(scope: ClientScope, after: boolean): string {
  const cursor = after ? ` and (m.created_at, m.id) > (${ts('$6')}, $7)` : '';
  const inScope = isBroad(scope) ? '' : ` and m.client_id in (${scopeIds(scope)})`;
  return `select m.id, m.client_id, m.author, m.body, ${ms('m.created_at')} as at from chartguard.messages m
           where m.practice_id = $1 and ${TYPED}${inScope}${cursor}
           order by m.created_at, m.id limit $5`;
}

/**
 * A page of the messages `member` may see (seesMessage), oldest first.
 *
 * @example
 * const { items, next } = await inboxPage(store, 'p1', 'dana', { limit: 20 });
 */
export async function inboxPage(store: Store, practice: string, member: string, options: TimePageOptions = {}): Promise<KeysetPage<MessageItem, TimeCursor>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const scope = clientScope(ctx, member);
    if (scope.none) return { items: [], next: null };
    return keysetPage<MessageRow, MessageItem, TimeCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) =>
        tx.query<MessageRow>(inboxSql(scope, after !== null), [...scopeParams(practice, scope), batch, ...(after ? [after.at, after.id] : [])]),
      key: (r) => ({ at: Number(r.at), id: r.id }),
      admit: async (rows) => {
        const facts = await storeFacts(tx, practice, rows.map((r) => r.client_id));
        return rows.map((r) => {
          const c = facts.get(r.client_id);
          return c && seesMessage(ctx, member, c) ? { id: r.id, client: r.client_id, author: r.author, body: r.body, at: Number(r.at) } : null;
        });
      },
    });
  });
}
