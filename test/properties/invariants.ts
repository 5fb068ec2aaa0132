/**
 * The invariants the property tests hold every practice to, as plain functions over the
 * core's facts. Each returns the first violation as a sentence (or null), so one failing
 * run names what broke; the test files assert that the answer is null.
 */
import {
  administrativeAccess,
  capabilities,
  clinicalAccess,
  hasLiveGrant,
  type ClientFacts,
  type Command,
  type CommandResult,
  type Context,
  type MemberId,
  type Team,
  type AppointmentFacts,
  type TaskFacts,
  type NoteFacts,
  type Area,
  seesActivity,
  seesAppointment,
  seesCharge,
  seesClient,
  seesContact,
  seesInsurancePayment,
  seesMessage,
  seesNote,
  seesNotification,
  seesTask,
} from '../../src/core/index.js';

/** Roles that carry administrative access by default (000, 001, 004), spelled out independently of src/core. */
const ADMIN_ROLES = ['practice_manager', 'practice_biller', 'practice_scheduler', 'clinician_entire_practice', 'clinician_full_client_list', 'clinical_administrator'];
const CLINICIAN_ROLES = ['clinician_basic', 'clinician_billing', 'clinician_full_client_list', 'clinician_entire_practice'];

/**
 * An oracle independent of src/core: true when the member has no owner, primary, live grant,
 * administrative role (not revoked), supervision or shared-with-all path to the client.
 * It is a sufficient condition for "no access"; the core must then show the member nothing.
 */
export function hasNoPath(team: Team, now: number, member: MemberId, c: ClientFacts): boolean {
  const roles: readonly string[] = team.members.get(member)?.roles ?? [];
  if (member === team.ownerId || roles.includes('account_owner') || c.primary === member) return false;
  const g = c.grants.get(member);
  if (g && (g.expiresAt === null || g.expiresAt > now)) return false;
  if (roles.includes('supervisor') && (team.supervisorsOf.get(c.primary)?.has(member) ?? false)) return false;
  if (roles.some((r) => ADMIN_ROLES.includes(r)) && !c.administrativeRevoked.has(member)) return false;
  if (c.sharedWithAll && roles.some((r) => CLINICIAN_ROLES.includes(r))) return false;
  return true;
}

/** Invariants of any state: the owner, the primary clinician, the cascade, expired grants. */
export function stateViolation(ctx: Context, clients: Iterable<ClientFacts>): string | null {
  const team = ctx.team;
  for (const c of clients) {
    // 003: "The admin account will always have access to all clients."
    if (!clinicalAccess(ctx, team.ownerId, c) || !administrativeAccess(ctx, team.ownerId, c)) return `the account owner lacks access to ${c.id}`;
    // 000: "each client is assigned one primary clinician, who has full access to the client's profile and data."
    if (!team.members.has(c.primary)) return `${c.id}'s primary clinician ${c.primary} is not a member`;
    if (!clinicalAccess(ctx, c.primary, c) || !administrativeAccess(ctx, c.primary, c)) return `primary clinician ${c.primary} lacks access to ${c.id}`;
    if (capabilities(team, c.primary).clinicianRole === null && c.primary !== team.ownerId) return `${c.id}'s primary clinician ${c.primary} holds no clinician role`;
    for (const m of team.members.keys()) {
      const caps = capabilities(team, m);
      const admin = administrativeAccess(ctx, m, c);
      const clinical = clinicalAccess(ctx, m, c);
      // 000: "Revoking administrative access for a clinician will automatically revoke their clinical access as well."
      if (caps.clinicianRole !== null && caps.administrativeByRole && !admin && clinical) {
        return `${m} has clinical access to ${c.id} (${clinical.kind}) while their administrative access is revoked`;
      }
      // 001: administrative access is revoked per client only while restricted access is on.
      if (!c.restricted && caps.administrativeByRole && !admin) return `${m} lost administrative access to unrestricted client ${c.id}`;
      // 002: temporary coverage ends: an expired grant grants nothing.
      const g = c.grants.get(m);
      if (g && g.expiresAt !== null && g.expiresAt <= ctx.now) {
        const grants = new Map(c.grants);
        grants.delete(m);
        const without = { ...c, grants };
        if (JSON.stringify(clinicalAccess(ctx, m, without)) !== JSON.stringify(clinical) || JSON.stringify(administrativeAccess(ctx, m, without)) !== JSON.stringify(admin)) {
          return `${m}'s expired grant on ${c.id} still changes their access`;
        }
        if (hasLiveGrant(ctx, m, c)) return `${m}'s expired grant on ${c.id} counts as live`;
      }
      if (clinical?.kind === 'clinical_grant' && clinical.expiresAt !== null && clinical.expiresAt <= ctx.now) return `${m}'s clinical access to ${c.id} rests on an expired grant`;
    }
  }
  return null;
}

/**
 * Invariants of one successful command, given the state before (`pre`) and after (`post`):
 * what the command promised is what the predicate now says.
 */
