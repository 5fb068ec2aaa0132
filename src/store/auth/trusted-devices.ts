/**
 * Trusted browsers: a browser that signed in to an account before (the cg_device cookie)
 * passes the sign-in throttle's windows of that account, until it fails too often itself.
 */
import type { Queryable } from '../db/database.js';
import { ms, ts } from '../facts/facts.js';
import { randomToken, tokenHash } from './secrets.js';

export class TrustedDevices {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => number,
    private readonly trustedMs: number,
  ) {}

  /** The member a browser token is trusted for, with its failures; null when unknown or stale. */
  async of(token: string): Promise<{ practice: string; member: string; failures: number } | null> {
    const [d] = await this.db.query<{ practice_id: string; member_id: string; failures: number; last_used: number }>(
      `select practice_id, member_id, failures, ${ms('last_used')} as last_used from chartguard_auth.trusted_devices where token_hash = $1`,
      [tokenHash(token)],
    );
    if (!d || this.now() - Number(d.last_used) > this.trustedMs) return null;
    return { practice: d.practice_id, member: d.member_id, failures: Number(d.failures) };
  }

  /** Marks the browser trusted for the member: its token's use is recorded, or a new token is made (returned for the cookie). */
  async trust(practice: string, member: string, token: string | null, now: number): Promise<string | null> {
    if (token !== null) {
      await this.db.query(`update chartguard_auth.trusted_devices set last_used = ${ts('$2')}, failures = 0 where token_hash = $1`, [tokenHash(token), now]);
      return null;
    }
    const fresh = randomToken();
    await this.db.query(
      `insert into chartguard_auth.trusted_devices (token_hash, practice_id, member_id, created_at, last_used) values ($1, $2, $3, ${ts('$4')}, ${ts('$4')})`,
      [tokenHash(fresh), practice, member, now],
    );
    // A member's 20 most recent browsers stay trusted.
    await this.db.query(
      `delete from chartguard_auth.trusted_devices where practice_id = $1 and member_id = $2 and token_hash not in (
         select token_hash from chartguard_auth.trusted_devices where practice_id = $1 and member_id = $2 order by last_used desc limit 20)`,
      [practice, member],
    );
    return fresh;
  }

  /** A failed sign-in from a trusted browser. */
  async failed(token: string): Promise<void> {
    await this.db.query('update chartguard_auth.trusted_devices set failures = failures + 1 where token_hash = $1', [tokenHash(token)]);
  }

  /** Starts the failures of a member's browsers over (their throttle lifted). */
  async forgive(practice: string, member: string): Promise<void> {
    await this.db.query('update chartguard_auth.trusted_devices set failures = 0 where practice_id = $1 and member_id = $2', [practice, member]);
  }

  /** Forgets browsers not used for longer than they stay trusted. */
  async prune(now: number): Promise<void> {
    await this.db.query(`delete from chartguard_auth.trusted_devices where last_used < ${ts('$1')}`, [now - this.trustedMs]);
  }
}
