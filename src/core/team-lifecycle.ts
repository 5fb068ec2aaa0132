/**
 * A team member's account from joining to leaving (FORMAT "Practice workflows"): adding a
 * member, editing their name and email, deactivating and reactivating them, and handing the
 * account owner's role to another member. All of it is managing the team (`team.manage`,
 * 004 "The Practice Administrator has the ability to create and edit user accounts"), except
 * the transfer of ownership, which is the account owner's alone.
 *
 * A deactivated member stays in the practice's records (what they wrote and did keeps their
 * name) but leaves the team every rule reads (practice.ts `Team.members`), so every check
 * about them is refused. Deactivation ends their clinical grants and supervision, so a
 * reactivated member starts from their roles alone. The safeguards (safeguards.ts) judge
 * the effects: adding or reactivating a member who would reach a restricted client is the
 * account owner's change only.
 */
import { canInPractice } from './permissions.js';
import { succeeded, type CommandInput, type CommandResult, type Effect } from './command.js';
import { rolesOf, type MemberId } from './practice.js';
import { validateRoles, type Role } from './roles.js';
import { refusal, refusalOf } from './result.js';

/** The actor manages the team (004), or the refusal. */
function manager(input: CommandInput): CommandResult | null {
  if (!input.ctx.team.members.has(input.actor)) return refusal('not_found', `No team member ${JSON.stringify(input.actor)}.`);
  const d = canInPractice(input.ctx, input.actor, 'team.manage');
  return d.allowed ? null : refusalOf(d);
}

/** What a member id may look like: a key of letters, digits, '-' and '_'. */
const MEMBER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function addMember(input: CommandInput, cmd: { id: MemberId; roles: readonly string[]; name?: string; email?: string | null }): CommandResult {
  const refused = manager(input);
  if (refused) return refused;
  if (!MEMBER_ID.test(cmd.id)) return refusal('invalid_input', 'A member id is 1 to 64 letters, digits, "-" or "_".');
  if (input.facts.existingIds.has(cmd.id) || input.ctx.team.members.has(cmd.id) || input.ctx.team.inactive.has(cmd.id)) {
    return refusal('invalid_input', `The id ${JSON.stringify(cmd.id)} is already used by a team member.`);
  }
  const name = (cmd.name ?? cmd.id).trim();
  if (name.length === 0) return refusal('invalid_input', 'A team member needs a name.');
  const check = validateRoles(cmd.roles, false);
  if (!check.ok) return check;
  const effects: Effect[] = [{ kind: 'add_member', member: cmd.id, name, email: cmd.email ?? null, roles: check.roles }];
  return succeeded(null, `Added ${name} as a team member (${check.roles.join(', ') || 'no roles'}).`, effects);
}

export function editMember(input: CommandInput, cmd: { member: MemberId; name?: string; email?: string | null }): CommandResult {
  const refused = manager(input);
  if (refused) return refused;
  const { team } = input.ctx;
  if (!team.members.has(cmd.member) && !team.inactive.has(cmd.member)) return refusal('not_found', `No team member ${JSON.stringify(cmd.member)}.`);
  const name = cmd.name?.trim();
  if (name !== undefined && name.length === 0) return refusal('invalid_input', 'A team member needs a name.');
  if (name === undefined && cmd.email === undefined) return succeeded(null, 'Nothing to change.', []);
  const effect: Effect = { kind: 'set_member_details', member: cmd.member, ...(name !== undefined ? { name } : {}), ...(cmd.email !== undefined ? { email: cmd.email } : {}) };
  return succeeded(null, `Edited the details of ${cmd.member}.`, [effect]);
}

/**
 * FORMAT: the account owner can't be deactivated; a member who is still the primary
 * clinician of a client can't be (reassign first). Their grants and supervision end with it.
 */
export function deactivateMember(input: CommandInput, cmd: { member: MemberId }): CommandResult {
  const refused = manager(input);
  if (refused) return refused;
  const { team } = input.ctx;
  if (team.inactive.has(cmd.member)) return succeeded(null, `${cmd.member} is already deactivated.`, []);
  if (!team.members.has(cmd.member)) return refusal('not_found', `No team member ${JSON.stringify(cmd.member)}.`);
  if (cmd.member === team.ownerId) return refusal('account_owner', 'The account owner cannot be deactivated; transfer ownership first.');
  if (cmd.member === input.actor) return refusal('invalid_state', 'Nobody deactivates themselves: another member who manages the team does.');
  const primaryOf = input.facts.primaryCounts.get(cmd.member) ?? 0;
  if (primaryOf > 0) {
    return refusal(
      'primary_clinician',
      `This member is the primary clinician of ${primaryOf === 1 ? 'a client' : `${primaryOf} clients`}: assign another primary clinician first.`,
    );
  }
  const effects: Effect[] = [{ kind: 'set_member_active', member: cmd.member, active: false }, { kind: 'delete_member_grants', member: cmd.member }];
  for (const [supervisee, supervisors] of team.supervisorsOf) {
    for (const supervisor of supervisors) {
      if (supervisor === cmd.member || supervisee === cmd.member) effects.push({ kind: 'end_supervision', supervisor, supervisee });
    }
  }
  return succeeded(null, `Deactivated ${cmd.member}: they can no longer sign in or see anything; what they wrote stays.`, effects);
}

export function reactivateMember(input: CommandInput, cmd: { member: MemberId }): CommandResult {
  const refused = manager(input);
  if (refused) return refused;
  const { team } = input.ctx;
  if (team.members.has(cmd.member)) return succeeded(null, `${cmd.member} is already active.`, []);
  if (!team.inactive.has(cmd.member)) return refusal('not_found', `No team member ${JSON.stringify(cmd.member)}.`);
  return succeeded(null, `Reactivated ${cmd.member}, with their roles and no client-level access.`, [{ kind: 'set_member_active', member: cmd.member, active: true }]);
}

/**
 * FORMAT: only the account owner hands over the role, to an active member; afterwards that
 * member holds account_owner and the former owner keeps their other roles. There is always
 * exactly one owner.
 */
export function transferOwnership(input: CommandInput, cmd: { member: MemberId }): CommandResult {
  const { team } = input.ctx;
  if (!team.members.has(input.actor)) return refusal('not_found', `No team member ${JSON.stringify(input.actor)}.`);
  if (input.actor !== team.ownerId) return refusal('forbidden', 'Only the account owner transfers ownership of the account.');
  if (team.inactive.has(cmd.member)) return refusal('invalid_state', 'Ownership goes to an active member: reactivate them first.');
  if (!team.members.has(cmd.member)) return refusal('not_found', `No team member ${JSON.stringify(cmd.member)}.`);
  if (cmd.member === team.ownerId) return succeeded(null, 'This member is already the account owner.', []);
  const oldRoles = rolesOf(team, team.ownerId);
  const newRoles = rolesOf(team, cmd.member);
  const toNew = validateRoles(['account_owner', ...newRoles], true);
  if (!toNew.ok) return toNew;
  const keeps = validateRoles(oldRoles.filter((r) => r !== 'account_owner'), false);
  if (!keeps.ok) return keeps;
  const effects: Effect[] = [
    { kind: 'set_roles', member: team.ownerId, roles: keeps.roles, previous: oldRoles },
    { kind: 'set_roles', member: cmd.member, roles: ownerFirst(toNew.roles), previous: newRoles },
  ];
  return succeeded(null, `Transferred ownership of the account from ${team.ownerId} to ${cmd.member}.`, effects);
}

const ownerFirst = (roles: readonly Role[]): Role[] => ['account_owner', ...roles.filter((r) => r !== 'account_owner')];
