/**
 * Every word the web app shows for a code: refusal reasons, roles, permissions, note kinds,
 * events. Refusal sentences come from the core's one table (decision.ts), so the API, the
 * CLI and the browser say the same thing for the same code.
 */
import { REFUSAL_TEXT, isRefusalCode } from '../core/decision.js';
import type { Decision } from '../core/decision.js';
import { ApiError, type EdgeCode } from './api.js';

/**
 * Codes that only exist at the browser's edge (sign-in, the network) and the server's own
 * problem codes. Keyed by the API contract's union: a code the server stops sending, or a
 * new one it sends, fails to compile here.
 */
const EDGE_TEXT: Record<EdgeCode, string> = {
  totp_required: 'Enter the six-digit code from your authenticator app.',
  invalid_totp: 'That code did not match. Try the newest code from your authenticator app.',
  invalid_credentials: 'That username and password do not match.',
  locked_out: 'Too many attempts. Wait a few minutes before trying again.',
  too_many_requests: 'Too many attempts. Wait a few minutes before trying again.',
  password_change_required: 'Your password was reset: choose a new one first.',
  second_factor_enrollment_required: 'Your practice requires two-step sign-in: set up your authenticator app first.',
  network: 'The server could not be reached. Check your connection and try again.',
  csrf_token_invalid: 'Your session needs refreshing. Reload the page and try again.',
  payload_too_large: 'That is too much to send at once: shorten it and try again.',
  internal: 'Something went wrong on the server.',
  link_unknown: 'This link is not valid: check that it was copied whole, or ask for a new one.',
  link_used: 'This link was already used. Sign in instead, or ask for a new link.',
  link_expired: 'This link has expired: ask for a new one.',
  username_taken: 'That username is taken: choose another.',
  link_disabled: 'This form is not taking submissions. Please contact the practice directly.',
  database_unavailable: 'The server cannot reach its database right now. Nothing was changed; try again in a moment.',
  insufficient_storage: 'The server is almost out of disk space, so changes are paused. Nothing was changed; tell whoever runs ChartGuard.',
  idempotency_key_reused: 'This request was already sent with different contents. Reload the page and try again.',
  idempotency_key_in_progress: 'This request is still being handled. Wait a moment, then reload the page.',
};

const isEdgeCode = (code: string): code is EdgeCode => Object.hasOwn(EDGE_TEXT, code);

/** The sentence for a refusal code. */
export function reasonText(code: string | undefined): string {
  if (!code) return '';
  if (isRefusalCode(code)) return REFUSAL_TEXT[code];
  return isEdgeCode(code) ? EDGE_TEXT[code] : 'This could not be done.';
}

/**
 * `forbidden` is the one code whose table sentence is generic ("for this client"): for it,
 * the decision's own sentence from the core (e.g. who may manage the team) says more.
 */
function specific(code: string, reasons: readonly { code: string; text: string }[]): string | null {
  // The core's own words where they say more than the code: why it is forbidden, how many
  // restricted clients a change would open (READING.md "Safeguards"), which setting is not valid.
  if (code !== 'forbidden' && code !== 'only_account_owner' && code !== 'invalid_setting') return null;
  const texts = reasons.filter((x) => x.code === code && x.text).map((x) => x.text);
  if (texts.length === 0) return null;
  // A refused settings change names each bad value.
  return code === 'invalid_setting' ? texts.join(' ') : texts[0]!;
}

/**
 * Every reason a refusal gives, in the core's words (a dialog that keeps its edits shows them
 * all, so the member sees everything to fix); otherwise as errorText says it.
 */
export function everyReason(e: unknown): string {
  if (e instanceof ApiError && isRefusalCode(e.code)) {
    const texts = [...new Set(e.reasons.map((r) => r.text).filter((t) => t && !/^[a-z_]+$/.test(t)))];
    if (texts.length > 0) return texts.join(' ');
  }
  return errorText(e);
}

/** Why a decision refuses, in words (empty when allowed). */
export function decisionText(d: Decision | undefined): string {
  if (!d || d.allowed) return '';
  return specific(d.code, d.reasons) ?? reasonText(d.code);
}

