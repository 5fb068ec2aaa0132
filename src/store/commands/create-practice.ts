/** Onboarding: a practice with its team and clients, logged like a command. */
import { validateRoles, type Role } from '../../core/index.js';
import type { Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { appendActivity } from './activity-log.js';

export interface PracticeSpec {
  readonly id: string;
  readonly name?: string;
  readonly clientDirectory?: 'by_role' | 'all_staff';
  readonly members: readonly { id: string; name?: string; roles: readonly Role[]; email?: string | null }[];
  readonly supervision?: readonly { supervisor: string; supervisee: string }[];
  readonly clients?: readonly {
    id: string;
    name?: string;
    contact?: string;
    primary: string;
    restricted?: boolean;
    sharedWithAll?: boolean;
    person?: string | null;
  }[];
}

export class InvalidPractice extends Error {}

/** Creates a practice with its team and clients (an onboarding step, logged like a command). */
export async function createPractice(store: Store, spec: PracticeSpec): Promise<void> {
  checkPracticeSpec(spec);
  const now = store.now();
  await store.within(spec.id, null, 'system', (tx) => insertPractice(tx, spec, now));
  store.facts.forget(spec.id);
}

/** Exactly one account owner, and every member's roles valid (the core's validateRoles); throws InvalidPractice. */
export function checkPracticeSpec(spec: PracticeSpec): void {
  const owners = spec.members.filter((m) => m.roles.includes('account_owner'));
  if (owners.length !== 1) throw new InvalidPractice('A practice has exactly one account owner.');
  for (const m of spec.members) {
    const check = validateRoles(m.roles, m.roles.includes('account_owner'));
    if (!check.ok) throw new InvalidPractice(`${m.id}: ${check.reasons.map((r) => r.text).join(' ')}`);
  }
}

/**
 * The practice's rows and their activity-log entries, inside the caller's transaction (the
 * setup link's redemption creates a practice in the same one). `createPractice` checks the
 * spec first; a caller of this checks it too.
 */
export async function insertPractice(tx: Queryable, spec: PracticeSpec, now: number): Promise<void> {
  await tx.query('insert into chartguard.practices (id, name, client_directory) values ($1, $2, $3)', [spec.id, spec.name ?? spec.id, spec.clientDirectory ?? 'by_role']);
  for (const m of spec.members) {
    await tx.query('insert into chartguard.members (practice_id, id, display_name, roles, email) values ($1, $2, $3, $4::text[], $5)', [
      spec.id,
      m.id,
      m.name ?? m.id,
      [...m.roles],
      m.email ?? null,
    ]);
  }
  for (const s of spec.supervision ?? []) {
    await tx.query('insert into chartguard.supervisions (practice_id, supervisor, supervisee) values ($1, $2, $3)', [spec.id, s.supervisor, s.supervisee]);
  }
  for (const c of spec.clients ?? []) {
    await tx.query(
      `insert into chartguard.clients (practice_id, id, name, contact, primary_clinician, restricted, shared_with_all, person)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [spec.id, c.id, c.name ?? c.id, c.contact ?? '', c.primary, c.restricted ?? false, c.sharedWithAll ?? false, c.person ?? null],
    );
  }
  await appendActivity(tx, spec.id, now, {
    actor: null,
    action: 'create_practice',
    client: null,
    outcome: 'changed',
    detail: { members: spec.members.map((m) => ({ id: m.id, roles: m.roles })), supervision: spec.supervision ?? [], clientDirectory: spec.clientDirectory ?? 'by_role' },
  });
  // One entry per client, so each is visible only to who may view that client.
  for (const c of spec.clients ?? []) {
    await appendActivity(tx, spec.id, now, {
      actor: null,
      action: 'create_client',
      client: c.id,
      outcome: 'changed',
      detail: { primary: c.primary, restricted: c.restricted ?? false, sharedWithAll: c.sharedWithAll ?? false, person: c.person ?? null },
    });
  }
}
