-- Change notifications for the in-process caches (src/store/facts/facts-cache.ts,
-- src/store/session-cache.ts). Every change to the facts an access check reads, made by any
-- process or by hand, notifies after commit: 'chartguard_facts' with the practice id, and
-- 'chartguard_sessions' with a session's token hash ('*': forget every cached session).
-- Statement-level triggers: a bulk insert of 100,000 clients sends one notification.

create or replace function chartguard.notify_facts_changed() returns trigger
language plpgsql as $$
begin
  perform pg_notify('chartguard_facts', p) from (select distinct practice_id as p from changed) x;
  return null;
end $$;

do $$
declare
  t text;
begin
  foreach t in array array['members', 'supervisions', 'clients', 'clinical_grants', 'administrative_revocations'] loop
    execute format('create trigger %I after insert on chartguard.%I referencing new table as changed
                    for each statement execute function chartguard.notify_facts_changed()', t || '_notify_insert', t);
    execute format('create trigger %I after update on chartguard.%I referencing new table as changed
                    for each statement execute function chartguard.notify_facts_changed()', t || '_notify_update', t);
    execute format('create trigger %I after delete on chartguard.%I referencing old table as changed
                    for each statement execute function chartguard.notify_facts_changed()', t || '_notify_delete', t);
  end loop;
end $$;

-- The practice row also holds the log head, rewritten by every logged event: only its
-- setting is a fact (a column list cannot go with transition tables, hence the row trigger).
create or replace function chartguard.notify_practice_setting() returns trigger
language plpgsql as $$
begin
  if new.client_directory is distinct from old.client_directory then
    perform pg_notify('chartguard_facts', new.id);
  end if;
  return null;
end $$;
create trigger practices_notify_update after update of client_directory on chartguard.practices
  for each row execute function chartguard.notify_practice_setting();
-- (Deleting a practice deletes its members and clients first: those triggers notify.)

create or replace function chartguard_auth.notify_sessions_ended() returns trigger
language plpgsql as $$
begin
  perform pg_notify('chartguard_sessions', token_hash) from changed;
  return null;
end $$;
create trigger sessions_notify_delete after delete on chartguard_auth.sessions referencing old table as changed
  for each statement execute function chartguard_auth.notify_sessions_ended();

-- A password change or reset (must_change) changes what a cached session reports.
create or replace function chartguard_auth.notify_user_changed() returns trigger
language plpgsql as $$
begin
  perform pg_notify('chartguard_sessions', '*');
  return null;
end $$;
create trigger users_notify_update after update of password_hash, must_change on chartguard_auth.users
  for each statement execute function chartguard_auth.notify_user_changed();
