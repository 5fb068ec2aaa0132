/**
 * Commands: every change to access or records. A command is decided by a pure
 * function over the facts it needs; the decision is a refusal, or the list of effects
 * (the change and its cascades) that the store applies in one transaction together
 * with one activity-log entry.
 */
import type { Reason } from './decision.js';
import { ok, type Result } from './result.js';
import type { ClaimableAppointment, ClientFacts, ClientId, Context, MemberId, NoteFacts, NoteKind, SettingsChange, SettingsFacts } from './practice.js';
import type { Role } from './roles.js';

export type Command =
  | { readonly type: 'grant_clinical'; readonly client: ClientId; readonly member: MemberId; readonly untilDays?: number | null }
  | { readonly type: 'revoke_clinical'; readonly client: ClientId; readonly member: MemberId }
  | { readonly type: 'grant_administrative'; readonly client: ClientId; readonly member: MemberId }
  | { readonly type: 'revoke_administrative'; readonly client: ClientId; readonly member: MemberId }
  | { readonly type: 'set_primary_clinician'; readonly client: ClientId; readonly member: MemberId }
  | { readonly type: 'restrict'; readonly client: ClientId }
  | { readonly type: 'unrestrict'; readonly client: ClientId; readonly acknowledge: boolean }
  | { readonly type: 'share_with_all'; readonly client: ClientId; readonly on: boolean }
  | { readonly type: 'assign_roles'; readonly member: MemberId; readonly roles: readonly string[] }
  | { readonly type: 'set_supervisor'; readonly supervisor: MemberId; readonly supervisee: MemberId }
  | { readonly type: 'end_supervision'; readonly supervisor: MemberId; readonly supervisee: MemberId }
  | { readonly type: 'add_member'; readonly id: MemberId; readonly roles: readonly string[]; readonly name?: string; readonly email?: string | null }
  | { readonly type: 'edit_member'; readonly member: MemberId; readonly name?: string; readonly email?: string | null }
  | { readonly type: 'deactivate_member'; readonly member: MemberId }
  | { readonly type: 'reactivate_member'; readonly member: MemberId }
  | { readonly type: 'transfer_ownership'; readonly member: MemberId }
  | {
      readonly type: 'create_client';
      readonly id: ClientId;
      readonly name?: string;
      readonly primary?: MemberId | null;
      readonly person?: string | null;
      readonly intakeLink?: MemberId | null;
    }
  | {
      readonly type: 'write_note';
      readonly id: string;
      readonly client: ClientId;
      readonly kind: NoteKind;
      readonly sign?: boolean;
      readonly body?: string;
    }
  | { readonly type: 'sign_note'; readonly note: string }
  | { readonly type: 'cosign_note'; readonly note: string }
  /** `reason`: why the note is deleted, in the deleter's words (kept in the activity log's entry). */
  | { readonly type: 'delete_note'; readonly note: string; readonly reason?: string }
  | {
      readonly type: 'schedule_appointment';
      readonly id: string;
      readonly client: ClientId;
      readonly clinician: MemberId;
      readonly fee: number;
      readonly startsAt?: number;
      /** Bill as Supervisor (004): the claims name this supervisor as rendering clinician (claims.ts). */
      readonly billAs?: MemberId;
    }
  /** A claim for an appointment (claims.ts). */
  | { readonly type: 'submit_claim'; readonly id: string; readonly appointment: string }
  | { readonly type: 'record_insurance_payment'; readonly id: string; readonly covers: readonly ClientId[]; readonly amount: number }
  | { readonly type: 'send_message'; readonly id: string; readonly client: ClientId; readonly body?: string }
  | { readonly type: 'create_task'; readonly id: string; readonly client: ClientId; readonly assignee: MemberId; readonly title?: string }
  | { readonly type: 'change_settings'; readonly changes: SettingsChange }
  /**
   * A person not signed in sends the public intake form (intake.ts): `formOf` a practitioner's
   * own link, or `choice` on the practice form, which `offered` limits (null: every clinician).
   * `answers`: what the form asked and the person wrote, kept in the chart and not in the log.
   */
  | {
      readonly type: 'submit_intake';
      readonly id: ClientId;
      readonly formOf?: MemberId | null;
      readonly choice?: MemberId | null;
      readonly offered?: readonly MemberId[] | null;
      readonly name?: string;
      readonly answers?: IntakeAnswers;
    };

