/**
 * What the store's services share: the database, the in-process facts, the clock, and a
 * transaction as a member of a practice. `ChartGuard` is the one implementation; the
 * modules under commands/ and reads/ take this interface instead of the facade, so none of
 * them imports chartguard.ts (no import cycle).
 */
import type { Context } from '../core/index.js';
import type { ActivityEntry } from './commands/activity-log.js';
import type { Database, Queryable } from './db/database.js';
import type { FactsCache } from './facts/facts-cache.js';

/** `system`: the store's own reads and writes; `member`: row-level security as the member. */
export type Mode = 'system' | 'member';

/** The reads outside any transaction need only these (the scoped pages, reports). */
export interface Reader {
  readonly db: Database;
  /** The team and client facts single checks read, kept fresh by change notifications. */
  readonly facts: FactsCache;
  now(): number;
}

export interface Store extends Reader {
  /** Runs fn in one transaction as `member` of `practice`, under row-level security. */
  within<T>(practice: string, member: string | null, mode: Mode, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * One statement as `member` of `practice` in one round trip (BEGIN, the settings, the
   * statement, COMMIT); its parameters ($1, $2, ...: strings) are sent as literals.
   */
  readOnce<T>(practice: string, member: string | null, mode: Mode, sql: string, params: readonly string[]): Promise<T[]>;
  /** Appends an audited read's entry (in a batch, after the read); resolves once it is committed. */
  audit(practice: string, entry: ActivityEntry): Promise<void>;
}

/** The team (from the in-process facts cache: no round trip when warm) and the clock: what a scope is derived from. */
export async function readContext(store: Reader, practice: string): Promise<Context> {
  return { team: await store.facts.team(practice), now: store.now() };
}

/** The team (cached) and the clock, for a read inside `tx`. */
export async function txContext(store: Reader, tx: Queryable, practice: string): Promise<Context> {
  return { team: await store.facts.team(practice, tx), now: store.now() };
}
