/**
 * A narrow member's records in two steps, so that row-level security is evaluated on the
 * rows a page shows and not on every row of the member's reach:
 *
 * 1. the keys of the candidates, in the store's own view (system mode), from the indexes,
 *    narrowed by the core's client scope (src/core/client-scope.ts);
 * 2. the rows of those keys, under row-level security as the member, each then let through
 *    by the core's single check, as ChartGuard.list() lets them through.
 *
 * Step 1 reads only keys: no record reaches the member that the policy did not let through.
 *
 * How step 1 finds the keys depends on the member's reach. A reach of a few clients reads
 * each client's rows from its index (cost: the reach's rows). A reach that holds a
 * noticeable share of the practice walks the practice's rows in key order and keeps those of
 * its clients (cost: about the page divided by that share): a basic clinician with 800 of
 * 100,000 clients has some 33,000 log entries, and the walk finds her newest 50 in about
 * 6,500 index entries. test/store/record-pages.test.ts proves both equal the core's checks.
 */
import type { ClientScope } from '../../core/client-scope.js';
import type { Queryable } from '../db/database.js';
import { scopeIds, scopeParams } from './client-page.js';
import { setMode } from './notes.js';

/** The clients of a narrow scope, and how many the practice has. */
export interface Reach {
  readonly ids: readonly string[];
  readonly practiceClients: number;
}

/**
 * A reach at least this share of the practice's clients walks the practice's rows in key
 * order (about 1 / WALK_SHARE = 200 pages' worth of rows at most); a smaller one reads its
 * clients' rows.
 */
const WALK_SHARE = 1 / 200;

/** How a narrow member's keys are found: by default from the reach's share of the practice; tests and the benchmark pin one. */
export type ReachStrategy = 'walk' | 'lookup';

/** Whether a page over this reach walks the practice's rows in key order (else: its clients' rows). */
export function walksInOrder(reach: Reach, pinned?: ReachStrategy): boolean {
  if (pinned) return pinned === 'walk';
  return reach.ids.length > 0 && reach.ids.length >= reach.practiceClients * WALK_SHARE;
}

/** The scope's client ids (in the store's own view: the caller has switched to system mode). */
export async function reachOf(tx: Queryable, practice: string, scope: ClientScope): Promise<Reach> {
  const [row] = await tx.query<{ ids: string[]; total: number }>(
    `select array(${scopeIds(scope)}) as ids,
            coalesce((select clients from chartguard.practice_client_counts where practice_id = $1), 0)::int as total`,
    scopeParams(practice, scope),
  );
  return { ids: row?.ids ?? [], practiceClients: Number(row?.total ?? 0) };
}

/** Runs `fn` in the store's own view (system mode), then switches back to the member's. */
export async function inStoreView<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  await setMode(tx, 'system');
  const out = await fn();
  await setMode(tx, 'member');
  return out;
}

/** A key whose row row-level security did not let through: not shown, but the walk goes on past it. */
export interface Withheld<K> {
  readonly withheld: true;
  readonly key: K;
}

/** The rows of `keys` in their order, a Withheld in place of each row the policy kept back. */
export function inKeyOrder<R, K>(keys: readonly K[], rows: readonly R[], keyOf: (k: K) => string, rowKey: (r: R) => string): (R | Withheld<K>)[] {
  const byKey = new Map(rows.map((r) => [rowKey(r), r]));
  return keys.map((k) => byKey.get(keyOf(k)) ?? { withheld: true, key: k });
}

export const isWithheld = <K>(r: unknown): r is Withheld<K> => typeof r === 'object' && r !== null && (r as { withheld?: unknown }).withheld === true;
