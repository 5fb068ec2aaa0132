/**
 * Single checks: may this member do this, on this client, note, payment or practice?
 * Each answer is a Decision with its reasons. Lists, reports and the HTTP API ask
 * these same functions (see visibility.ts); nothing else decides access.
 */
import { allow, refuse, type Decision, type Reason } from './decision.js';
import { administrativeAccess, capabilities, clinicalAccess, explainPath, memberAccess, type AccessPath } from './client-access.js';
import { memberProfile } from './member-profile.js';
import type { ClientFacts, Context, MemberId, NoteFacts, Team } from './practice.js';
import { supervises } from './practice.js';
import { oneOf } from './vocabulary.js';

export const CLIENT_PERMISSIONS = [
  'client.view_contact',
  'client.view_profile',
  'client.view_chart',
  'client.edit_profile',
  'client.delete',
  'client.manage_clinical_access',
  'client.manage_administrative_access',
  'client.restrict',
  'client.schedule',
  'client.view_billing',
  'client.charge',
  'client.submit_claim',
  'client.message',
  'client.write_clinical_note',
  'client.write_administrative_note',
] as const;
export const NOTE_PERMISSIONS = ['note.view', 'note.sign', 'note.cosign', 'note.delete'] as const;
export const PAYMENT_PERMISSIONS = ['payment.manage'] as const;
export const PRACTICE_PERMISSIONS = ['team.manage', 'settings.manage', 'reports.billing', 'activity_log.view'] as const;

export type ClientPermission = (typeof CLIENT_PERMISSIONS)[number];
export type NotePermission = (typeof NOTE_PERMISSIONS)[number];
export type PaymentPermission = (typeof PAYMENT_PERMISSIONS)[number];
export type PracticePermission = (typeof PRACTICE_PERMISSIONS)[number];
export type Permission = ClientPermission | NotePermission | PaymentPermission | PracticePermission;

export const PERMISSIONS: readonly Permission[] = [
  ...CLIENT_PERMISSIONS,
  ...NOTE_PERMISSIONS,
  ...PAYMENT_PERMISSIONS,
  ...PRACTICE_PERMISSIONS,
];

export const isPermission = oneOf(PERMISSIONS);

export function permissionTarget(p: Permission): 'client' | 'note' | 'payment' | 'practice' {
  return p.startsWith('client.') ? 'client' : p.startsWith('note.') ? 'note' : p.startsWith('payment.') ? 'payment' : 'practice';
}

/** A permission with what it is about, so a switch on `target` narrows `permission` (no casts). */
export type TargetedPermission =
  | { readonly target: 'client'; readonly permission: ClientPermission }
  | { readonly target: 'note'; readonly permission: NotePermission }
  | { readonly target: 'payment'; readonly permission: PaymentPermission }
  | { readonly target: 'practice'; readonly permission: PracticePermission };

const has = <T extends string>(list: readonly T[], p: string): p is T => (list as readonly string[]).includes(p);

export function targeted(p: Permission): TargetedPermission {
  if (has(CLIENT_PERMISSIONS, p)) return { target: 'client', permission: p };
  if (has(NOTE_PERMISSIONS, p)) return { target: 'note', permission: p };
  if (has(PAYMENT_PERMISSIONS, p)) return { target: 'payment', permission: p };
  return { target: 'practice', permission: p };
}

export const isClientPermission = (p: Permission): p is ClientPermission => p.startsWith('client.');
export const isNotePermission = (p: Permission): p is NotePermission => p.startsWith('note.');
export const isPaymentPermission = (p: Permission): p is PaymentPermission => p.startsWith('payment.');

const NO_ACCESS = 'Has neither clinical nor administrative access to this client.';

/**
 * An allowed decision explained by an access path and, optionally, one reason of the role.
 * Decisions are immutable values, so the common ones (a path shared by every check, such as
 * the owner's, a primary clinician's or a member's role) are built once and reused.
 */