/** What went wrong with a request, for a person. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 429) return EDGE_TEXT.locked_out!;
    if (isEdgeCode(e.code) || isRefusalCode(e.code)) return specific(e.code, e.reasons) ?? reasonText(e.code);
    return e.message || 'Something went wrong.';
  }
  return e instanceof Error ? e.message : 'Something went wrong.';
}

export const ROLE_LABEL: Record<string, string> = {
  account_owner: 'Account owner',
  practice_administrator: 'Practice administrator',
  practice_manager: 'Practice manager',
  practice_biller: 'Practice biller',
  practice_scheduler: 'Practice scheduler',
  clinician_basic: 'Clinician, basic access',
  clinician_billing: 'Clinician with billing for own clients',
  clinician_full_client_list: 'Clinician, full client list',
  clinician_entire_practice: 'Clinician, entire practice',
  clinical_administrator: 'Clinical administrator',
  supervisor: 'Supervisor',
  intern: 'Intern',
};

export const ROLE_HINT: Record<string, string> = {
  account_owner: 'Always has full access to every client.',
  practice_administrator: 'Team accounts, roles, password resets and practice settings. No client data by itself.',
  practice_manager: 'Administrative access to clients; manages clinical access and restrictions.',
  practice_biller: 'Charges, claims, payments and billing reports. Never clinical notes.',
  practice_scheduler: 'All calendars, client records and administrative notes. Never clinical notes.',
  clinician_basic: 'Own clients, and clients they were given clinical access to.',
  clinician_billing: 'As basic access, plus billing for their own clients.',
  clinician_full_client_list: 'Own clients in full; other clients in a limited capacity.',
  clinician_entire_practice: 'Clinical and administrative access to every client.',
  clinical_administrator: 'Every client and note; assigns clients; deletes signed notes. Needs a clinician role.',
  supervisor: "Reviews and co-signs supervisees' notes.",
  intern: 'A pre-licensed clinician; sees clients as their clinician role. Needs basic clinician access or billing for own clients.',
};

export function rolesText(roles: readonly string[]): string {
  return roles.map((r) => labelOf(ROLE_LABEL, r)).join(', ');
}

export const PERMISSION_LABEL: Record<string, string> = {
  'client.view_contact': 'See name and contact details',
  'client.view_profile': 'See the profile',
  'client.view_chart': 'Read the clinical record',
  'client.edit_profile': 'Edit demographics and contact details',
  'client.delete': 'Remove the client',
  'client.manage_clinical_access': 'Manage clinical access',
  'client.manage_administrative_access': 'Manage administrative access',
  'client.restrict': 'Turn restricted access on or off',
  'client.schedule': 'Book appointments',
  'client.view_billing': 'See charges and payments',
  'client.charge': 'Enter a charge or payment',
  'client.submit_claim': 'Submit insurance claims',
  'client.message': 'Send secure messages',
  'client.write_clinical_note': 'Write clinical notes',
  'client.write_administrative_note': 'Write administrative notes',
  'note.view': 'Read the note',
  'note.sign': 'Sign the note',
  'note.cosign': 'Co-sign the note',
  'note.delete': 'Delete the note',
  'payment.manage': 'Manage the insurance payment',
  'team.manage': 'Manage the team',
  'settings.manage': 'Change practice settings',
  'reports.billing': 'Run billing reports',
  'activity_log.view': 'Read the activity log',
};

export const NOTE_KIND_LABEL: Record<string, string> = {
  clinical: 'Clinical note',
  missed_appointment: 'Missed appointment',
  contact: 'Contact note',
  miscellaneous: 'Miscellaneous',
};

export const EVENT_LABEL: Record<string, string> = {
  restricted_access_on: 'Restricted access was turned on',
  access_widened: "A team member's access to client data was widened (see the activity log)",
  restricted_access_off: 'Restricted access was turned off',
  settings_changed: "The practice's settings were changed (see the activity log)",
  intake_submitted: 'A new client sent your intake form',
};

export const ACTION_LABEL: Record<string, string> = {
  create_practice: 'Practice created',
  practice_setup: 'Set up the practice and the owner’s sign-in',
  invitation_accepted: 'Accepted the invitation to the team',
  sign_in: 'Signed in',
  sign_out: 'Signed out',
  grant_clinical: 'Granted clinical access',
  revoke_clinical: 'Revoked clinical access',
  grant_administrative: 'Granted administrative access',
  revoke_administrative: 'Revoked administrative access',
  set_primary_clinician: 'Changed the primary clinician',
  restrict: 'Turned restricted access on',
  unrestrict: 'Turned restricted access off',
  share_with_all: 'Changed sharing with all clinicians',
  assign_roles: 'Changed roles',
  set_supervisor: 'Added supervision',
  end_supervision: 'Ended supervision',
  add_member: 'Added a team member',
  edit_member: "Edited a team member's details",
  deactivate_member: 'Deactivated a team member',
  reactivate_member: 'Reactivated a team member',
  transfer_ownership: 'Transferred ownership of the account',
  invitation_sent: 'Sent an invitation to the team',
  create_client: 'Added a client',
  write_note: 'Wrote a note',
  sign_note: 'Signed a note',
  cosign_note: 'Co-signed a note',
  delete_note: 'Deleted a note',
  schedule_appointment: 'Booked an appointment',
  submit_claim: 'Submitted an insurance claim',
  record_insurance_payment: 'Recorded an insurance payment',
  send_message: 'Sent a secure message',
  create_task: 'Created a task',
  change_settings: 'Changed the practice settings',
  submit_intake: 'A new client sent the intake form',
  view_client: 'Opened the client',
  view_notes: 'Read the list of notes',
  view_note: 'Read a note',
  view_billing: 'Viewed billing',
  view_claims: 'Viewed claims',
  view_claim: 'Viewed a claim',
  export_claim: 'Exported a claim',
  view_messages: 'Read secure messages',
  password_reset: "Reset a team member's password",
  password_change: 'Changed their password',
  sign_in_throttle_lifted: "Lifted a team member's sign-in slowdown",
  recovery_codes_issued: 'Issued new recovery codes',
  totp_enrol: 'Turned on two-step sign-in',
  totp_disable: 'Turned off two-step sign-in',
};

/** Outcomes worth a word beside the action (the rest speak for themselves). */
export const OUTCOME_LABEL: Record<string, string> = {
  unchanged: 'no change',
  refused: 'refused',
  locked_out: 'account locked',
  throttled: 'slowed down',
  ended: 'session ended',
  expired: 'session ended',
};

