-- Paged reports (src/store/reads/report-scope.ts, BENCHMARKS.md): the totals without summing
-- every client, and a page without sorting them.

-- Client id order, the core's order (reports.ts compareClientIds: code points, PostgreSQL's
-- "C" collation): a page walks this index from its cursor. It indexes no column the
-- income triggers update, so their updates of client_income stay HOT.
create index client_income_by_client on chartguard.client_income (practice_id, client_id collate "C");

-- Per practice: how many clients have an amount (entries > 0) and the sum of every
-- client's amount (a client without entries sums to zero), kept per statement on
-- client_income: the income allocation's total (001) and the count of omitted clients.
create table chartguard.practice_income (
  practice_id text primary key,
  clients     bigint not null default 0,
  amount      numeric(18, 2) not null default 0
);

create function chartguard.practice_income_changed() returns trigger
language plpgsql security definer set search_path = chartguard, pg_temp as $f$
begin
  -- Each branch names only the transition tables its trigger declares.
  if tg_op = 'INSERT' then
    insert into chartguard.practice_income as t (practice_id, clients, amount)
    select practice_id, count(*) filter (where entries > 0), sum(fees + shares) from added group by practice_id
    on conflict (practice_id) do update set clients = t.clients + excluded.clients, amount = t.amount + excluded.amount;
  elsif tg_op = 'UPDATE' then
    insert into chartguard.practice_income as t (practice_id, clients, amount)
    select practice_id, sum(clients), sum(amount) from (
      select practice_id, (entries > 0)::int as clients, fees + shares as amount from added
      union all
      select practice_id, -(entries > 0)::int, -(fees + shares) from removed
    ) x group by practice_id
    on conflict (practice_id) do update set clients = t.clients + excluded.clients, amount = t.amount + excluded.amount;
  else
    update chartguard.practice_income t set clients = t.clients - r.clients, amount = t.amount - r.amount
      from (select practice_id, count(*) filter (where entries > 0) as clients, sum(fees + shares) as amount from removed group by practice_id) r
     where t.practice_id = r.practice_id;
  end if;
  return null;
end $f$;
create trigger practice_income_insert after insert on chartguard.client_income
  referencing new table as added for each statement execute function chartguard.practice_income_changed();
create trigger practice_income_update after update on chartguard.client_income
  referencing old table as removed new table as added for each statement execute function chartguard.practice_income_changed();
create trigger practice_income_delete after delete on chartguard.client_income
  referencing old table as removed for each statement execute function chartguard.practice_income_changed();

insert into chartguard.practice_income (practice_id, clients, amount)
select practice_id, count(*) filter (where entries > 0), sum(fees + shares) from chartguard.client_income group by practice_id;

-- Read in system mode only, like client_income.
alter table chartguard.practice_income enable row level security;
create policy chartguard_access on chartguard.practice_income
  using (practice_id = current_setting('chartguard.practice_id', true) and current_setting('chartguard.mode', true) = 'system')
  with check (practice_id = current_setting('chartguard.practice_id', true) and current_setting('chartguard.mode', true) = 'system');
