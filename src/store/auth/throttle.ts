/**
 * The sign-in throttle (docs/api.md, "Sign-in, lockout and throttling"): failures counted
 * per username as typed and per address; from a number of free failures on, each failure
 * opens a backoff window that doubles up to a maximum. Counts start over after a quiet day.
 * Accounts.signIn decides what a window holds back.
 */
import type { Queryable } from '../db/database.js';
import { ms, ts } from '../facts/facts.js';

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

export interface FailureRow {
  key: string;
  failures: number;
  second_factor_failures: number;
  blocked_until: number | null;
}

export interface ThrottleSettings {
  readonly freeFailures: number;
  readonly addressFreeFailures: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly forgetAfterMs: number;
}

export class SignInThrottle {
  constructor(
    private readonly db: Queryable,
    private readonly settings: ThrottleSettings,
  ) {}

  /** The counts and windows of these keys (the username's, the address's). */
  counts(keys: readonly string[]): Promise<FailureRow[]> {
    return this.db.query<FailureRow>(
      `select key, failures, second_factor_failures, case when blocked_until is null then null else ${ms('blocked_until')} end as blocked_until
         from chartguard_auth.sign_in_failures where key = any($1::text[])`,
      [[...keys]],
    );
  }

  /**
   * One more failure of each key: the count (started over after a quiet day) and, from the
   * key's free failures on, a backoff window of base * 2^(failures - free), at most the maximum;
   * `secondFactorMiss` (a wrong code after a right password) also counts against the username's
   * second factor. One statement, the same whatever the password and the username, atomic
   * under concurrent attempts.
   */
  count(keys: readonly [string, string], now: number, secondFactorMiss = false): Promise<FailureRow[]> {
    const restart = `f.last_failure < excluded.last_failure - make_interval(secs => $4::float8 / 1000)`;
    const count = `(case when ${restart} then 1 else f.failures + 1 end)`;
    const window = (n: string, free: string) =>
      `case when ${n} >= ${free} then excluded.last_failure + make_interval(secs => least($6::float8, $5::float8 * power(2, least(${n} - ${free}, 40))) / 1000) end`;
    const s = this.settings;
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
      [[...keys], [s.freeFailures, s.addressFreeFailures], now, s.forgetAfterMs, s.backoffBaseMs, s.backoffMaxMs, [secondFactorMiss ? 1 : 0, 0]],
    );
  }

  /** Starts the counts of these keys over (a successful sign-in, a password reset). */
  async clear(keys: readonly string[]): Promise<void> {
    await this.db.query('delete from chartguard_auth.sign_in_failures where key = any($1::text[])', [[...keys]]);
  }

  /** Lifts a username's count and window: how many failures it had. */
  async lift(username: string): Promise<number> {
    const [row] = await this.db.query<{ failures: number }>('delete from chartguard_auth.sign_in_failures where key = $1 returning failures', [accountKey(username)]);
    return Number(row?.failures ?? 0);
  }

  /** Forgets counts a quiet day old whose window has run out. */
  async prune(now: number): Promise<void> {
    await this.db.query(
      `delete from chartguard_auth.sign_in_failures where last_failure < ${ts('$1')} and (blocked_until is null or blocked_until < ${ts('$2')})`,
      [now - this.settings.forgetAfterMs, now],
    );
  }
}
