/**
 * A sign-in account made (or its password set) by following a one-time link (the owner's
 * setup, a member's invitation, a password reset): the username's rule, the row, and the one
 * transaction around the link's redemption and everything it unlocks, so a refusal or an error leaves nothing behind.
 */
import type { Failure, Result } from '../../core/index.js';
import type { Database, Queryable } from '../db/database.js';
import type { LinkFailure } from './one-time-links.js';

/** Why an account was not made, besides the link: the username is someone else's, or the input breaks a rule. */
export interface AccountFailure extends Failure<'username_taken' | 'invalid_input'> {
  readonly detail: string;
}

export type LinkedFailure = LinkFailure | AccountFailure;

export const usernameTaken = (username: string): AccountFailure => ({
  ok: false,
  code: 'username_taken',
  detail: `The username "${username}" is taken: choose another.`,
});

export const invalidInput = (detail: string): AccountFailure => ({ ok: false, code: 'invalid_input', detail });

/**
 * Whether a username is in use, ignoring case: sign-in matches it exactly, but "Olivia" beside
 * "olivia" would only be told apart by whoever typed it.
 */
export async function isUsernameTaken(tx: Queryable, username: string): Promise<boolean> {
  const rows = await tx.query('select 1 from chartguard_auth.users where lower(username) = lower($1) limit 1', [username]);
  return rows.length > 0;
}

/** The member's sign-in account (the password already hashed, by Accounts.hashPassword). */
export async function insertAccount(tx: Queryable, practice: string, member: string, username: string, passwordHash: string): Promise<void> {
  await tx.query('insert into chartguard_auth.users (practice_id, member_id, username, password_hash) values ($1, $2, $3, $4)', [practice, member, username, passwordHash]);
}

/** Thrown inside the transaction to roll it back with a failure to answer. */
class Undone extends Error {
  constructor(readonly failure: LinkedFailure) {
    super(failure.code);
  }
}

/**
 * Runs `fn` in one transaction: a failure it returns rolls back everything it did (the link
 * stays unused), and so does an error; a username taken by a racing account (the unique key)
 * answers username_taken (`username` null: no account is made, a password reset).
 */
export async function linkedTransaction<T extends object>(db: Database, username: string | null, fn: (tx: Queryable) => Promise<Result<T, LinkedFailure>>): Promise<Result<T, LinkedFailure>> {
  try {
    return await db.transaction(async (tx) => {
      const r = await fn(tx);
      if (!r.ok) throw new Undone(r);
      return r;
    });
  } catch (err) {
    if (err instanceof Undone) return err.failure;
    const e = err as { code?: string; constraint?: string };
    if (username !== null && e.code === '23505' && e.constraint === 'users_username_key') return usernameTaken(username);
    throw err;
  }
}
