/**
 * Commands on client records: creating clients (003), notes (004), appointments,
 * insurance payments (001), secure messages and tasks. Each asks the single checks
 * of permissions.ts; a member without access to a client performs none of their
 * role's actions for it (000).
 */
import { billAsRefusal } from './claims.js';
import { capabilities } from './client-access.js';
import { findClient, memberMissing } from './clinical-access.js';
import { isResult, succeeded, type CommandInput, type CommandResult } from './command.js';
import { allow, refuse, type Decision } from './decision.js';
import { canManagePayment, canOnClient, canOnNote, type ClientPermission, type NotePermission } from './permissions.js';
import { NOTE_KINDS, type ClientFacts, type ClientId, type Context, type MemberId, type NoteFacts, type NoteKind } from './practice.js';
import { refusal, refusalOf } from './result.js';

function fromDecision(d: Decision): CommandResult | null {
  return d.allowed ? null : refusalOf(d);
}

function idTaken(input: CommandInput, id: string): CommandResult | null {
  if (typeof id !== 'string' || id.length === 0) return refusal('invalid_input', 'An id is required.');
  return input.facts.existingIds.has(id) ? refusal('invalid_input', `The id ${JSON.stringify(id)} is already used.`) : null;
}

function clientAllowing(input: CommandInput, id: ClientId, permission: ClientPermission): ClientFacts | CommandResult {
  const client = findClient(input, id);
  if (isResult(client)) return client;
  return fromDecision(canOnClient(input.ctx, input.actor, permission, client)) ?? client;
}

/** 003: clients are created by practitioners or front-desk staff; 004: schedulers add clients. */
export function canCreateClients(ctx: Context, member: MemberId): Decision {
  return capabilities(ctx.team, member).createsClients
    ? allow({ code: 'role', text: 'The role adds clients.' })
    : refuse('forbidden', "Adding clients is not part of this member's role.");
}

export function createClient(
  input: CommandInput,
  cmd: { id: ClientId; name?: string; primary?: MemberId | null; person?: string | null; intakeLink?: MemberId | null },
): CommandResult {
  const { ctx } = input;
  const missing = memberMissing(ctx, input.actor);
  if (missing) return missing;
  const taken = idTaken(input, cmd.id);
  if (taken) return taken;
  const caps = capabilities(ctx.team, input.actor);
  const creates = fromDecision(canCreateClients(ctx, input.actor));
  if (creates) return creates;
  // 003: "one form URL per practitioner ... routed to the correct practitioner"; otherwise
  // "create the client in the proper account" - the creator, when a clinician.
  const primary = cmd.primary ?? cmd.intakeLink ?? (caps.clinicianRole !== null ? input.actor : null);
  if (primary === null) return refusal('primary_required');
  const gone = memberMissing(ctx, primary);
  if (gone) return gone;
  if (capabilities(ctx.team, primary).clinicianRole === null) {
    return refusal('not_applicable', 'The primary clinician must hold a clinician role.');
  }
  return succeeded(cmd.id, 'Added a client.', [
    { kind: 'create_client', client: cmd.id, name: cmd.name ?? cmd.id, primary, person: cmd.person ?? null },
  ]);
}

export function writeNote(input: CommandInput, cmd: { id: string; client: ClientId; kind: NoteKind; sign?: boolean; body?: string }): CommandResult {
  const missing = memberMissing(input.ctx, input.actor);
  if (missing) return missing;
  if (!NOTE_KINDS.includes(cmd.kind)) return refusal('invalid_input', `Unknown note kind ${JSON.stringify(cmd.kind)}.`);
  const taken = idTaken(input, cmd.id);
  if (taken) return taken;
  // 004: schedulers write missed appointment, contact and miscellaneous notes, never clinical notes.
  const client = clientAllowing(input, cmd.client, cmd.kind === 'clinical' ? 'client.write_clinical_note' : 'client.write_administrative_note');
  if (isResult(client)) return client;
  return succeeded(client.id, cmd.sign ? 'Wrote and signed a note.' : 'Wrote a note.', [
    { kind: 'create_note', note: cmd.id, client: client.id, author: input.actor, noteKind: cmd.kind, signed: cmd.sign === true, body: cmd.body ?? '' },
  ]);
}

function noteAllowing(input: CommandInput, id: string, permission: NotePermission): { note: NoteFacts; client: ClientFacts } | CommandResult {
  const missing = memberMissing(input.ctx, input.actor);
  if (missing) return missing;
  const note = input.facts.notes.get(id);
  if (!note || note.deleted) return refusal('not_found', `No note ${JSON.stringify(id)}.`);
  const client = findClient(input, note.client);
  if (isResult(client)) return client;
  return fromDecision(canOnNote(input.ctx, input.actor, permission, note, client)) ?? { note, client };
}

export function signNote(input: CommandInput, cmd: { note: string }): CommandResult {
  const found = noteAllowing(input, cmd.note, 'note.sign');
  if (isResult(found)) return found;
  return succeeded(found.client.id, 'Signed a note.', [{ kind: 'sign_note', note: found.note.id }]);
}