function withAccess(kind: 'clinical' | 'administrative', path: AccessPath, more?: Reason): Decision {
  if (path.kind === 'clinical_grant' || path.kind === 'supervision') {
    return more ? allow(explainPath(kind, path), more) : allow(explainPath(kind, path));
  }
  let built = decisionCache.get(path);
  if (!built) decisionCache.set(path, (built = { withRole: new Map() }));
  if (!more) {
    if (kind === 'clinical') return (built.clinical ??= Object.freeze(allow(explainPath(kind, path))));
    return (built.administrative ??= Object.freeze(allow(explainPath(kind, path))));
  }
  const key = `${kind}|${more.text}`;
  let d = built.withRole.get(key);
  if (!d) built.withRole.set(key, (d = Object.freeze(allow(explainPath(kind, path), more))));
  return d;
}

interface PathDecisions {
  clinical?: Decision;
  administrative?: Decision;
  /** `${kind}|${role reason}` -> the decision with the role's reason. */
  readonly withRole: Map<string, Decision>;
}

const decisionCache = new WeakMap<AccessPath, PathDecisions>();

/** Refusals every check may give, built once like the allowed decisions. */
const NOT_A_MEMBER = Object.freeze(refuse('not_found', 'No such team member.'));
/** FORMAT: a deactivated member can do and see nothing. */
const DEACTIVATED = Object.freeze(refuse('forbidden', "This member's account is deactivated."));
const notAMember = (team: Team, member: MemberId) => (team.inactive.has(member) ? DEACTIVATED : NOT_A_MEMBER);
const NO_ACCESS_REFUSAL = Object.freeze(refuse('forbidden', NO_ACCESS));
const CHART_NEEDS_CLINICAL = Object.freeze(refuse('forbidden', 'Administrative access does not include the clinical record.'));

const roleReasons = new Map<string, Reason>();
function roleReason(text: string): Reason {
  let r = roleReasons.get(text);
  if (!r) roleReasons.set(text, (r = Object.freeze({ code: 'role', text })));
  return r;
}

