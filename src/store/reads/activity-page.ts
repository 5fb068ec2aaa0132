/**
 * The activity log a page at a time, newest first: entries after a cursor (by seq,
 * descending), narrowed by the filters from indexes (migration 044: by actor, by action,
 * and 001's by client), read under row-level security as the member, each let through by
 * the core's seesActivity on the facts of the clients it names (an entry naming clients is
 * shown only to who may view them all), as ChartGuard.list() lets them through. A member
 * who may not view the whole log and whose client scope is narrow reads only their scope's
 * clients' entries and their own (narrowSql), so their cost grows with their reach.
 * test/store/record-pages.test.ts proves the pages equal the old list, newest first.
 */
import { clientScope, type ClientScope } from '../../core/client-scope.js';
import { canInPractice, seesActivity } from '../../core/index.js';
import { ACTIVITY_COLUMNS, toStored } from '../commands/activity-log.js';
import { txContext, type Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { ts } from '../facts/facts.js';
import { activityItem } from './audit.js';
import type { ListItem } from './area.js';
import { storeFacts, RECORD_PAGE_LIMIT } from './client-records.js';
import { isBroad, scopeIds, scopeParams, TYPED } from './client-page.js';
import { keysetPage, type KeysetPage } from './keyset.js';

/** Which entries: each filter given narrows; none given, every entry the member may see. */
export interface ActivityFilter {
  /** Entries by this member. */
  readonly actor?: string | undefined;
  /** Entries whose client (the one the API shows) is this one. */
  readonly client?: string | undefined;
  readonly action?: string | undefined;
  readonly outcome?: string | undefined;
  /** Entries at or after this time (epoch ms). */
  readonly from?: number | undefined;
  /** Entries before this time (epoch ms). */
  readonly to?: number | undefined;
}

/** Where a page of the log starts: before this entry (newest first). */
export interface ActivityCursor {
  readonly seq: number;
}

export interface ActivityPageOptions {
  readonly limit?: number;
  readonly after?: ActivityCursor | null;
  readonly filter?: ActivityFilter;
}

type Row = Parameters<typeof toStored>[0];

/** The filters as SQL conditions on `a`, numbered from $`first` on, and their parameters. */
function filterSql(filter: ActivityFilter, after: ActivityCursor | null, first: number): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(condition(`$${params.length + first - 1}`));
  };
  if (after) add((p) => `a.seq < ${p}::bigint`, after.seq);
  if (filter.actor !== undefined) add((p) => `a.actor = ${p}`, filter.actor);
  if (filter.client !== undefined) add((p) => `a.client_id = ${p}`, filter.client);
  if (filter.action !== undefined) add((p) => `a.action = ${p}`, filter.action);
  if (filter.outcome !== undefined) add((p) => `a.outcome = ${p}`, filter.outcome);
  if (filter.from !== undefined) add((p) => `a.at >= ${ts(p)}`, filter.from);
  if (filter.to !== undefined) add((p) => `a.at < ${ts(p)}`, filter.to);
  return { sql: conditions.map((c) => ` and ${c}`).join(''), params };
}

/**
 * The candidates of a member who may not view the whole log (activity_log.view) and whose
 * client scope is narrow: seesActivity shows them an entry naming clients only when they may
 * view every one, and a practice-level entry only when it is their own. So: the entries of
 * their scope's clients (001's index by client), their own practice-level entries (044's by
 * actor), and the few entries whose main client is none of those they name (047's partial
 * index), each part newest first; $1..$4 the scope's parameters, $5 the batch, the filters after.
 */
function narrowSql(scope: ClientScope, where: string): string {
  const part = (which: string) => `(select ${ACTIVITY_COLUMNS} from chartguard.activity_log a
      where a.practice_id = $1 and ${which}${where} order by a.seq desc limit $5)`;
  return `select u.* from (${part(`a.client_id in (${scopeIds(scope)})`)}
    union ${part(`cardinality(a.clients) = 0 and a.actor = $3 and ${TYPED}`)}
    union ${part(`${OFF_CLIENT} and ${TYPED}`)}) u order by u.seq desc limit $5`;
}

/** Entries naming clients whose main client is not one of them (046's partial index holds exactly these). */
const OFF_CLIENT = '(cardinality(a.clients) > 0 and (a.client_id is null or a.client_id <> all(a.clients)))';

/** The candidates after the cursor: narrowed to the member's reach, or the practice's log by seq. */
function candidates(tx: Queryable, practice: string, scope: ClientScope | null, filter: ActivityFilter, after: ActivityCursor | null, batch: number): Promise<Row[]> {
  if (scope) {
    const where = filterSql(filter, after, 6);
    return tx.query<Row>(narrowSql(scope, where.sql), [...scopeParams(practice, scope), batch, ...where.params]);
  }
  const where = filterSql(filter, after, 3);
  return tx.query<Row>(`select ${ACTIVITY_COLUMNS} from chartguard.activity_log a where a.practice_id = $1${where.sql} order by a.seq desc limit $2`, [practice, batch, ...where.params]);
}

/**
 * A page of the activity-log entries `member` may see (seesActivity), newest first.
 *
 * @example
 * const first = await activityPage(store, 'p1', 'olivia', { limit: 50, filter: { action: 'view_note' } });
 * const older = first.next && (await activityPage(store, 'p1', 'olivia', { limit: 50, after: first.next, filter: { action: 'view_note' } }));
 */
export async function activityPage(store: Store, practice: string, member: string, options: ActivityPageOptions = {}): Promise<KeysetPage<ListItem, ActivityCursor>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const scope = clientScope(ctx, member);
    const narrow = !canInPractice(ctx, member, 'activity_log.view').allowed && !isBroad(scope);
    return keysetPage<Row, ListItem, ActivityCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) => candidates(tx, practice, narrow ? scope : null, options.filter ?? {}, after, batch),
      key: (r) => ({ seq: Number(r.seq) }),
      admit: async (rows) => {
        const entries = rows.map(toStored);
        const facts = await storeFacts(tx, practice, entries.flatMap((e) => e.clients));
        return entries.map((e) => {
          const concerned = e.clients.flatMap((c) => (facts.has(c) ? [facts.get(c)!] : []));
          return seesActivity(ctx, member, e, concerned) ? activityItem(e) : null;
        });
      },
    });
  });
}
