/**
 * Signing in: username, password and (when enrolled) a TOTP code or a recovery code give a
 * new session, or why not, under the sign-in throttle (throttle.ts) that trusted browsers
 * (trusted-devices.ts) pass. Accounts.signIn is the entry point.
 */
import type { Failure, Result } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { csrfTokenFor } from './csrf.js';
import { passwordHashing } from './secrets.js';
import { NO_SECRET, numberOrNull, type SecondFactor } from './second-factor.js';
import type { SessionAudit, SessionInfo, Sessions } from './sessions.js';
import { accountKey, addressKey, type FailureRow, type SignInThrottle } from './throttle.js';
import type { TrustedDevices } from './trusted-devices.js';

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

/**
 * A sign-in's outcome. Its failures are not the core's refusals (no rule refused a
 * permission): they are the outcomes of authentication, a closed union of their own, each
 * with the sentence the server answers (`detail`) and, when slowed down, the wait.
 */
export type SignInFailure =
  | (Failure<'unauthenticated' | 'totp_required'> & { readonly detail: string })
  | (Failure<'too_many_requests'> & { readonly detail: string; readonly retryAfterSeconds: number });

export type SignInResult = Result<
  {
    readonly token: string;
    readonly csrfToken: string;
    readonly session: SessionInfo;
    /** A new trusted-browser token for the cg_device cookie (null: keep the one sent). */
    readonly device: string | null;
  },
  SignInFailure
>;

interface UserRow {
  practice_id: string;
  member_id: string;
  password_hash: string;
  totp_secret: string | null;
  totp_last_step: string | number | null;
  must_change: boolean;
  /** The practice's idle logoff in minutes (null: the server's) and its second-factor requirement. */
  idle_logoff_minutes: number | null;
  require_second_factor: boolean;
}

const MINUTE = 60_000;

/** What signing in works with: the account's parts, as Accounts made them. */
export interface SignInParts {
  readonly db: Queryable;
  readonly now: () => number;
  readonly freeFailures: number;
  readonly throttle: SignInThrottle;
  readonly devices: TrustedDevices;
  readonly secondFactor: SecondFactor;
  readonly sessions: Sessions;
  /** The hash an unknown username is checked against. */
  readonly dummyHash: Promise<string>;
  readonly audit: SessionAudit;
  /** Work done after answering (a failed sign-in's activity-log entry), in order. */
  readonly later: (work: () => Promise<void>) => void;
}

export class SignIns {
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(private readonly parts: SignInParts) {}

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
    const now = this.parts.now();
    const keys = [accountKey(a.username), addressKey(a.address)] as const;
    const [user] = await this.parts.db.query<UserRow>(
      `select u.practice_id, u.member_id, u.password_hash, u.totp_secret, u.totp_last_step, u.must_change, p.idle_logoff_minutes, p.require_second_factor
         from chartguard_auth.users u join chartguard.practices p on p.id = u.practice_id where u.username = $1
          -- A deactivated member cannot sign in: to the sign-in, their account is not there.
          and exists (select 1 from chartguard.members m where m.practice_id = u.practice_id and m.id = u.member_id and m.active)`,
      [a.username],
    );
    const counts = await this.parts.throttle.counts(keys);
    const accountCount = counts.find((c) => c.key === keys[0]);
    const windowOf = (key: string) => {
      const until = counts.find((c) => c.key === key)?.blocked_until;
      return until !== null && until !== undefined && Number(until) > now ? Number(until) : null;
    };
    const accountWindow = windowOf(keys[0]);
    const addressWindow = windowOf(keys[1]);
    const device = a.device ? await this.parts.devices.of(a.device) : null;
    const trusted = device !== null && user !== undefined && device.practice === user.practice_id && device.member === user.member_id && device.failures < this.parts.freeFailures;
    const secondFactorGiven = a.totp !== undefined || a.recoveryCode !== undefined;

    // Inside a window nothing is checked, unless the attempt carries what a guesser lacks.
    if (!trusted && (addressWindow !== null || (accountWindow !== null && !secondFactorGiven))) {
      const until = Math.max(addressWindow ?? 0, secondFactorGiven ? 0 : (accountWindow ?? 0));
      return this.throttled(until, now, addressWindow === null);
    }
    const inAccountWindow = !trusted && accountWindow !== null;

    const dummy = await this.parts.dummyHash;
    const passwordOk = await passwordHashing.verify(user?.password_hash ?? dummy, a.password);
    const secret = user?.totp_secret ?? null;
    // The code is checked whether or not the account has a second factor (the same work either way).
    const step = a.totp === undefined ? null : await this.parts.secondFactor.step(secret ?? NO_SECRET, a.totp, secret === null ? null : numberOrNull(user?.totp_last_step));

