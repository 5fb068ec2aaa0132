-- Sign-in accounts and sessions. They live in their own schema, which the application role
-- (chartguard_app, row-level security) has no grant on: a member-mode read can never reach a
-- password hash or a session. Only the store's sign-in code (src/store/auth/) uses them.
create schema if not exists chartguard_auth;

create table chartguard_auth.users (
  practice_id     text not null,
  member_id       text not null,
  username        text not null unique,
  password_hash   text not null,                 -- argon2id (PHC string)
  totp_secret     text,                          -- base32; null: no second factor
  totp_pending    text,                          -- a secret being enrolled, not yet confirmed
  failed_count    integer not null default 0,
  locked_until    timestamptz,
  must_change     boolean not null default false, -- set by a password reset
  created_at      timestamptz not null default now(),
  primary key (practice_id, member_id),
  foreign key (practice_id, member_id) references chartguard.members(practice_id, id)
);

-- Only a SHA-256 of the session token is stored: a copy of this table signs nobody in.
create table chartguard_auth.sessions (
  token_hash  text primary key,
  practice_id text not null,
  member_id   text not null,
  created_at  timestamptz not null,
  last_seen   timestamptz not null,
  expires_at  timestamptz not null,
  foreign key (practice_id, member_id) references chartguard_auth.users(practice_id, member_id)
);
create index sessions_by_member on chartguard_auth.sessions (practice_id, member_id);