/** Every outcome an activity-log entry may have, as the log's filter offers them. */
export const OUTCOME_CHOICE: Record<string, string> = {
  changed: 'Changed',
  unchanged: 'No change',
  read: 'Read',
  refused: 'Refused',
  signed_in: 'Signed in',
  signed_out: 'Signed out',
  throttled: 'Slowed down',
  ended: 'Session ended (too many wrong answers)',
  expired: 'Session ended (idle or too long)',
  locked_out: 'Account locked',
};

export const REPORT_LABEL: Record<string, string> = {
  billing_summary: 'Billing summary',
  income_allocation: 'Income allocation',
};

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
export function formatMoney(n: number): string {
  return money.format(n);
}

/**
 * Times read in the practice's time zone (from /api/me; UTC until it is known): one set of
 * formatters, rebuilt when the zone changes, so every page shows the same clock.
 */
let zone = 'UTC';
let formats = formatsIn(zone);

function formatsIn(timeZone: string) {
  const f = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { ...options, timeZone });
  return {
    dateTime: f({ dateStyle: 'medium', timeStyle: 'short' }),
    date: f({ dateStyle: 'medium' }),
    day: f({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    time: f({ hour: 'numeric', minute: '2-digit' }),
  };
}

/** Shows times in this IANA time zone from now on (an unknown zone keeps UTC). */
export function setTimeZone(timeZone: string | undefined): void {
  const next = timeZone ?? 'UTC';
  if (next === zone) return;
  try {
    formats = formatsIn(next);
    zone = next;
  } catch {
    formats = formatsIn('UTC');
    zone = 'UTC';
  }
}

/** The time zone times are shown in. */
export function timeZone(): string {
  return zone;
}

export function formatDateTime(ms: number): string {
  return formats.dateTime.format(new Date(ms));
}
export function formatDate(ms: number): string {
  return formats.date.format(new Date(ms));
}
/** "Thursday, December 3, 2026". */
export function formatDay(ms: number): string {
  return formats.day.format(new Date(ms));
}
/** "3:00 PM". */
export function formatTime(ms: number): string {
  return formats.time.format(new Date(ms));
}

/**
 * A label for a code the tables above do not name yet (a new action, say): its words,
 * never the raw code. "view_client_page" reads "View client page".
 */
export function codeWords(code: string): string {
  const words = code.replace(/[._]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : '';
}

/** The label of a code in one of the tables above, or the code in words. */
export function labelOf(table: Record<string, string>, code: string): string {
  return table[code] ?? codeWords(code);
}

/** How far the practice's clock is ahead of UTC at this instant, in ms. */
function zoneOffset(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    .formatToParts(new Date(ms))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(ms / 1000) * 1000;
}

/** An instant as a `datetime-local` field's value ("2026-12-03T15:00"), on the practice's clock. */
export function toZonedInput(ms: number): string {
  return new Date(ms + zoneOffset(ms)).toISOString().slice(0, 16);
}

/** A `datetime-local` field's value, read on the practice's clock, as an instant (undefined when empty or malformed). */
export function fromZonedInput(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const first = wall - zoneOffset(wall);
  return wall - zoneOffset(first);
}
