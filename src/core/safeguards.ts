/**
 * Safeguards over every command's effects (READING.md "Safeguards"): what no chain of
 * allowed steps may do, whatever rule allowed each step.
 *
 * - Only the account owner opens a restricted client by a team change: once a client is
 *   restricted, "only the Account Owner can manage administrative team member access"
 *   (000, 001). A change by anyone else that would give a member access to a restricted
 *   client they cannot access now is refused (`only_account_owner`), whichever command
 *   would do it: roles, supervision, sharing with all, a new primary clinician's supervisors.
 *   The seed's client-level ways (a clinical grant, a new primary clinician, turning
 *   restricted access off) still open it to the one member they name.
 * - Nobody widens their own access (`own_access`): after the change, the actor's access to
 *   a client they could already reach is neither wider (administrative to clinical, none to
 *   some) nor longer-lived (a grant with a later end, sharing turned into a lasting path).
 *
 * Both are judged on the practice as it would be after the effects, computed here from the
 * effects themselves, so a new command is covered the day it is written.
 */
import { clientAccess, type AccessPath } from './client-access.js';
import type { CommandInput, CommandResult, Effect } from './command.js';
import { memberProfile } from './member-profile.js';
import { makeClient, makeTeam, type ClientFacts, type ClientId, type Context, type MemberFacts, type MemberId, type Team } from './practice.js';
import { refusal } from './result.js';

/** A member who would come to access a restricted client they cannot access now. */
export interface Opening {
  readonly member: MemberId;
  readonly client: ClientId;
}

/** The team as it is after the effects (roles and supervision); the same object when none touch it. */
export function teamAfter(team: Team, effects: readonly Effect[]): Team {
  const touches = (e: Effect) => e.kind === 'set_roles' || e.kind === 'add_supervision' || e.kind === 'end_supervision' || e.kind === 'add_member' || e.kind === 'set_member_active';
  if (!effects.some(touches)) return team;
  const members = new Map<MemberId, MemberFacts>(team.members);
  for (const [id, m] of team.inactive) members.set(id, m);
  const supervision = new Set<string>();
  for (const [supervisee, supervisors] of team.supervisorsOf) for (const s of supervisors) supervision.add(JSON.stringify([s, supervisee]));
  for (const e of effects) {
    if (e.kind === 'set_roles') members.set(e.member, { ...members.get(e.member), id: e.member, roles: e.roles });
    else if (e.kind === 'add_member') members.set(e.member, { id: e.member, roles: e.roles });
    else if (e.kind === 'set_member_active') members.set(e.member, { id: e.member, roles: members.get(e.member)?.roles ?? [], active: e.active });
    else if (e.kind === 'add_supervision') supervision.add(JSON.stringify([e.supervisor, e.supervisee]));
    else if (e.kind === 'end_supervision') supervision.delete(JSON.stringify([e.supervisor, e.supervisee]));
  }
  return makeTeam({
    members: [...members.values()],
    supervision: [...supervision].map((s) => {
      const [supervisor, supervisee] = JSON.parse(s) as [MemberId, MemberId];
      return { supervisor, supervisee };
    }),
    settings: team.settings,
  });
}

/** A client as it is after the effects (primary, restriction, sharing, grants, revocations). */
export function clientAfter(client: ClientFacts, effects: readonly Effect[]): ClientFacts {
  let primary = client.primary;
  let restricted = client.restricted;
  let sharedWithAll = client.sharedWithAll;
  let grants: Map<MemberId, { expiresAt: number | null }> | null = null;
  let revoked: Set<MemberId> | null = null;
  const g = () => (grants ??= new Map(client.grants));
  const r = () => (revoked ??= new Set(client.administrativeRevoked));
  for (const e of effects) {
    switch (e.kind) {
      case 'set_primary':
        if (e.client === client.id) primary = e.member;
        break;
      case 'set_restricted':
        if (e.client === client.id) restricted = e.restricted;
        break;
      case 'set_shared_with_all':
        if (e.client === client.id) sharedWithAll = e.on;
        break;
      case 'put_clinical_grant':
        if (e.client === client.id) g().set(e.member, { expiresAt: e.expiresAt });
        break;
      case 'delete_clinical_grant':
        if (e.client === client.id) g().delete(e.member);
        break;
      case 'delete_member_grants':
        g().delete(e.member);
        break;
      case 'revoke_administrative':
        if (e.client === client.id) r().add(e.member);
        break;
      case 'restore_administrative':
        if (e.client === client.id) r().delete(e.member);
        break;
      case 'clear_administrative_revocations':
        if (e.client === client.id) revoked = new Set();
        break;
      default:
        break;
    }
  }
  return makeClient({ id: client.id, primary, restricted, sharedWithAll, person: client.person, grants: grants ?? client.grants, administrativeRevoked: revoked ?? client.administrativeRevoked });
}

