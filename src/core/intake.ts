/**
 * Public intake forms (003): a person who is not signed in fills in a practitioner's own form
 * link ("one form URL per practitioner ... routed to the correct practitioner") or the
 * practice form, whose rules let them pick a practitioner. The submission creates the client
 * with that practitioner as primary clinician, keeps the answers in the chart, and notifies
 * the practitioner (FORMAT.md `submit_intake`).
 *
 * The submitter is nobody: the rule reads no actor. Every refusal about the practitioner is
 * the same `forbidden`, so a public form cannot be used to learn who is on the team.
 *
 * @example
 * submitIntake({ ctx, facts }, { type: 'submit_intake', id: 'k1', formOf: 'ben' });
 * // => ok, effects: create_client (primary ben), keep_intake_answers, notify ben (intake_submitted)
 */
import { capabilities } from './client-access.js';
import { succeeded, type Command, type CommandFacts, type CommandResult } from './command.js';
import type { Context, MemberId } from './practice.js';
import { allow, type Decision } from './decision.js';
import { canInPractice } from './permissions.js';
import { refusal } from './result.js';

export type SubmitIntake = Extract<Command, { type: 'submit_intake' }>;

/** What a public command is decided over: the practice and its facts, and no actor. */
export interface PublicCommandInput {
  readonly ctx: Context;
  readonly facts: CommandFacts;
}

/** The one answer for a practitioner the form cannot route to: names no one, confirms no one. */
export const NO_SUCH_PRACTITIONER = 'This form cannot be sent to the practitioner chosen.';

/** Whether the intake form may route a new client to `member`: active, holding a clinician role (FORMAT.md). */
export function takesIntake(ctx: Context, member: MemberId): boolean {
  return ctx.team.members.has(member) && !ctx.team.inactive.has(member) && capabilities(ctx.team, member).clinicianRole !== null;
}

export function submitIntake(input: PublicCommandInput, cmd: SubmitIntake): CommandResult {
  const { ctx } = input;
  if (typeof cmd.id !== 'string' || cmd.id.length === 0) return refusal('invalid_input', 'An id is required.');
  if (input.facts.existingIds.has(cmd.id)) return refusal('invalid_input', `The id ${JSON.stringify(cmd.id)} is already used.`);
  const formOf = cmd.formOf ?? null;
  const choice = cmd.choice ?? null;
  if ((formOf === null) === (choice === null)) return refusal('invalid_input', "A submission is of one practitioner's form, or of the practice form with a choice.");
  const practitioner = (formOf ?? choice)!;
  // The practice form offers only who the practice chose (null: every clinician who takes intake).
  if (choice !== null && cmd.offered && !cmd.offered.includes(choice)) return refusal('forbidden', NO_SUCH_PRACTITIONER);
  if (!takesIntake(ctx, practitioner)) return refusal('forbidden', NO_SUCH_PRACTITIONER);
  return succeeded(cmd.id, 'A new client sent the intake form.', [
    { kind: 'create_client', client: cmd.id, name: cmd.name ?? cmd.id, primary: practitioner, person: null },
    { kind: 'keep_intake_answers', client: cmd.id, form: formOf, answers: cmd.answers ?? {} },
    { kind: 'notify', member: practitioner, event: 'intake_submitted', client: cmd.id, email: true },
  ]);
}

/**
 * Who manages a form link (get its state, rotate, turn it off): a practitioner their own,
 * and whoever manages the team any practitioner's and the practice form's.
 */
export function canManageIntakeLink(ctx: Context, actor: MemberId, member: MemberId | null): Decision {
  if (member !== null && member === actor && takesIntake(ctx, actor)) return allow({ code: 'own_form', text: 'A practitioner manages their own intake form link.' });
  return canInPractice(ctx, actor, 'team.manage');
}
