/**
 * Sessions (HIPAA 164.312(a)(2)(iii) automatic logoff): stored only as the SHA-256 of their
 * token, ended after their practice's idle logoff (its setting, else `idleMs`) without
 * activity or `absoluteMs` after sign-in, cached in process while change notifications
 * (migrations 030, 053) say when one ends anywhere or its practice's settings change.
 */
import type { Database } from '../db/database.js';
import { ms, ts } from '../facts/facts.js';
import { ChangeCache } from '../facts/change-cache.js';
import { randomToken, tokenHash } from './secrets.js';

export interface SessionInfo {
  readonly practice: string;
  readonly member: string;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
  readonly mustChangePassword: boolean;
  /** Automatic logoff after this much inactivity (the practice's setting, else the server's). */
  readonly idleMs: number;
  /** The practice requires a second factor and the member has none: they enroll before anything else. */
  readonly mustEnrollSecondFactor: boolean;
}

interface StoredSession {
  readonly practice: string;
  readonly member: string;
  readonly createdAt: number;
  readonly lastSeen: number;
  readonly expiresAt: number;
  readonly mustChange: boolean;
  /** The practice's idle logoff in minutes (null: the server's). */
  readonly idleMinutes: number | null;
  readonly mustEnroll: boolean;
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

/**
 * Forgets this process's cached sessions of `db`: a practice's session settings or a second
 * factor changed here, or a transaction outside Sessions ended some (a deactivation, a
 * password reset by email) and its change notification may not have arrived yet.
 */
export function forgetCachedSessions(db: Database): void {
  sessionCaches.get(db)?.forgetAll();
}

/** Writes a session's activity-log entry (sign-outs). */
export type SessionAudit = (practice: string, member: string, action: string, outcome: string, detail: Record<string, unknown>) => Promise<void>;

export class Sessions {
  private readonly cache: ChangeCache<StoredSession>;

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly limits: { readonly idleMs: number; readonly absoluteMs: number },
    private readonly audit: SessionAudit,
  ) {
    this.cache = sessionCacheFor(db);
  }

  /** A new session of the member from `now`: its token (shown once) and when it ends. */
  async start(practice: string, member: string, now: number): Promise<{ token: string; expiresAt: number }> {
    const token = randomToken();
    const expiresAt = now + this.limits.absoluteMs;
    await this.db.query(
      `insert into chartguard_auth.sessions (token_hash, practice_id, member_id, created_at, last_seen, expires_at)
       values ($1, $2, $3, ${ts('$4')}, ${ts('$4')}, ${ts('$5')})`,
      [tokenHash(token), practice, member, now, expiresAt],
    );
    return { token, expiresAt };
  }

  /**
   * The session of a token, or null when there is none, it expired, or it sat idle too
   * long (then it is removed and the automatic logoff logged). `touch` records activity.
   */
  async session(token: string, touch: boolean): Promise<SessionInfo | null> {
    const now = this.now();
    const h = tokenHash(token);
    const cached = this.cache.get(h);
    let row = cached ?? (await this.load(h));
    if (!row) return null;
    const idleMs = this.idleMs(row.idleMinutes);
    if (now >= row.expiresAt || now - row.lastSeen >= idleMs) {
      // A cached copy may be behind: another process may have seen activity since. Ask the database.
      if (cached) {
        this.cache.forget(h);
        return this.session(token, touch);
      }
      const gone = await this.db.query('delete from chartguard_auth.sessions where token_hash = $1 returning 1', [h]);
      if (gone.length > 0) await this.audit(row.practice, row.member, 'sign_out', 'expired', { reason: now >= row.expiresAt ? 'session_expired' : 'idle_timeout' });
      return null;
    }
    // Activity is recorded at most every 5 seconds: enough for a 15-minute idle timer.
    if (touch && now - row.lastSeen >= 5000) {
      const ticket = this.cache.ticket();
      const still = await this.db.query(`update chartguard_auth.sessions set last_seen = ${ts('$2')} where token_hash = $1 returning 1`, [h, now]);
      if (still.length === 0) {
        this.cache.forget(h);
        return null;
      }
      row = { ...row, lastSeen: now };
      this.cache.set(h, row, ticket);
    }
    return {
      practice: row.practice,
      member: row.member,
      createdAt: row.createdAt,
      lastSeen: touch ? now : row.lastSeen,
      expiresAt: row.expiresAt,
      mustChangePassword: row.mustChange,
      idleMs,
      mustEnrollSecondFactor: row.mustEnroll,
    };
  }