/** Members whose roles or supervision differ between the two teams (or who are new). */
export function changedMembers(before: Team, after: Team): MemberId[] {
  if (before === after) return [];
  const out: MemberId[] = [];
  for (const [id, facts] of after.members) {
    const was = memberProfile(before, id);
    const now = memberProfile(after, id);
    if (!was || !now || was.caps !== now.caps || facts.roles.join() !== before.members.get(id)?.roles.join() || !sameKeys(was.supervising, now.supervising)) out.push(id);
  }
  return out;
}

function sameKeys(a: ReadonlyMap<string, unknown>, b: ReadonlyMap<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const k of a.keys()) if (!b.has(k)) return false;
  return true;
}

/**
 * Who would come to access which restricted client: among the restricted clients given,
 * every member on a client the effects change, and every member whose roles or supervision
 * change on every restricted client. Judged at the same moment, before and after.
 */
export function openedRestricted(
  before: Context,
  after: Context,
  restricted: Iterable<ClientFacts>,
  effects: readonly Effect[],
): Opening[] {
  const teamMembers = changedMembers(before.team, after.team);
  const allMembers = [...after.team.members.keys()];
  const out: Opening[] = [];
  for (const client of restricted) {
    if (!client.restricted) continue;
    const changed = clientAfter(client, effects);
    const members = changed === client || sameAccessFacts(client, changed) ? teamMembers : allMembers;
    for (const m of members) {
      if (!before.team.members.has(m) || !hasAny(before, m, client)) {
        if (hasAny(after, m, changed)) out.push({ member: m, client: client.id });
      }
    }
  }
  return out;
}

function sameAccessFacts(a: ClientFacts, b: ClientFacts): boolean {
  return (
    a.primary === b.primary &&
    a.sharedWithAll === b.sharedWithAll &&
    a.grants.size === b.grants.size &&
    [...a.grants].every(([m, g]) => b.grants.get(m)?.expiresAt === g.expiresAt) &&
    a.administrativeRevoked.size === b.administrativeRevoked.size &&
    [...a.administrativeRevoked].every((m) => b.administrativeRevoked.has(m))
  );
}

function hasAny(ctx: Context, member: MemberId, client: ClientFacts): boolean {
  const a = clientAccess(ctx, member, client);
  return a.administrative !== null || a.clinical !== null;
}

/**
 * How far and how long a member reaches a client: clinical access and any access, now and
 * once every time-limited grant has run out ("later"), and until when what they hold now
 * lasts. Sharing with all lasts only while someone leaves it on, so later it ranks below a
 * path of the member's own.
 */
export interface Reach {
  readonly clinicalNow: boolean;
  readonly anyNow: boolean;
  /** When clinical access ends: -Infinity none, Infinity not by itself. */
  readonly clinicalUntil: number;
  readonly anyUntil: number;
  /** Later: 0 none, 1 only while shared with all, 2 a path of the member's own. */
  readonly clinicalLater: number;
  readonly anyLater: number;
}

/** After every grant with an end date has ended. */
const LATER = Infinity;

function hold(path: AccessPath | null): number {
  return path === null ? 0 : path.kind === 'shared_with_all' ? 1 : 2;
}

function ends(now: AccessPath | null, later: AccessPath | null): number {
  if (later !== null) return Infinity;
  if (now === null) return -Infinity;
  return now.kind === 'clinical_grant' && now.expiresAt !== null ? now.expiresAt : Infinity;
}

