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
import { issueLink, LINK_LIFETIME_MS, linkFailure, peekLink, redeemLink, type LinkFailure } from './one-time-links.js';
import { queueMail } from '../mail/outbox.js';

const INVITATION_LIFETIME_MS = LINK_LIFETIME_MS.invitation;

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
      where m.practice_id = $1 and m.id = $2 and m.active`,
    [practice, member],
  );
  return row;
}

/** Why an invitation cannot be sent: the member is unknown or deactivated, or has a sign-in account already. */
export type InviteRefusal = { readonly ok: false; readonly code: 'not_found' | 'invalid_state'; readonly text: string };

/**
 * Sends a member their invitation, in one transaction: the link issued (ending earlier ones),
 * the email queued when `email` is true and the member has an address, the activity-log
 * entry. The caller has checked that `actor` manages the team (the core's team.manage).
 * `base` is where the link points (CHARTGUARD_PUBLIC_URL or the server's origin). Returns
 * the link (shown once to the inviter when it was not emailed) and whether it was emailed.
 */
export async function sendInvitation(
  store: Store,
  practice: string,
  actor: string,
  member: string,
  options: { readonly base: string; readonly email: boolean },
): Promise<Result<{ link: string; emailed: boolean; expiresAt: number }, InviteRefusal>> {
  const now = store.now();
  return store.db.transaction(async (tx) => {
    await tx.query('select 1 from chartguard.practices where id = $1 for update', [practice]);
    const row = await invited(tx, practice, member);
    if (!row) return { ok: false, code: 'not_found', text: 'No active team member by that key.' } as const;
    if (row.has_account) return { ok: false, code: 'invalid_state', text: `${row.member_name} has a sign-in account already; reset their password instead.` } as const;
    const token = await issueInvitation(tx, practice, member, now);
    const link = `${options.base.replace(/\/+$/, '')}/invite/${token}`;
    const emailed = options.email && row.email !== null;
    if (emailed) {
      await queueMail(tx, {
        practice,
        recipient: member,
        subject: `You are invited to join ${oneLine(row.practice_name)} on ChartGuard`,
        body: `${row.member_name}, you have been added to the team of ${row.practice_name}.\n\nChoose your username and password here (the link works once, for seven days):\n${link}\n`,
        at: now,
      });
    }
    await appendActivity(tx, practice, now, {
      actor,
      action: 'invitation_sent',
      client: null,
      outcome: 'changed',
      detail: { member, emailed, summary: `Invited ${row.member_name}${emailed ? ' by email' : ''}` },
    });
    return { ok: true, link, emailed, expiresAt: now + INVITATION_LIFETIME_MS };
  });
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** The invitation page's details; the link's failure when it is unknown, used or expired. */
export async function invitationDetails(store: Store, token: string): Promise<Result<{ details: InvitationDetails }, LinkFailure>> {
  const peek = await peekLink(store.db, token, 'invitation', store.now());
  if (!peek.ok) return peek;
  const row = await invited(store.db, peek.link.practice!, peek.link.member!);
  // An invitation of a member who has an account already (accepted another way) has done its work.
  // A member deactivated since: the invitation is void.
    if (!row) return linkFailure('link_expired');
    if (row.has_account) return linkFailure('link_used');
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
    // A member deactivated since: the invitation is void.
    if (!row) return linkFailure('link_expired');
    if (row.has_account) return linkFailure('link_used');
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
