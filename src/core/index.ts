/**
 * ChartGuard's policy core: the access rules of a behavioral-health group practice as
 * pure functions over plain data. No I/O, no framework, no dependencies.
 *
 * @example
 * import { makeTeam, makeClient, canOnClient } from 'chartguard/core';
 * const team = makeTeam({ members: [
 *   { id: 'olivia', roles: ['account_owner'] },
 *   { id: 'bill', roles: ['practice_biller'] },
 * ] });
 * const client = makeClient({ id: 'c1', primary: 'olivia', restricted: true, administrativeRevoked: ['bill'] });
 * canOnClient({ team, now: Date.now() }, 'bill', 'client.view_profile', client);
 * // => { allowed: false, code: 'forbidden', reasons: [...] }
 */
export * from './roles.js';
export * from './decision.js';
export * from './practice.js';
export * from './client-access.js';
export * from './permissions.js';
export * from './command.js';
export * from './decide.js';
export * from './panel.js';
export * from './visibility.js';
export { REPORTS, REPORT_PAGE, isReportName, buildReport, mayRunReport, reportPage, reportTotals, compareClientIds, allocatePayment, roundCents, type Report, type ReportPageRequest, type ReportRow, type ReportName } from './reports.js';
export { CLAIM_STATUSES, billAsRefusal, renderingClinician, submitClaim, type ClaimStatus } from './claims.js';
export { grantClinical, revokeClinical, setPrimaryClinician, shareWithAll } from './clinical-access.js';
export { grantAdministrative, revokeAdministrative } from './administrative-access.js';
export { restrict, unrestrict } from './restricted-access.js';
export { assignRoles, setSupervisor, endSupervision, canResetPassword, canLiftThrottle } from './team.js';
export { changeSettings, isTimeZone, settingsProblems, IDLE_LOGOFF_MINUTES, PRACTICE_NAME_MAX } from './settings.js';
export { canViewMemberAccess, canViewOthersAccess } from './team-visibility.js';
export * from './areas.js';
export { submitIntake, takesIntake, canManageIntakeLink, NO_SUCH_PRACTITIONER, type PublicCommandInput, type SubmitIntake } from './intake.js';
export { HIDDEN_RECORDS, NOT_FOUND_TEXT, notFound, redactRefusal, redactLogEntry, type HiddenRecord, type Refused } from './redaction.js';
export { ok, refusal, refusalOf, type Failure, type Refusal, type Result } from './result.js';
