-- Sign-in throttling instead of a hard lockout, one-time TOTP codes, recovery codes and
-- trusted browsers (src/store/auth/; docs/api.md "Sign-in, lockout and throttling").
-- Everything stays in chartguard_auth, which the application role cannot read.

-- The hard lockout (5 failures: 15 minutes for everyone, the real person included) is gone.
alter table chartguard_auth.users drop column failed_count;
alter table chartguard_auth.users drop column locked_until;

-- A code of the authenticator app is accepted once: the time step of the last accepted code
-- (null: none yet).
alter table chartguard_auth.users add column totp_last_step bigint;

-- Failed sign-ins per key: 'account:' || the username as typed (whether or not such an
-- account exists, so unknown and known usernames are throttled alike) and 'address:' || the
-- client address (an IPv6 address by its /64). From free_failures on, each failure opens a
-- backoff window (blocked_until) that doubles, up to a maximum. A quiet day forgets the count.
-- second_factor_failures (a username's): wrong codes after a right password; from the free
-- failures on, a code no longer passes the username's window.
create table chartguard_auth.sign_in_failures (
  key                     text primary key,
  free_failures           integer not null,
  failures                integer not null,
  second_factor_failures  integer not null default 0,
  last_failure            timestamptz not null,
  blocked_until           timestamptz
);
create index sign_in_failures_by_last on chartguard_auth.sign_in_failures (last_failure);

-- Browsers that signed in to an account (the cookie cg_device holds the token; only its
-- SHA-256 is stored). Their attempts are not held back by the account's or the address's
-- window, so an anonymous attacker cannot keep a member out of the browser they use.
create table chartguard_auth.trusted_devices (
  token_hash  text primary key,
  practice_id text not null,
  member_id   text not null,
  created_at  timestamptz not null,
  last_used   timestamptz not null,
  failures    integer not null default 0,
  foreign key (practice_id, member_id) references chartguard_auth.users(practice_id, member_id) on delete cascade
);
create index trusted_devices_by_member on chartguard_auth.trusted_devices (practice_id, member_id, last_used);

-- One-time recovery codes (the account owner's, issued at setup): SHA-256 of each code.
create table chartguard_auth.recovery_codes (
  practice_id text not null,
  member_id   text not null,
  code_hash   text not null,
  created_at  timestamptz not null,
  primary key (practice_id, member_id, code_hash),
  foreign key (practice_id, member_id) references chartguard_auth.users(practice_id, member_id) on delete cascade
);

-- Wrong passwords (or codes) given to a session's re-authentication (password change,
-- second-factor change): the session ends at the limit.
alter table chartguard_auth.sessions add column password_failures integer not null default 0;
