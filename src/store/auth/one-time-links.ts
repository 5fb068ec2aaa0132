/**
 * One-time links: a new practice's setup link, a team member's invitation and an emailed
 * password reset (issue 14).
 * The token is shown once, when issued; only its SHA-256 is stored (migration 051), as for
 * sessions. A link works once and until it expires, and is redeemed in the same transaction
 * as what it unlocks: if creating the practice or the account fails, the link is still unused
 * and nothing of it stays behind.
 *
 * @example
 * const token = await db.transaction((tx) => issueLink(tx, { kind: 'invitation', practice, member }, now));
 * await db.transaction(async (tx) => {
 *   const link = await redeemLink(tx, token, 'invitation', now);
 *   if (!link.ok) return link; // link_unknown | link_used | link_expired
 *   ... create the account ...
 * });
 */
import type { Failure, Result } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { ms, ts } from '../facts/facts.js';
import { randomToken, tokenHash } from './secrets.js';

export const LINK_KINDS = ['setup', 'invitation', 'password_reset'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

const HOUR = 3_600_000;
/** How long each kind of link works: a setup link an hour, an invitation a week, a password reset an hour. */
export const LINK_LIFETIME_MS: Readonly<Record<LinkKind, number>> = { setup: HOUR, invitation: 7 * 24 * HOUR, password_reset: HOUR };

/** Why a link opens nothing: no such link (or not of this kind), used already, or too late. */
export const LINK_FAILURE_CODES = ['link_unknown', 'link_used', 'link_expired'] as const;
export type LinkFailureCode = (typeof LINK_FAILURE_CODES)[number];

export interface LinkFailure extends Failure<LinkFailureCode> {
  /** The sentence a person reads. */
  readonly detail: string;
}

const FAILURE_TEXT: Readonly<Record<LinkFailureCode, string>> = {
  link_unknown: 'This link is not valid: check that it was copied whole, or ask for a new one.',
  link_used: 'This link was already used. Sign in instead, or ask for a new link.',
  link_expired: 'This link has expired: ask for a new one.',
};

export function linkFailure(code: LinkFailureCode): LinkFailure {
  return { ok: false, code, detail: FAILURE_TEXT[code] };
}

/** Who a link is for: the practice (null: a setup link whose practice is named at setup) and the member (null for setup). */
export interface LinkTarget {
  readonly kind: LinkKind;
  readonly practice: string | null;
  readonly member: string | null;
}

export interface Link extends LinkTarget {
  readonly expiresAt: number;
  readonly createdAt: number;
}

/**
 * A new link, its token returned this once. It replaces the unused links of the same kind for
 * the same practice and member: the newest link printed or sent is the one that works.
 */
export async function issueLink(tx: Queryable, target: LinkTarget, now: number, lifetimeMs: number = LINK_LIFETIME_MS[target.kind]): Promise<string> {
  if ((target.kind === 'setup') !== (target.member === null)) throw new TypeError('a setup link has no member; every other link has one');
  // The older ones end now (kept, so an old link answers "expired: ask for a new one").
  await tx.query(
    `update chartguard_auth.one_time_links set expires_at = least(expires_at, ${ts('$4')})
      where kind = $1 and practice_id is not distinct from $2 and member_id is not distinct from $3 and used_at is null`,
    [target.kind, target.practice, target.member, now],
  );
  const token = randomToken();
  await tx.query(
    `insert into chartguard_auth.one_time_links (token_hash, kind, practice_id, member_id, expires_at, created_at)
     values ($1, $2, $3, $4, ${ts('$5')}, ${ts('$6')})`,
    [tokenHash(token), target.kind, target.practice, target.member, now + lifetimeMs, now],
  );
  return token;
}

interface LinkRow {
  kind: LinkKind;
  practice_id: string | null;
  member_id: string | null;
  expires_at: number;
  created_at: number;
  used: boolean;
}

/** A link's state without using it (what the page shows before the form is sent). */
export async function peekLink(db: Queryable, token: string, kind: LinkKind, now: number): Promise<Result<{ link: Link }, LinkFailure>> {
  return judge(await readLink(db, token, kind, false), now);
}

/**
 * Uses a link up, inside the caller's transaction (its row stays locked until the end, so a
 * second redemption racing this one waits, then finds it used). A failure uses nothing.
 */
export async function redeemLink(tx: Queryable, token: string, kind: LinkKind, now: number): Promise<Result<{ link: Link }, LinkFailure>> {
  const judged = judge(await readLink(tx, token, kind, true), now);
  if (!judged.ok) return judged;
  await tx.query(`update chartguard_auth.one_time_links set used_at = ${ts('$2')} where token_hash = $1`, [tokenHash(token), now]);
  return judged;
}

async function readLink(db: Queryable, token: string, kind: LinkKind, lock: boolean): Promise<LinkRow | undefined> {
  // A token of another kind is no link of this one: the setup page never opens an invitation.
  const [row] = await db.query<LinkRow>(
    `select kind, practice_id, member_id, ${ms('expires_at')} as expires_at, ${ms('created_at')} as created_at, used_at is not null as used
       from chartguard_auth.one_time_links where token_hash = $1 and kind = $2${lock ? ' for update' : ''}`,
    [tokenHash(token), kind],
  );
  return row;
}

function judge(row: LinkRow | undefined, now: number): Result<{ link: Link }, LinkFailure> {
  if (!row) return linkFailure('link_unknown');
  if (row.used) return linkFailure('link_used');
  if (now >= Number(row.expires_at)) return linkFailure('link_expired');
  return {
    ok: true,
    link: { kind: row.kind, practice: row.practice_id, member: row.member_id, expiresAt: Number(row.expires_at), createdAt: Number(row.created_at) },
  };
}
