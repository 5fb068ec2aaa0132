-- Indexes and a summary table for practices of 100,000 clients and 1,000,000 appointments
-- (BENCHMARKS.md). Read by src/store/reads/client-page.ts and src/store/reads/report-scope.ts.

-- Clients shared with all clinicians (003) are few: a partial index finds them without
-- scanning the practice.
create index clients_shared_with_all on chartguard.clients (practice_id, id) where shared_with_all;

-- Per-client income: appointment fees plus shares of insurance payments (READING.md: a fee
-- is a charge), kept by triggers, so a report sums one row per client instead of every
-- appointment.
create table chartguard.client_income (
  practice_id text not null,
  client_id   text not null,
  fees        numeric(16, 2) not null default 0,
  shares      numeric(16, 2) not null default 0,
  -- Appointments and payment shares counted in: a client with none has no report row.
  entries     integer not null default 0,
  primary key (practice_id, client_id)
);

create function chartguard.client_income_add(p_practice text, p_client text, p_fees numeric, p_shares numeric, p_entries integer)
returns void language sql security definer set search_path = chartguard, pg_temp as $f$
  insert into chartguard.client_income as i (practice_id, client_id, fees, shares, entries)
  values (p_practice, p_client, p_fees, p_shares, p_entries)
  on conflict (practice_id, client_id) do update
    set fees = i.fees + excluded.fees, shares = i.shares + excluded.shares, entries = i.entries + excluded.entries
$f$;

create function chartguard.client_income_from_appointments() returns trigger
language plpgsql security definer set search_path = chartguard, pg_temp as $f$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform chartguard.client_income_add(old.practice_id, old.client_id, -old.fee, 0, -1); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform chartguard.client_income_add(new.practice_id, new.client_id, new.fee, 0, 1); end if;
  return null;
end $f$;
create trigger client_income after insert or update or delete on chartguard.appointments
  for each row execute function chartguard.client_income_from_appointments();

create function chartguard.client_income_from_payments() returns trigger
language plpgsql security definer set search_path = chartguard, pg_temp as $f$
begin
  if tg_op in ('UPDATE', 'DELETE') then perform chartguard.client_income_add(old.practice_id, old.client_id, 0, -old.share, -1); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform chartguard.client_income_add(new.practice_id, new.client_id, 0, new.share, 1); end if;
  return null;
end $f$;
create trigger client_income after insert or update or delete on chartguard.insurance_payment_clients
  for each row execute function chartguard.client_income_from_payments();

insert into chartguard.client_income (practice_id, client_id, fees, shares, entries)
select practice_id, client_id, sum(fee), sum(share), count(*) from (
  select practice_id, client_id, fee, 0::numeric as share from chartguard.appointments
  union all
  select practice_id, client_id, 0, share from chartguard.insurance_payment_clients
) x group by practice_id, client_id;

-- Read in system mode only (src/store/reads/report-scope.ts applies the member's scope).
alter table chartguard.client_income enable row level security;
create policy chartguard_access on chartguard.client_income
  using (practice_id = current_setting('chartguard.practice_id', true) and current_setting('chartguard.mode', true) = 'system')
  with check (practice_id = current_setting('chartguard.practice_id', true) and current_setting('chartguard.mode', true) = 'system');
