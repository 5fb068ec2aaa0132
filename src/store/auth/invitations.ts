/**
 * Invitations (issue 14, "Team"): a member added to the team (the add_member command makes
 * the member row, with their email) receives a link, valid seven days and once, where they
 * choose a username and password. Accepting is one transaction: the link used, the account
 * made, the activity log written; or none of it.
 */
import type { Result } from '../../core/index.js';
import { appendActivity } from '../commands/activity-log.js';
import type { Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { insertAccount, isUsernameTaken, linkedTransaction, usernameTaken, type LinkedFailure } from './new-accounts.js';
import { issueLink, linkFailure, peekLink, redeemLink, type LinkFailure } from './one-time-links.js';

/** What the invitation page shows: whose team it is, and who is invited. */
export interface InvitationDetails {
  readonly practiceName: string;
  readonly memberName: string;
  readonly email: string | null;
}

/**
 * A new invitation for a member, inside the caller's transaction (the command that adds the
 * member): its token, shown or sent once. It ends the member's earlier invitations.
 */
export async function issueInvitation(tx: Queryable, practice: string, member: string, now: number): Promise<string> {
  return issueLink(tx, { kind: 'invitation', practice, member }, now);
}

async function invited(db: Queryable, practice: string, member: string) {
  const [row] = await db.query<{ practice_name: string; member_name: string; email: string | null; has_account: boolean }>(
    `select p.name as practice_name, m.display_name as member_name, m.email,
            exists (select 1 from chartguard_auth.users u where u.practice_id = m.practice_id and u.member_id = m.id) as has_account
       from chartguard.members m join chartguard.practices p on p.id = m.practice_id
      where m.practice_id = $1 and m.id = $2`,
    [practice, member],
  );
  return row;
}

/** The invitation page's details; the link's failure when it is unknown, used or expired. */
export async function invitationDetails(store: Store, token: string): Promise<Result<{ details: InvitationDetails }, LinkFailure>> {
  const peek = await peekLink(store.db, token, 'invitation', store.now());
  if (!peek.ok) return peek;
  const row = await invited(store.db, peek.link.practice!, peek.link.member!);
  // An invitation of a member who has an account already (accepted another way) has done its work.
  if (!row || row.has_account) return linkFailure('link_used');
  return { ok: true, details: { practiceName: row.practice_name, memberName: row.member_name, email: row.email } };
}

/** Accepts an invitation: the member's sign-in account (the password already hashed by Accounts), logged; or nothing. */
export async function acceptInvitation(
  store: Store,
  token: string,
  input: { username: string; passwordHash: string },
): Promise<Result<{ practice: string; member: string }, LinkedFailure>> {
  const now = store.now();
  return linkedTransaction(store.db, input.username, async (tx) => {
    const redeemed = await redeemLink(tx, token, 'invitation', now);
    if (!redeemed.ok) return redeemed;
    const practice = redeemed.link.practice!;
    const member = redeemed.link.member!;
    const row = await invited(tx, practice, member);
    if (!row || row.has_account) return linkFailure('link_used');
    if (await isUsernameTaken(tx, input.username)) return usernameTaken(input.username);
    await insertAccount(tx, practice, member, input.username, input.passwordHash);
    await appendActivity(tx, practice, now, {
      actor: member,
      action: 'invitation_accepted',
      client: null,
      outcome: 'changed',
      detail: { member, username: input.username, summary: `${row.member_name} accepted the invitation and chose a username and password` },
    });
    return { ok: true, practice, member };
  });
}
