-- The activity log, one table a month (PostgreSQL declarative partitioning by `at`), so a
-- practice keeps six years of entries (HIPAA 164.316(b)(2) retention) without slowing
-- today's reads: a time range reads only its months, and a month past retention is detached
-- whole, never deleted row by row. The app creates the months ahead (this month and the next
-- two, at start and daily: src/store/db/log-partitions.ts); an entry outside them lands in
-- the default partition, so an insert never fails.
--
-- A partitioned table's unique keys must hold the partition key, so the primary key becomes
-- (practice_id, seq, at); seq stays unique per practice because the chain numbers it under
-- the practice row's lock, and verify-log reports a gap or a repeat.
alter table chartguard.activity_log rename to activity_log_before_048;
drop index chartguard.activity_log_by_client;
drop index chartguard.activity_log_by_actor;
drop index chartguard.activity_log_by_action;
drop index chartguard.activity_log_by_outcome;
drop index chartguard.activity_log_by_time;
drop index chartguard.activity_log_off_client;
alter table chartguard.activity_log_before_048 drop constraint activity_log_pkey;

create table chartguard.activity_log (
  practice_id text not null,
  seq         bigint not null,
  at          timestamptz not null,
  actor       text,
  action      text not null,
  client_id   text,
  clients     text[] not null default '{}',
  outcome     text not null,
  detail      jsonb not null,
  prev_hash   text not null,
  hash        text not null,
  primary key (practice_id, seq, at)
) partition by range (at);

-- 001's and 044's indexes, and 047's partial one, declared once: every month has them.
create index activity_log_by_client on chartguard.activity_log (practice_id, client_id, seq);
create index activity_log_by_actor on chartguard.activity_log (practice_id, actor, seq);
create index activity_log_by_action on chartguard.activity_log (practice_id, action, seq);
create index activity_log_by_outcome on chartguard.activity_log (practice_id, outcome, seq);
create index activity_log_by_time on chartguard.activity_log (practice_id, at, seq);
create index activity_log_off_client on chartguard.activity_log (practice_id, seq)
  where cardinality(clients) > 0 and (client_id is null or client_id <> all(clients));

-- Append-only, as 001: row triggers on the parent are cloned to every month; TRUNCATE of a
-- month is refused by that month's own trigger (added where the month is created).
create trigger activity_log_no_update before update or delete on chartguard.activity_log
  for each row execute function chartguard.activity_log_append_only();
create trigger activity_log_no_truncate before truncate on chartguard.activity_log
  for each statement execute function chartguard.activity_log_append_only();

-- A new month (or the default): refuses TRUNCATE, and is closed to the app's role, which
-- reads and writes the log only through the parent, under its row-level security.
create function chartguard.seal_activity_log_part(p_part text) returns void language plpgsql as $$
begin
  execute format('create trigger activity_log_no_truncate before truncate on chartguard.%I
                  for each statement execute function chartguard.activity_log_append_only()', p_part);
  execute format('alter table chartguard.%I enable row level security', p_part);
  if exists (select 1 from pg_roles where rolname = 'chartguard_app') then
    execute format('revoke all on chartguard.%I from chartguard_app', p_part);
  end if;
end $$;

create table chartguard.activity_log_default partition of chartguard.activity_log default;
select chartguard.seal_activity_log_part('activity_log_default');

-- Creates the months from p_from's to p_to's that do not exist yet; returns how many it
-- created. A month whose entries already landed in the default partition is left there
-- (PostgreSQL cannot create it over them, and the log is never moved row by row).
create function chartguard.ensure_activity_log_months(p_from timestamptz, p_to timestamptz) returns integer
  language plpgsql as $$
declare
  m timestamptz := date_trunc('month', p_from, 'UTC');
  part text;
  created integer := 0;
begin
  -- One creator at a time (several servers over one database).
  perform pg_advisory_xact_lock(7317048);
  while m <= p_to loop
    part := 'activity_log_' || to_char(m at time zone 'UTC', '"y"YYYY"m"MM');
    if to_regclass('chartguard.' || part) is null
       and not exists (select 1 from chartguard.activity_log_default d where d.at >= m and d.at < m + interval '1 month') then
      execute format('create table chartguard.%I partition of chartguard.activity_log for values from (%L) to (%L)',
                     part, m, m + interval '1 month');
      perform chartguard.seal_activity_log_part(part);
      created := created + 1;
    end if;
    m := m + interval '1 month';
  end loop;
  return created;
end $$;

-- The months the existing entries span (six years back at most), and this month and the next
-- two; then the entries.
select chartguard.ensure_activity_log_months(
  least(greatest(coalesce((select min(at) from chartguard.activity_log_before_048), now()), now() - interval '6 years'), now()),
  greatest(coalesce((select max(at) from chartguard.activity_log_before_048), now()), now() + interval '2 months'));
insert into chartguard.activity_log select * from chartguard.activity_log_before_048;
drop table chartguard.activity_log_before_048;
