/**
 * The Privacy tab's access panel: for each team member, the clinical and administrative
 * checkboxes - checked, whether the viewer can change them, and if not, why.
 *
 * A checkbox is enabled exactly when the command it would send (grant when unchecked,
 * revoke when checked) is allowed for the viewer: the panel asks decide() itself, rules and
 * safeguards, so it can never disagree with them.
 */
import { administrativeAccess, clinicalAccess, explainPath, capabilities } from './client-access.js';
import { decide } from './decide.js';
import type { CommandFacts, CommandInput, CommandResult } from './command.js';
import type { Decision, Reason, RefusalCode } from './decision.js';
import { canOnClient } from './permissions.js';
import type { ClientFacts, Context, MemberId } from './practice.js';
import type { Role } from './roles.js';

export interface Checkbox {
  readonly checked: boolean;
  readonly enabled: boolean;
  /** Why it cannot be changed (absent when enabled). */
  readonly reason?: RefusalCode;
  /** Why it is checked or not, and why it can or cannot change. */
  readonly reasons: readonly Reason[];
  /** A time-limited clinical grant's end (epoch ms). */
  readonly expiresAt?: number | null;
}

export interface PanelRow {
  readonly member: MemberId;
  readonly roles: readonly Role[];
  readonly clinical: Checkbox;
  readonly administrative: Checkbox;
}

function singleClient(client: ClientFacts): CommandFacts {
  return { clients: new Map([[client.id, client]]), notes: new Map(), primaryCounts: new Map(), existingIds: new Set() };
}

function box(checked: boolean, why: Reason, result: CommandResult, expiresAt?: number | null): Checkbox {
  const extra = expiresAt === undefined ? {} : { expiresAt };
  if (result.ok) return { checked, enabled: true, reasons: [why], ...extra };
  return { checked, enabled: false, reason: result.code, reasons: [why, ...result.reasons], ...extra };
}

/** What `viewer` sees for `member` on the client's access panel. */
export function panelRow(ctx: Context, viewer: MemberId, client: ClientFacts, member: MemberId): PanelRow {
  const input: CommandInput = { ctx, actor: viewer, facts: singleClient(client) };
  const clinical = clinicalAccess(ctx, member, client);
  const admin = administrativeAccess(ctx, member, client);
  const target = { client: client.id, member };
  const clinicalWhy = clinical ? explainPath('clinical', clinical) : { code: 'none', text: 'No clinical access.' };
  const adminWhy = admin ? explainPath('administrative', admin) : { code: 'none', text: 'No administrative access.' };
  return {
    member,
    roles: ctx.team.members.get(member)?.roles ?? [],
    clinical: box(
      clinical !== null,
      clinicalWhy,
      decide(input, { type: clinical ? 'revoke_clinical' : 'grant_clinical', ...target }),
      clinical?.kind === 'clinical_grant' ? clinical.expiresAt : undefined,
    ),
    administrative: box(admin !== null, adminWhy, decide(input, { type: admin ? 'revoke_administrative' : 'grant_administrative', ...target })),
  };
}

export interface PrimaryOption {
  readonly member: MemberId;
  readonly selected: boolean;
  readonly enabled: boolean;
  readonly reason?: RefusalCode;
}

export interface PrivacyTab {
  readonly client: { id: string; primary: MemberId; restricted: boolean; sharedWithAll: boolean };
  readonly manageClinical: Decision;
  readonly manageAdministrative: Decision;
  readonly restrict: Decision;
  readonly primaryOptions: readonly PrimaryOption[];
  readonly rows: readonly PanelRow[];
  /** Sharing with all clinicians (003) turned the other way: whether the viewer may, and who would gain clinical access by it. */
  readonly sharing: { readonly decision: Decision; readonly gains: readonly MemberId[] };
}

/** The members who would gain clinical access if the client were shared with all clinicians (none when it already is). */
export function sharingGains(ctx: Context, client: ClientFacts): MemberId[] {
  if (client.sharedWithAll) return [];
  const shared: ClientFacts = { ...client, sharedWithAll: true };
  return [...ctx.team.members.keys()].sort().filter((m) => clinicalAccess(ctx, m, client) === null && clinicalAccess(ctx, m, shared) !== null);
}

/** The whole Privacy tab for one client, as `viewer` sees it. */
export function privacyTab(ctx: Context, viewer: MemberId, client: ClientFacts): PrivacyTab {
  const input: CommandInput = { ctx, actor: viewer, facts: singleClient(client) };
  const members = [...ctx.team.members.keys()].sort();
  const primaryOptions: PrimaryOption[] = [];
  for (const m of members) {
    if (capabilities(ctx.team, m).clinicianRole === null) continue;
    const r = decide(input, { type: 'set_primary_clinician', client: client.id, member: m });
    primaryOptions.push(
      r.ok ? { member: m, selected: m === client.primary, enabled: true } : { member: m, selected: m === client.primary, enabled: false, reason: r.code },
    );
  }
  return {
    client: { id: client.id, primary: client.primary, restricted: client.restricted, sharedWithAll: client.sharedWithAll },
    manageClinical: canOnClient(ctx, viewer, 'client.manage_clinical_access', client),
    manageAdministrative: canOnClient(ctx, viewer, 'client.manage_administrative_access', client),
    restrict: canOnClient(ctx, viewer, 'client.restrict', client),
    primaryOptions,
    rows: members.map((m) => panelRow(ctx, viewer, client, m)),
    sharing: { decision: asDecision(decide(input, { type: 'share_with_all', client: client.id, on: !client.sharedWithAll })), gains: sharingGains(ctx, client) },
  };
}

function asDecision(r: CommandResult): Decision {
  return r.ok ? { allowed: true, reasons: r.reasons } : { allowed: false, code: r.code, reasons: r.reasons };
}
