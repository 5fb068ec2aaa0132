/**
 * Sign-in accounts and sessions (HIPAA 164.312(a)(2)(iii) automatic logoff, 164.312(d)
 * person authentication). One account per team member; passwords as argon2id hashes;
 * sessions stored only as the SHA-256 of their token; failed sign-ins slowed down per
 * username and per address, never into a lockout that the right password and second factor
 * cannot pass (see signIn); an optional TOTP second factor whose codes work once; one-time
 * recovery codes for the account owner. Sign-ins, failures, throttling, sign-outs, password
 * changes and resets are written to the practice's activity log through ChartGuard.audit().
 *
 * Who may reset a password or lift a member's throttle is the core's decision
 * (canResetPassword: team.manage, the account owner's only by the owner), asked by the caller.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify, type Options as ArgonOptions } from '@node-rs/argon2';
import { generateSecret, generateURI, verify as totpVerify } from 'otplib';
import { ChangeCache } from '../facts/change-cache.js';
import type { ChartGuard } from '../chartguard.js';
import type { Database } from '../db/database.js';
import { practiceProfile } from '../facts/profiles.js';

export interface AccountOptions {
  /** Automatic logoff after this much inactivity (default 15 minutes). */
  readonly idleMs?: number;
  /** A session ends this long after sign-in, active or not (default 12 hours). */
  readonly absoluteMs?: number;
  /** Failed sign-ins of one username (an account or not) before failures open backoff windows (default 5). */
  readonly freeFailures?: number;
  /** Failed sign-ins from one address before failures open backoff windows (default 20). */
  readonly addressFreeFailures?: number;
  /** The first backoff window (default 1 second); each further failure doubles it. */
  readonly backoffBaseMs?: number;
  /** The longest backoff window (default 15 minutes). */
  readonly backoffMaxMs?: number;
  /** A count starts over after this long without a failure (default 24 hours). */
  readonly forgetAfterMs?: number;
  /** Wrong passwords or codes one session may give when asked again (password or second-factor change) before it ends (default 3). */
  readonly sessionGuesses?: number;
  /** A browser stays trusted this long after its last sign-in (default 180 days). */
  readonly trustedDeviceMs?: number;
  /** argon2id cost; tests lower it. Defaults are the library's (19 MiB, 2 passes). */
  readonly hashOptions?: Pick<ArgonOptions, 'memoryCost' | 'timeCost'>;
  /** Where an error of work done after answering goes (default: console.error). */
  readonly onBackgroundError?: (err: unknown) => void;
}

export interface SessionInfo {
  readonly practice: string;
  readonly member: string;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
  readonly mustChangePassword: boolean;
}

/** One sign-in attempt as the server received it. */
export interface SignInAttempt {
  readonly username: string;
  readonly password: string;
  /** The authenticator app's 6-digit code. */
  readonly totp?: string | undefined;
  /** One of the account's recovery codes (instead of `totp`). */
  readonly recoveryCode?: string | undefined;
  /** The client's address (the server's request address). */
  readonly address: string;
  /** The trusted-browser token of the cg_device cookie, when the browser sent one. */
  readonly device?: string | undefined;
}

export type SignInResult =
  | {
      readonly ok: true;
      readonly token: string;
      readonly csrfToken: string;
      readonly session: SessionInfo;
      /** A new trusted-browser token for the cg_device cookie (null: keep the one sent). */
      readonly device: string | null;
    }
  | { readonly ok: false; readonly code: 'unauthenticated' | 'totp_required'; readonly detail: string }
  | { readonly ok: false; readonly code: 'too_many_requests'; readonly detail: string; readonly retryAfterSeconds: number };

/** A signed-in session asked to prove its member again. */
export interface SessionRef {
  readonly practice: string;
  readonly member: string;
  readonly token: string;
}

/** The answer to a re-authenticated change: done, or why not ('ended': too many wrong answers, the session is over). */
export type ReauthOutcome = 'changed' | 'wrong_password' | 'wrong_current_code' | 'current_code_required' | 'wrong_code' | 'ended';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;
const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

