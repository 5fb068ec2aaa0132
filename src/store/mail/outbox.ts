/**
 * The email outbox: a mail is queued inside the transaction of the command that causes it, so
 * it exists only if the command commits, and is delivered later by the server's sender
 * (sender.ts). Queueing is one insert: a command never waits on a mail server.
 *
 * Minimum necessary: a subject and body name no client and no clinical detail unless the
 * caller has decided that the recipient must read it in the mail; prefer "sign in to
 * ChartGuard to see ..." (the notices of commands/effects.ts do).
 *
 * @example
 * // An invitation, to an address fixed now (the invitee is not a member yet):
 * await queueMail(tx, { practice, toAddress: 'dana@example.org', subject: 'You are invited to ChartGuard', body: `Choose your password within an hour: ${link}` });
 * // A notice to a member, at the address on their profile when it is sent:
 * await queueMail(tx, { practice, recipient: 'olivia', subject, body });
 */
import type { Queryable } from '../db/database.js';

export interface QueuedMail {
  readonly practice: string;
  /** The member it is for: sent to their `members.email` at send time, unless `toAddress` is given. */
  readonly recipient?: string | undefined;
  /** An address fixed now: someone not yet a member, or a mail that must not follow a later change of address. */
  readonly toAddress?: string | undefined;
  /** One line. */
  readonly subject: string;
  /** Plain text. */
  readonly body: string;
  /** The client the mail is about, kept on the row for the record; never put in the mail. */
  readonly client?: string | null | undefined;
  /** When it was queued (ms since the epoch); default the transaction's practice clock. */
  readonly at?: number | undefined;
}

/** A plausible single address: one @, no spaces or control characters (callers validate input first; this guards the header). */
export function isMailAddress(address: string): boolean {
  return address.length <= 254 && /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/.test(address) && !/[\u0000-\u001f\u007f]/.test(address);
}

/**
 * Queues a mail in `tx` (a command's transaction, system mode) and returns its id. Throws a
 * TypeError for a mail with neither recipient nor address, a malformed address or a subject
 * of several lines: those are the caller's mistakes, not the user's.
 */
export async function queueMail(tx: Queryable, mail: QueuedMail): Promise<string> {
  if (!mail.recipient && !mail.toAddress) throw new TypeError('a mail needs a recipient member or an address');
  if (mail.toAddress !== undefined && !isMailAddress(mail.toAddress)) throw new TypeError('not an email address');
  if (/[\r\n]/.test(mail.subject)) throw new TypeError("a mail's subject is one line");
  const [row] = await tx.query<{ id: string }>(
    `insert into chartguard.email_outbox (practice_id, recipient, to_address, subject, body, client_id, created_at)
     values ($1, $2, $3, $4, $5, $6, coalesce(to_timestamp($7::float8 / 1000), chartguard.current_now()))
     returning id::text`,
    [mail.practice, mail.recipient ?? null, mail.toAddress ?? null, mail.subject, mail.body, mail.client ?? null, mail.at ?? null],
  );
  return row!.id;
}
