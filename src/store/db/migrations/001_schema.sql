-- ChartGuard schema. Every table carries the practice id, and every key and index leads
-- with it: no query crosses practices, and the tables can be sharded by practice.
create schema if not exists chartguard;

create table chartguard.practices (
  id               text primary key,
  name             text not null,
  client_directory text not null default 'by_role' check (client_directory in ('by_role', 'all_staff')),
  log_seq          bigint not null default 0,
  log_head         text not null default '',
  created_at       timestamptz not null default now()
);

create table chartguard.members (
  practice_id  text not null references chartguard.practices(id),
  id           text not null,
  display_name text not null,
  roles        text[] not null,
  created_at   timestamptz not null default now(),
  primary key (practice_id, id)
);

create table chartguard.supervisions (
  practice_id text not null,
  supervisor  text not null,
  supervisee  text not null,
  primary key (practice_id, supervisee, supervisor),
  foreign key (practice_id, supervisor) references chartguard.members(practice_id, id),
  foreign key (practice_id, supervisee) references chartguard.members(practice_id, id)
);

create table chartguard.clients (
  practice_id       text not null,
  id                text not null,
  name              text not null,
  contact           text not null default '',
  primary_clinician text not null,
  restricted        boolean not null default false,
  shared_with_all   boolean not null default false,
  person            text,
  created_at        timestamptz not null default now(),
  primary key (practice_id, id),
  foreign key (practice_id, primary_clinician) references chartguard.members(practice_id, id)
);
create index clients_by_primary on chartguard.clients (practice_id, primary_clinician);
create index clients_by_name on chartguard.clients (practice_id, name, id);

create table chartguard.clinical_grants (
  practice_id text not null,
  client_id   text not null,
  member_id   text not null,
  expires_at  timestamptz,
  granted_at  timestamptz not null default now(),
  primary key (practice_id, client_id, member_id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id),
  foreign key (practice_id, member_id) references chartguard.members(practice_id, id)
);
create index clinical_grants_by_member on chartguard.clinical_grants (practice_id, member_id, client_id);

create table chartguard.administrative_revocations (
  practice_id text not null,
  client_id   text not null,
  member_id   text not null,
  revoked_at  timestamptz not null default now(),
  primary key (practice_id, client_id, member_id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id),
  foreign key (practice_id, member_id) references chartguard.members(practice_id, id)
);
create index administrative_revocations_by_member on chartguard.administrative_revocations (practice_id, member_id, client_id);

create table chartguard.notes (
  practice_id text not null,
  id          text not null,
  client_id   text not null,
  author      text not null,
  kind        text not null check (kind in ('clinical', 'missed_appointment', 'contact', 'miscellaneous')),
  body        text not null default '',
  signed_at   timestamptz,
  cosigned_by text,
  cosigned_at timestamptz,
  deleted_at  timestamptz,
  created_at  timestamptz not null default now(),
  primary key (practice_id, id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id)
);
create index notes_by_client on chartguard.notes (practice_id, client_id);

create table chartguard.appointments (
  practice_id text not null,
  id          text not null,
  client_id   text not null,
  clinician   text not null,
  fee         numeric(14, 2) not null check (fee >= 0),
  starts_at   timestamptz not null,
  primary key (practice_id, id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id)
);
create index appointments_by_client on chartguard.appointments (practice_id, client_id);
create index appointments_by_time on chartguard.appointments (practice_id, starts_at);

create table chartguard.insurance_payments (
  practice_id text not null,
  id          text not null,
  amount      numeric(14, 2) not null check (amount >= 0),
  created_at  timestamptz not null default now(),
  primary key (practice_id, id)
);

create table chartguard.insurance_payment_clients (
  practice_id text not null,
  payment_id  text not null,
  client_id   text not null,
  share       numeric(14, 2) not null,
  primary key (practice_id, payment_id, client_id),
  foreign key (practice_id, payment_id) references chartguard.insurance_payments(practice_id, id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id)
);
create index insurance_payment_clients_by_client on chartguard.insurance_payment_clients (practice_id, client_id);

create table chartguard.messages (
  practice_id text not null,
  id          text not null,
  client_id   text not null,
  author      text not null,
  body        text not null default '',
  created_at  timestamptz not null default now(),
  primary key (practice_id, id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id)
);
create index messages_by_client on chartguard.messages (practice_id, client_id);

create table chartguard.tasks (
  practice_id text not null,
  id          text not null,
  client_id   text not null,
  assignee    text not null,
  creator     text not null,
  title       text not null default '',
  created_at  timestamptz not null default now(),
  primary key (practice_id, id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id)
);
create index tasks_by_assignee on chartguard.tasks (practice_id, assignee);

create table chartguard.notifications (
  practice_id text not null,
  id          bigint generated always as identity,
  recipient   text not null,
  event       text not null,
  client_id   text,
  created_at  timestamptz not null default now(),
  read_at     timestamptz,
  primary key (practice_id, id)
);
create index notifications_by_recipient on chartguard.notifications (practice_id, recipient);

create table chartguard.email_outbox (
  practice_id text not null,
  id          bigint generated always as identity,
  recipient   text not null,
  subject     text not null,
  body        text not null,
  client_id   text,
  created_at  timestamptz not null default now(),
  sent_at     timestamptz,
  primary key (practice_id, id)
);

-- The activity log is append-only and hash-chained per practice: each entry's hash covers
-- the previous entry's hash, so an edited or removed entry breaks the chain.
create table chartguard.activity_log (
  practice_id text not null,
  seq         bigint not null,
  at          timestamptz not null,
  actor       text,
  action      text not null,
  client_id   text,
  -- every client the entry concerns (client_id is the main one); empty for practice-level entries
  clients     text[] not null default '{}',
  outcome     text not null,
  detail      jsonb not null,
  prev_hash   text not null,
  hash        text not null,
  primary key (practice_id, seq)
);
create index activity_log_by_client on chartguard.activity_log (practice_id, client_id, seq);

create function chartguard.activity_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'the activity log is append-only';
end $$;
create trigger activity_log_no_update before update or delete on chartguard.activity_log
  for each row execute function chartguard.activity_log_append_only();
create trigger activity_log_no_truncate before truncate on chartguard.activity_log
  for each statement execute function chartguard.activity_log_append_only();