export function transitionViolation(
  pre: { ctx: Context; client: (id: string) => ClientFacts | undefined },
  post: { ctx: Context; client: (id: string) => ClientFacts | undefined },
  command: Command,
  result: CommandResult,
): string | null {
  if (!result.ok) return null;
  const after = 'client' in command && typeof command.client === 'string' ? post.client(command.client) : undefined;
  const before = 'client' in command && typeof command.client === 'string' ? pre.client(command.client) : undefined;
  switch (command.type) {
    case 'revoke_administrative':
      if (!after) return 'revoked on a missing client';
      // 000: "Revoking administrative access for a clinician will automatically revoke their clinical access as well."
      if (administrativeAccess(post.ctx, command.member, after)) return `${command.member} keeps administrative access to ${after.id} after it was revoked`;
      // (Clinicians with basic or billing access hold no administrative access: for them it is a no-op.)
      if (capabilities(post.ctx.team, command.member).administrativeByRole && clinicalAccess(post.ctx, command.member, after)) {
        return `${command.member} keeps clinical access to ${after.id} after administrative access was revoked`;
      }
      return null;
    case 'revoke_clinical':
      if (!after) return 'revoked on a missing client';
      if (clinicalAccess(post.ctx, command.member, after)) return `${command.member} keeps clinical access to ${after.id} after it was revoked`;
      return null;
    case 'grant_clinical':
      if (!after) return 'granted on a missing client';
      if (!clinicalAccess(post.ctx, command.member, after)) return `${command.member} has no clinical access to ${after.id} after it was granted`;
      return null;
    case 'grant_administrative':
      if (!after) return 'granted on a missing client';
      if (!administrativeAccess(post.ctx, command.member, after)) return `${command.member} has no administrative access to ${after.id} after it was granted`;
      return null;
    case 'set_primary_clinician':
      if (!after || !before) return 'primary set on a missing client';
      if (after.primary !== command.member) return `${after.id}'s primary is ${after.primary}, not ${command.member}`;
      // 000: "If the client is restricted, only clinicians that currently have administrative access for that client can be assigned as the primary clinician."
      if (before.restricted && before.primary !== command.member && !administrativeAccess(pre.ctx, command.member, before)) {
        return `${command.member} became primary of restricted ${after.id} without administrative access`;
      }
      return null;
    case 'restrict':
      return after?.restricted === true ? null : 'restrict left the client unrestricted';
    case 'unrestrict':
      // 001: "Check the box for I acknowledge the above and have the authority to turn off these restrictions"
      if (!command.acknowledge) return 'unrestricted without the acknowledgement';
      return after?.restricted === false ? null : 'unrestrict left the client restricted';
    default:
      return null;
  }
}

/** Every row of a practice that some area lists, as the core's facts. */
export interface PracticeRows {
  readonly clients: ReadonlyMap<string, ClientFacts>;
  readonly appointments: readonly AppointmentFacts[];
  readonly payments: readonly { id: string; covers: readonly string[] }[];
  readonly messages: readonly { id: string; client: string }[];
  readonly tasks: readonly TaskFacts[];
  /** Notes not deleted. */
  readonly notes: readonly NoteFacts[];
  readonly activity: readonly { id: string; actor: string | null; clients: readonly string[] }[];
  readonly notifications: readonly { id: string; recipient: string; client: string | null }[];
}

export const LIST_AREAS = ['clients', 'directory', 'calendar', 'billing', 'insurance_payments', 'messages', 'tasks', 'notes', 'activity_log', 'notifications'] as const satisfies readonly Area[];

/** An area as the filter of the core's single checks over all rows: item ids and the clients each item is about. */
export function expectedList(ctx: Context, rows: PracticeRows, m: MemberId, area: Area): { id: string; clients: string[] }[] {
  const c = (id: string) => rows.clients.get(id)!;
  switch (area) {
    case 'clients':
      return [...rows.clients.values()].filter((x) => seesClient(ctx, m, x)).map((x) => ({ id: x.id, clients: [x.id] }));
    case 'directory':
      return [...rows.clients.values()].filter((x) => seesContact(ctx, m, x)).map((x) => ({ id: x.id, clients: [x.id] }));
    case 'calendar':
      return rows.appointments.filter((a) => seesAppointment(ctx, m, a, c(a.client))).map((a) => ({ id: a.id, clients: [a.client] }));
    case 'billing':
      return rows.appointments.filter((a) => seesCharge(ctx, m, c(a.client))).map((a) => ({ id: a.id, clients: [a.client] }));
    case 'insurance_payments':
      return rows.payments.filter((p) => seesInsurancePayment(ctx, m, p.covers.map(c))).map((p) => ({ id: p.id, clients: [...p.covers] }));
    case 'messages':
      return rows.messages.filter((x) => seesMessage(ctx, m, c(x.client))).map((x) => ({ id: x.id, clients: [x.client] }));
    case 'tasks':
      return rows.tasks.filter((t) => seesTask(ctx, m, t, c(t.client))).map((t) => ({ id: t.id, clients: [t.client] }));
    case 'notes':
      return rows.notes.filter((n) => seesNote(ctx, m, n, c(n.client))).map((n) => ({ id: n.id, clients: [n.client] }));
    case 'activity_log':
      return rows.activity.filter((e) => seesActivity(ctx, m, e, e.clients.map(c))).map((e) => ({ id: e.id, clients: [...e.clients] }));
    case 'notifications':
      return rows.notifications.filter((x) => seesNotification(ctx, m, x.recipient, x.client ? c(x.client) : null)).map((x) => ({ id: x.id, clients: x.client ? [x.client] : [] }));
  }
}

/** 001: a restricted client with no path for the member shows in none of the member's areas. */
export function restrictedLeak(ctx: Context, rows: PracticeRows, m: MemberId, area: Area, items: readonly { id: string; clients: readonly string[] }[]): string | null {
  for (const item of items) {
    for (const id of item.clients) {
      const client = rows.clients.get(id);
      if (client?.restricted && hasNoPath(ctx.team, ctx.now, m, client)) {
        // The all-staff directory leaves restricted clients out too (our reading of 001 over 004).
        return `${m}'s ${area} shows ${item.id}, about restricted client ${id} they have no path to`;
      }
    }
  }
  return null;
}
