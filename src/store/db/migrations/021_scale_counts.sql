-- More for large practices (BENCHMARKS.md), read by src/store/reads/client-page.ts.

-- "My calendar": the appointments of one clinician in time order.
create index appointments_by_clinician on chartguard.appointments (practice_id, clinician, starts_at);

-- How many clients a practice has, kept per statement: the total of a client list for a
-- member who sees every client but the revoked ones, without counting 100,000 rows.
create table chartguard.practice_client_counts (
  practice_id text primary key,
  clients     bigint not null default 0
);

create function chartguard.practice_client_counts_added() returns trigger
language plpgsql security definer set search_path = chartguard, pg_temp as $f$
begin
  insert into chartguard.practice_client_counts as t (practice_id, clients)
  select practice_id, count(*) from added group by practice_id
  on conflict (practice_id) do update set clients = t.clients + excluded.clients;
  return null;
end $f$;
create trigger practice_client_counts_insert after insert on chartguard.clients
  referencing new table as added for each statement execute function chartguard.practice_client_counts_added();

create function chartguard.practice_client_counts_removed() returns trigger
language plpgsql security definer set search_path = chartguard, pg_temp as $f$
begin
  update chartguard.practice_client_counts t set clients = t.clients - r.n
    from (select practice_id, count(*) as n from removed group by practice_id) r
   where t.practice_id = r.practice_id;
  return null;
end $f$;
create trigger practice_client_counts_delete after delete on chartguard.clients
  referencing old table as removed for each statement execute function chartguard.practice_client_counts_removed();

insert into chartguard.practice_client_counts (practice_id, clients)
select practice_id, count(*) from chartguard.clients group by practice_id;

alter table chartguard.practice_client_counts enable row level security;
create policy chartguard_access on chartguard.practice_client_counts
  using (practice_id = current_setting('chartguard.practice_id', true) and current_setting('chartguard.mode', true) = 'system')
  with check (practice_id = current_setting('chartguard.practice_id', true) and current_setting('chartguard.mode', true) = 'system');
