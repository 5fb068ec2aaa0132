/**
 * The facts single checks read (a practice's team and its clients' access settings), kept
 * in process so an authorized read needs no database round trip.
 *
 * Fresh by construction: every change to those tables, by any process, notifies after
 * commit (migration 030) and drops the practice's facts; this process's own commands also
 * drop them before they return (ChartGuard.execute), so a caller always reads its own
 * writes. Another process's change takes effect here when its notification arrives. While
 * the listening connection is down nothing is cached (change-cache.ts). One cache per
 * database, shared by every ChartGuard over it. Facts are immutable values.
 */
import type { ClientFacts, Team } from '../../core/index.js';
import { ChangeCache } from './change-cache.js';
import type { Database, Queryable } from '../db/database.js';
import { loadClients, loadTeam } from './facts.js';

interface PracticeFacts {
  team: Team | null;
  readonly clients: Map<string, ClientFacts>;
}

/** About 200 bytes a client: some 50 MB at the default bound. */
const MAX_CACHED_CLIENTS = 250_000;

export class FactsCache {
  private readonly cache = new ChangeCache<PracticeFacts>(MAX_CACHED_CLIENTS);

  private constructor(private readonly db: Database) {}

  private static readonly byDatabase = new WeakMap<Database, FactsCache>();

  /** The cache of this database, subscribed to its change notifications on first use. */
  static for(db: Database): FactsCache {
    let c = FactsCache.byDatabase.get(db);
    if (!c) {
      c = new FactsCache(db);
      c.cache.subscribe(db, 'chartguard_facts');
      FactsCache.byDatabase.set(db, c);
    }
    return c;
  }

  /** `via`: the transaction a miss loads through (inside one, PGlite serves no other query). */
  async team(practice: string, via: Queryable = this.db): Promise<Team> {
    const hit = this.cache.get(practice)?.team;
    if (hit) return hit;
    const ticket = this.cache.ticket();
    const team = await loadTeam(via, practice);
    const e = this.cache.get(practice);
    if (e && this.cache.ticket() === ticket) e.team = team;
    else if (!e) this.cache.set(practice, { team, clients: new Map() }, ticket);
    return team;
  }

  /** The clients among `ids` that exist, with their grants and revocations. */
  async clients(practice: string, ids: readonly string[], via: Queryable = this.db): Promise<Map<string, ClientFacts>> {
    const { found: out, missing } = this.cached(practice, ids);
    if (missing.length === 0) return out;
    const ticket = this.cache.ticket();
    const loaded = await loadClients(via, practice, missing);
    for (const [id, c] of loaded) out.set(id, c);
    if (loaded.size > 0 && this.cache.ticket() === ticket) {
      let entry = this.cache.get(practice);
      if (!entry && this.cache.set(practice, { team: null, clients: new Map() }, ticket)) entry = this.cache.get(practice);
      if (entry) {
        for (const [id, c] of loaded) entry.clients.set(id, c);
        this.cache.grow(practice, loaded.size);
      }
    }
    return out;
  }

  /** The cached facts among `ids` (no database work), and the ids not cached. */
  cached(practice: string, ids: Iterable<string>): { found: Map<string, ClientFacts>; missing: string[] } {
    const e = this.cache.get(practice);
    const found = new Map<string, ClientFacts>();
    const missing: string[] = [];
    for (const id of ids) {
      const c = e?.clients.get(id);
      if (c) found.set(id, c);
      else missing.push(id);
    }
    return { found, missing };
  }

  async client(practice: string, id: string, via: Queryable = this.db): Promise<ClientFacts | undefined> {
    return (await this.clients(practice, [id], via)).get(id);
  }

  /** Drops a practice's facts (after this process changed them). */
  forget(practice: string): void {
    this.cache.forget(practice);
  }

  /** Whether notifications reach this cache, so that it holds anything (for tests and health). */
  get live(): boolean {
    return this.cache.live;
  }
}
