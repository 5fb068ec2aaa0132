-- Idempotency-Key (src/server/idempotency.ts): a create retried with the same key by the same
-- member answers the first result and creates nothing. Kept in chartguard_auth (no grant to
-- the application role): a stored answer can hold client data. status is null while the
-- first request is in flight. Keys are kept a day.
create table chartguard_auth.idempotency_keys (
  practice_id  text not null,
  member_id    text not null,
  key          text not null,
  request_hash text not null,
  status       integer,
  content_type text,
  body         text,
  created_at   timestamptz not null default now(),
  primary key (practice_id, member_id, key)
);
create index idempotency_keys_by_age on chartguard_auth.idempotency_keys (created_at);