  /** The idle logoff of a practice whose setting is `minutes` (null: the server's). */
  idleMs(minutes: number | null): number {
    return minutes === null ? this.limits.idleMs : minutes * 60_000;
  }

  /** A session as stored, cached while change notifications reach this process. */
  private async load(h: string): Promise<StoredSession | null> {
    const ticket = this.cache.ticket();
    const [r] = await this.db.query<{
      practice_id: string;
      member_id: string;
      created_at: number;
      last_seen: number;
      expires_at: number;
      must_change: boolean;
      idle_logoff_minutes: number | null;
      must_enroll: boolean;
    }>(
      `select s.practice_id, s.member_id, ${ms('s.created_at')} as created_at, ${ms('s.last_seen')} as last_seen, ${ms('s.expires_at')} as expires_at, u.must_change,
              p.idle_logoff_minutes, (p.require_second_factor and u.totp_secret is null) as must_enroll
         from chartguard_auth.sessions s join chartguard_auth.users u using (practice_id, member_id)
         join chartguard.practices p on p.id = s.practice_id
        where s.token_hash = $1`,
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
      idleMinutes: r.idle_logoff_minutes === null ? null : Number(r.idle_logoff_minutes),
      mustEnroll: r.must_enroll,
    };
    this.cache.set(h, row, ticket);
    return row;
  }

  async signOut(token: string): Promise<void> {
    const h = tokenHash(token);
    const [row] = await this.db.query<{ practice_id: string; member_id: string }>(
      'delete from chartguard_auth.sessions where token_hash = $1 returning practice_id, member_id',
      [h],
    );
    this.cache.forget(h);
    if (row) await this.audit(row.practice_id, row.member_id, 'sign_out', 'signed_out', {});
  }

  /** Ends one session (no log entry: the caller writes its own). */
  async end(token: string): Promise<void> {
    const h = tokenHash(token);
    await this.db.query('delete from chartguard_auth.sessions where token_hash = $1', [h]);
    this.cache.forget(h);
  }

  /** Ends every session of a member but `keep` (a token, or null): how many ended. */
  async endAll(practice: string, member: string, keep: string | null): Promise<number> {
    const ended =
      keep === null
        ? await this.db.query('delete from chartguard_auth.sessions where practice_id = $1 and member_id = $2 returning 1', [practice, member])
        : await this.db.query('delete from chartguard_auth.sessions where practice_id = $1 and member_id = $2 and token_hash <> $3 returning 1', [practice, member, tokenHash(keep)]);
    this.cache.forgetAll();
    return ended.length;
  }

  /** A right answer when asked again: the session's count of wrong ones starts over. */
  async answeredRight(token: string): Promise<void> {
    await this.db.query('update chartguard_auth.sessions set password_failures = 0 where token_hash = $1', [tokenHash(token)]);
  }

  /** A wrong answer when asked again: the session's count of them (undefined when the session is gone). */
  async answeredWrong(token: string): Promise<number | undefined> {
    const [row] = await this.db.query<{ password_failures: number }>(
      'update chartguard_auth.sessions set password_failures = password_failures + 1 where token_hash = $1 returning password_failures',
      [tokenHash(token)],
    );
    return row ? Number(row.password_failures) : undefined;
  }
}
