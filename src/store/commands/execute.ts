/**
 * A command in one transaction (ARCHITECTURE.md "The flow of a command"): lock the
 * practice, load the facts it needs (system mode), ask the core, apply the effects and
 * append one activity-log entry. A refusal writes nothing.
 */
import { commandNeeds, decide, decidePublic, type Command, type CommandResult, type Context, type Effect } from '../../core/index.js';
import { forgetCachedSessions } from '../auth/sessions.js';
import type { Queryable } from '../db/database.js';
import type { Store } from '../context.js';
import { loadAppointments } from '../facts/appointments.js';
import { loadSettings } from '../facts/settings.js';
import { clientSnapshot, loadClients, loadNotes, loadRestrictedClients, loadTeam, PracticeNotFound, teamChangeDetail } from '../facts/facts.js';
import { appendActivity } from './activity-log.js';
import { applyEffect } from './effects.js';

/**
 * Decides and applies one command as `actor`, in one transaction with its log entry. A null
 * actor is someone signed in as nobody: only the public intake form (core/intake.ts), whose
 * entry says it came from the intake form.
 */
export async function execute(store: Store, practice: string, actor: string | null, command: Command): Promise<CommandResult> {
  const result = await decideAndApply(store, practice, actor, command);
  // Committed: this process reads its own change from here on (others on notification).
  if (result.ok && result.effects.length > 0) store.facts.forget(practice);
  // A session carries its practice's logoff and second-factor requirement (sessions.ts); a
  // deactivation ended sessions (migration 050's trigger): this process's cache forgets them
  // now, not when the change notification arrives.
  if (result.ok && result.effects.some((e) => e.kind === 'set_settings' || (e.kind === 'set_member_active' && !e.active))) forgetCachedSessions(store.db);
  return result;
}

async function decideAndApply(store: Store, practice: string, actor: string | null, command: Command): Promise<CommandResult> {
  const now = store.now();
  return store.within(practice, actor, 'system', async (tx) => {
    // Commands of one practice are serialized: the lock is the log's head.
    const locked = await tx.query('select 1 from chartguard.practices where id = $1 for update', [practice]);
    if (locked.length === 0) throw new PracticeNotFound(practice);
    const team = await loadTeam(tx, practice);
    const needs = commandNeeds(command);
    const notes = await loadNotes(tx, practice, needs.notes);
    const appointments = await loadAppointments(tx, practice, needs.appointments ?? []);
    const clientIds = [...needs.clients, ...[...notes.values()].map((n) => n.client), ...[...appointments.values()].map((a) => a.client)];
    const clients = await loadClients(tx, practice, clientIds);
    const primaryCounts = new Map<string, number>();
    for (const m of needs.primaryCountsOf) {
      const [row] = await tx.query<{ n: number }>('select count(*)::int as n from chartguard.clients where practice_id = $1 and primary_clinician = $2', [practice, m]);
      primaryCounts.set(m, row?.n ?? 0);
    }
    const existingIds = new Set<string>();
    const table = NEW_ID_TABLE[command.type];
    if (table && needs.newIds.length > 0) {
      const rows = await tx.query<{ id: string }>(`select id from chartguard.${table} where practice_id = $1 and id = any($2::text[])`, [practice, needs.newIds]);
      for (const r of rows) existingIds.add(r.id);
    }
    const restricted = needs.restricted ? await loadRestrictedClients(tx, practice) : undefined;
    const settings = needs.settings ? await loadSettings(tx, practice) : undefined;
    const ctx: Context = { team, now };
    const facts = { clients, notes, primaryCounts, existingIds, ...(restricted ? { restricted } : {}), ...(settings ? { settings } : {}), ...(needs.appointments ? { appointments } : {}) };
    const result = actor === null ? decidePublic({ ctx, facts }, command) : decide({ ctx, actor, facts }, command);
    if (!result.ok) return result;
    const accounts = accountsChanged(result.effects);
    const accountsBefore = await loadAccounts(tx, practice, accounts);
    for (const effect of result.effects) await applyEffect(tx, practice, now, effect, actor);
    const changedSettings = result.effects.find((e) => e.kind === 'set_settings');
    const client = result.client;
    const after = client && needs.clients.includes(client) ? (await loadClients(tx, practice, [client])).get(client) : undefined;
    await appendActivity(tx, practice, now, {
      actor,
      action: command.type,
      client,
      clients: result.clients,
      outcome: result.effects.length > 0 ? 'changed' : 'unchanged',
      detail: {
        command: commandForLog(command),
        summary: result.summary,
        effects: result.effects.map(withoutFreeText),
        ...teamChangeDetail(team, result.effects),
        ...(accounts.length > 0 ? { accounts: accountDetail(accounts, accountsBefore, await loadAccounts(tx, practice, accounts)) } : {}),
        ...(result.opened ? { opened: result.opened } : {}),
        ...(client && clients.has(client) ? { before: clientSnapshot(clients.get(client)), after: clientSnapshot(after) } : {}),
        ...(changedSettings ? { before: changedSettings.before, after: changedSettings.after } : {}),
        ...(actor === null ? { via: 'intake_form' } : {}),
      },
    });
    return result;
  });
}

/** The members whose account (name, email, active, roles) the effects change. */
function accountsChanged(effects: readonly Effect[]): string[] {
  const ids = new Set<string>();
  for (const e of effects) {
    if (e.kind === 'add_member' || e.kind === 'set_member_details' || e.kind === 'set_member_active' || e.kind === 'set_roles') ids.add(e.member);
  }
  return [...ids].sort();
}

interface Account {
  readonly name: string;
  readonly email: string | null;
  readonly active: boolean;
  readonly roles: readonly string[];
}

async function loadAccounts(tx: Queryable, practice: string, ids: readonly string[]): Promise<Map<string, Account>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.query<{ id: string; display_name: string; email: string | null; active: boolean; roles: string[] }>(
    'select id, display_name, email, active, roles from chartguard.members where practice_id = $1 and id = any($2::text[])',
    [practice, ids],
  );
  return new Map(rows.map((r) => [r.id, { name: r.display_name, email: r.email, active: r.active, roles: r.roles }]));
}

/** Whose account changed, before and after (issue 14: the log names the account). */
function accountDetail(ids: readonly string[], before: Map<string, Account>, after: Map<string, Account>): Record<string, { before: Account | null; after: Account | null }> {
  return Object.fromEntries(ids.map((id) => [id, { before: before.get(id) ?? null, after: after.get(id) ?? null }]));
}

const NEW_ID_TABLE: Partial<Record<Command['type'], string>> = {
  add_member: 'members',
  create_client: 'clients',
  write_note: 'notes',
  schedule_appointment: 'appointments',
  submit_claim: 'claims',
  record_insurance_payment: 'insurance_payments',
  send_message: 'messages',
  create_task: 'tasks',
  submit_intake: 'clients',
};

/** The command as logged: free text (note and message bodies, intake answers) stays out of the log. */
function commandForLog(command: Command): Record<string, unknown> {
  return withoutFreeText(command);
}

function withoutFreeText(record: object): Record<string, unknown> {
  const { ...rest } = record as Record<string, unknown>;
  delete rest.body;
  delete rest.answers;
  return rest;
}
