/**
 * One entry point for every command: routes it to the rule that decides it.
 */
import { submitClaim } from './claims.js';
import { grantAdministrative, revokeAdministrative } from './administrative-access.js';
import { grantClinical, revokeClinical, setPrimaryClinician, shareWithAll } from './clinical-access.js';
import type { Command, CommandInput, CommandResult } from './command.js';
import { cosignNote, createClient, createTask, deleteNote, recordInsurancePayment, scheduleAppointment, sendMessage, signNote, writeNote } from './records.js';
import { submitIntake, type PublicCommandInput } from './intake.js';
import { restrict, unrestrict } from './restricted-access.js';
import { refusal } from './result.js';
import { safeguard } from './safeguards.js';
import { changeSettings } from './settings.js';
import { assignRoles, endSupervision, setSupervisor } from './team.js';
import { addMember, deactivateMember, editMember, reactivateMember, transferOwnership } from './team-lifecycle.js';

/** Decides a command: its rule, then the safeguards no chain of allowed steps may pass. */
export function decide(input: CommandInput, command: Command): CommandResult {
  return safeguard(input, command, rule(input, command));
}

function rule(input: CommandInput, command: Command): CommandResult {
  switch (command.type) {
    case 'grant_clinical':
      return grantClinical(input, command);
    case 'revoke_clinical':
      return revokeClinical(input, command);
    case 'grant_administrative':
      return grantAdministrative(input, command);
    case 'revoke_administrative':
      return revokeAdministrative(input, command);
    case 'set_primary_clinician':
      return setPrimaryClinician(input, command);
    case 'restrict':
      return restrict(input, command);
    case 'unrestrict':
      return unrestrict(input, command);
    case 'share_with_all':
      return shareWithAll(input, command);
    case 'assign_roles':
      return assignRoles(input, command);
    case 'set_supervisor':
      return setSupervisor(input, command);
    case 'end_supervision':
      return endSupervision(input, command);
    case 'add_member':
      return addMember(input, command);
    case 'edit_member':
      return editMember(input, command);
    case 'deactivate_member':
      return deactivateMember(input, command);
    case 'reactivate_member':
      return reactivateMember(input, command);
    case 'transfer_ownership':
      return transferOwnership(input, command);
    case 'create_client':
      return createClient(input, command);
    case 'write_note':
      return writeNote(input, command);
    case 'sign_note':
      return signNote(input, command);
    case 'cosign_note':
      return cosignNote(input, command);
    case 'delete_note':
      return deleteNote(input, command);
    case 'schedule_appointment':
      return scheduleAppointment(input, command);
    case 'submit_claim':
      return submitClaim(input, command);
    case 'record_insurance_payment':
      return recordInsurancePayment(input, command);
    case 'send_message':
      return sendMessage(input, command);
    case 'create_task':
      return createTask(input, command);
    case 'change_settings':
      return changeSettings(input, command);
    case 'submit_intake':
      return refusal('forbidden', 'An intake form is sent through its public link, by someone not signed in.');
  }
}

/** A command of someone signed in as nobody: only the public intake form (intake.ts). */
export function decidePublic(input: PublicCommandInput, command: Command): CommandResult {
  return command.type === 'submit_intake' ? submitIntake(input, command) : refusal('unauthenticated');
}

/** The clients, notes and members a command reads, so the store loads only those. */
export interface CommandNeeds {
  clients: string[];
  notes: string[];
  primaryCountsOf: string[];
  newIds: string[];
  /** Every restricted client of the practice: the team changes that could open one (safeguards.ts). */
  restricted?: true;
  /** The practice's settings (a change of them). */
  settings?: true;
  /** Appointments to load with their clients (a claim's; claims.ts). */
  appointments?: string[];
}

export function commandNeeds(command: Command): CommandNeeds {
  switch (command.type) {
    case 'grant_clinical':
    case 'revoke_clinical':
    case 'grant_administrative':
    case 'revoke_administrative':
    case 'set_primary_clinician':
    case 'restrict':
    case 'unrestrict':
    case 'share_with_all':
      return { clients: [command.client], notes: [], primaryCountsOf: [], newIds: [] };
    case 'assign_roles':
      return { clients: [], notes: [], primaryCountsOf: [command.member], newIds: [], restricted: true };
    case 'set_supervisor':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [], restricted: true };
    case 'end_supervision':
    case 'edit_member':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [] };
    case 'add_member':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [command.id], restricted: true };
    case 'deactivate_member':
      return { clients: [], notes: [], primaryCountsOf: [command.member], newIds: [] };
    case 'reactivate_member':
    case 'transfer_ownership':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [], restricted: true };
    case 'create_client':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [command.id] };
    case 'write_note':
    case 'send_message':
    case 'create_task':
    case 'schedule_appointment':
      return { clients: [command.client], notes: [], primaryCountsOf: [], newIds: [command.id] };
    case 'sign_note':
    case 'cosign_note':
    case 'delete_note':
      return { clients: [], notes: [command.note], primaryCountsOf: [], newIds: [] };
    case 'submit_claim':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [command.id], appointments: [command.appointment] };
    case 'record_insurance_payment':
      return { clients: [...command.covers], notes: [], primaryCountsOf: [], newIds: [command.id] };
    case 'change_settings':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [], settings: true };
    case 'submit_intake':
      return { clients: [], notes: [], primaryCountsOf: [], newIds: [command.id] };
  }
}
