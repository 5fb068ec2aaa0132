/**
 * Loading the core's plain-data facts from the database. Pure reads; the caller chooses
 * the mode (system for a command's preconditions, member for a member's own reads).
 */
import { makeTeam, type ClientFacts, type ClinicalGrant, type MemberFacts, type NoteFacts, type NoteKind, type Team } from '../core/index.js';
import type { Role } from '../core/roles.js';
import type { Queryable } from './database.js';

export const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

export async function loadTeam(tx: Queryable, practice: string): Promise<Team> {
  const [settings] = await tx.query<{ client_directory: 'by_role' | 'all_staff' }>(
    'select client_directory from chartguard.practices where id = $1',
    [practice],
  );
  if (!settings) throw new PracticeNotFound(practice);
  const members = await tx.query<{ id: string; roles: Role[] }>(
    'select id, roles from chartguard.members where practice_id = $1 order by id',
    [practice],
  );
  const supervision = await tx.query<{ supervisor: string; supervisee: string }>(
    'select supervisor, supervisee from chartguard.supervisions where practice_id = $1',
    [practice],
  );
  return makeTeam({
    members: members.map((m): MemberFacts => ({ id: m.id, roles: m.roles })),
    supervision,
    settings: { clientDirectory: settings.client_directory },
  });
}

export class PracticeNotFound extends Error {
  constructor(readonly practice: string) {
    super(`No practice ${JSON.stringify(practice)}.`);
  }
}

interface ClientRow {
  id: string;
  primary_clinician: string;
  restricted: boolean;
  shared_with_all: boolean;
  person: string | null;
}

/** Client facts with their grants and revocations; `ids` null loads every client the mode lets through. */
export async function loadClients(tx: Queryable, practice: string, ids: readonly string[] | null): Promise<Map<string, ClientFacts>> {
  const filter = ids === null ? '' : ' and id = any($2::text[])';
  const params = ids === null ? [practice] : [practice, [...ids]];
  const rows = await tx.query<ClientRow>(
    `select id, primary_clinician, restricted, shared_with_all, person from chartguard.clients where practice_id = $1${filter}`,
    params,
  );
  if (rows.length === 0) return new Map();
  const clientFilter = ids === null ? '' : ' and client_id = any($2::text[])';
  const grants = await tx.query<{ client_id: string; member_id: string; expires_at: number | null }>(
    `select client_id, member_id, case when expires_at is null then null else ${ms('expires_at')} end as expires_at
       from chartguard.clinical_grants where practice_id = $1${clientFilter}`,
    params,
  );
  const revoked = await tx.query<{ client_id: string; member_id: string }>(
    `select client_id, member_id from chartguard.administrative_revocations where practice_id = $1${clientFilter}`,
    params,
  );
  const grantsBy = new Map<string, Map<string, ClinicalGrant>>();
  for (const g of grants) {
    let m = grantsBy.get(g.client_id);
    if (!m) grantsBy.set(g.client_id, (m = new Map()));
    m.set(g.member_id, { expiresAt: g.expires_at === null ? null : Number(g.expires_at) });
  }
  const revokedBy = new Map<string, Set<string>>();
  for (const r of revoked) {
    let s = revokedBy.get(r.client_id);
    if (!s) revokedBy.set(r.client_id, (s = new Set()));
    s.add(r.member_id);
  }
  const out = new Map<string, ClientFacts>();
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      primary: r.primary_clinician,
      restricted: r.restricted,
      sharedWithAll: r.shared_with_all,
      person: r.person,
      grants: grantsBy.get(r.id) ?? new Map(),
      administrativeRevoked: revokedBy.get(r.id) ?? new Set(),
    });
  }
  return out;
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
