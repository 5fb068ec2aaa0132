/**
 * Pages over a member's reach that used to read the whole practice: the client directory
 * (GET /api/directory) and "what can this member access, and why"
 * (GET /api/members/:member/access).
 *
 * The core describes the reach as a scope (src/core/client-scope.ts: `contactScope`,
 * `clientScope`), client-page.ts compiles it to SQL the indexes answer, and `keysetPage`
 * walks the candidates batch by batch, each let through by the core's single check
 * (seesContact; clientAccess and the viewer's seesClient). A page costs what the page and
 * the member's reach hold, never the practice. test/store/reach-pages.test.ts proves every
 * walk of pages equals the old full answer and the core's single checks, on random
 * practices, on both databases.
 *
 * Both read in system mode (no row-level security): the scope is the member filter, as for
 * the client list, and the directory always read in system mode.
 */
import { clientScope, contactScope, type ClientScope } from '../../core/client-scope.js';
import { canViewMemberAccess, clientAccess, explainPath, seesClient, seesContact, type Reason } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import { CLIENT_FACTS_COLUMNS, clientFacts, type ClientFactsRow } from '../facts/facts.js';
import { broadCondition, clientPageSql, isBroad, LIVE_GRANT, scopeParams, TYPED } from './client-page.js';
import { keysetPage, type KeysetPage } from './keyset.js';

/** The default page of the directory and of a member's access. */
export const REACH_PAGE_LIMIT = 50;

/** Where a directory page starts: after this client, in (name, id) order. */
export interface NameCursor {
  readonly name: string;
  readonly id: string;
}

export interface DirectoryItem {
  readonly id: string;
  readonly client: string;
  readonly name: string;
  readonly contact: string;
}

/**
 * The SQL of the directory's candidates after a cursor ($6 name, $7 id), by name: the
 * client list's page of the scope ($1..$5 as there) and, with the all-staff directory,
 * the unrestricted clients from the name index (its `restricted` column is included).
 */
export function directoryCandidatesSql(scope: { clients: ClientScope; unrestricted: boolean }): string {
  const page = clientPageSql(scope.clients, true).page;
  if (!scope.unrestricted || scope.clients.all) return page;
  return `select u.* from ((${page})
            union
            (select c.id, c.name, c.primary_clinician, c.restricted from chartguard.clients c
              where c.practice_id = $1 and not c.restricted and ${TYPED} and (c.name, c.id) > ($6, $7)
              order by c.name, c.id limit $5)) u
          order by u.name, u.id limit $5`;
}

/**
 * A page of the client directory: the names and contact details `member` may see
 * (client.view_contact), by name.
 *
 * @example
 * const { items, next } = await directoryPage(store, 'p1', 'sam', { limit: 50 });
 */
export async function directoryPage(
  store: Store,
  practice: string,
  member: string,
  options: { readonly limit?: number; readonly after?: NameCursor | null } = {},
): Promise<KeysetPage<DirectoryItem, NameCursor>> {
  return store.within(practice, member, 'system', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const scope = contactScope(ctx, member);
    if (scope.clients.none) return { items: [], next: null };
    // Every (name, id) is after ('', ''): a first page is a page after that.
    const sql = `select p.name, c.contact, ${CLIENT_FACTS_COLUMNS}
                   from (${directoryCandidatesSql(scope)}) p
                   join chartguard.clients c on c.practice_id = $1 and c.id = p.id
                  order by p.name, p.id`;
    return keysetPage<{ name: string; contact: string } & ClientFactsRow, DirectoryItem, NameCursor>({
      limit: options.limit ?? REACH_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) => tx.query(sql, [...scopeParams(practice, scope.clients), batch, after?.name ?? '', after?.id ?? '']),
      key: (r) => ({ name: r.name, id: r.id }),
      admit: async (rows) => rows.map((r) => (seesContact(ctx, member, clientFacts(r)) ? { id: r.id, client: r.id, name: r.name, contact: r.contact } : null)),
    });
  });
}

/** At most this many ids in one names lookup. */
export const DIRECTORY_IDS_LIMIT = 100;

/**
 * The directory entries of these clients (the web app names the clients its pages show,
 * a few at a time, instead of loading the directory): those the member may see
 * (seesContact), in the order asked, reading only those clients.
 *
 * @example
 * const { items } = await directoryEntries(store, 'p1', 'sam', ['c1', 'c2']);
 */
