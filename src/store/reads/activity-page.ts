/**
 * The activity log a page at a time, newest first: entries after a cursor (by seq,
 * descending), narrowed by the filters from indexes (migration 044: by actor, by action,
 * and 001's by client), each let through by the core's seesActivity on the facts of the
 * clients it names (an entry naming clients is shown only to who may view them all), as
 * ChartGuard.list() lets them through.
 *
 * A member who may view the whole log reads it by seq under row-level security. A member
 * who may not, and whose client scope is narrow, sees only their scope's clients' entries and
 * their own: the keys of those are found in the store's own view (scope-keys.ts: by client
 * for a small reach, walking the log newest first for a large one), and only the page's
 * entries are read under row-level security, so a page costs what the member's reach holds.
 * test/store/record-pages.test.ts proves the pages equal the old list, newest first, both ways.
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
import { isBroad } from './client-page.js';
import { inKeyOrder, inStoreView, isWithheld, reachOf, walksInOrder, type Reach, type ReachStrategy, type Withheld } from './scope-keys.js';
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
  /** How a narrow member's keys are found (scope-keys.ts): by default from the reach's share of the practice. */
  readonly reach?: ReachStrategy;
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

/** Entries naming clients whose main client is not one of them (046's partial index holds exactly these). */
const OFF_CLIENT = '(cardinality(a.clients) > 0 and (a.client_id is null or a.client_id <> all(a.clients)))';

/**
 * The keys of a narrow member's candidates, newest first: seesActivity shows a member who may
 * not view the whole log an entry naming clients only when they may view every one, and a
 * practice-level entry only when it is their own. So: the entries of their reach's clients,
 * their own practice-level entries, and the few entries whose main client is none of those
 * they name. A small reach reads each part from its index (001's by client, 044's by actor,
 * 047's partial index); a large one walks the log newest first (scope-keys.ts).
 * $1 practice, $2 the reach's ids, $3 member, $4 batch; the filters from $5.
 */
function narrowKeysSql(walk: boolean, where: string): string {
  if (walk) {
    // (The reach as a hashed set: a list of thousands of ids would be planned anew for every month.)
    return `select a.seq, ${MICROS} as at from chartguard.activity_log a
             where a.practice_id = $1 and (a.client_id in (select unnest($2::text[])) or (cardinality(a.clients) = 0 and a.actor = $3) or ${OFF_CLIENT})${where}
             order by a.seq desc limit $4`;
  }
  const part = (which: string) => `(select a.seq, a.at from chartguard.activity_log a where a.practice_id = $1 and ${which}${where} order by a.seq desc limit $4)`;
  return `select u.seq, ${MICROS.replace('a.at', 'u.at')} as at from (${part('a.client_id = any($2::text[])')}
    union ${part('cardinality(a.clients) = 0 and a.actor = $3')}
    union ${part(OFF_CLIENT)}) u order by u.seq desc limit $4`;
}

type Candidate = Row | Withheld<number>;

/** An entry's time in microseconds since 1970, exactly (as text: beyond a JavaScript number's exact integers). */
const MICROS = `(extract(epoch from a.at) * 1000000)::bigint::text`;

/** The candidates after the cursor: a narrow reach's by key (scope-keys.ts), or the practice's log by seq. */
async function candidates(
  tx: Queryable,
  practice: string,
  narrow: { scope: ClientScope; reach: () => Promise<Reach>; pinned: ReachStrategy | undefined } | null,
  filter: ActivityFilter,
  after: ActivityCursor | null,
  batch: number,
): Promise<Candidate[]> {
  if (narrow) {
    const where = filterSql(filter, after, 5);
    const keys = await inStoreView(tx, async () => {
      const reach = await narrow.reach();
      return tx.query<{ seq: string; at: string }>(narrowKeysSql(walksInOrder(reach, narrow.pinned), where.sql), [practice, reach.ids, narrow.scope.member, batch, ...where.params]);
    });
    if (!keys.length) return [];
    // By seq, within the keys' span of time (in microseconds): the span prunes the months read
    // (a list of times beside the list of seqs would make the index try every pair).
    const micros = keys.map((k) => BigInt(k.at));
    const [first, last] = micros.reduce(([lo, hi], t) => [t < lo ? t : lo, t > hi ? t : hi], [micros[0]!, micros[0]!]);
    const rows = await tx.query<Row>(
      `select ${ACTIVITY_COLUMNS} from chartguard.activity_log a
        where a.practice_id = $1 and a.seq = any($2::bigint[])
          and a.at >= timestamptz 'epoch' + $3::bigint * interval '1 microsecond' and a.at <= timestamptz 'epoch' + $4::bigint * interval '1 microsecond'`,
      [practice, keys.map((k) => k.seq), String(first), String(last)],
    );
    return inKeyOrder(
      keys.map((k) => Number(k.seq)),
      rows,
      String,
      (r) => String(r.seq),
    );
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
    // The reach is read once a page, on the first batch that needs it.
    let reach: Promise<Reach> | null = null;
    const narrow =
      !canInPractice(ctx, member, 'activity_log.view').allowed && !isBroad(scope) ? { scope, reach: () => (reach ??= reachOf(tx, practice, scope)), pinned: options.reach } : null;
    return keysetPage<Candidate, ListItem, ActivityCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) => candidates(tx, practice, narrow, options.filter ?? {}, after, batch),
      key: (r) => ({ seq: isWithheld<number>(r) ? r.key : Number(r.seq) }),
      admit: async (candidates) => {
        const entries = candidates.map((r) => (isWithheld(r) ? null : toStored(r)));
        const facts = await storeFacts(store, tx, practice, entries.flatMap((e) => e?.clients ?? []));
        return entries.map((e) => {
          if (e === null) return null;
          const concerned = e.clients.flatMap((c) => (facts.has(c) ? [facts.get(c)!] : []));
          return seesActivity(ctx, member, e, concerned) ? activityItem(e) : null;
        });
      },
    });
  });
}