/**
 * The password hash, as one object so a test can count its calls (the sign-in of an unknown
 * username must verify exactly as often as a wrong password of a real one).
 */
export const passwordHashing = {
  hash: (password: string, options: ArgonOptions): Promise<string> => argonHash(password, options),
  verify: (hashed: string, password: string): Promise<boolean> => argonVerify(hashed, password).catch(() => false),
};

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

const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** 4 groups of 4 characters from an unambiguous alphabet (~79 bits). */
function readableSecret(): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) {
    if (i > 0 && i % 4 === 0) out += '-';
    out += READABLE[bytes[i]! % READABLE.length];
  }
  return out;
}

/** A readable temporary password: 4 groups of 4 characters from an unambiguous alphabet (~79 bits). */
export function temporaryPassword(): string {
  return readableSecret();
}

/** Recovery codes per issue. */
export const RECOVERY_CODES = 10;
/** A recovery code as stored: its SHA-256 (it is random, so no slow hash is needed), case, spaces and dashes ignored. */
const recoveryHash = (code: string) =>
  createHash('sha256').update('chartguard-recovery\n').update(code.toLowerCase().replace(/[\s-]/g, '')).digest('hex');

/** The throttle key of a username, whether or not such an account exists. */
export const accountKey = (username: string) => `account:${username}`;

