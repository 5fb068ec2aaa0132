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
import { randomBytes } from 'node:crypto';
import type { Options as ArgonOptions } from '@node-rs/argon2';
import type { ChartGuard } from '../chartguard.js';
import { practiceProfile } from '../facts/profiles.js';
import { csrfTokenFor } from './csrf.js';
import { passwordHashing, temporaryPassword } from './secrets.js';
import { numberOrNull, SecondFactor } from './second-factor.js';
import { SignIns, type SignInAttempt, type SignInResult } from './sign-in.js';
import { forgetCachedSessions, Sessions, type SessionInfo } from './sessions.js';
import { accountKey, addressKey, SignInThrottle } from './throttle.js';
import { TrustedDevices } from './trusted-devices.js';

export type { SessionInfo } from './sessions.js';
export type { SignInAttempt, SignInResult } from './sign-in.js';

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

/** A signed-in session asked to prove its member again. */
export interface SessionRef {
  readonly practice: string;
  readonly member: string;
  readonly token: string;
}

/**
 * The answer to a re-authenticated change: done, or why not ('ended': too many wrong answers,
 * the session is over; 'required_by_practice': the practice requires a second factor).
 */
export type ReauthOutcome = 'changed' | 'wrong_password' | 'wrong_current_code' | 'current_code_required' | 'wrong_code' | 'ended' | 'required_by_practice';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export class Accounts {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly freeFailures: number;
  readonly addressFreeFailures: number;
  readonly sessionGuesses: number;
  readonly trustedDeviceMs: number;
  private readonly hashOptions: ArgonOptions;
  private readonly dummyHash: Promise<string>;
  private readonly sessions: Sessions;
  private readonly throttle: SignInThrottle;
  private readonly devices: TrustedDevices;
  private readonly secondFactor: SecondFactor;
  private readonly signIns: SignIns;
  private readonly onBackgroundError: (err: unknown) => void;
  private backlog: Promise<void> = Promise.resolve();

  constructor(
    private readonly cg: ChartGuard,
    options: AccountOptions = {},
  ) {
    this.idleMs = options.idleMs ?? 15 * MINUTE;
    this.absoluteMs = options.absoluteMs ?? 12 * 60 * MINUTE;
    this.freeFailures = options.freeFailures ?? 5;
    this.addressFreeFailures = options.addressFreeFailures ?? 20;
    this.sessionGuesses = options.sessionGuesses ?? 3;
    this.trustedDeviceMs = options.trustedDeviceMs ?? 180 * DAY;
    this.hashOptions = { ...(options.hashOptions ?? {}) };
    this.onBackgroundError = options.onBackgroundError ?? ((err) => console.error('chartguard: could not write a sign-in entry of the activity log:', err));
    const now = () => cg.now();
    this.sessions = new Sessions(cg.db, now, { idleMs: this.idleMs, absoluteMs: this.absoluteMs }, (...entry) => this.audit(...entry));
    this.throttle = new SignInThrottle(cg.db, {
      freeFailures: this.freeFailures,
      addressFreeFailures: this.addressFreeFailures,
      backoffBaseMs: options.backoffBaseMs ?? 1000,
      backoffMaxMs: options.backoffMaxMs ?? 15 * MINUTE,
      forgetAfterMs: options.forgetAfterMs ?? DAY,
    });
    this.devices = new TrustedDevices(cg.db, now, this.trustedDeviceMs);
    this.secondFactor = new SecondFactor(cg.db, now);
    // The hash an unknown username is checked against, made now so no sign-in pays for it.
    this.dummyHash = this.hashPassword(randomBytes(16).toString('hex'));
    this.dummyHash.catch(() => undefined);
    this.signIns = new SignIns({
      db: cg.db,
      now,
      freeFailures: this.freeFailures,
      throttle: this.throttle,
      devices: this.devices,
      secondFactor: this.secondFactor,
      sessions: this.sessions,
      dummyHash: this.dummyHash,
      audit: (...entry) => this.audit(...entry),
      later: (work) => this.later(work),
    });
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

  /** The members of a practice who have a sign-in account (the rest are yet to accept an invitation). */
  async membersWithAccounts(practice: string): Promise<Set<string>> {
    const rows = await this.db.query<{ member_id: string }>('select member_id from chartguard_auth.users where practice_id = $1', [practice]);
    return new Set(rows.map((r) => r.member_id));
  }

  async hasUsers(practice: string): Promise<boolean> {
    return (await this.db.query('select 1 from chartguard_auth.users where practice_id = $1 limit 1', [practice])).length > 0;
  }

  /** Resolves once the activity-log entries written after answering (failed sign-ins) are in. */
  settled(): Promise<void> {
    return this.backlog;
  }

  // ------------------------------------------------------------------ sign-in

  /** Username, password and (when enrolled) a TOTP code or a recovery code: a new session, or why not (sign-in.ts). */
  signIn(a: SignInAttempt): Promise<SignInResult> {
    return this.signIns.signIn(a);
  }

  // ------------------------------------------------------------------ sessions

  /**
   * The session of a token, or null when there is none, it expired, or it sat idle too
   * long (then it is removed and the automatic logoff logged). `touch` records activity.
   */
  session(token: string, touch: boolean): Promise<SessionInfo | null> {
    return this.sessions.session(token, touch);
  }

  /**
   * Signs in a member who has just made their account or set their password through a
   * one-time link (setup, invitation, password reset), which proved who they are: a new
   * session, logged as a sign-in by that link.
   */
  async startSession(practice: string, member: string, via: 'setup' | 'invitation' | 'password_reset', address: string): Promise<{ token: string; csrfToken: string; session: SessionInfo }> {
    const now = this.cg.now();
    const { token } = await this.sessions.start(practice, member, now);
    await this.audit(practice, member, 'sign_in', 'signed_in', { via, secondFactor: false, address });
    // As any other session reads it: the practice's automatic logoff and second-factor requirement included.
    const session = await this.sessions.session(token, false);
    if (!session) throw new Error(`the session just started for ${member} is gone`);
    return { token, csrfToken: csrfTokenFor(token), session };
  }

  signOut(token: string): Promise<void> {
    return this.sessions.signOut(token);
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
    await this.throttle.clear([accountKey(row.username)]);
    const ended = await this.sessions.endAll(practice, member, null);
    await this.cg.audit(practice, {
      actor,
      action: 'password_reset',
      client: null,
      outcome: 'changed',
      detail: { member, summary: `Reset the password of ${await this.nameOf(practice, member)}`, sessionsEnded: ended },
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
    const ended = await this.sessions.endAll(s.practice, s.member, s.token);
    await this.audit(s.practice, s.member, 'password_change', 'changed', { member: s.member, otherSessionsEnded: ended });
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
    await this.sessions.answeredRight(s.token);
    return null;
  }

  /**
   * A wrong password or code given by a signed-in session: a failed sign-in of the account's
   * username and of the address, and one more of the session's; at `sessionGuesses` the session ends.
   */
  private async wrongAnswer(s: SessionRef, address: string, action: string, reason: 'wrong_password' | 'wrong_current_code'): Promise<ReauthOutcome> {
    const counted = await this.sessions.answeredWrong(s.token);
    const [user] = await this.db.query<{ username: string }>('select username from chartguard_auth.users where practice_id = $1 and member_id = $2', [s.practice, s.member]);
    if (user) await this.throttle.count([accountKey(user.username), addressKey(address)], this.cg.now());
    const failures = counted ?? this.sessionGuesses;
    await this.audit(s.practice, s.member, action, 'refused', { reason, failures });
    if (failures < this.sessionGuesses) return reason;
    await this.sessions.end(s.token);
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
    const failures = await this.throttle.lift(user.username);
    await this.devices.forgive(practice, member);
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
    const codes = await this.secondFactor.issueRecoveryCodes(practice, member);
    await this.cg.audit(practice, { actor, action: 'recovery_codes_issued', client: null, outcome: 'changed', detail: { member, count: codes.length } });
    return codes;
  }

  /** Issues new recovery codes for a signed-in member who gives their password again. */
  async reissueRecoveryCodes(s: SessionRef, password: string, address: string): Promise<string[] | Exclude<ReauthOutcome, 'changed'>> {
    const wrong = await this.reauthenticate(s, password, address, 'recovery_codes_issued');
    if (wrong) return wrong as Exclude<ReauthOutcome, 'changed'>;
    return this.issueRecoveryCodes(s.practice, s.member);
  }

  recoveryCodesLeft(practice: string, member: string): Promise<number> {
    return this.secondFactor.recoveryCodesLeft(practice, member);
  }

  // ------------------------------------------------------------- second factor

  totpEnabled(practice: string, member: string): Promise<boolean> {
    return this.secondFactor.enabled(practice, member);
  }

  /** Starts enrolment: a new secret, kept pending (nothing changes) until confirmed. */
  totpEnroll(practice: string, member: string, label: string): Promise<{ secret: string; uri: string }> {
    return this.secondFactor.enroll(practice, member, label);
  }

  /**
   * Turns the pending secret on, given a code from it, the member's password and, when a
   * second factor is already on (this replaces it), a current code of that one.
   */
  async totpConfirm(s: SessionRef, input: { code: string; password: string; currentCode?: string | undefined }, address: string): Promise<ReauthOutcome> {
    const wrong = await this.reauthenticate(s, input.password, address, 'totp_enrol');
    if (wrong) return wrong;
    const u = await this.secondFactor.secrets(s.practice, s.member);
    if (!u?.totp_pending) return 'wrong_code';
    const step = await this.secondFactor.step(u.totp_pending, input.code, null);
    if (step === null) return 'wrong_code';
    const replacing = u.totp_secret !== null;
    if (replacing) {
      const current = await this.currentCode(s, u.totp_secret!, u.totp_last_step, input.currentCode, address, 'totp_enrol');
      if (current) return current;
    }
    if (!(await this.secondFactor.confirm(s.practice, s.member, u.totp_pending, step))) return 'wrong_code';
    // A session that had to enroll first may now do everything (others learn it by notification, migration 053).
    forgetCachedSessions(this.db);
    await this.audit(s.practice, s.member, 'totp_enrol', 'changed', { replaced: replacing });
    return 'changed';
  }

  /** Turns the second factor off, given a current code of it and the member's password. */
  async totpDisable(s: SessionRef, input: { code: string; password: string }, address: string): Promise<ReauthOutcome> {
    const [p] = await this.db.query<{ required: boolean }>('select require_second_factor as required from chartguard.practices where id = $1', [s.practice]);
    if (p?.required) return 'required_by_practice';
    const wrong = await this.reauthenticate(s, input.password, address, 'totp_disable');
    if (wrong) return wrong;
    const u = await this.secondFactor.secrets(s.practice, s.member);
    if (!u?.totp_secret) return 'wrong_code';
    const current = await this.currentCode(s, u.totp_secret, u.totp_last_step, input.code, address, 'totp_disable');
    if (current) return current;
    await this.secondFactor.disable(s.practice, s.member);
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
    const step = await this.secondFactor.step(secret, code, numberOrNull(lastStep));
    if (step !== null && (await this.secondFactor.claim(s.practice, s.member, step))) return null;
    return this.wrongAnswer(s, address, action, 'wrong_current_code');
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
