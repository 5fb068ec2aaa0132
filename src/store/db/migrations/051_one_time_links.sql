-- One-time links (src/store/auth/one-time-links.ts): a new practice's setup link and a team
-- member's invitation. Like sessions, only the SHA-256 of the token is stored, in the schema the
-- application role cannot read: a copy of this table opens nothing. A link works once
-- (used_at) and until expires_at.
create table chartguard_auth.one_time_links (
  token_hash  text primary key,
  kind        text not null check (kind in ('setup', 'invitation', 'password_reset')),
  -- null: the setup link of `chartguard start --no-demo`, whose practice is named at setup
  practice_id text references chartguard.practices(id),
  -- the member the link is for; null for a setup link (it is the account owner's)
  member_id   text,
  expires_at  timestamptz not null,
  used_at     timestamptz,
  created_at  timestamptz not null,
  check ((kind = 'setup') = (member_id is null)),
  check (member_id is null or practice_id is not null),
  foreign key (practice_id, member_id) references chartguard.members(practice_id, id)
);
-- A new link ends the unused ones of the same kind for the same practice and member.
create index one_time_links_unused on chartguard_auth.one_time_links (kind, practice_id, member_id) where used_at is null;

-- A member's email address (invitations, the owner's setup). Another change may add it first.
alter table chartguard.members add column if not exists email text;