/** The throttle key of a client address: IPv4 as it is, IPv6 by its /64 (one subscriber's block). */
export function addressKey(address: string): string {
  let a = address.trim().toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (a.startsWith('::ffff:') && a.includes('.')) a = a.slice(7);
  if (!a.includes(':')) return `address:${a}`;
  const [head = '', tail] = a.split('::', 2);
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `address:${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
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
  totp_last_step: string | number | null;
  must_change: boolean;
}

interface FailureRow {
  key: string;
  failures: number;
  second_factor_failures: number;
  blocked_until: number | null;
}

/** A secret no account has: an attempt with a code for an account without a second factor does the same work. */
const NO_SECRET = generateSecret();

export class Accounts {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly freeFailures: number;
  readonly addressFreeFailures: number;
  readonly sessionGuesses: number;
  readonly trustedDeviceMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly forgetAfterMs: number;
  private readonly hashOptions: ArgonOptions;
  private readonly dummyHash: Promise<string>;
  private readonly sessions: ChangeCache<StoredSession>;
  private readonly onBackgroundError: (err: unknown) => void;
  private backlog: Promise<void> = Promise.resolve();
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cg: ChartGuard,
    options: AccountOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 15 * MINUTE;
    this.absoluteMs = options.absoluteMs ?? 12 * 60 * MINUTE;
    this.freeFailures = options.freeFailures ?? 5;
    this.addressFreeFailures = options.addressFreeFailures ?? 20;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 15 * MINUTE;
    this.forgetAfterMs = options.forgetAfterMs ?? DAY;
    this.sessionGuesses = options.sessionGuesses ?? 3;
    this.trustedDeviceMs = options.trustedDeviceMs ?? 180 * DAY;
    this.hashOptions = { ...(options.hashOptions ?? {}) };
    this.onBackgroundError = options.onBackgroundError ?? ((err) => console.error('chartguard: could not write a sign-in entry of the activity log:', err));
    this.sessions = sessionCacheFor(cg.db);
    // The hash an unknown username is checked against, made now so no sign-in pays for it.
    this.dummyHash = this.hashPassword(randomBytes(16).toString('hex'));
    this.dummyHash.catch(() => undefined);
  }

  private get db() {
    return this.cg.db;
  }

  hashPassword(password: string): Promise<string> {
    return passwordHashing.hash(password, this.hashOptions);
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

  /** Resolves once the activity-log entries written after answering (failed sign-ins) are in. */
  settled(): Promise<void> {
    return this.backlog;
  }

  // ------------------------------------------------------------------ sign-in

  /**
   * Username, password and (when enrolled) a TOTP code or a recovery code: a new session,
   * or why not.
   *
   * Throttling (docs/api.md, "Sign-in, lockout and throttling"): failures are counted per
   * username as typed and per address; from a number of free failures on, each failure
   * opens a backoff window that doubles up to 15 minutes. Inside an address's window the
   * attempt is refused (429) unchecked; inside a username's window too, unless it carries a
   * second factor (a TOTP code or a recovery code), which is then checked with the password.
   * A browser that signed in to the account before (trusted-device cookie) passes both
   * windows. So an attacker can slow guessing but cannot keep out the member who has the
   * password and the second factor, or their usual browser.
   *
   * An unknown username takes the same path as a known one with a wrong password: the
   * same statements, the same password verification (against a dummy hash), the same
   * failure counter written. The practice's activity-log entry of a failure (known accounts
   * only) is written after the answer, not before it.
   */
  async signIn(a: SignInAttempt): Promise<SignInResult> {
    const now = this.cg.now();
    const keys = [accountKey(a.username), addressKey(a.address)] as const;
    const [user] = await this.db.query<UserRow>(
      `select practice_id, member_id, password_hash, totp_secret, totp_last_step, must_change
         from chartguard_auth.users where username = $1`,
      [a.username],
    );
    const counts = await this.db.query<FailureRow>(
      `select key, failures, second_factor_failures, case when blocked_until is null then null else ${ms('blocked_until')} end as blocked_until
         from chartguard_auth.sign_in_failures where key = any($1::text[])`,
      [[...keys]],
    );
    const accountCount = counts.find((c) => c.key === keys[0]);
    const windowOf = (key: string) => {
      const until = counts.find((c) => c.key === key)?.blocked_until;
      return until !== null && until !== undefined && Number(until) > now ? Number(until) : null;
    };
    const accountWindow = windowOf(keys[0]);
    const addressWindow = windowOf(keys[1]);
    const device = a.device ? await this.deviceOf(a.device) : null;
    const trusted = device !== null && user !== undefined && device.practice === user.practice_id && device.member === user.member_id && device.failures < this.freeFailures;
    const secondFactorGiven = a.totp !== undefined || a.recoveryCode !== undefined;

    // Inside a window nothing is checked, unless the attempt carries what a guesser lacks.
    if (!trusted && (addressWindow !== null || (accountWindow !== null && !secondFactorGiven))) {
      const until = Math.max(addressWindow ?? 0, secondFactorGiven ? 0 : (accountWindow ?? 0));
      return this.throttled(until, now, addressWindow === null);
    }
    const inAccountWindow = !trusted && accountWindow !== null;

    const dummy = await this.dummyHash;
    const passwordOk = await passwordHashing.verify(user?.password_hash ?? dummy, a.password);
    const secret = user?.totp_secret ?? null;
    // The code is checked whether or not the account has a second factor (the same work either way).
    const step = a.totp === undefined ? null : await this.totpStep(secret ?? NO_SECRET, a.totp, secret === null ? null : numberOrNull(user?.totp_last_step));

    if (passwordOk && user && secret !== null && !secondFactorGiven) {
      return { ok: false, code: 'totp_required', detail: 'Enter the code from your authenticator app.' };
    }

    let secondFactor: 'totp' | 'recovery_code' | null = null;
    let secondOk: boolean;
    if (a.recoveryCode !== undefined) {
      // Asked whatever the password and whether the account exists (the same statement); used up only with the right password.
      secondOk = (await this.useRecoveryCode(user?.practice_id ?? '', user?.member_id ?? '', a.recoveryCode, passwordOk)) && passwordOk && user !== undefined;
      if (secondOk) secondFactor = 'recovery_code';
    } else if (secret === null) {
      // No second factor: inside the username's window a code proves nothing.
      secondOk = !inAccountWindow;
    } else {
      const allowed = !inAccountWindow || Number(accountCount?.second_factor_failures ?? 0) < this.freeFailures;
      secondOk = passwordOk && allowed && step !== null && (await this.claimStep(user!.practice_id, user!.member_id, step));
      if (secondOk) secondFactor = 'totp';
    }

    if (!passwordOk || !user || !secondOk) {
      // A wrong code after a right password is also counted against the username's second factor, by the same statement.
      const failed = await this.countFailures(keys, now, passwordOk && secret !== null && a.totp !== undefined);
      if (trusted) await this.db.query('update chartguard_auth.trusted_devices set failures = failures + 1 where token_hash = $1', [tokenHash(a.device!)]);
      const reason = !passwordOk ? 'wrong_password' : a.recoveryCode !== undefined ? 'wrong_recovery_code' : secret !== null ? 'wrong_totp' : 'second_factor_required';
      const account = failed.find((f) => f.key === keys[0]);
      const until = account?.blocked_until === null || account?.blocked_until === undefined ? null : Number(account.blocked_until);
      if (user) {
        const detail = { reason, failures: Number(account?.failures ?? 0), address: a.address, ...(until !== null ? { retryAfterSeconds: Math.ceil((until - now) / 1000) } : {}) };
        this.later(() => this.audit(user.practice_id, user.member_id, 'sign_in', until !== null ? 'throttled' : 'refused', detail));
      }
      if (inAccountWindow) return this.throttled(Math.max(until ?? 0, accountWindow ?? 0), now, true);
      return { ok: false, code: 'unauthenticated', detail: secondFactorGiven ? 'Wrong username, password or code.' : 'Wrong username or password.' };
    }

    // Signed in: the counts of this username and address start over.
    const { practice_id: practice, member_id: member } = user;
    await this.db.query('delete from chartguard_auth.sign_in_failures where key = any($1::text[])', [[...keys]]);
    const newDevice = await this.trustDevice(practice, member, trusted ? a.device! : null, now);
    await this.prune(now);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = now + this.absoluteMs;
    await this.db.query(
      `insert into chartguard_auth.sessions (token_hash, practice_id, member_id, created_at, last_seen, expires_at)
       values ($1, $2, $3, ${ts('$4')}, ${ts('$4')}, ${ts('$5')})`,
      [tokenHash(token), practice, member, now, expiresAt],
    );
    const left = secondFactor === 'recovery_code' ? { recoveryCodesLeft: await this.recoveryCodesLeft(practice, member) } : {};
    await this.audit(practice, member, 'sign_in', 'signed_in', {
      secondFactor: secondFactor !== null,
      ...(secondFactor === 'recovery_code' ? { recoveryCode: true } : {}),
      ...left,
      trustedBrowser: trusted,
      address: a.address,
    });
    return {
      ok: true,
      token,
      csrfToken: csrfTokenFor(token),
      session: { practice, member, createdAt: now, lastSeen: now, expiresAt, mustChangePassword: user.must_change },
      device: newDevice,
    };
  }

  /** A refusal inside a window; `secondFactorHelps` when only the username's window holds the attempt back. */
  private throttled(until: number, now: number, secondFactorHelps: boolean): SignInResult {
    const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
    return {
      ok: false,
      code: 'too_many_requests',
      detail: secondFactorHelps
        ? `Too many failed sign-ins with this username: try again in ${retryAfterSeconds} s, or now with a code from your authenticator app or a recovery code.`
        : `Too many failed sign-ins from this address: try again in ${retryAfterSeconds} s.`,
      retryAfterSeconds,
    };
  }

  /**
   * One more failure of each key: the count (started over after a quiet day) and, from the
   * key's free failures on, a backoff window of base * 2^(failures - free), at most the maximum;
   * `secondFactorMiss` (a wrong code after a right password) also counts against the username's
   * second factor. One statement, the same whatever the password and the username, atomic
   * under concurrent attempts.
   */
  private countFailures(keys: readonly [string, string], now: number, secondFactorMiss = false): Promise<FailureRow[]> {
    const restart = `f.last_failure < excluded.last_failure - make_interval(secs => $4::float8 / 1000)`;
    const count = `(case when ${restart} then 1 else f.failures + 1 end)`;
    const window = (n: string, free: string) =>
      `case when ${n} >= ${free} then excluded.last_failure + make_interval(secs => least($6::float8, $5::float8 * power(2, least(${n} - ${free}, 40))) / 1000) end`;
    return this.db.query<FailureRow>(
      `insert into chartguard_auth.sign_in_failures as f (key, free_failures, failures, second_factor_failures, last_failure, blocked_until)
       select k.key, k.free, 1, k.second, ${ts('$3')}, ${window('1', 'k.free').replaceAll('excluded.last_failure', ts('$3'))}
         from unnest($1::text[], $2::int[], $7::int[]) as k(key, free, second)
       on conflict (key) do update set
         free_failures = excluded.free_failures,
         failures = ${count},
         second_factor_failures = (case when ${restart} then 0 else f.second_factor_failures end) + excluded.second_factor_failures,
         last_failure = excluded.last_failure,
         blocked_until = ${window(count, 'excluded.free_failures')}
       returning key, failures, second_factor_failures, case when blocked_until is null then null else ${ms('blocked_until')} end as blocked_until`,
      [[...keys], [this.freeFailures, this.addressFreeFailures], now, this.forgetAfterMs, this.backoffBaseMs, this.backoffMaxMs, [secondFactorMiss ? 1 : 0, 0]],
    );
  }

  /** Forgets counts a quiet day old (at most hourly, on a successful sign-in). */
  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60 * MINUTE) return;
    this.lastPrune = now;
    await this.db.query(
      `delete from chartguard_auth.sign_in_failures where last_failure < ${ts('$1')} and (blocked_until is null or blocked_until < ${ts('$2')})`,
      [now - this.forgetAfterMs, now],
    );
    await this.db.query(`delete from chartguard_auth.trusted_devices where last_used < ${ts('$1')}`, [now - this.trustedDeviceMs]);
  }

  // ---------------------------------------------------------- trusted browsers

  private async deviceOf(token: string): Promise<{ practice: string; member: string; failures: number } | null> {
    const [d] = await this.db.query<{ practice_id: string; member_id: string; failures: number; last_used: number }>(
      `select practice_id, member_id, failures, ${ms('last_used')} as last_used from chartguard_auth.trusted_devices where token_hash = $1`,
      [tokenHash(token)],
    );
    if (!d || this.cg.now() - Number(d.last_used) > this.trustedDeviceMs) return null;
    return { practice: d.practice_id, member: d.member_id, failures: Number(d.failures) };
  }

  /** Marks the browser trusted for the member: its token's use is recorded, or a new token is made (returned for the cookie). */
  private async trustDevice(practice: string, member: string, token: string | null, now: number): Promise<string | null> {
    if (token !== null) {
      await this.db.query(`update chartguard_auth.trusted_devices set last_used = ${ts('$2')}, failures = 0 where token_hash = $1`, [tokenHash(token), now]);
      return null;
    }
    const fresh = randomBytes(32).toString('base64url');
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

  // ------------------------------------------------------------------ sessions

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

  // ----------------------------------------------------------------- passwords

  /**
   * Sets a temporary password for a member (the caller has asked the core for team.manage),
   * lifts their sign-in throttle and ends all their sessions. Returns null when the member has no account.
   */
  async resetPassword(practice: string, actor: string, member: string): Promise<string | null> {
    const password = temporaryPassword();
    const hash = await this.hashPassword(password);
    const [row] = await this.db.query<{ username: string }>(
      `update chartguard_auth.users set password_hash = $3, must_change = true
        where practice_id = $1 and member_id = $2 returning username`,
      [practice, member, hash],
    );
    if (!row) return null;
    await this.db.query('delete from chartguard_auth.sign_in_failures where key = $1', [accountKey(row.username)]);
    const ended = await this.db.query('delete from chartguard_auth.sessions where practice_id = $1 and member_id = $2 returning 1', [practice, member]);
    this.sessions.forgetAll();
    await this.cg.audit(practice, {
      actor,
      action: 'password_reset',
      client: null,
      outcome: 'changed',
      detail: { member, summary: `Reset the password of ${await this.nameOf(practice, member)}`, sessionsEnded: ended.length },
    });
    return password;
  }

  /**
   * A member changes their own password, proving the current one. Their other sessions end;
   * this one stays. A wrong `current` counts as a failed sign-in of the account and address,
   * and the session ends at the `sessionGuesses`th wrong answer ('ended').
   */
  async changePassword(s: SessionRef, current: string, next: string, address: string): Promise<ReauthOutcome> {
    const wrong = await this.reauthenticate(s, current, address, 'password_change');
    if (wrong) return wrong;
    await this.db.query('update chartguard_auth.users set password_hash = $3, must_change = false where practice_id = $1 and member_id = $2', [
      s.practice,
      s.member,
      await this.hashPassword(next),
    ]);
    const ended = await this.db.query('delete from chartguard_auth.sessions where practice_id = $1 and member_id = $2 and token_hash <> $3 returning 1', [
      s.practice,
      s.member,
      tokenHash(s.token),
    ]);
    this.sessions.forgetAll();
    await this.audit(s.practice, s.member, 'password_change', 'changed', { member: s.member, otherSessionsEnded: ended.length });
    return 'changed';
  }

  /**
   * Asks a signed-in member for their password again. Null when right (the session's count
   * of wrong answers starts over); otherwise the failure is counted (see wrongAnswer).
   */
  private async reauthenticate(s: SessionRef, password: string, address: string, action: string): Promise<ReauthOutcome | null> {
    const [user] = await this.db.query<{ password_hash: string }>('select password_hash from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      s.practice,
      s.member,
    ]);
    if (!user || !(await passwordHashing.verify(user.password_hash, password))) return this.wrongAnswer(s, address, action, 'wrong_password');
    await this.db.query('update chartguard_auth.sessions set password_failures = 0 where token_hash = $1', [tokenHash(s.token)]);
    return null;
  }

  /**
   * A wrong password or code given by a signed-in session: a failed sign-in of the account's
   * username and of the address, and one more of the session's; at `sessionGuesses` the session ends.
   */
  private async wrongAnswer(s: SessionRef, address: string, action: string, reason: 'wrong_password' | 'wrong_current_code'): Promise<ReauthOutcome> {
    const h = tokenHash(s.token);
    const [row] = await this.db.query<{ password_failures: number }>(
      'update chartguard_auth.sessions set password_failures = password_failures + 1 where token_hash = $1 returning password_failures',
      [h],
    );
    const [user] = await this.db.query<{ username: string }>('select username from chartguard_auth.users where practice_id = $1 and member_id = $2', [s.practice, s.member]);
    if (user) await this.countFailures([accountKey(user.username), addressKey(address)], this.cg.now());
    const failures = Number(row?.password_failures ?? this.sessionGuesses);
    await this.audit(s.practice, s.member, action, 'refused', { reason, failures });
    if (failures < this.sessionGuesses) return reason;
    await this.db.query('delete from chartguard_auth.sessions where token_hash = $1', [h]);
    this.sessions.forget(h);
    await this.audit(s.practice, s.member, 'sign_out', 'ended', { reason: 'too_many_wrong_answers', failures });
    return 'ended';
  }

  /**
   * Lifts a member's sign-in throttle (the caller has asked the core, as for a password
   * reset): their username's count and window, their browsers' and their second factor's
   * counts. Address windows are not a member's and are left to run out. Null: no account.
   */
  async liftThrottle(practice: string, actor: string, member: string): Promise<{ failures: number } | null> {
    const [user] = await this.db.query<{ username: string }>(
      'select username from chartguard_auth.users where practice_id = $1 and member_id = $2',
      [practice, member],
    );
    if (!user) return null;
    const [row] = await this.db.query<{ failures: number }>('delete from chartguard_auth.sign_in_failures where key = $1 returning failures', [accountKey(user.username)]);
    await this.db.query('update chartguard_auth.trusted_devices set failures = 0 where practice_id = $1 and member_id = $2', [practice, member]);
    const failures = Number(row?.failures ?? 0);
    await this.cg.audit(practice, {
      actor,
      action: 'sign_in_throttle_lifted',
      client: null,
      outcome: failures > 0 ? 'changed' : 'unchanged',
      detail: { member, summary: `Lifted the sign-in throttle of ${await this.nameOf(practice, member)}`, failures },
    });
    return { failures };
  }

  // ------------------------------------------------------------ recovery codes

  /**
   * New one-time recovery codes for a member (the account owner's at setup), replacing any
   * earlier ones. Only their hashes are stored: the codes are shown this once.
   */
  async issueRecoveryCodes(practice: string, member: string, actor: string = member): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES }, readableSecret);
    await this.db.query('delete from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2', [practice, member]);
    await this.db.query(
      `insert into chartguard_auth.recovery_codes (practice_id, member_id, code_hash, created_at)
       select $1, $2, h, ${ts('$4')} from unnest($3::text[]) as h`,
      [practice, member, codes.map(recoveryHash), this.cg.now()],
    );
    await this.cg.audit(practice, { actor, action: 'recovery_codes_issued', client: null, outcome: 'changed', detail: { member, count: codes.length } });
    return codes;
  }

  /** Issues new recovery codes for a signed-in member who gives their password again. */
  async reissueRecoveryCodes(s: SessionRef, password: string, address: string): Promise<string[] | Exclude<ReauthOutcome, 'changed'>> {
    const wrong = await this.reauthenticate(s, password, address, 'recovery_codes_issued');
    if (wrong) return wrong as Exclude<ReauthOutcome, 'changed'>;
    return this.issueRecoveryCodes(s.practice, s.member);
  }

  async recoveryCodesLeft(practice: string, member: string): Promise<number> {
    const [r] = await this.db.query<{ n: number }>('select count(*)::int as n from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2', [practice, member]);
    return Number(r?.n ?? 0);
  }

  /** Uses up one recovery code when `use`: true when it was one of the member's. */
  private async useRecoveryCode(practice: string, member: string, code: string, use: boolean): Promise<boolean> {
    const gone = await this.db.query(
      // The same index lookup either way: without `use` it looks for a hash no code has.
      "delete from chartguard_auth.recovery_codes where practice_id = $1 and member_id = $2 and code_hash = case when $4::boolean then $3 else '' end returning 1",
      [practice, member, recoveryHash(code), use],
    );
    return gone.length > 0;
  }

  // ------------------------------------------------------------- second factor

  async totpEnabled(practice: string, member: string): Promise<boolean> {
    const [u] = await this.db.query<{ on: boolean }>('select totp_secret is not null as on from chartguard_auth.users where practice_id = $1 and member_id = $2', [
      practice,
      member,
    ]);
    return u?.on ?? false;
  }

  /** Starts enrolment: a new secret, kept pending (nothing changes) until confirmed. */
  async totpEnroll(practice: string, member: string, label: string): Promise<{ secret: string; uri: string }> {
    const secret = generateSecret();
    await this.db.query('update chartguard_auth.users set totp_pending = $3 where practice_id = $1 and member_id = $2', [practice, member, secret]);
    return { secret, uri: generateURI({ issuer: 'ChartGuard', label, secret }) };
  }

  /**
   * Turns the pending secret on, given a code from it, the member's password and, when a
   * second factor is already on (this replaces it), a current code of that one.
   */
  async totpConfirm(s: SessionRef, input: { code: string; password: string; currentCode?: string | undefined }, address: string): Promise<ReauthOutcome> {
    const wrong = await this.reauthenticate(s, input.password, address, 'totp_enrol');
    if (wrong) return wrong;
    const [u] = await this.db.query<{ totp_pending: string | null; totp_secret: string | null; totp_last_step: string | number | null }>(
      'select totp_pending, totp_secret, totp_last_step from chartguard_auth.users where practice_id = $1 and member_id = $2',
      [s.practice, s.member],
    );
    if (!u?.totp_pending) return 'wrong_code';
    const step = await this.totpStep(u.totp_pending, input.code, null);
    if (step === null) return 'wrong_code';
    const replacing = u.totp_secret !== null;
    if (replacing) {
      const current = await this.currentCode(s, u.totp_secret!, u.totp_last_step, input.currentCode, address, 'totp_enrol');
      if (current) return current;
    }
    const done = await this.db.query(
      `update chartguard_auth.users set totp_secret = totp_pending, totp_pending = null, totp_last_step = $3
        where practice_id = $1 and member_id = $2 and totp_pending = $4 returning 1`,
      [s.practice, s.member, step, u.totp_pending],
    );
    if (done.length === 0) return 'wrong_code';
    await this.audit(s.practice, s.member, 'totp_enrol', 'changed', { replaced: replacing });
    return 'changed';
  }

  /** Turns the second factor off, given a current code of it and the member's password. */
  async totpDisable(s: SessionRef, input: { code: string; password: string }, address: string): Promise<ReauthOutcome> {
    const wrong = await this.reauthenticate(s, input.password, address, 'totp_disable');
    if (wrong) return wrong;
    const [u] = await this.db.query<{ totp_secret: string | null; totp_last_step: string | number | null }>(
      'select totp_secret, totp_last_step from chartguard_auth.users where practice_id = $1 and member_id = $2',
      [s.practice, s.member],
    );
    if (!u?.totp_secret) return 'wrong_code';
    const current = await this.currentCode(s, u.totp_secret, u.totp_last_step, input.code, address, 'totp_disable');
    if (current) return current;
    await this.db.query('update chartguard_auth.users set totp_secret = null, totp_pending = null, totp_last_step = null where practice_id = $1 and member_id = $2', [
      s.practice,
      s.member,
    ]);
    await this.audit(s.practice, s.member, 'totp_disable', 'changed', {});
    return 'changed';
  }

  /** A current, unused code of the second factor in use: null when given and right (it is then used up). */
  private async currentCode(
    s: SessionRef,
    secret: string,
    lastStep: string | number | null,
    code: string | undefined,
    address: string,
    action: string,
  ): Promise<ReauthOutcome | null> {
    if (code === undefined) return 'current_code_required';
    const step = await this.totpStep(secret, code, numberOrNull(lastStep));
    if (step !== null && (await this.claimStep(s.practice, s.member, step))) return null;
    return this.wrongAnswer(s, address, action, 'wrong_current_code');
  }

  /** The time step a code matches (within one step of now), later than `after`; null when none. */
  private async totpStep(secret: string, code: string, after: number | null): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    try {
      const r = await totpVerify({ secret, token: code, epoch: Math.floor(this.cg.now() / 1000), epochTolerance: 30, ...(after !== null ? { afterTimeStep: after } : {}) });
      return r.valid ? Number((r as { timeStep?: number }).timeStep) : null;
    } catch {
      return null;
    }
  }

  /** Records a code's time step as used: false when it (or a later one) already was, by a racing attempt too. */
  private async claimStep(practice: string, member: string, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `update chartguard_auth.users set totp_last_step = $3
        where practice_id = $1 and member_id = $2 and (totp_last_step is null or totp_last_step < $3) returning 1`,
      [practice, member, step],
    );
    return rows.length > 0;
  }

  // -------------------------------------------------------------------- helpers

  private async nameOf(practice: string, member: string): Promise<string> {
    const m = (await practiceProfile(this.cg, practice))?.members.get(member);
    return m ? `${m.name} (${member})` : member;
  }

  /** Work done after answering (a failed sign-in's activity-log entry), in order. */
  private later(work: () => Promise<void>): void {
    this.backlog = this.backlog
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(work)
      .catch((err: unknown) => this.onBackgroundError(err));
  }

  private audit(practice: string, member: string, action: string, outcome: string, detail: Record<string, unknown>): Promise<void> {
    return this.cg.audit(practice, { actor: member, action, client: null, outcome, detail });
  }
}

function numberOrNull(v: string | number | null | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}