/** An intake form's answers: each question's key and what the person wrote. */
export type IntakeAnswers = Readonly<Record<string, string>>;

export type CommandType = Command['type'];

/** Every command type once: a type missing here, or one that is not a command, fails to compile. */
const EVERY_COMMAND_TYPE: { readonly [T in CommandType]: true } = {
  grant_clinical: true,
  revoke_clinical: true,
  grant_administrative: true,
  revoke_administrative: true,
  set_primary_clinician: true,
  restrict: true,
  unrestrict: true,
  share_with_all: true,
  assign_roles: true,
  set_supervisor: true,
  end_supervision: true,
  add_member: true,
  edit_member: true,
  deactivate_member: true,
  reactivate_member: true,
  transfer_ownership: true,
  create_client: true,
  write_note: true,
  sign_note: true,
  cosign_note: true,
  delete_note: true,
  schedule_appointment: true,
  submit_claim: true,
  record_insurance_payment: true,
  send_message: true,
  create_task: true,
  change_settings: true,
  submit_intake: true,
};

export const COMMAND_TYPES: readonly CommandType[] = Object.freeze(Object.keys(EVERY_COMMAND_TYPE) as CommandType[]);

export function isCommandType(x: string): x is CommandType {
  return Object.hasOwn(EVERY_COMMAND_TYPE, x);
}

/** A change the store applies. Cascades are effects too, so the log shows them. */
export type Effect =
  | { readonly kind: 'put_clinical_grant'; readonly client: ClientId; readonly member: MemberId; readonly expiresAt: number | null }
  | { readonly kind: 'delete_clinical_grant'; readonly client: ClientId; readonly member: MemberId }
  | { readonly kind: 'revoke_administrative'; readonly client: ClientId; readonly member: MemberId }
  | { readonly kind: 'restore_administrative'; readonly client: ClientId; readonly member: MemberId }
  | { readonly kind: 'clear_administrative_revocations'; readonly client: ClientId; readonly members: readonly MemberId[] }
  | { readonly kind: 'set_primary'; readonly client: ClientId; readonly member: MemberId; readonly previous: MemberId }
  | { readonly kind: 'set_restricted'; readonly client: ClientId; readonly restricted: boolean }
  | { readonly kind: 'set_shared_with_all'; readonly client: ClientId; readonly on: boolean }
  | { readonly kind: 'set_roles'; readonly member: MemberId; readonly roles: readonly Role[]; readonly previous: readonly Role[] }
  | { readonly kind: 'delete_member_grants'; readonly member: MemberId }
  | { readonly kind: 'add_supervision'; readonly supervisor: MemberId; readonly supervisee: MemberId }
  | { readonly kind: 'end_supervision'; readonly supervisor: MemberId; readonly supervisee: MemberId }
  | { readonly kind: 'add_member'; readonly member: MemberId; readonly name: string; readonly email: string | null; readonly roles: readonly Role[] }
  | {
      readonly kind: 'set_member_details';
      readonly member: MemberId;
      readonly name?: string;
      readonly email?: string | null;
    }
  /** Deactivation also ends the member's sessions (the store applies it so). */
  | { readonly kind: 'set_member_active'; readonly member: MemberId; readonly active: boolean }
  | { readonly kind: 'notify'; readonly member: MemberId; readonly event: NotificationEvent; readonly client: ClientId | null; readonly email: boolean }
  | {
      readonly kind: 'create_client';
      readonly client: ClientId;
      readonly name: string;
      readonly primary: MemberId;
      readonly person: string | null;
    }
  | {
      readonly kind: 'create_note';
      readonly note: string;
      readonly client: ClientId;
      readonly author: MemberId;
      readonly noteKind: NoteKind;
      readonly signed: boolean;
      readonly body: string;
    }
  | { readonly kind: 'sign_note'; readonly note: string }
  | { readonly kind: 'cosign_note'; readonly note: string; readonly by: MemberId }
  | { readonly kind: 'delete_note'; readonly note: string }
  | {
      readonly kind: 'create_appointment';
      readonly appointment: string;
      readonly client: ClientId;
      readonly clinician: MemberId;
      readonly fee: number;
      readonly startsAt: number;
      readonly billAs?: MemberId;
    }
  /** A submitted claim: `rendering` is the appointment's clinician, or whom it bills as (claims.ts). */
  | { readonly kind: 'create_claim'; readonly claim: string; readonly appointment: string; readonly client: ClientId; readonly rendering: MemberId; readonly amount: number }
  | { readonly kind: 'create_insurance_payment'; readonly payment: string; readonly covers: readonly ClientId[]; readonly amount: number }
  | { readonly kind: 'create_message'; readonly message: string; readonly client: ClientId; readonly author: MemberId; readonly body: string }
  | {
      readonly kind: 'create_task';
      readonly task: string;
      readonly client: ClientId;
      readonly assignee: MemberId;
      readonly creator: MemberId;
      readonly title: string;
    }
  /** An intake form's answers, kept as a document of the client's chart (`form`: whose link; null for the practice form). */
  | { readonly kind: 'keep_intake_answers'; readonly client: ClientId; readonly form: MemberId | null; readonly answers: IntakeAnswers }
  /** The settings that changed, each before and after (settings.ts). */
  | { readonly kind: 'set_settings'; readonly before: SettingsChange; readonly after: SettingsChange };

