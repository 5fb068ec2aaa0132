/**
 * Insurance claims (004: billers "generate and track claims") and Bill as Supervisor (004:
 * "If a Supervisor also has the role of Clinician, other Clinicians and/or Interns are able
 * to bill with the Supervisor's credentials"). FORMAT, second part: `bill_as: S` names a
 * supervisor of the appointment's clinician who holds a clinician role (`not_supervisor`
 * otherwise); a claim's rendering clinician is S then, else the appointment's clinician.
 */
import { capabilities } from './client-access.js';
import { findClient, memberMissing } from './clinical-access.js';
import { isResult, succeeded, type CommandInput, type CommandResult } from './command.js';
import { canOnClient } from './permissions.js';
import { supervises, type ClaimableAppointment, type Context, type MemberId } from './practice.js';
import { refusal, refusalOf } from './result.js';

/** The statuses a claim moves through (issue 15: draft, submitted, paid, denied). */
export const CLAIM_STATUSES = ['draft', 'submitted', 'paid', 'denied'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** Why `billAs` may not bill the clinician's appointments, or null when it may. */
export function billAsRefusal(ctx: Context, clinician: MemberId, billAs: MemberId): CommandResult | null {
  const missing = memberMissing(ctx, billAs);
  if (missing) return missing;
  if (billAs === clinician) return refusal('not_supervisor', 'Bill as Supervisor names a supervisor other than the clinician.');
  if (!supervises(ctx.team, billAs, clinician)) return refusal('not_supervisor', `${billAs} does not supervise ${clinician}.`);
  if (capabilities(ctx.team, billAs).clinicianRole === null) {
    return refusal('not_supervisor', `${billAs} holds no clinician role, so claims cannot be billed under their credentials.`);
  }
  return null;
}

/** The clinician a claim names as rendering the service. */
export function renderingClinician(appointment: Pick<ClaimableAppointment, 'clinician' | 'billAs'>): MemberId {
  return appointment.billAs ?? appointment.clinician;
}

/** `submit_claim`: `client.submit_claim` on the appointment's client (004: billers for assigned clients only never do). */
export function submitClaim(input: CommandInput, cmd: { id: string; appointment: string }): CommandResult {
  const missing = memberMissing(input.ctx, input.actor);
  if (missing) return missing;
  if (typeof cmd.id !== 'string' || cmd.id.length === 0) return refusal('invalid_input', 'An id is required.');
  if (input.facts.existingIds.has(cmd.id)) return refusal('invalid_input', `The id ${JSON.stringify(cmd.id)} is already used.`);
  const appointment = input.facts.appointments?.get(cmd.appointment);
  if (!appointment) return refusal('not_found', `No appointment ${JSON.stringify(cmd.appointment)}.`);
  const client = findClient(input, appointment.client);
  if (isResult(client)) return client;
  const decision = canOnClient(input.ctx, input.actor, 'client.submit_claim', client);
  if (!decision.allowed) return refusalOf(decision);
  if (appointment.cancelled) return refusal('invalid_state', 'A cancelled appointment is no charge: there is nothing to claim.');
  if (appointment.claimed) return refusal('invalid_state', 'This appointment already has a claim.');
  const rendering = renderingClinician(appointment);
  return succeeded(client.id, 'Submitted an insurance claim.', [
    { kind: 'create_claim', claim: cmd.id, appointment: appointment.id, client: client.id, rendering, amount: appointment.fee },
  ]);
}
