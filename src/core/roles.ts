/**
 * Team member roles and what each role brings, independent of any one client.
 *
 * Sources: 000 (clinician roles, administrative roles), 001, 002 (administrator,
 * practitioner, supervisor), 004 (practice administrator, clinical administrator,
 * biller for assigned patients only, intern).
 */
import { ok, refusal, type Result } from './result.js';
import { oneOf } from './vocabulary.js';

export const ROLES = [
  'account_owner',
  'practice_administrator',
  'practice_manager',
  'practice_biller',
  'practice_scheduler',
  'clinician_basic',
  'clinician_billing',
  'clinician_full_client_list',
  'clinician_entire_practice',
  'clinical_administrator',
  'supervisor',
  'intern',
] as const;

export type Role = (typeof ROLES)[number];

/** A member holds at most one of these (FORMAT "Roles"). */
export const CLINICIAN_ROLES = [
  'clinician_basic',
  'clinician_billing',
  'clinician_full_client_list',
  'clinician_entire_practice',
] as const satisfies readonly Role[];

export type ClinicianRole = (typeof CLINICIAN_ROLES)[number];

export const isRole = oneOf(ROLES);

/**
 * What a member's roles allow, before any one client is considered.
 * Every client-level rule combines these with the member's access to the client.
 */
export interface RoleCapabilities {
  readonly owner: boolean;
  readonly clinicianRole: ClinicianRole | null;
  /** 000/001: roles that "can have administrative access": by default to every client. */
  readonly administrativeByRole: boolean;
  /** 000: entire practice access; 004: clinical administrator. Clinical access to every client. */
  readonly clinicalByRole: boolean;
  readonly clinicalAdministrator: boolean;
  readonly supervisor: boolean;
  /** 004: a pre-licensed clinician; access as their clinician role (FORMAT, second part). */
  readonly intern: boolean;
  readonly practiceAdministrator: boolean;
  /** Billing for every client the member has access to (000 note: the clinician roles with administrative access include the billers' functions). */
  readonly billingForAll: boolean;
  /** 004 "Biller for assigned patients only": billing for the clients they are primary clinician of. */
  readonly billingForOwn: boolean;
  readonly submitsClaims: boolean;
  /** 004: all clinicians' schedules. */
  readonly schedulesAll: boolean;
  /** 004: add, edit and remove clients. */
  readonly managesClientRecords: boolean;
  /** 000: practice managers and schedulers manage clinical access without holding it. */
  readonly managesClinicalAccessByRole: boolean;
  /** 001: who may turn restricted access on and off (besides the primary clinician). */
  readonly restrictsByRole: boolean;
  /** 004: missed appointment, contact and miscellaneous notes. */
  readonly writesAdministrativeNotes: boolean;
  readonly messagesByRole: boolean;
  readonly billingReports: boolean;
  readonly viewsActivityLog: boolean;
  readonly managesTeam: boolean;
  readonly createsClients: boolean;
}

/** Roles that carry administrative access to every client by default (000, 001; 004 clinical administrator). */
export const ADMINISTRATIVE_ROLES: readonly Role[] = [
  'practice_manager',
  'practice_biller',
  'practice_scheduler',
  'clinician_entire_practice',
  'clinician_full_client_list',
  'clinical_administrator',
];

export function capabilitiesOf(roles: readonly Role[]): RoleCapabilities {
  const has = (r: Role) => roles.includes(r);
  const clinicianRole = (CLINICIAN_ROLES.find((r) => has(r)) ?? null) as ClinicianRole | null;
  const owner = has('account_owner');
  const adminClinician = has('clinician_entire_practice') || has('clinician_full_client_list');
  const manager = has('practice_manager');
  const scheduler = has('practice_scheduler');
  const biller = has('practice_biller');
  return {
    owner,
    clinicianRole,
    administrativeByRole: owner || ADMINISTRATIVE_ROLES.some(has),
    clinicalByRole: owner || has('clinician_entire_practice') || (has('clinical_administrator') && clinicianRole !== null),
    clinicalAdministrator: has('clinical_administrator') && clinicianRole !== null,
    supervisor: has('supervisor'),
    intern: has('intern'),
    practiceAdministrator: has('practice_administrator'),
    billingForAll: owner || biller || manager || adminClinician,
    billingForOwn: has('clinician_billing'),
    submitsClaims: owner || biller || manager || adminClinician,
    schedulesAll: owner || scheduler || manager || adminClinician,
    managesClientRecords: owner || scheduler || manager || adminClinician,
    managesClinicalAccessByRole: owner || manager || scheduler,
    restrictsByRole: owner || manager || scheduler || has('clinician_entire_practice'),
    writesAdministrativeNotes: owner || scheduler || manager || adminClinician,
    messagesByRole: owner || manager || scheduler || biller || adminClinician,
    billingReports: owner || biller || manager || adminClinician,
    viewsActivityLog: owner || manager || has('practice_administrator'),
    managesTeam: owner || has('practice_administrator'),
    createsClients: owner || scheduler || manager || clinicianRole !== null,
  };
}

/** The roles in their canonical order, or an `invalid_roles` refusal saying why. */
export type RoleCheck = Result<{ roles: Role[] }>;

/**
 * The role combinations the seeds allow (FORMAT "Roles", 004).
 * `account_owner` is not assignable: exactly one member holds it, for good.
 */
export function validateRoles(roles: readonly unknown[], isOwner: boolean): RoleCheck {
  const unknown = roles.filter((r) => !isRole(r));
  if (unknown.length > 0) return refusal('invalid_roles', `Unknown role ${JSON.stringify(unknown[0])}.`);
  const set = [...new Set(roles as Role[])];
  const clinicianRoles = set.filter((r) => (CLINICIAN_ROLES as readonly Role[]).includes(r));
  if (clinicianRoles.length > 1) {
    return refusal('invalid_roles', `A member holds at most one clinician role; ${clinicianRoles.length} were chosen.`);
  }
  if (set.includes('clinical_administrator') && clinicianRoles.length === 0) {
    return refusal('invalid_roles', 'Clinical administrators must also hold a clinician role.');
  }
  // FORMAT (second part): an intern holds `clinician_basic` or `clinician_billing` with it.
  if (set.includes('intern') && !clinicianRoles.some((r) => r === 'clinician_basic' || r === 'clinician_billing')) {
    return refusal('invalid_roles', 'Interns must also hold basic clinician access or billing for their own clients.');
  }
  if (set.includes('account_owner') !== isOwner) {
    return refusal('invalid_roles', isOwner ? 'The account owner keeps the account owner role.' : 'Only one member is the account owner; the role cannot be assigned.');
  }
  return ok({ roles: ROLES.filter((r) => set.includes(r)) });
}
