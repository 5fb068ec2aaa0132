/**
 * Turning restricted access on and off (001).
 *
 * - On: the owner, the primary clinician, clinicians with entire practice access, practice
 *   managers and schedulers (client.restrict). It removes nobody by itself (READING.md);
 *   the account owner is notified in the account and by email.
 * - Off: the same people, and only with the acknowledgement. Revocations made while
 *   restricted end with it: administrative access is managed per client only while
 *   restricted, so turning it on again starts from everyone's role (docs/design/readings.md).
 */
import { findClient, memberMissing } from './clinical-access.js';
import { isResult, succeeded, type CommandInput, type CommandResult } from './command.js';
import { canOnClient } from './permissions.js';
import type { Decision } from './decision.js';
import type { ClientFacts, ClientId } from './practice.js';
import { refusal, refusalOf } from './result.js';

/** The client, if the actor may turn its restricted access on or off (001), with that decision; else the refusal. */
function restrictable(input: CommandInput, id: ClientId): { client: ClientFacts; d: Decision } | CommandResult {
  const missing = memberMissing(input.ctx, input.actor);
  if (missing) return missing;
  const client = findClient(input, id);
  if (isResult(client)) return client;
  const d = canOnClient(input.ctx, input.actor, 'client.restrict', client);
  return d.allowed ? { client, d } : refusalOf(d);
}

export function restrict(input: CommandInput, cmd: { client: ClientId }): CommandResult {
  const may = restrictable(input, cmd.client);
  if (isResult(may)) return may;
  const { client, d } = may;
  if (client.restricted) return succeeded(client.id, 'Restricted access was already on; nothing changed.', [], d.reasons);
  return succeeded(
    client.id,
    'Turned restricted access on.',
    [
      { kind: 'set_restricted', client: client.id, restricted: true },
      // 001: "When restricted access is turned on, the Account Owner will receive an email and in-account notification."
      { kind: 'notify', member: input.ctx.team.ownerId, event: 'restricted_access_on', client: client.id, email: true },
    ],
    d.reasons,
  );
}

export function unrestrict(input: CommandInput, cmd: { client: ClientId; acknowledge: boolean }): CommandResult {
  const may = restrictable(input, cmd.client);
  if (isResult(may)) return may;
  const { client, d } = may;
  // 001: "Check the box for I acknowledge the above and have the authority to turn off these restrictions".
  if (cmd.acknowledge !== true) return refusal('acknowledgement_required');
  if (!client.restricted) return succeeded(client.id, 'Restricted access was already off; nothing changed.', [], d.reasons);
  return succeeded(
    client.id,
    'Turned restricted access off.',
    [
      { kind: 'set_restricted', client: client.id, restricted: false },
      ...(client.administrativeRevoked.size > 0
        ? [{ kind: 'clear_administrative_revocations' as const, client: client.id, members: [...client.administrativeRevoked].sort() }]
        : []),
    ],
    d.reasons,
  );
}