export function reach(ctx: Context, member: MemberId, client: ClientFacts): Reach {
  const now = clientAccess(ctx, member, client);
  const later = clientAccess({ team: ctx.team, now: LATER }, member, client);
  const anyNow = now.clinical ?? now.administrative;
  const anyLater = Math.max(hold(later.clinical), hold(later.administrative));
  return {
    clinicalNow: now.clinical !== null,
    anyNow: anyNow !== null,
    clinicalUntil: ends(now.clinical, later.clinical),
    anyUntil: Math.max(ends(now.clinical, later.clinical), ends(now.administrative, later.administrative)),
    clinicalLater: hold(later.clinical),
    anyLater,
  };
}

/** True when `after` reaches further or longer than `before` in any respect. */
export function widens(before: Reach, after: Reach): boolean {
  return (
    (after.clinicalNow && !before.clinicalNow) ||
    (after.anyNow && !before.anyNow) ||
    after.clinicalUntil > before.clinicalUntil ||
    after.anyUntil > before.anyUntil ||
    after.clinicalLater > before.clinicalLater ||
    after.anyLater > before.anyLater
  );
}

/** The clients the command loaded, and every restricted client of the practice when it loaded them. */
function concernedClients(input: CommandInput): Map<ClientId, ClientFacts> {
  const all = new Map(input.facts.clients);
  for (const [id, c] of input.facts.restricted ?? []) if (!all.has(id)) all.set(id, c);
  return all;
}

/**
 * The seed's own client-level ways to open a restricted client, which are not team changes:
 * turning restricted access off (001: with the acknowledgement, by whoever may turn it on),
 * and granting a clinician clinical access or making them primary clinician (000: by whoever
 * manages the client's clinical access). They open it to the member they name, no one else:
 * a new primary clinician's supervisors, say, are a team change.
 */
function clientLevelWay(command: { readonly type: string; readonly member?: unknown }, o: Opening): boolean {
  if (command.type === 'unrestrict') return true;
  return (command.type === 'grant_clinical' || command.type === 'set_primary_clinician') && command.member === o.member;
}

/**
 * Applies the safeguards to a command the rules allowed. A refusal comes back as it is;
 * an allowed result comes back refused, or with the restricted clients it opens (the
 * owner's own change), which the activity log lists.
 */
export function safeguard(input: CommandInput, command: { readonly type: string; readonly member?: unknown }, result: CommandResult): CommandResult {
  if (!result.ok || result.effects.length === 0) return result;
  const { ctx, actor } = input;
  const afterCtx: Context = { team: teamAfter(ctx.team, result.effects), now: ctx.now };
  const clients = concernedClients(input);

  const opened = openedRestricted(ctx, afterCtx, clients.values(), result.effects).filter((o) => !clientLevelWay(command, o));
  if (opened.length > 0 && actor !== ctx.team.ownerId) {
    const n = new Set(opened.map((o) => o.client)).size;
    const who = new Set(opened.map((o) => o.member)).size;
    return refusal(
      'only_account_owner',
      `This change would give ${who === 1 ? 'a team member' : `${who} team members`} access to ${n === 1 ? 'a restricted client' : `${n} restricted clients`} they cannot access now; only the account owner opens a restricted client to someone.`,
    );
  }

  if (actor !== ctx.team.ownerId) {
    // A member's own roles and supervision reach every client: adding to them is someone else's call.
    for (const e of result.effects) {
      if (e.kind === 'set_roles' && e.member === actor && e.roles.some((r) => !e.previous.includes(r))) {
        return refusal('own_access', 'Nobody adds roles to themselves: another practice administrator or the account owner does.');
      }
      if (e.kind === 'add_supervision' && e.supervisor === actor) {
        return refusal('own_access', "Supervising a clinician gives access to their clients: another practice administrator or the account owner sets a member's own supervision.");
      }
    }
    for (const client of input.facts.clients.values()) {
      if (widens(reach(ctx, actor, client), reach(afterCtx, actor, clientAfter(client, result.effects)))) {
        return refusal('own_access', 'This change would widen your own access to the client; another team member who manages its access, or the account owner, makes it.');
      }
    }
  }
  if (opened.length === 0) return result;
  // The entry names restricted clients, so it is shown only to who may view them all.
  const concerned = [...new Set([...result.clients, ...opened.map((o) => o.client)])];
  return { ...result, opened, clients: concerned };
}
