/**
 * The second factor: a TOTP authenticator app whose codes work once (each time step is
 * claimed), and one-time recovery codes stored only as hashes. Accounts asks for the
 * password and writes the activity-log entries.
 */
import { createHash } from 'node:crypto';
import { generateSecret, generateURI, verify as totpVerify } from 'otplib';
import type { Queryable } from '../db/database.js';
import { ts } from '../facts/facts.js';
import { readableSecret } from './secrets.js';

/** Recovery codes per issue. */
const RECOVERY_CODES = 10;
/** A recovery code as stored: its SHA-256 (it is random, so no slow hash is needed), case, spaces and dashes ignored. */
const recoveryHash = (code: string) =>
  createHash('sha256').update('chartguard-recovery\n').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');

/** A secret no account has: an attempt with a code for an account without a second factor does the same work. */
export const NO_SECRET = generateSecret();

export interface TotpRow {
  totp_pending: string | null;
  totp_secret: string | null;
  totp_last_step: string | number | null;
}

export class SecondFactor {
  constructor(
    private readonly db: Queryable,
    private readonly now: () => number,
  ) {}

  async enabled(practice: string, member: string): Promise<boolean> {
    const [u] = await this.db.query<{ on: boolean }>('select totp_secret is not null as on from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    return u?.on ?? false;
  }

  /** Starts enrolment: a new secret, kept pending (nothing changes) until confirmed. */
  async enroll(practice: string, member: string, label: string): Promise<{ secret: string; uri: string }> {
    const secret = generateSecret();
    await this.db.query('update chartguard_auth.users set totp_pending = $3 where practice_id = $1 and member_id = $2', [practice, member, secret]);
    return { secret, uri: generateURI({ issuer: 'ChartGuard', label, secret }) };
  }

  /** The member's secrets: pending, in use, and the last time step used. */
  async secrets(practice: string, member: string): Promise<TotpRow | undefined> {
    const [u] = await this.db.query<TotpRow>('select totp_pending, totp_secret, totp_last_step from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    return u;
  }

  /** Turns the pending secret on (if it is still `pending`), `step` used: false when it changed meanwhile. */
  async confirm(practice: string, member: string, pending: string, step: number): Promise<boolean> {
    const done = await this.db.query(
      `update chartguard_auth.users set totp_secret = totp_pending, totp_pending = null, totp_last_step = $3
        where practice_id = $1 and member_id = $2 and totp_pending = $4 returning 1`,
      [practice, member, step, pending],
    );
    return done.length > 0;
  }

  async disable(practice: string, member: string): Promise<void> {
    await this.db.query('update chartguard_auth.users set totp_secret = null, totp_pending = null, totp_last_step = null where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
  }

  /** The time step a code matches (within one step of now), later than `after`; null when none. */
  async step(secret: string, code: string, after: number | null): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    try {
      const r = await totpVerify({ secret, token: code, epoch: Math.floor(this.now() / 1000), epochTolerance: 30, ...(after !== null ? { afterTimeStep: after } : {}) });
      return r.valid ? Number((r as { timeStep?: number }).timeStep) : null;
    } catch {
      return null;
    }
  }

  /** Records a code's time step as used: false when it (or a later one) already was, by a racing attempt too. */
  async claim(practice: string, member: string, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `update chartguard_auth.users set totp_last_step = $3
        where practice_id = $1 and member_id = $2 and (totp_last_step is null or totp_last_step < $3) returning 1`,
      [practice, member, step],
    );
    return rows.length > 0;
  }

  /** New recovery codes replacing any earlier ones; only their hashes are stored. */
  async issueRecoveryCodes(practice: string, member: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, readableSecret);
    await this.db.query('delete from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2', [practice, member]);
    await this.db.query(
      `insert into chartguard_auth.recovery_codes (practice_id, member_id, code_hash, created_at)
       select $1, $2, h, ${ts('$4')} from unnest($3::text[]) as h`,
      [practice, member, codes.map(recoveryHash), this.now()],
    );
    return codes;
  }

  async recoveryCodesLeft(practice: string, member: string): Promise<number> {
    const [r] = await this.db.query<{ n: number }>('select count(*)::int as n from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2', [practice, member]);
    return Number(r?.n ?? 0);
  }

  /** Uses up one recovery code when `use`: true when it was one of the member's. */
  async useRecoveryCode(practice: string, member: string, code: string, use: boolean): Promise<boolean> {
    const gone = await this.db.query(
      // The same index lookup either way: without `use` it looks for a hash no code has.
      "delete from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2 and code_hash = case when $4::boolean then $3 else '' end returning 1",
      [practice, member, recoveryHash(code), use],
    );
    return gone.length > 0;
  }
}

export function numberOrNull(v: string | number | null | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}
