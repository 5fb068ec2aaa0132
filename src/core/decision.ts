/**
 * Decisions are values: allowed with the reasons it is allowed, or refused with a
 * stable code and the reasons it is refused. The HTTP API, the CLI and the web app
 * all map from these codes; none of them re-derive a rule.
 */
import { oneOf } from './vocabulary.js';

/** Refusal codes of FORMAT.md, plus the few this product adds (marked). */
export const REFUSAL_CODES = [
  'forbidden',
  'invalid_roles',
  'account_owner',
  'primary_clinician',
  'not_restricted',
  'only_account_owner',
  'not_applicable',
  'administrative_access_required',
  'revoke_administrative_first',
  'revoke_clinical_first',
  'supervision',
  'acknowledgement_required',
  'not_found',
  /** A member may not widen their own access to a client (READING.md "Safeguards"). */
  'own_access',
  /** product: a clinician's access that comes from "shared with all" is turned off there, not per member. */
  'shared_with_all',
  /** product: a new client needs a primary clinician and the creator is not one. */
  'primary_required',
  /** product: the record is not in a state that allows this (e.g. co-signing an unsigned note). */
  'invalid_state',
  /** product: malformed input (HTTP boundary). */
  'invalid_input',
  /** product: a practice setting's value is not valid (an unknown time zone, minutes out of range). */
  'invalid_setting',
  /** product: sign-in required (HTTP boundary). */
  'unauthenticated',
  /** FORMAT (second part): Bill as Supervisor names someone who does not supervise the clinician or holds no clinician role. */
  'not_supervisor',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Why something is allowed or refused: a stable code and a sentence a person can read. */
export interface Reason {
  readonly code: string;
  readonly text: string;
}

export type Decision =
  | { readonly allowed: true; readonly reasons: readonly Reason[] }
  | { readonly allowed: false; readonly code: RefusalCode; readonly reasons: readonly Reason[] };

export function allow(...reasons: Reason[]): Decision {
  return { allowed: true, reasons };
}

export function refuse(code: RefusalCode, text?: string): Decision {
  return { allowed: false, code, reasons: [{ code, text: text ?? REFUSAL_TEXT[code] }] };
}

/** The default sentence for each refusal code, used where no more specific one is given. */
export const REFUSAL_TEXT: Record<RefusalCode, string> = {
  forbidden: 'You do not have permission to do this for this client.',
  invalid_roles: 'That combination of roles is not allowed.',
  account_owner: "The account owner's access can never be revoked.",
  primary_clinician: "The primary clinician's access can never be revoked; assign another primary clinician first.",
  not_restricted: 'Administrative access is managed per client only while restricted access is on.',
  only_account_owner: 'Only the account owner may do this: it concerns access to restricted clients.',
  not_applicable: "That type of access does not apply to this team member's roles.",
  administrative_access_required: 'Administrative access must be granted first.',
  revoke_administrative_first: 'Clinical access that comes with the role is revoked by revoking administrative access first.',
  revoke_clinical_first: 'The manually granted clinical access must be revoked first.',
  supervision: "This access comes from supervising the client's primary clinician.",
  acknowledgement_required: 'Turning off restricted access needs the acknowledgement.',
  not_found: 'No such record.',
  own_access: 'Nobody widens their own access: another team member who manages access, or the account owner, makes this change.',
  shared_with_all: 'This access comes from sharing the client with all clinicians; turn sharing off first.',
  primary_required: 'A client needs a primary clinician: name one.',
  invalid_state: 'The record is not in a state that allows this.',
  invalid_input: 'The request is not valid.',
  invalid_setting: 'That value is not valid for this setting.',
  unauthenticated: 'Sign in first.',
  not_supervisor: "Billing as a supervisor needs a supervisor of the appointment's clinician who also holds a clinician role.",
};

export const isRefusalCode = oneOf(REFUSAL_CODES);
