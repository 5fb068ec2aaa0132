/**
 * Granting and revoking administrative access (000 "Granting and revoking administrative
 * access", 001 "Managing team member access").
 *
 * - Per client only while restricted access is on (not_restricted).
 * - Then only by the account owner (only_account_owner).
 * - Never for the owner or the primary clinician; a supervisor's is held by the supervision.
 * - Revoking it from a clinician revokes the clinical access their role gave them (the
 *   clinical predicate requires administrative access for those roles, so the cascade is
 *   derived, not stored); a manually granted clinical access must be revoked first.
 */
import { administrativeAccess, capabilities, hasAnyAccess, hasLiveGrant } from './client-access.js';
import { findClient, memberMissing } from './clinical-access.js';
import { isResult, succeeded, type CommandInput, type CommandResult } from './command.js';
import type { ClientFacts, ClientId, MemberId } from './practice.js';
import { refusal } from './result.js';

function preconditions(input: CommandInput, cmd: { client: ClientId; member: MemberId }): ClientFacts | CommandResult {
  const missing = memberMissing(input.ctx, input.actor, cmd.member);
  if (missing) return missing;
  const client = findClient(input, cmd.client);
  if (isResult(client)) return client;
  if (!hasAnyAccess(input.ctx, input.actor, client)) {
    return refusal('forbidden', 'Has neither clinical nor administrative access to this client.');
  }
  return client;
}

export function grantAdministrative(input: CommandInput, cmd: { client: ClientId; member: MemberId }): CommandResult {
  const client = preconditions(input, cmd);
  if (isResult(client)) return client;
  const { ctx } = input;
  const caps = capabilities(ctx.team, cmd.member);
  const current = administrativeAccess(ctx, cmd.member, client);
  // 000 table: clinicians with basic or billing access, and supervisors, "Not applicable".
  // A revocation outlives a change of roles, so the owner can always lift it.
  const revoked = client.administrativeRevoked.has(cmd.member);
  if (!current && !caps.administrativeByRole && !revoked) {
    return refusal('not_applicable', "Administrative access does not apply to this team member's roles.");
  }
  // 000: "To prevent specific administrative staff or clinicians from accessing a client's
  // profile or data, you must first enable restricted access for the client."
  if (!client.restricted) return refusal('not_restricted');
  // 000: "After turning on restricted access, only the Account Owner can manage administrative
  // team member access for a client".
  if (input.actor !== ctx.team.ownerId) return refusal('only_account_owner');
  if (current && !revoked) return succeeded(client.id, 'Already has administrative access; nothing changed.', []);
  if (!caps.administrativeByRole) {
    return succeeded(client.id, 'Lifted the revocation of administrative access.', [{ kind: 'restore_administrative', client: client.id, member: cmd.member }]);
  }
  return succeeded(client.id, 'Granted administrative access.', [{ kind: 'restore_administrative', client: client.id, member: cmd.member }]);
}

export function revokeAdministrative(input: CommandInput, cmd: { client: ClientId; member: MemberId }): CommandResult {
  const client = preconditions(input, cmd);
  if (isResult(client)) return client;
  const { ctx } = input;
  const current = administrativeAccess(ctx, cmd.member, client);
  if (current?.kind === 'account_owner') return refusal('account_owner');
  if (current?.kind === 'primary_clinician') return refusal('primary_clinician');
  // 000 (Supervisor): revocable only once the supervisee is no longer primary or the
  // supervision has ended.
  if (current?.kind === 'supervision') return refusal('supervision');
  if (!client.restricted) return refusal('not_restricted');
  if (input.actor !== ctx.team.ownerId) return refusal('only_account_owner');
  if (!current) return succeeded(client.id, 'Had no administrative access; nothing changed.', []);
  // 000 (full client list access): "If clinical access to a client other than their own was
  // manually granted, clinical access must be revoked first".
  if (hasLiveGrant(ctx, cmd.member, client) && capabilities(ctx.team, cmd.member).clinicianRole !== null && !capabilities(ctx.team, cmd.member).clinicalByRole) {
    return refusal('revoke_clinical_first');
  }
  return succeeded(client.id, 'Revoked administrative access.', [{ kind: 'revoke_administrative', client: client.id, member: cmd.member }]);
}