    if (passwordOk && user && secret !== null && !secondFactorGiven) {
      return { ok: false, code: 'totp_required', detail: 'Enter the code from your authenticator app.' };
    }
    const second = await this.checkSecondFactor(a, user, passwordOk, step, inAccountWindow, accountCount);
    if (!passwordOk || !user || !second.ok) {
      return this.failedSignIn(a, user, { keys, now, passwordOk, trusted, inAccountWindow, accountWindow });
    }
    return this.openSession(a, user, { keys, now, trusted, secondFactor: second.factor });
  }

  /** The second factor's answer: a recovery code, a TOTP code, or none needed. */
  private async checkSecondFactor(
    a: SignInAttempt,
    user: UserRow | undefined,
    passwordOk: boolean,
    step: number | null,
    inAccountWindow: boolean,
    accountCount: FailureRow | undefined,
  ): Promise<{ ok: boolean; factor: 'totp' | 'recovery_code' | null }> {
    const secret = user?.totp_secret ?? null;
    if (a.recoveryCode !== undefined) {
      // Asked whatever the password and whether the account exists (the same statement); used up only with the right password.
      const ok = (await this.parts.secondFactor.useRecoveryCode(user?.practice_id ?? '', user?.member_id ?? '', a.recoveryCode, passwordOk)) && passwordOk && user !== undefined;
      return { ok, factor: ok ? 'recovery_code' : null };
    }
    // No second factor: inside the username's window a code proves nothing.
    if (secret === null) return { ok: !inAccountWindow, factor: null };
    const allowed = !inAccountWindow || Number(accountCount?.second_factor_failures ?? 0) < this.parts.freeFailures;
    const ok = passwordOk && allowed && step !== null && (await this.parts.secondFactor.claim(user!.practice_id, user!.member_id, step));
    return { ok, factor: ok ? 'totp' : null };
  }

  /** A failed attempt: counted against the username and the address (and the trusted browser), logged after answering. */
  private async failedSignIn(
    a: SignInAttempt,
    user: UserRow | undefined,
    at: { keys: readonly [string, string]; now: number; passwordOk: boolean; trusted: boolean; inAccountWindow: boolean; accountWindow: number | null },
  ): Promise<SignInResult> {
    const { keys, now, passwordOk } = at;
    const secret = user?.totp_secret ?? null;
    const secondFactorGiven = a.totp !== undefined || a.recoveryCode !== undefined;
    // A wrong code after a right password is also counted against the username's second factor, by the same statement.
    const failed = await this.parts.throttle.count(keys, now, passwordOk && secret !== null && a.totp !== undefined);
    if (at.trusted) await this.parts.devices.failed(a.device!);
    const reason = !passwordOk ? 'wrong_password' : a.recoveryCode !== undefined ? 'wrong_recovery_code' : secret !== null ? 'wrong_totp' : 'second_factor_required';
    const account = failed.find((f) => f.key === keys[0]);
    const until = account?.blocked_until === null || account?.blocked_until === undefined ? null : Number(account.blocked_until);
    if (user) {
      const detail = { reason, failures: Number(account?.failures ?? 0), address: a.address, ...(until !== null ? { retryAfterSeconds: Math.ceil((until - now) / 1000) } : {}) };
      this.parts.later(() => this.parts.audit(user.practice_id, user.member_id, 'sign_in', until !== null ? 'throttled' : 'refused', detail));
    }
    if (at.inAccountWindow) return this.throttled(Math.max(until ?? 0, at.accountWindow ?? 0), now, true);
    return { ok: false, code: 'unauthenticated', detail: secondFactorGiven ? 'Wrong username, password or code.' : 'Wrong username or password.' };
  }

  /** Signed in: the counts of this username and address start over, the browser is trusted, a session starts. */
  private async openSession(
    a: SignInAttempt,
    user: UserRow,
    at: { keys: readonly [string, string]; now: number; trusted: boolean; secondFactor: 'totp' | 'recovery_code' | null },
  ): Promise<SignInResult> {
    const { keys, now, trusted, secondFactor } = at;
    const { practice_id: practice, member_id: member } = user;
    await this.parts.throttle.clear(keys);
    const newDevice = await this.parts.devices.trust(practice, member, trusted ? a.device! : null, now);
    await this.prune(now);
    const { token, expiresAt } = await this.parts.sessions.start(practice, member, now);
    const left = secondFactor === 'recovery_code' ? { recoveryCodesLeft: await this.parts.secondFactor.recoveryCodesLeft(practice, member) } : {};
    await this.parts.audit(practice, member, 'sign_in', 'signed_in', {
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
      session: {
        practice,
        member,
        createdAt: now,
        lastSeen: now,
        expiresAt,
        mustChangePassword: user.must_change,
        idleMs: this.parts.sessions.idleMs(user.idle_logoff_minutes === null ? null : Number(user.idle_logoff_minutes)),
        // The practice requires a second factor this member has not set up: enrolling comes first (app.ts).
        mustEnrollSecondFactor: user.require_second_factor && user.totp_secret === null,
      },
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

  /** Forgets counts a quiet day old (at most hourly, on a successful sign-in). */
  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60 * MINUTE) return;
    this.lastPrune = now;
    await this.parts.throttle.prune(now);
    await this.parts.devices.prune(now);
  }
}
