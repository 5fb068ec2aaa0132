/**
 * Loading the core's plain-data facts from the database. Pure reads; the caller chooses
 * the mode (system for a command's preconditions, member for a member's own reads).
 */
import { makeClient, makeTeam, type ClientFacts, type ClinicalGrant, type Effect, type MemberFacts, type NoteFacts, type NoteKind, type Team } from '../../core/index.js';
import type { Role } from '../../core/roles.js';
import type { Queryable } from '../db/database.js';

export const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
/** A parameter of epoch milliseconds as a timestamp. */
export const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

/** The practice's team in one round trip (reads take it from facts-cache.ts). */
export async function loadTeam(tx: Queryable, practice: string): Promise<Team> {
  // One round trip: the settings, the members and the supervision as one row.
  const [row] = await tx.query<{
    client_directory: 'by_role' | 'all_staff';
    members: { id: string; roles: Role[]; active: boolean }[] | string;
    supervision: { supervisor: string; supervisee: string }[] | string;
  }>(
    `select p.client_directory,
            coalesce((select json_agg(json_build_object('id', m.id, 'roles', m.roles, 'active', m.active) order by m.id)
                        from chartguard.members m where m.practice_id = p.id), '[]') as members,
            coalesce((select json_agg(json_build_object('supervisor', s.supervisor, 'supervisee', s.supervisee))
                        from chartguard.supervisions s where s.practice_id = p.id), '[]') as supervision
       from chartguard.practices p where p.id = $1`,
    [practice],
  );
  if (!row) throw new PracticeNotFound(practice);
  const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
  return makeTeam({
    members: json(row.members).map((m): MemberFacts => (m.active === false ? { id: m.id, roles: m.roles, active: false } : { id: m.id, roles: m.roles })),
    supervision: json(row.supervision),
    settings: { clientDirectory: row.client_directory },
  });
}

export class PracticeNotFound extends Error {
  constructor(readonly practice: string) {
    super(`No practice ${JSON.stringify(practice)}.`);
  }
}

/** The columns clientFacts() reads, from a row of `chartguard.clients c` and its grants and revocations. */
export interface ClientFactsRow {
  id: string;
  primary_clinician: string;
  restricted: boolean;
  shared_with_all: boolean;
  person: string | null;
  /** [member, expires at (ms) or null][], or null when none. */
  grants: [string, number | null][] | string | null;
  revoked: string[] | null;
}

/** The select list of a ClientFactsRow for `chartguard.clients c` (other queries embed it). */
export const CLIENT_FACTS_COLUMNS = `c.id, c.primary_clinician, c.restricted, c.shared_with_all, c.person,
            (select json_agg(json_build_array(g.member_id, case when g.expires_at is null then null else ${ms('g.expires_at')} end))
               from chartguard.clinical_grants g where g.practice_id = c.practice_id and g.client_id = c.id) as grants,
            (select array_agg(r.member_id)
               from chartguard.administrative_revocations r where r.practice_id = c.practice_id and r.client_id = c.id) as revoked`;

/**
 * The core's facts of a client from its ClientFactsRow, built by makeClient so that every
 * client has one shape (and clients without grants or revocations share its empty map and
 * set); `member` may hand back one shared string per member id.
 */
export function clientFacts(r: ClientFactsRow, member: (id: string) => string = (id) => id): ClientFacts {
  const grants = typeof r.grants === 'string' ? (JSON.parse(r.grants) as [string, number | null][]) : r.grants;
  return makeClient({
    id: r.id,
    primary: member(r.primary_clinician),
    restricted: r.restricted,
    sharedWithAll: r.shared_with_all,
    person: r.person,
    grants: grants && grants.length > 0 ? grants.map(([m, e]): [string, ClinicalGrant] => [member(m), { expiresAt: e === null ? null : Number(e) }]) : undefined,
    administrativeRevoked: r.revoked && r.revoked.length > 0 ? r.revoked.map(member) : undefined,
  });
}

/**
 * Client facts with their grants and revocations, in one round trip; `ids` null loads every
 * client the mode lets through.
 */
