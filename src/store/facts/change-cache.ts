/**
 * A bounded in-process map whose entries the database's change notifications drop
 * (migration 030). It only holds values while it is *live*, that is while every
 * notification reaches it: before the subscription is up, and from a lost listening
 * connection until it listens again, it holds nothing and every read goes to the database.
 *
 * A load races a change: a value read before a change committed must not be stored after
 * the notification dropped the key. So a store carries the ticket taken before its load,
 * and is refused when anything was forgotten since (conservative: the next load stores).
 */
import type { Database } from '../db/database.js';

export class ChangeCache<V> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private weight = 0;
  private version = 0;
  private isLive = false;

  constructor(private readonly maxWeight: number) {}

  /** Listens on `channel`; each payload names a key to forget ('*': all of them). */
  subscribe(db: Database, channel: string, keysOf: (payload: string) => readonly string[] | '*' = (p) => (p === '*' ? '*' : [p])): void {
    db.listen(channel, {
      message: (payload) => {
        const keys = keysOf(payload);
        if (keys === '*') this.forgetAll();
        else for (const k of keys) this.forget(k);
      },
      live: (live) => this.setLive(live),
    }).catch(() => this.setLive(false));
  }

  get live(): boolean {
    return this.isLive;
  }

  setLive(live: boolean): void {
    this.forgetAll();
    this.isLive = live;
  }

  /** Taken before a load; `set` with it stores only if nothing was forgotten meanwhile. */
  ticket(): number {
    return this.version;
  }

  get(key: string): V | undefined {
    if (!this.isLive) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Least recently used first: re-inserting moves the key to the end.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: V, ticket: number, weight = 1): boolean {
    if (!this.isLive || ticket !== this.version) return false;
    const old = this.entries.get(key);
    if (old) this.weight -= old.weight;
    this.entries.delete(key);
    this.entries.set(key, { value, weight });
    this.weight += weight;
    this.evict();
    return true;
  }

  /** An entry's value grew in place (e.g. more clients of a cached practice). */
  grow(key: string, by: number): void {
    const e = this.entries.get(key);
    if (!e) return;
    e.weight += by;
    this.weight += by;
    this.evict();
  }

  forget(key: string): void {
    this.version++;
    const e = this.entries.get(key);
    if (!e) return;
    this.weight -= e.weight;
    this.entries.delete(key);
  }

  forgetAll(): void {
    this.version++;
    this.entries.clear();
    this.weight = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [k, e] of this.entries) {
      if (this.weight <= this.maxWeight || this.entries.size <= 1) break;
      this.weight -= e.weight;
      this.entries.delete(k);
    }
  }
}