/** Client-level permissions (FORMAT "Checks"). */
export function canOnClient(ctx: Context, member: MemberId, permission: ClientPermission, client: ClientFacts): Decision {
  const team = ctx.team;
  const profile = memberProfile(team, member);
  if (!profile) return notAMember(ctx.team, member);
  const caps = profile.caps;
  const { administrative: admin, clinical } = memberAccess(ctx, profile, client);
  const any = clinical ?? admin;
  const anyKind = clinical ? 'clinical' : 'administrative';

  switch (permission) {
    case 'client.view_contact': {
      if (any) return withAccess(anyKind, any);
      // 004: "Clinicians will be able to see contact information for all clients";
      // a restricted client stays hidden from those without access (001, our reading).
      if (team.settings.clientDirectory === 'all_staff' && !client.restricted) {
        return allow({ code: 'client_directory', text: 'The practice shares the client directory with all staff.' });
      }
      // The refusal does not say whether the client is restricted: that too is the client's data.
      return NO_ACCESS_REFUSAL;
    }
    case 'client.view_profile':
      return any ? withAccess(anyKind, any) : NO_ACCESS_REFUSAL;
    case 'client.view_chart':
      if (clinical) return withAccess('clinical', clinical);
      return admin ? CHART_NEEDS_CLINICAL : NO_ACCESS_REFUSAL;
    case 'client.write_clinical_note':
      if (clinical && (caps.clinicianRole !== null || caps.owner)) return withAccess('clinical', clinical);
      return refuse('forbidden', clinical ? 'Only clinicians write clinical notes.' : admin ? 'Clinical notes need clinical access: schedulers and billers do not write clinical notes.' : NO_ACCESS);
    case 'client.manage_clinical_access':
      // 000: owner, primary clinician, clinicians granted access, practice managers and schedulers;
      // 002: "Once a member can see a client's chart, they can also manage access for that client."
      if (clinical) return withAccess('clinical', clinical);
      if (admin && caps.managesClinicalAccessByRole) return withAccess('administrative', admin, roleReason('Practice managers and schedulers manage clinical access.'));
      return refuse('forbidden', any ? 'Only the account owner, the primary clinician, clinicians with access, practice managers and practice schedulers manage clinical access.' : NO_ACCESS);
    case 'client.manage_administrative_access':
      if (!any) return NO_ACCESS_REFUSAL;
      if (!client.restricted) return refuse('not_restricted');
      if (member !== team.ownerId) return refuse('only_account_owner');
      return allow(explainPath('administrative', { kind: 'account_owner' }));
    case 'client.restrict':
      // 001: owner, primary clinician, clinicians with entire practice access, managers, schedulers.
      if (!any) return NO_ACCESS_REFUSAL;
      if (member === team.ownerId || client.primary === member) return withAccess(anyKind, any);
      if (admin && caps.restrictsByRole) return withAccess('administrative', admin);
      return refuse('forbidden', 'Only the account owner, the primary clinician, clinicians with entire practice access, practice managers and practice schedulers turn restricted access on or off.');
    case 'client.schedule':
      if (clinical && (caps.clinicianRole !== null || caps.owner)) return withAccess('clinical', clinical);
      if (admin && caps.schedulesAll) return withAccess('administrative', admin, roleReason('The role schedules for all clinicians.'));
      return refuse('forbidden', any ? "Scheduling is not part of this member's role for this client." : NO_ACCESS);
    case 'client.view_billing':
    case 'client.charge':
      if (admin && caps.billingForAll) return withAccess('administrative', admin, roleReason('The role includes billing.'));
      if (caps.billingForOwn && client.primary === member) return allow(explainPath('clinical', { kind: 'primary_clinician' }), roleReason('Biller for assigned clients only.'));
      // 002: supervisors "cannot view billing information"; 004: basic clinicians have no billing.
      return refuse('forbidden', any ? "Billing for this client is not part of this member's role." : NO_ACCESS);
    case 'client.submit_claim':
      if (admin && caps.submitsClaims) return withAccess('administrative', admin, roleReason('The role submits insurance claims.'));
      return refuse('forbidden', any ? 'Submitting claims is not part of this member\'s role: billers for their own clients only do not submit claims.' : NO_ACCESS);
    case 'client.edit_profile':
      if (clinical) return withAccess('clinical', clinical);
      if (admin && caps.managesClientRecords) return withAccess('administrative', admin, roleReason('The role adds, edits and removes clients.'));
      return refuse('forbidden', any ? "Editing this client's profile is not part of this member's role." : NO_ACCESS);
    case 'client.delete':
      if (member === team.ownerId) return allow(explainPath('administrative', { kind: 'account_owner' }));
      if (admin && caps.managesClientRecords && !caps.clinicianRole) return withAccess('administrative', admin, roleReason('The role adds, edits and removes clients.'));
      return refuse('forbidden', any ? 'Only the account owner, practice managers and practice schedulers remove clients.' : NO_ACCESS);
    case 'client.message':
      if (clinical) return withAccess('clinical', clinical);
      if (admin && caps.messagesByRole) return withAccess('administrative', admin);
      return refuse('forbidden', any ? "Secure messaging with this client is not part of this member's role." : NO_ACCESS);
    case 'client.write_administrative_note':
      if (clinical && (caps.clinicianRole !== null || caps.owner)) return withAccess('clinical', clinical);
      if (admin && caps.writesAdministrativeNotes) return withAccess('administrative', admin, roleReason('The role writes missed appointment, contact and miscellaneous notes.'));
      return refuse('forbidden', any ? "Administrative notes are not part of this member's role." : NO_ACCESS);
  }
}

