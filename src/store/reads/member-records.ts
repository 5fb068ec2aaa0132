/**
 * A member's own records, a page at a time: tasks assigned to or created by the member
 * (every task, for the account owner) and the member's notifications, each read from an
 * index by member (migration 043) and let through by the core's single check (seesTask,
 * seesNotification) on the facts of the page's clients, as ChartGuard.list() lets them
 * through. Tasks are read under row-level security as the member; notifications in two
 * round trips (candidates in the store's own view, then the shown ones under row-level
 * security); clients' facts in the store's own view (cached).
 * test/store/record-pages.test.ts proves the pages equal the old lists.
 */
import { seesNotification, seesTask } from '../../core/index.js';
import { readContext, txContext, type Store } from '../context.js';
import { ms } from '../facts/facts.js';
import { clientRowsPage, RECORD_PAGE_LIMIT, type TimeCursor, type TimePageOptions } from './client-records.js';
import { keysetPage, type KeysetPage } from './keyset.js';

/** A task as the API shows it (a type, so it is a ListItem too). */
export type TaskItem = {
  readonly id: string;
  readonly client: string;
  readonly assignee: string;
  readonly creator: string;
  readonly title: string;
};

interface TaskRow {
  id: string;
  client_id: string;
  assignee: string;
  creator: string;
  title: string;
  at: number;
}

const TASK_COLUMNS = `t.id, t.client_id, t.assignee, t.creator, t.title, ${ms('t.created_at')} as at`;

/**
 * The candidates after the cursor, in (created_at, id) order: the practice's for the owner;
 * else the first of the member's assigned and of their created tasks, each from its index.
 */
function taskCandidatesSql(everyTask: boolean, after: string): string {
  const part = (who: string) => `(select ${TASK_COLUMNS} from chartguard.tasks t
      where t.practice_id = $1 and ${who}${after} order by t.created_at, t.id limit $3)`;
  if (everyTask) return part('$2::text is not null');
  return `select u.* from (${part('t.assignee = $2')} union ${part('t.creator = $2')}) u order by u.at, u.id limit $3`;
}

/**
 * A page of the tasks `member` sees (seesTask), oldest first.
 *
 * @example
 * const { items, next } = await taskPage(store, 'p1', 'dana', { limit: 20 });
 */
export async function taskPage(store: Store, practice: string, member: string, options: TimePageOptions = {}): Promise<KeysetPage<TaskItem, TimeCursor>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const everyTask = ctx.team.ownerId === member;
    return clientRowsPage<TaskRow, TaskItem>(store, tx, practice, options, {
      table: 'chartguard.tasks',
      alias: 't',
      fetch: (after, batch) => tx.query<TaskRow>(taskCandidatesSql(everyTask, after.sql), [practice, member, batch, ...after.params]),
      at: (r) => r.at,
      admit: (r, c) => {
        const task = { id: r.id, client: r.client_id, assignee: r.assignee, creator: r.creator };
        return seesTask(ctx, member, task, c) ? { ...task, title: r.title } : null;
      },
    });
  });
}

/** A notification as the API shows it (a type, so it is a ListItem too). */
export type NotificationItem = {
  readonly id: string;
  readonly client: string | null;
  readonly event: string;
  readonly at: number;
  /** Whether the recipient marked it read. */
  readonly read: boolean;
  /** Who acted (the member whose command made it) and their name; null for older ones. */
  readonly actor: string | null;
  readonly actorName: string | null;
};

interface NotificationRow {
  id: string | number;
  client_id: string | null;
  event: string;
  at: number;
  read: boolean;
  actor: string | null;
  actor_name: string | null;
}

/** Where a page of notifications starts: after this one (ids grow with time). */
export interface NotificationCursor {
  readonly id: string;
}

export interface NotificationPage extends KeysetPage<NotificationItem, NotificationCursor> {
  /** The member's unread notifications (of clients they may still view), not just this page's. */
  readonly unread: number;
}