/**
 * In-app notifications (and their emails, which name no client).
 * 001: restricted access turned on; READING.md: a change that widens a member's access to
 * client data (roles, supervision) tells the account owner; so does a change of the
 * practice's settings by anyone else (settings.ts); 003: a new client sent a practitioner's
 * intake form (intake.ts).
 */
export const NOTIFICATION_EVENTS = ['restricted_access_on', 'access_widened', 'settings_changed', 'intake_submitted'] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** A command's outcome: the effects to apply (and what the log says of them), or a refusal that writes nothing. */
export type CommandResult = Result<{
      readonly effects: readonly Effect[];
      /** The client the change is about (for the activity log and its visibility). */
      readonly client: ClientId | null;
      /** Every client the change concerns: its log entry is visible only to who may view them all. */
      readonly clients: readonly ClientId[];
      readonly summary: string;
      readonly reasons: readonly Reason[];
      /** Restricted clients the change opens to members who could not access them (the owner's change only; safeguards.ts). */
      readonly opened?: readonly { readonly member: MemberId; readonly client: ClientId }[];
    }>;

/** The facts a command reads, loaded by the store for that command alone. */
export interface CommandFacts {
  readonly clients: ReadonlyMap<ClientId, ClientFacts>;
  readonly notes: ReadonlyMap<string, NoteFacts>;
  /** How many clients each member is primary clinician of (for role changes and deactivation). */
  readonly primaryCounts: ReadonlyMap<MemberId, number>;
  /** Ids already taken (for create commands; for add_member, every member id, deactivated ones included). */
  readonly existingIds: ReadonlySet<string>;
  /** Every restricted client of the practice, for team changes that could open one (safeguards.ts). */
  readonly restricted?: ReadonlyMap<ClientId, ClientFacts>;
  /** The practice's settings, for a change of them (settings.ts). */
  readonly settings?: SettingsFacts;
  /** The appointments a command names (a claim's), as claims read them (claims.ts). */
  readonly appointments?: ReadonlyMap<string, ClaimableAppointment>;
}

export interface CommandInput {
  readonly ctx: Context;
  readonly actor: MemberId;
  readonly facts: CommandFacts;
}

/** A lookup's answer is either what it found or the command's refusal: this tells them apart. */
export function isResult(x: object): x is CommandResult {
  return 'ok' in x;
}

export function succeeded(
  client: ClientId | null,
  summary: string,
  effects: readonly Effect[],
  reasons: readonly Reason[] = [],
  clients: readonly ClientId[] = client === null ? [] : [client],
): CommandResult {
  return ok({ effects, client, clients, summary, reasons });
}

export const DAY_MS = 24 * 60 * 60 * 1000;
