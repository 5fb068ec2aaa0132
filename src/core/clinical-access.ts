/**
 * Granting and revoking clinical access, reassigning the primary clinician, and
 * sharing a client with all clinicians (000, 002, 003).
 *
 * Order of refusals (the panel shows the first that applies): the viewer's own
 * permission (forbidden), then what can never change for the member (account_owner,
 * primary_clinician, not_applicable), then what must change first
 * (administrative_access_required, revoke_administrative_first, shared_with_all).
 */
import { capabilities, clinicalAccess, administrativeAccess, hasLiveGrant } from './client-access.js';
import { DAY_MS, isResult, succeeded, type CommandInput, type CommandResult, type Effect } from './command.js';
import { canOnClient } from './permissions.js';
import type { ClientFacts, ClientId, Context, MemberId } from './practice.js';
import { refusal, refusalOf } from './result.js';

export function findClient(input: CommandInput, id: ClientId): ClientFacts | CommandResult {
  const client = input.facts.clients.get(id);
  return client ?? refusal('not_found', `No client ${JSON.stringify(id)}.`);
}

export function memberMissing(ctx: Context, ...ids: MemberId[]): CommandResult | null {
  for (const id of ids) if (!ctx.team.members.has(id)) return refusal('not_found', `No team member ${JSON.stringify(id)}.`);
  return null;
}

/** The client, once the actor and the members exist and the actor may manage its clinical access. */
function managedClient(input: CommandInput, id: ClientId, ...members: MemberId[]): ClientFacts | CommandResult {
  const missing = memberMissing(input.ctx, input.actor, ...members);
  if (missing) return missing;
  const client = findClient(input, id);
  if (isResult(client)) return client;
  return mayManage(input, client) ?? client;
}

/** The actor's permission to manage clinical access of the client (000, 002, 004). */
function mayManage(input: CommandInput, client: ClientFacts): CommandResult | null {
  const d = canOnClient(input.ctx, input.actor, 'client.manage_clinical_access', client);
  return d.allowed ? null : refusalOf(d);
}

export function grantClinical(input: CommandInput, cmd: { client: ClientId; member: MemberId; untilDays?: number | null }): CommandResult {
  const { ctx } = input;
  const client = managedClient(input, cmd.client, cmd.member);
  if (isResult(client)) return client;
  // READING.md "Safeguards": a member can't grant themselves clinical access (the owner holds it always).
  if (cmd.member === input.actor && input.actor !== ctx.team.ownerId) {
    return refusal('own_access', 'Nobody grants themselves clinical access: another team member who manages access to the client does.');
  }
  if (cmd.untilDays !== undefined && cmd.untilDays !== null && !(Number.isInteger(cmd.untilDays) && cmd.untilDays > 0)) {
    return refusal('invalid_input', 'until_days is a whole number of days, 1 or more.');
  }
  const caps = capabilities(ctx.team, cmd.member);
  const current = clinicalAccess(ctx, cmd.member, client);
  if (current && (current.kind === 'account_owner' || current.kind === 'primary_clinician' || current.kind === 'role')) {
    return succeeded(client.id, 'Already has clinical access; nothing changed.', []);
  }
  // 000: managers, billers, schedulers ("Not applicable"); supervisors unless paired with a clinician role.
  if (caps.clinicianRole === null) return refusal('not_applicable', 'Clinical access applies to clinicians only.');
  // 000: "Clinical access can't be granted while administrative access is revoked". The
  // revocation is the owner's and outlives a change of roles: a member the owner revoked
  // stays revoked until the owner grants administrative access again (READING.md "Safeguards").
  if (client.administrativeRevoked.has(cmd.member) || (caps.administrativeByRole && !administrativeAccess(ctx, cmd.member, client))) {
    return refusal('administrative_access_required');
  }
  const expiresAt = cmd.untilDays ? ctx.now + cmd.untilDays * DAY_MS : null;
  const existing = client.grants.get(cmd.member);
  if (existing && hasLiveGrant(ctx, cmd.member, client) && existing.expiresAt === expiresAt) {
    return succeeded(client.id, 'Already a clinician with access; nothing changed.', []);
  }
  return succeeded(client.id, expiresAt === null ? 'Granted clinical access.' : `Granted clinical access until ${new Date(expiresAt).toISOString()}.`, [
    { kind: 'put_clinical_grant', client: client.id, member: cmd.member, expiresAt },
  ]);
}