/** Note-level permissions. Deleted notes are gone for everyone (their history stays in the log). */
export function canOnNote(ctx: Context, member: MemberId, permission: NotePermission, note: NoteFacts, client: ClientFacts): Decision {
  const team = ctx.team;
  if (!team.members.has(member)) return notAMember(team, member);
  if (note.deleted) return refuse('not_found', 'The note was deleted.');
  const caps = capabilities(team, member);
  const view = canViewNote(ctx, member, note, client);
  switch (permission) {
    case 'note.view':
      return view;
    case 'note.sign': {
      if (note.author !== member) return refuse('forbidden', 'Only the author signs a note.');
      const write = canOnClient(ctx, member, note.kind === 'clinical' ? 'client.write_clinical_note' : 'client.write_administrative_note', client);
      if (!write.allowed) return write;
      if (note.signed) return refuse('invalid_state', 'The note is already signed.');
      return allow({ code: 'author', text: 'The author signs their own note.' });
    }
    case 'note.cosign': {
      // 002/004: supervisors review, approve and co-sign notes of the clinicians they supervise.
      if (!(caps.supervisor && supervises(team, member, note.author))) {
        return refuse('forbidden', "Only a supervisor of the note's author co-signs it.");
      }
      if (!view.allowed) return view;
      if (note.kind !== 'clinical') return refuse('invalid_state', 'Only clinical notes are co-signed.');
      if (!note.signed) return refuse('invalid_state', 'The author signs the note before it is co-signed.');
      if (note.cosigned) return refuse('invalid_state', 'The note is already co-signed.');
      return allow({ code: 'supervision', text: "Supervises the note's author." });
    }
    case 'note.delete': {
      if (!view.allowed) return view;
      // 004: "Clinical Administrators are the only users able to delete a signed note."
      if (caps.clinicalAdministrator && clinicalAccess(ctx, member, client)) {
        return allow({ code: 'role:clinical_administrator', text: 'Clinical administrators delete notes, signed ones included.' });
      }
      if (note.signed) return refuse('forbidden', 'Only a clinical administrator deletes a signed note.');
      if (note.author === member || member === team.ownerId) {
        return allow({ code: 'unsigned', text: 'An unsigned note is deleted by its author or the account owner.' });
      }
      return refuse('forbidden', 'An unsigned note is deleted by its author, the account owner or a clinical administrator.');
    }
  }
}

function canViewNote(ctx: Context, member: MemberId, note: NoteFacts, client: ClientFacts): Decision {
  const team = ctx.team;
  if (note.kind === 'clinical') {
    const clinical = clinicalAccess(ctx, member, client);
    if (clinical) return withAccess('clinical', clinical);
    // 002: supervisors review supervisee documentation without full chart access; a
    // restricted client's notes still need an access path to the client (001).
    const caps = capabilities(team, member);
    if (caps.supervisor && supervises(team, member, note.author)) {
      if (!client.restricted || administrativeAccess(ctx, member, client)) {
        return allow({ code: 'supervision', text: "Supervises the note's author (documentation review)." });
      }
      return refuse('forbidden', 'The client is restricted and this supervisor has no access to it.');
    }
    return refuse('forbidden', administrativeAccess(ctx, member, client) ? 'Clinical notes need clinical access.' : NO_ACCESS);
  }
  const any = clinicalAccess(ctx, member, client) ?? administrativeAccess(ctx, member, client);
  if (any) return withAccess('administrative', any);
  return NO_ACCESS_REFUSAL;
}

/**
 * 001: "the biller won't be able to manage that insurance payment, even if that insurance
 * payment covers other clients' appointments": every covered client must allow charging.
 */
export function canManagePayment(ctx: Context, member: MemberId, covered: readonly ClientFacts[]): Decision {
  const reasons: Reason[] = [];
  for (const client of covered) {
    const d = canOnClient(ctx, member, 'client.charge', client);
    if (!d.allowed) {
      return refuse('forbidden', `The payment covers a client whose billing this member may not manage. ${d.reasons[0]?.text ?? ''}`.trim());
    }
    reasons.push(...d.reasons.slice(0, 1));
  }
  return allow(...dedupe(reasons));
}

/** Practice-level permissions. */
export function canInPractice(ctx: Context, member: MemberId, permission: PracticePermission): Decision {
  const team = ctx.team;
  if (!team.members.has(member)) return notAMember(team, member);
  const caps = capabilities(team, member);
  switch (permission) {
    case 'team.manage':
    case 'settings.manage':
      // 004: the Practice Administrator manages accounts, roles, passwords and settings.
      return caps.managesTeam
        ? allow({ code: caps.owner ? 'account_owner' : 'role:practice_administrator', text: 'Manages team members and practice settings.' })
        : refuse('forbidden', 'Only the account owner and practice administrators manage the team and settings.');
    case 'reports.billing':
      return caps.billingReports
        ? allow({ code: 'role', text: 'The role runs practice-wide billing reports.' })
        : refuse('forbidden', 'Practice-wide billing reports are not part of this member\'s role.');
    case 'activity_log.view':
      return caps.viewsActivityLog
        ? allow({ code: 'role', text: "The role reviews the practice's activity log." })
        : refuse('forbidden', "The practice's activity log is for the account owner, practice managers and practice administrators.");
  }
}

function dedupe(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  return reasons.filter((r) => (seen.has(r.text) ? false : (seen.add(r.text), true)));
}