export async function loadClients(tx: Queryable, practice: string, ids: readonly string[] | null): Promise<Map<string, ClientFacts>> {
  if (ids !== null && ids.length === 0) return new Map();
  const filter = ids === null ? '' : ' and c.id = any($2::text[])';
  const params = ids === null ? [practice] : [practice, [...ids]];
  const rows = await tx.query<ClientFactsRow>(`select ${CLIENT_FACTS_COLUMNS} from chartguard.clients c where c.practice_id = $1${filter}`, params);
  return clientsFromRows(rows);
}

/**
 * The core's client facts from the rows of loadClients (bench/checks.ts builds the same rows
 * in memory), with one string per member id: 100,000 clients then point at a few hundred
 * small strings a check finds in the cache, instead of a copy each.
 */
export function clientsFromRows(rows: Iterable<ClientFactsRow>): Map<string, ClientFacts> {
  const memberIds = new Map<string, string>();
  const member = (id: string): string => {
    const known = memberIds.get(id);
    if (known !== undefined) return known;
    memberIds.set(id, id);
    return id;
  };
  const out = new Map<string, ClientFacts>();
  for (const r of rows) out.set(r.id, clientFacts(r, member));
  return out;
}

/** Every restricted client of the practice (few: a partial index finds them), for team changes that could open one. */
export async function loadRestrictedClients(tx: Queryable, practice: string): Promise<Map<string, ClientFacts>> {
  const rows = await tx.query<ClientFactsRow>(`select ${CLIENT_FACTS_COLUMNS} from chartguard.clients c where c.practice_id = $1 and c.restricted`, [practice]);
  return clientsFromRows(rows);
}

/**
 * Whose roles or supervision a command changed, with before and after, for its activity-log
 * entry: the entry names the member whose access changed, not only the one who changed it.
 */
export function teamChangeDetail(team: Team, effects: readonly Effect[]): Record<string, unknown> {
  const roles: Record<string, { before: readonly string[]; after: readonly string[] }> = {};
  const supervising = new Map<string, Set<string>>();
  const superviseesOf = (m: string) => {
    let set = supervising.get(m);
    if (!set) supervising.set(m, (set = new Set([...team.supervisorsOf].filter(([, s]) => s.has(m)).map(([supervisee]) => supervisee))));
    return set;
  };
  const before = new Map<string, string[]>();
  const subjects = new Set<string>();
  for (const e of effects) {
    if (e.kind === 'set_roles') {
      roles[e.member] = { before: e.previous, after: e.roles };
      subjects.add(e.member);
    } else if (e.kind === 'add_supervision' || e.kind === 'end_supervision') {
      subjects.add(e.supervisor).add(e.supervisee);
      const set = superviseesOf(e.supervisor);
      if (!before.has(e.supervisor)) before.set(e.supervisor, [...set].sort());
      if (e.kind === 'add_supervision') set.add(e.supervisee);
      else set.delete(e.supervisee);
    }
  }
  if (subjects.size === 0) return {};
  return {
    subjects: [...subjects].sort(),
    ...(Object.keys(roles).length > 0 ? { roles } : {}),
    ...(before.size > 0
      ? { supervises: Object.fromEntries([...before].map(([m, was]) => [m, { before: was, after: [...supervising.get(m)!].sort() }])) }
      : {}),
  };
}

export async function loadNotes(tx: Queryable, practice: string, ids: readonly string[]): Promise<Map<string, NoteFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: string; client_id: string; author: string; kind: NoteKind; signed: boolean; cosigned: boolean; deleted: boolean }>(
    `select id, client_id, author, kind, signed_at is not null as signed, cosigned_at is not null as cosigned, deleted_at is not null as deleted
       from chartguard.notes where practice_id = $1 and id = any($2::text[])`,
    [practice, [...ids]],
  );
  return new Map(rows.map((r) => [r.id, { id: r.id, client: r.client_id, author: r.author, kind: r.kind, signed: r.signed, cosigned: r.cosigned, deleted: r.deleted }]));
}

/** A client's access settings as plain JSON, for the activity log's before/after. */
export function clientSnapshot(c: ClientFacts | undefined): unknown {
  if (!c) return null;
  return {
    primary: c.primary,
    restricted: c.restricted,
    sharedWithAll: c.sharedWithAll,
    grants: Object.fromEntries([...c.grants].sort(([a], [b]) => a.localeCompare(b)).map(([m, g]) => [m, g.expiresAt === null ? null : new Date(g.expiresAt).toISOString()])),
    administrativeRevoked: [...c.administrativeRevoked].sort(),
  };
}