export function revokeClinical(input: CommandInput, cmd: { client: ClientId; member: MemberId }): CommandResult {
  const { ctx } = input;
  const client = managedClient(input, cmd.client, cmd.member);
  if (isResult(client)) return client;
  // 000: "Clinical and administrative access can never be revoked for the Account Owner and the
  // team member assigned as the primary clinician."
  if (cmd.member === ctx.team.ownerId) return refusal('account_owner');
  if (cmd.member === client.primary) return refusal('primary_clinician');
  const current = clinicalAccess(ctx, cmd.member, client);
  const grantRow = client.grants.has(cmd.member);
  if (!current) {
    // Revoking what the member lacks succeeds; a dormant (expired) grant is cleaned up.
    return grantRow
      ? succeeded(client.id, 'Removed an expired clinical access grant.', [{ kind: 'delete_clinical_grant', client: client.id, member: cmd.member }])
      : succeeded(client.id, 'Had no clinical access; nothing changed.', []);
  }
  // 000 (entire practice access): "Clinical access can only be manually revoked once administrative access is revoked".
  if (current.kind === 'role') {
    return refusal(
      'revoke_administrative_first',
      current.role === 'clinical_administrator'
        ? "A clinical administrator's clinical access comes with their role: revoke their administrative access first."
        : undefined,
    );
  }
  if (client.sharedWithAll) return refusal('shared_with_all');
  const effects: Effect[] = grantRow ? [{ kind: 'delete_clinical_grant', client: client.id, member: cmd.member }] : [];
  return succeeded(client.id, 'Revoked clinical access.', effects);
}

export function setPrimaryClinician(input: CommandInput, cmd: { client: ClientId; member: MemberId }): CommandResult {
  const { ctx } = input;
  const client = managedClient(input, cmd.client, cmd.member);
  if (isResult(client)) return client;
  const caps = capabilities(ctx.team, cmd.member);
  if (caps.clinicianRole === null) return refusal('not_applicable', 'The primary clinician must hold a clinician role.');
  if (client.primary === cmd.member) return succeeded(client.id, 'Already the primary clinician; nothing changed.', []);
  // 000: "If the client is restricted, only clinicians that currently have administrative
  // access for that client can be assigned as the primary clinician."
  if (client.restricted && !administrativeAccess(ctx, cmd.member, client)) {
    return refusal('administrative_access_required', 'The client is restricted: only a clinician who currently has administrative access can become primary clinician.');
  }
  const effects: Effect[] = [{ kind: 'set_primary', client: client.id, member: cmd.member, previous: client.primary }];
  if (client.grants.has(cmd.member)) effects.push({ kind: 'delete_clinical_grant', client: client.id, member: cmd.member });
  // The previous primary stays a clinician with access, so their access can now be managed
  // (000: "The primary clinician can be reassigned to manage their access").
  const previousCaps = capabilities(ctx.team, client.primary);
  if (client.primary !== ctx.team.ownerId && previousCaps.clinicianRole !== null && !previousCaps.clinicalByRole) {
    effects.push({ kind: 'put_clinical_grant', client: client.id, member: client.primary, expiresAt: null });
  }
  return succeeded(client.id, 'Reassigned the primary clinician.', effects);
}

export function shareWithAll(input: CommandInput, cmd: { client: ClientId; on: boolean }): CommandResult {
  // 003: the Client Access Control dialog: whoever manages the client's clinical access.
  const client = managedClient(input, cmd.client);
  if (isResult(client)) return client;
  if (client.sharedWithAll === cmd.on) return succeeded(client.id, 'Sharing unchanged.', []);
  return succeeded(client.id, cmd.on ? 'Shared the client with all clinicians.' : 'Stopped sharing the client with all clinicians.', [
    { kind: 'set_shared_with_all', client: client.id, on: cmd.on },
  ]);
}
