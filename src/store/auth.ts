/**
 * Sign-in accounts and sessions (HIPAA 164.312(a)(2)(iii) automatic logoff, 164.312(d)
 * person authentication). One account per team member; passwords as argon2id hashes;
 * sessions stored only as the SHA-256 of their token; a temporary lockout after repeated
 * failures; an optional TOTP second factor. Every sign-in, failure, lockout, sign-out and
 * password reset is written to the practice's activity log through ChartGuard.audit().
 *
 * Who may reset a password is the core's decision (team.manage), asked by the caller.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify, type Options as ArgonOptions } from '@node-rs/argon2';
import { generateSecret, generateURI, verify as totpVerify } from 'otplib';
import { ChangeCache } from './change-cache.js';
import type { ChartGuard } from './chartguard.js';
import type { Database } from './database.js';

export interface AccountOptions {
  /** Automatic logoff after this much inactivity (default 15 minutes). */
  readonly idleMs?: number;
  /** A session ends this long after sign-in, active or not (default 12 hours). */
  readonly absoluteMs?: number;
  /** Failures in a row before a temporary lockout (default 5). */
  readonly maxFailures?: number;
  /** Lockout length (default 15 minutes). */
  readonly lockoutMs?: number;
  /** argon2id cost; tests lower it. Defaults are the library's (19 MiB, 2 passes). */
  readonly hashOptions?: Pick<ArgonOptions, 'memoryCost' | 'timeCost'>;
}

export interface SessionInfo {
  readonly practice: string;
  readonly member: string;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
  readonly mustChangePassword: boolean;
}

export type SignInResult =
  | { readonly ok: true; readonly token: string; readonly csrfToken: string; readonly session: SessionInfo }
  | { readonly ok: false; readonly code: 'unauthenticated' | 'totp_required'; readonly detail: string }
  | { readonly ok: false; readonly code: 'locked_out'; readonly detail: string; readonly retryAfterSeconds: number };

const MINUTE = 60_000;
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