/**
 * A page of `member`'s notifications (seesNotification), oldest first (`newest`: newest
 * first, as the bell shows them), with the unread count.
 *
 * In two round trips: one reads, in the store's own view, a batch of the member's
 * notifications after the cursor and the unread count by client (counts, not records); the
 * core decides each on its client's cached facts; one more reads the ones it let through
 * under row-level security as the member, so the policy is asked only about the
 * notifications shown. A batch the core thins out is followed by a larger one (keyset.ts).
 *
 * @example
 * const { items, next, unread } = await notificationPage(store, 'p1', 'dana', { limit: 20 });
 */
export async function notificationPage(
  store: Store,
  practice: string,
  member: string,
  options: { readonly limit?: number; readonly after?: NotificationCursor | null; readonly newest?: boolean } = {},
): Promise<NotificationPage> {
  const [beyond, order] = options.newest ? ['<', 'desc'] : ['>', 'asc'];
  const ctx = await readContext(store, practice);
  const sees = async (rows: readonly { client_id: string | null }[]) => {
    const facts = await store.facts.clients(practice, [...new Set(rows.flatMap((r) => (r.client_id ? [r.client_id] : [])))]);
    return rows.map((r) => {
      const c = r.client_id === null ? null : facts.get(r.client_id);
      return c !== undefined && seesNotification(ctx, member, member, c);
    });
  };
  let unread: { client_id: string | null; n: number }[] | null = null;
  const page = await keysetPage<NotificationRow, NotificationItem, NotificationCursor>({
    limit: options.limit ?? RECORD_PAGE_LIMIT,
    after: options.after ?? null,
    fetch: async (after, batch) => {
      const [row] = await store.readOnce<{ rows: NotificationRow[] | null; unread?: { client_id: string | null; n: number }[] | null }>(
        practice,
        member,
        'system',
        `select (select json_agg(x) from (
                  select x.id::text as id, x.client_id, x.event, ${ms('x.created_at')} as at, x.read_at is not null as read, x.actor,
                         (select m.display_name from chartguard.members m where m.practice_id = x.practice_id and m.id = x.actor) as actor_name
                    from chartguard.notifications x
                   where x.practice_id = $1 and x.recipient = $2${after ? ` and x.id ${beyond} $4::bigint` : ''}
                   order by x.id ${order} limit $3::int) x) as rows${
                  unread === null
                    ? `, (select json_agg(u) from (select client_id, count(*)::int as n from chartguard.notifications
                           where practice_id = $1 and recipient = $2 and read_at is null group by client_id) u) as unread`
                    : ''
                }`,
        after ? [practice, member, String(batch), after.id] : [practice, member, String(batch)],
      );
      if (unread === null) unread = row?.unread ?? [];
      return row?.rows ?? [];
    },
    key: (r) => ({ id: String(r.id) }),
    admit: async (rows) => {
      const core = await sees(rows);
      const ids = rows.filter((_, i) => core[i]).map((r) => String(r.id));
      const policy = ids.length
        ? new Set(
            (await store.readOnce<{ id: string }>(practice, member, 'member', 'select x.id::text as id from chartguard.notifications x where x.practice_id = $1 and x.id = any($2::bigint[])', [practice, `{${ids.join(',')}}`])).map(
              (r) => r.id,
            ),
          )
        : new Set<string>();
      return rows.map((r) => (policy.has(String(r.id)) ? notificationItem(r) : null));
    },
  });
  const counts: { client_id: string | null; n: number }[] = unread ?? [];
  const seen = await sees(counts);
  return { ...page, unread: counts.reduce((sum, r, i) => sum + (seen[i] ? Number(r.n) : 0), 0) };
}

function notificationItem(r: NotificationRow): NotificationItem {
  return { id: String(r.id), client: r.client_id, event: r.event, at: Number(r.at), read: r.read, actor: r.actor, actorName: r.actor_name };
}
