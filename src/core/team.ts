/**
 * Team commands: roles and supervision (004 "Only Practice Administrators may change a
 * user's roles"; the account owner holds every permission, READING.md).
 */
import { hasAnyAccess } from './client-access.js';
import { memberMissing } from './clinical-access.js';
import { refuse, type Decision } from './decision.js';
import { succeeded, type CommandInput, type CommandResult, type Effect } from './command.js';
import { canInPractice } from './permissions.js';
import { rolesOf, supervises, type ClientFacts, type Context, type MemberId } from './practice.js';
import { capabilitiesOf, validateRoles, type RoleCapabilities } from './roles.js';
import { refusal, refusalOf } from './result.js';

/** A team change concerns members who exist, made by someone who manages the team (004); else its refusal. */
function teamChangeRefused(input: CommandInput, ...members: MemberId[]): CommandResult | null {
  const missing = memberMissing(input.ctx, input.actor, ...members);
  if (missing) return missing;
  const d = canInPractice(input.ctx, input.actor, 'team.manage');
  return d.allowed ? null : refusalOf(d);
}

export function assignRoles(input: CommandInput, cmd: { member: MemberId; roles: readonly string[] }): CommandResult {
  const { ctx } = input;
  const refused = teamChangeRefused(input, cmd.member);
  if (refused) return refused;
  const check = validateRoles(cmd.roles, cmd.member === ctx.team.ownerId);
  if (!check.ok) return check;
  const previous = rolesOf(ctx.team, cmd.member);
  const next = capabilitiesOf(check.roles);
  // 000: every client has one primary clinician, and it must be a clinician.
  if (next.clinicianRole === null && (input.facts.primaryCounts.get(cmd.member) ?? 0) > 0) {
    return refusal('primary_clinician', 'This member is primary clinician of some clients: assign another primary clinician first.');
  }
  if (previous.length === check.roles.length && previous.every((r) => check.roles.includes(r))) {
    return succeeded(null, 'Roles unchanged.', []);
  }
  const effects: Effect[] = [{ kind: 'set_roles', member: cmd.member, roles: check.roles, previous }];
  // Grants are clinical access, which needs a clinician role; they do not wait dormant for one.
  if (next.clinicianRole === null) effects.push({ kind: 'delete_member_grants', member: cmd.member });
  if (!next.supervisor) {
    for (const [supervisee, supervisors] of ctx.team.supervisorsOf) {
      if (supervisors.has(cmd.member)) effects.push({ kind: 'end_supervision', supervisor: cmd.member, supervisee });
    }
  }
  // Only clinicians are supervised: a supervisee who holds no clinician role any more is not.
  if (next.clinicianRole === null) {
    for (const supervisor of ctx.team.supervisorsOf.get(cmd.member) ?? []) effects.push({ kind: 'end_supervision', supervisor, supervisee: cmd.member });
  }
  if (widensRoles(capabilitiesOf(previous), next)) effects.push(...tellOwner(input));
  return succeeded(null, `Roles of ${cmd.member} set to ${check.roles.join(', ') || 'none'} (were ${previous.join(', ') || 'none'}).`, effects);
}

/** True when the new roles bring anything the old ones did not (a capability, or a clinician role). */
export function widensRoles(before: RoleCapabilities, after: RoleCapabilities): boolean {
  if (after.clinicianRole !== null && before.clinicianRole === null) return true;
  return (Object.keys(after) as (keyof RoleCapabilities)[]).some((k) => after[k] === true && before[k] !== true);
}

/** READING.md: a change that widens a member's access to client data tells the account owner (unless the owner made it). */
function tellOwner(input: CommandInput): Effect[] {
  const owner = input.ctx.team.ownerId;
  return input.actor === owner ? [] : [{ kind: 'notify', member: owner, event: 'access_widened', client: null, email: true }];
}

export function setSupervisor(input: CommandInput, cmd: { supervisor: MemberId; supervisee: MemberId }): CommandResult {
  const { ctx } = input;
  const refused = teamChangeRefused(input, cmd.supervisor, cmd.supervisee);
  if (refused) return refused;
  if (cmd.supervisor === cmd.supervisee) return refusal('invalid_state', 'A member does not supervise themselves.');
  if (!rolesOf(ctx.team, cmd.supervisor).includes('supervisor')) return refusal('not_applicable', 'The supervisor must hold the supervisor role.');
  // 004: supervisors co-sign "notes of supervised Clinicians and Interns": a supervisee is a clinician.
  if (capabilitiesOf(rolesOf(ctx.team, cmd.supervisee)).clinicianRole === null) {
    return refusal('invalid_roles', 'Only members who hold a clinician role are supervised.');
  }
  if (supervises(ctx.team, cmd.supervisor, cmd.supervisee)) return succeeded(null, 'Supervision already in place.', []);
  // 000: a supervisor gains administrative access to the clients of whom they supervise.
  return succeeded(null, `${cmd.supervisor} now supervises ${cmd.supervisee}.`, [
    { kind: 'add_supervision', supervisor: cmd.supervisor, supervisee: cmd.supervisee },
    ...tellOwner(input),
  ]);
}

export function endSupervision(input: CommandInput, cmd: { supervisor: MemberId; supervisee: MemberId }): CommandResult {
  const { ctx } = input;
  const refused = teamChangeRefused(input, cmd.supervisor, cmd.supervisee);
  if (refused) return refused;
  if (!supervises(ctx.team, cmd.supervisor, cmd.supervisee)) return succeeded(null, 'No such supervision; nothing changed.', []);
  return succeeded(null, `${cmd.supervisor} no longer supervises ${cmd.supervisee}.`, [{ kind: 'end_supervision', supervisor: cmd.supervisor, supervisee: cmd.supervisee }]);
}

/**
 * 004: "A Practice Administrator has the ability to ... reset passwords for other users."
 * Not the account owner's: that would let a practice administrator take over the account
 * that always has access to every client (003). Only the owner resets their own.
 */
/** Who may lift a member's sign-in throttle: who manages the team; the account owner's only by the owner. */
export function canLiftThrottle(ctx: Context, actor: MemberId, member: MemberId): Decision {
  if (!ctx.team.members.has(member)) return refuse('not_found', `No team member ${JSON.stringify(member)}.`);
  const d = canInPractice(ctx, actor, 'team.manage');
  if (!d.allowed) return d;
  if (member === ctx.team.ownerId && actor !== ctx.team.ownerId) {
    return refuse('account_owner', "Only the account owner resets the account owner's password.");
  }
  return d;
}

/**
 * Who may reset a member's password: as for lifting the throttle, and (READING.md
 * "Safeguards": only the account owner opens a restricted client) not someone who, holding
 * the temporary password, could sign in as a member who reaches restricted clients the
 * actor cannot access: only the owner resets that member's password. `restricted` is every
 * restricted client of the practice.
 */
export function canResetPassword(ctx: Context, actor: MemberId, member: MemberId, restricted: Iterable<ClientFacts> = []): Decision {
  const d = canLiftThrottle(ctx, actor, member);
  if (!d.allowed || actor === ctx.team.ownerId) return d;
  let n = 0;
  for (const c of restricted) if (c.restricted && hasAnyAccess(ctx, member, c) && !hasAnyAccess(ctx, actor, c)) n++;
  if (n === 0) return d;
  return refuse(
    'only_account_owner',
    `This member can access ${n === 1 ? 'a restricted client' : `${n} restricted clients`} you cannot; whoever holds a temporary password can sign in as them, so only the account owner resets their password.`,
  );
}