/** The CSRF token of a session: derived from its token, so it needs no storage and reveals nothing. */
export function csrfTokenFor(token: string): string {
  return createHash('sha256').update('chartguard-csrf\n').update(token).digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/** A readable temporary password: 4 groups of 4 characters from an unambiguous alphabet (~80 bits). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += alphabet[bytes[i]! % alphabet.length];
  }
  return out;
}

interface StoredSession {
  readonly practice: string;
  readonly member: string;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
  readonly mustChange: boolean;
}

/** Sessions by token hash, one cache per database (migration 030 notifies when one ends). */
const sessionCaches = new WeakMap<object, ChangeCache<StoredSession>>();
function sessionCacheFor(db: Database): ChangeCache<StoredSession> {
  let c = sessionCaches.get(db);
  if (!c) {
    c = new ChangeCache<StoredSession>(100_000);
    c.subscribe(db, 'chartguard_sessions');
    sessionCaches.set(db, c);
  }
  return c;
}

interface UserRow {
  practice_id: string;
  member_id: string;
  password_hash: string;
  totp_secret: string | null;
  failed_count: number;
  locked_until: number | null;
  must_change: boolean;
}

export class Accounts {
  readonly idleMs: number;
  readonly absoluteMs: number;
  private readonly maxFailures: number;
  private readonly lockoutMs: number;
  private readonly hashOptions: ArgonOptions;
  private dummyHash: Promise<string> | null = null;
  private readonly sessions: ChangeCache<StoredSession>;

  constructor(
    private readonly cg: ChartGuard,
    options: AccountOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 15 * MINUTE;
    this.absoluteMs = options.absoluteMs ?? 12 * 60 * MINUTE;
    this.maxFailures = options.maxFailures ?? 5;
    this.lockoutMs = options.lockoutMs ?? 15 * MINUTE;
    this.hashOptions = { ...(options.hashOptions ?? {}) };
    this.sessions = sessionCacheFor(cg.db);
  }

  private get db() {
    return this.cg.db;
  }

  hashPassword(password: string): Promise<string> {
    return argonHash(password, this.hashOptions);
  }

  /** Creates (or replaces the password of) the sign-in account of a team member. */
  async createUser(practice: string, member: string, username: string, password: string): Promise<void> {
    const hash = await this.hashPassword(password);
    await this.db.query(
      `insert into chartguard_auth.users (practice_id, member_id, username, password_hash) values ($1, $2, $3, $4)
       on conflict (practice_id, member_id) do update set username = excluded.username, password_hash = excluded.password_hash`,
      [practice, member, username, hash],
    );
  }

  async hasUsers(practice: string): Promise<boolean> {
    return (await this.db.query('select 1 from chartguard_auth.users where practice_id = $1 limit 1', [practice])).length > 0;
  }

  /** Username, password and (when enrolled) a TOTP code: a new session, or why not. */
  async signIn(username: string, password: string, totp?: string): Promise<SignInResult> {
    const now = this.cg.now();
    const [user] = await this.db.query<UserRow>(
      `select practice_id, member_id, password_hash, totp_secret, failed_count, must_change,
              case when locked_until is null then null else ${ms('locked_until')} end as locked_until
         from chartguard_auth.users where username = $1`,
      [username],
    );
    if (!user) {
      // Same work as for a real account, so timing does not tell which usernames exist.
      await argonVerify(await this.dummy(), password).catch(() => false);
      return { ok: false, code: 'unauthenticated', detail: 'Wrong username or password.' };
    }
    const { practice_id: practice, member_id: member } = user;
    if (user.locked_until !== null && Number(user.locked_until) > now) {
      const retryAfterSeconds = Math.ceil((Number(user.locked_until) - now) / 1000);
      await this.audit(practice, member, 'sign_in', 'refused', { reason: 'locked_out' });
      return { ok: false, code: 'locked_out', detail: 'Too many failed sign-ins: the account is locked for a while.', retryAfterSeconds };
    }
    const passwordOk = await argonVerify(user.password_hash, password).catch(() => false);
    if (passwordOk && user.totp_secret && totp === undefined) {
      return { ok: false, code: 'totp_required', detail: 'Enter the code from your authenticator app.' };
    }
    const totpOk = !user.totp_secret || (totp !== undefined && (await this.totpMatches(user.totp_secret, totp)));
    if (!passwordOk || !totpOk) {
      const [row] = await this.db.query<{ failed_count: number }>(
        'update chartguard_auth.users set failed_count = failed_count + 1 where practice_id = $1 and member_id = $2 returning failed_count',
        [practice, member],
      );
      const failures = Number(row?.failed_count ?? 0);
      const reason = passwordOk ? 'wrong_totp' : 'wrong_password';
      if (failures >= this.maxFailures) {
        await this.db.query(`update chartguard_auth.users set failed_count = 0, locked_until = ${ts('$3')} where practice_id = $1 and member_id = $2`, [
          practice,
          member,
          now + this.lockoutMs,
        ]);
        await this.audit(practice, member, 'sign_in', 'locked_out', { reason, failures, lockedForSeconds: this.lockoutMs / 1000 });
        return { ok: false, code: 'locked_out', detail: 'Too many failed sign-ins: the account is locked for a while.', retryAfterSeconds: this.lockoutMs / 1000 };
      }
      await this.audit(practice, member, 'sign_in', 'refused', { reason, failures });
      return { ok: false, code: 'unauthenticated', detail: passwordOk ? 'Wrong authentication code.' : 'Wrong username or password.' };
    }
    await this.db.query('update chartguard_auth.users set failed_count = 0, locked_until = null where practice_id = $1 and member_id = $2', [practice, member]);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.absoluteMs;
    await this.db.query(
      `insert into chartguard_auth.sessions (token_hash, practice_id, member_id, created_at, last_seen, expires_at)
       values ($1, $2, $3, ${ts('$4')}, ${ts('$4')}, ${ts('$5')})`,
      [tokenHash(token), practice, member, now, expiresAt],
    );
    await this.audit(practice, member, 'sign_in', 'signed_in', { secondFactor: Boolean(user.totp_secret) });
    return {
      ok: true,
      token,
      csrfToken: csrfTokenFor(token),
      session: { practice, member, createdAt: now, lastSeen: now, expiresAt, mustChangePassword: user.must_change },
    };
  }

  /**
   * The session of a token, or null when there is none, it expired, or it sat idle too
   * long (then it is removed and the automatic logoff logged). `touch` records activity.
   */
  async session(token: string, touch: boolean): Promise<SessionInfo | null> {
    const now = this.cg.now();
    const h = tokenHash(token);
    const cached = this.sessions.get(h);
    let row = cached ?? (await this.loadSession(h));
    if (!row) return null;
    if (now >= row.expiresAt || now - row.lastSeen >= this.idleMs) {
      // A cached copy may be behind: another process may have seen activity since. Ask the database.
      if (cached) {
        this.sessions.forget(h);
        return this.session(token, touch);
      }
      const gone = await this.db.query('delete from chartguard_auth.sessions where token_hash = $1 returning 1', [h]);
      if (gone.length > 0) await this.audit(row.practice, row.member, 'sign_out', 'expired', { reason: now >= row.expiresAt ? 'session_expired' : 'idle_timeout' });
      return null;
    }
    // Activity is recorded at most every 5 seconds: enough for a 15-minute idle timer.
    if (touch && now - row.lastSeen >= 5000) {
      const ticket = this.sessions.ticket();
      const still = await this.db.query(`update chartguard_auth.sessions set last_seen = ${ts('$2')} where token_hash = $1 returning 1`, [h, now]);
      if (still.length === 0) {
        this.sessions.forget(h);
        return null;
      }
      row = { ...row, lastSeen: now };
      this.sessions.set(h, row, ticket);
    }
    return {
      practice: row.practice,
      member: row.member,
      createdAt: row.createdAt,
      lastSeen: touch ? now : row.lastSeen,
      expiresAt: row.expiresAt,
      mustChangePassword: row.mustChange,
    };
  }

  /** A session as stored, cached while change notifications reach this process. */
  private async loadSession(h: string): Promise<StoredSession | null> {
    const ticket = this.sessions.ticket();
    const [r] = await this.db.query<{ practice_id: string; member_id: string; created_at: number; last_seen: number; expires_at: number; must_change: boolean }>(
      `select s.practice_id, s.member_id, ${ms('s.created_at')} as created_at, ${ms('s.last_seen')} as last_seen, ${ms('s.expires_at')} as expires_at, u.must_change
         from chartguard_auth.sessions s join chartguard_auth.users u using (practice_id, member_id) where s.token_hash = $1`,
      [h],
    );
    if (!r) return null;
    const row: StoredSession = {
      practice: r.practice_id,
      member: r.member_id,
      createdAt: Number(r.created_at),
      lastSeen: Number(r.last_seen),
      expiresAt: Number(r.expires_at),
      mustChange: r.must_change,
    };
    this.sessions.set(h, row, ticket);
    return row;
  }

  async signOut(token: string): Promise<void> {
    const h = tokenHash(token);
    const [row] = await this.db.query<{ practice_id: string; member_id: string }>(
      'delete from chartguard_auth.sessions where token_hash = $1 returning practice_id, member_id',
      [h],
    );
    this.sessions.forget(h);
    if (row) await this.audit(row.practice_id, row.member_id, 'sign_out', 'signed_out', {});
  }

  /**
   * Sets a temporary password for a member (the caller has asked the core for team.manage),
   * lifts a lockout and ends the member's sessions. Returns null when the member has no account.
   */
  async resetPassword(practice: string, actor: string, member: string): Promise<string | null> {
    const password = temporaryPassword();
    const hash = await this.hashPassword(password);
    const rows = await this.db.query(
      `update chartguard_auth.users set password_hash = $3, failed_count = 0, locked_until = null, must_change = true
        where practice_id = $1 and member_id = $2 returning 1`,
      [practice, member, hash],
    );
    if (rows.length === 0) return null;
    await this.db.query('delete from chartguard_auth.sessions where practice_id = $1 and member_id = $2', [practice, member]);
    this.sessions.forgetAll();
    await this.cg.audit(practice, { actor, action: 'password_reset', client: null, outcome: 'changed', detail: { member } });
    return password;
  }

  /** A member changes their own password, proving the current one. */
  async changePassword(practice: string, member: string, current: string, next: string): Promise<boolean> {
    const [user] = await this.db.query<{ password_hash: string }>('select password_hash from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    if (!user || !(await argonVerify(user.password_hash, current).catch(() => false))) {
      await this.audit(practice, member, 'password_change', 'refused', { reason: 'wrong_password' });
      return false;
    }
    await this.db.query('update chartguard_auth.users set password_hash = $3, must_change = false where practice_id = $1 and member_id = $2', [
      practice,
      member,
      await this.hashPassword(next),
    ]);
    this.sessions.forgetAll();
    await this.audit(practice, member, 'password_change', 'changed', {});
    return true;
  }

  // ------------------------------------------------------------- second factor

  async totpEnabled(practice: string, member: string): Promise<boolean> {
    const [u] = await this.db.query<{ on: boolean }>('select totp_secret is not null as on from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    return u?.on ?? false;
  }

  /** Starts enrolment: a new secret, kept pending until a code from it is confirmed. */
  async totpEnroll(practice: string, member: string, label: string): Promise<{ secret: string; uri: string }> {
    const secret = generateSecret();
    await this.db.query('update chartguard_auth.users set totp_pending = $3 where practice_id = $1 and member_id = $2', [practice, member, secret]);
    return { secret, uri: generateURI({ issuer: 'ChartGuard', label, secret }) };
  }

  async totpConfirm(practice: string, member: string, code: string): Promise<boolean> {
    const [u] = await this.db.query<{ totp_pending: string | null }>('select totp_pending from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    if (!u?.totp_pending || !(await this.totpMatches(u.totp_pending, code))) return false;
    await this.db.query('update chartguard_auth.users set totp_secret = totp_pending, totp_pending = null where practice_id = $1 and member_id = $2', [practice, member]);
    await this.audit(practice, member, 'totp_enrol', 'changed', {});
    return true;
  }

  async totpDisable(practice: string, member: string, code: string): Promise<boolean> {
    const [u] = await this.db.query<{ totp_secret: string | null }>('select totp_secret from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    if (!u?.totp_secret || !(await this.totpMatches(u.totp_secret, code))) return false;
    await this.db.query('update chartguard_auth.users set totp_secret = null, totp_pending = null where practice_id = $1 and member_id = $2', [practice, member]);
    await this.audit(practice, member, 'totp_disable', 'changed', {});
    return true;
  }

  private async totpMatches(secret: string, code: string): Promise<boolean> {
    if (!/^\d{6}$/.test(code)) return false;
    try {
      const r = await totpVerify({ secret, token: code, epoch: Math.floor(this.cg.now() / 1000), epochTolerance: 30 });
      return r.valid;
    } catch {
      return false;
    }
  }

  private dummy(): Promise<string> {
    return (this.dummyHash ??= this.hashPassword(randomBytes(16).toString('hex')));
  }

  private audit(practice: string, member: string, action: string, outcome: string, detail: Record<string, unknown>): Promise<void> {
    return this.cg.audit(practice, { actor: member, action, client: null, outcome, detail });
  }
}
