/**
 * Password resets by email (issue 14, "Email"): when mail is configured and the member has an
 * address, a reset sends them a link, valid one hour and once, where they choose a new
 * password; nobody else ever holds it. Without mail (or an address) the caller keeps the
 * temporary password of Accounts.resetPassword instead.
 *
 * Sending is one transaction: the member's password stops working (its hash replaced by one of
 * a random secret), their sessions and trusted browsers end, their sign-in throttle is lifted,
 * the link issued (ending earlier ones), the mail queued and the activity log written.
 * Redeeming is another: the link used, the new password set, logged; or none of it.
 *
 * @example
 * const sent = await sendPasswordReset(store, practice, 'pat', 'ana', { base, lockedHash: await accounts.hashPassword(randomToken()) });
 * if (sent === 'not_emailed') temporaryPassword = await accounts.resetPassword(practice, 'pat', 'ana');
 */
import type { Result } from '../../core/index.js';
import { appendActivity } from '../commands/activity-log.js';
import type { Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { queueMail } from '../mail/outbox.js';
import { linkedTransaction, type LinkedFailure } from './new-accounts.js';
import { issueLink, linkFailure, peekLink, redeemLink, type LinkFailure } from './one-time-links.js';
import { forgetCachedSessions } from './sessions.js';
import { accountKey } from './throttle.js';

/** What the reset page shows: whose practice, whose password, and the username they sign in with. */
export interface PasswordResetDetails {
  readonly practiceName: string;
  readonly memberName: string;
  readonly username: string;
}

interface AccountRow {
  practice_name: string;
  member_name: string;
  email: string | null;
  active: boolean;
  username: string;
  second_factor: boolean;
}

/** The member's sign-in account with their practice's name; undefined when they have none. */
async function account(db: Queryable, practice: string, member: string, lock = false): Promise<AccountRow | undefined> {
  const [row] = await db.query<AccountRow>(
    `select p.name as practice_name, m.display_name as member_name, m.email, m.active, u.username, u.totp_secret is not null as second_factor
       from chartguard_auth.users u
       join chartguard.members m on m.practice_id = u.practice_id and m.id = u.member_id
       join chartguard.practices p on p.id = u.practice_id
      where u.practice_id = $1 and u.member_id = $2${lock ? ' for update of u' : ''}`,
    [practice, member],
  );
  return row;
}

/**
 * Resets a member's password by email, inside one transaction (see the top of this file).
 * The caller has asked the core who may reset it (canResetPassword) and knows mail is
 * configured; `lockedHash` is the hash of a random secret nobody keeps, `base` where the link
 * points. 'no_account': the member has no sign-in account; 'not_emailed': no address on file or
 * the member deactivated (nothing changed: the caller falls back to a temporary password).
 */
export async function sendPasswordReset(
  store: Store,
  practice: string,
  actor: string,
  member: string,
  options: { readonly base: string; readonly lockedHash: string },
): Promise<'emailed' | 'no_account' | 'not_emailed'> {
  const now = store.now();
  const outcome = await store.db.transaction(async (tx) => {
    // Serialized with the practice's commands: a deactivation is not crossed half-way.
    await tx.query('select 1 from chartguard.practices where id = $1 for update', [practice]);
    const row = await account(tx, practice, member, true);
    if (!row) return 'no_account' as const;
    // No address, or deactivated (no link of theirs works until they are back): nothing is sent.
    if (row.email === null || !row.active) return 'not_emailed' as const;
    await tx.query('update chartguard_auth.users set password_hash = $3 where practice_id = $1 and member_id = $2', [practice, member, options.lockedHash]);
    const ended = await tx.query('delete from chartguard_auth.sessions where practice_id = $1 and member_id = $2 returning 1', [practice, member]);
    await tx.query('delete from chartguard_auth.trusted_devices where practice_id = $1 and member_id = $2', [practice, member]);
    await tx.query('delete from chartguard_auth.sign_in_failures where key = $1', [accountKey(row.username)]);
    const token = await issueLink(tx, { kind: 'password_reset', practice, member }, now);
    const link = `${options.base.replace(/\/+$/, '')}/reset/${token}`;
    const [asker] = await tx.query<{ display_name: string }>('select display_name from chartguard.members where practice_id = $1 and id = $2', [practice, actor]);
    const by = asker?.display_name ?? actor;
    await queueMail(tx, {
      practice,
      recipient: member,
      subject: `Choose a new password for ${oneLine(row.practice_name)} on ChartGuard`,
      body:
        `${row.member_name}, ${by} reset your ChartGuard password at ${row.practice_name}. Your old password no longer works, and you were signed out everywhere.\n\n` +
        `Choose a new password here (the link works once, for one hour):\n${link}\n\n` +
        `Your username is ${row.username}. If you did not expect this, tell ${by} or your practice's administrator.\n`,
      at: now,
    });
    await appendActivity(tx, practice, now, {
      actor,
      action: 'password_reset',
      client: null,
      outcome: 'changed',
      detail: { member, emailed: true, summary: `Reset the password of ${row.member_name} (${member}) by email`, sessionsEnded: ended.length },
    });
    return 'emailed' as const;
  });
  // The sessions' change notification reaches this process's cache soon; forget them now.
  if (outcome === 'emailed') forgetCachedSessions(store.db);
  return outcome;
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** The reset page's details; the link's failure when it is unknown, used or expired (or its member deactivated since). */
export async function passwordResetDetails(store: Store, token: string): Promise<Result<{ details: PasswordResetDetails }, LinkFailure>> {
  const peek = await peekLink(store.db, token, 'password_reset', store.now());
  if (!peek.ok) return peek;
  const row = await account(store.db, peek.link.practice!, peek.link.member!);
  // A member deactivated since: the link is void.
  if (!row?.active) return linkFailure('link_expired');
  return { ok: true, details: { practiceName: row.practice_name, memberName: row.member_name, username: row.username } };
}

/**
 * Redeems a reset link: the new password (hashed already by Accounts) set, no change asked at
 * the next sign-in, logged; or nothing (the link still works). `secondFactor`: the member has
 * one on, so the caller does not sign them in by the link (they sign in with their code).
 */
export async function completePasswordReset(
  store: Store,
  token: string,
  passwordHash: string,
): Promise<Result<{ practice: string; member: string; secondFactor: boolean }, LinkedFailure>> {
  const now = store.now();
  return linkedTransaction(store.db, null, async (tx) => {
    const redeemed = await redeemLink(tx, token, 'password_reset', now);
    if (!redeemed.ok) return redeemed;
    const practice = redeemed.link.practice!;
    const member = redeemed.link.member!;
    const row = await account(tx, practice, member, true);
    if (!row?.active) return linkFailure('link_expired');
    await tx.query('update chartguard_auth.users set password_hash = $3, must_change = false where practice_id = $1 and member_id = $2', [practice, member, passwordHash]);
    await appendActivity(tx, practice, now, {
      actor: member,
      action: 'password_reset_completed',
      client: null,
      outcome: 'changed',
      detail: { member, summary: `${row.member_name} chose a new password through the emailed reset link` },
    });
    return { ok: true, practice, member, secondFactor: row.second_factor };
  });
}