export async function directoryEntries(store: Store, practice: string, member: string, ids: readonly string[]): Promise<{ items: DirectoryItem[] }> {
  const wanted = [...new Set(ids)].slice(0, DIRECTORY_IDS_LIMIT);
  if (wanted.length === 0) return { items: [] };
  return store.within(practice, member, 'system', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    const rows = await tx.query<{ name: string; contact: string } & ClientFactsRow>(
      `select c.name, c.contact, ${CLIENT_FACTS_COLUMNS} from chartguard.clients c where c.practice_id = $1 and c.id = any($2::text[])`,
      [practice, wanted],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const items = wanted.flatMap((id) => {
      const r = byId.get(id);
      return r && seesContact(ctx, member, clientFacts(r)) ? [{ id: r.id, client: r.id, name: r.name, contact: r.contact }] : [];
    });
    return { items };
  });
}

/** Where a page of a member's access starts: after this client id. */
export interface IdCursor {
  readonly id: string;
}

export interface MemberAccessItem {
  readonly client: string;
  readonly clinical: Reason | null;
  readonly administrative: Reason | null;
}

/**
 * The SQL of the ids of the scope's clients after $6, by id, up to $5: broad scopes walk
 * the primary key; narrow ones take the first ids of each part of the scope from its own
 * index (by primary clinician: migration 049; live grants by member; shared with all).
 */
export function scopeIdsAfterSql(scope: ClientScope): string {
  if (isBroad(scope)) {
    return `select c.id from chartguard.clients c
             where c.practice_id = $1 and ${TYPED} and ${broadCondition(scope)} and c.id > $6
             order by c.id limit $5`;
  }
  const parts = [
    `select x.id from unnest($2::text[]) as p(clinician) cross join lateral (
       select c.id from chartguard.clients c
        where c.practice_id = $1 and c.primary_clinician = p.clinician and c.id > $6 and ${TYPED}
        order by c.id limit $5) x`,
  ];
  if (scope.liveGrant) parts.push(`(select g.client_id as id from chartguard.clinical_grants g where ${LIVE_GRANT} and g.client_id > $6 order by g.client_id limit $5)`);
  if (scope.sharedWithAll) parts.push(`(select c.id from chartguard.clients c where c.practice_id = $1 and c.shared_with_all and c.id > $6 order by c.id limit $5)`);
  return `select u.id from (${parts.join('\n union\n')}) u order by u.id limit $5`;
}

/**
 * "What can this member access, and why", a page by client id: the clients in `member`'s
 * reach, each with the core's paths for their clinical and administrative access, limited
 * to the clients `viewer` may view too (read from the narrower of the two reaches). Null
 * when there is no such member; undefined when the viewer may not ask (canViewMemberAccess).
 *
 * @example
 * const page = await memberAccessPage(store, 'p1', 'owner', 'dana', { limit: 50 });
 */
export async function memberAccessPage(
  store: Store,
  practice: string,
  viewer: string,
  member: string,
  options: { readonly limit?: number; readonly after?: IdCursor | null } = {},
): Promise<KeysetPage<MemberAccessItem, IdCursor> | null | undefined> {
  return store.within(practice, viewer, 'system', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    if (!ctx.team.members.has(member)) return null;
    if (!canViewMemberAccess(ctx, viewer, member).allowed) return undefined;
    // The core checks both reaches on each row, so walking either is right: walk the narrower
    // (a practice administrator with no client asking about the owner reads nothing, not the practice).
    const mine = clientScope(ctx, member);
    const theirs = viewer === member ? mine : clientScope(ctx, viewer);
    const scope = isBroad(mine) && !isBroad(theirs) ? theirs : mine;
    if (mine.none || theirs.none) return { items: [], next: null };
    const sql = `select ${CLIENT_FACTS_COLUMNS}
                   from (${scopeIdsAfterSql(scope)}) s
                   join chartguard.clients c on c.practice_id = $1 and c.id = s.id
                  order by s.id`;
    return keysetPage<ClientFactsRow, MemberAccessItem, IdCursor>({
      limit: options.limit ?? REACH_PAGE_LIMIT,
      after: options.after ?? null,
      // Every id is after '': a first page is a page after that.
      fetch: (after, batch) => tx.query(sql, [...scopeParams(practice, scope), batch, after?.id ?? '']),
      key: (r) => ({ id: r.id }),
      admit: async (rows) =>
        rows.map((r) => {
          const c = clientFacts(r);
          const a = clientAccess(ctx, member, c);
          if (!a.clinical && !a.administrative) return null;
          if (viewer !== member && !seesClient(ctx, viewer, c)) return null;
          return {
            client: c.id,
            clinical: a.clinical ? explainPath('clinical', a.clinical) : null,
            administrative: a.administrative ? explainPath('administrative', a.administrative) : null,
          };
        }),
    });
  });
}