export function cosignNote(input: CommandInput, cmd: { note: string }): CommandResult {
  const found = noteAllowing(input, cmd.note, 'note.cosign');
  if (isResult(found)) return found;
  return succeeded(found.client.id, "Co-signed a supervisee's note.", [{ kind: 'cosign_note', note: found.note.id, by: input.actor }]);
}

export function deleteNote(input: CommandInput, cmd: { note: string }): CommandResult {
  const found = noteAllowing(input, cmd.note, 'note.delete');
  if (isResult(found)) return found;
  return succeeded(found.client.id, 'Deleted a note.', [{ kind: 'delete_note', note: found.note.id }]);
}

export function scheduleAppointment(
  input: CommandInput,
  cmd: { id: string; client: ClientId; clinician: MemberId; fee: number; startsAt?: number; billAs?: MemberId },
): CommandResult {
  const missing = memberMissing(input.ctx, input.actor, cmd.clinician);
  if (missing) return missing;
  const taken = idTaken(input, cmd.id);
  if (taken) return taken;
  if (!Number.isFinite(cmd.fee) || cmd.fee < 0) return refusal('invalid_input', 'The fee is a number, 0 or more.');
  const client = clientAllowing(input, cmd.client, 'client.schedule');
  if (isResult(client)) return client;
  const caps = capabilities(input.ctx.team, cmd.clinician);
  // 004: schedulers and billers have no calendar of their own unless they are clinicians.
  if (caps.clinicianRole === null) return refusal('not_applicable', 'Appointments are with a clinician.');
  const billAs = cmd.billAs === undefined ? null : billAsRefusal(input.ctx, cmd.clinician, cmd.billAs);
  if (billAs) return billAs;
  return succeeded(client.id, 'Scheduled an appointment.', [
    {
      kind: 'create_appointment',
      appointment: cmd.id,
      client: client.id,
      clinician: cmd.clinician,
      fee: cmd.fee,
      startsAt: cmd.startsAt ?? input.ctx.now,
      ...(cmd.billAs === undefined ? {} : { billAs: cmd.billAs }),
    },
  ]);
}

export function recordInsurancePayment(input: CommandInput, cmd: { id: string; covers: readonly ClientId[]; amount: number }): CommandResult {
  const missing = memberMissing(input.ctx, input.actor);
  if (missing) return missing;
  const taken = idTaken(input, cmd.id);
  if (taken) return taken;
  if (!Number.isFinite(cmd.amount) || cmd.amount < 0) return refusal('invalid_input', 'The amount is a number, 0 or more.');
  const ids = [...new Set(cmd.covers)];
  if (ids.length === 0) return refusal('invalid_input', 'A payment covers at least one client.');
  const clients: ClientFacts[] = [];
  for (const id of ids) {
    const c = findClient(input, id);
    if (isResult(c)) return c;
    clients.push(c);
  }
  // 000/001: a biller without access to one covered client cannot manage the payment.
  const denied = fromDecision(canManagePayment(input.ctx, input.actor, clients));
  if (denied) return denied;
  return succeeded(
    ids.length === 1 ? ids[0]! : null,
    `Recorded an insurance payment covering ${ids.length} client(s).`,
    [{ kind: 'create_insurance_payment', payment: cmd.id, covers: ids, amount: cmd.amount }],
    [],
    ids,
  );
}

export function sendMessage(input: CommandInput, cmd: { id: string; client: ClientId; body?: string }): CommandResult {
  const missing = memberMissing(input.ctx, input.actor);
  if (missing) return missing;
  const taken = idTaken(input, cmd.id);
  if (taken) return taken;
  const client = clientAllowing(input, cmd.client, 'client.message');
  if (isResult(client)) return client;
  return succeeded(client.id, 'Sent a secure message.', [{ kind: 'create_message', message: cmd.id, client: client.id, author: input.actor, body: cmd.body ?? '' }]);
}

export function createTask(input: CommandInput, cmd: { id: string; client: ClientId; assignee: MemberId; title?: string }): CommandResult {
  const missing = memberMissing(input.ctx, input.actor, cmd.assignee);
  if (missing) return missing;
  const taken = idTaken(input, cmd.id);
  if (taken) return taken;
  const client = clientAllowing(input, cmd.client, 'client.view_profile');
  if (isResult(client)) return client;
  // A task about a client its assignee cannot see would be hidden from them (visibility.ts seesTask).
  if (!canOnClient(input.ctx, cmd.assignee, 'client.view_profile', client).allowed) {
    return refusal('forbidden', 'The task cannot be assigned to this team member: they cannot see this client.');
  }
  return succeeded(client.id, 'Created a task.', [
    { kind: 'create_task', task: cmd.id, client: client.id, assignee: cmd.assignee, creator: input.actor, title: cmd.title ?? '' },
  ]);
}
