-- A team member's account from joining to leaving (issue 14; core/team-lifecycle.ts).
-- Deactivated members keep their row (what they wrote and did stays under their name) and
-- their roles (given back on reactivation); the access predicate (access-policy.ts) reads
-- only active members.
alter table chartguard.members add column if not exists email text;
alter table chartguard.members add column active boolean not null default true;
alter table chartguard.members add column deactivated_at timestamptz;

-- Deactivation ends the member's sessions and trusted browsers in the same transaction, so a
-- signed-in browser loses access the moment the change commits, whichever process made it.
create function chartguard.end_sessions_of_deactivated() returns trigger
  language plpgsql security definer set search_path = chartguard, pg_temp as $$
begin
  if old.active and not new.active then
    delete from chartguard_auth.sessions where practice_id = new.practice_id and member_id = new.id;
    delete from chartguard_auth.trusted_devices where practice_id = new.practice_id and member_id = new.id;
  end if;
  return new;
end $$;
create trigger members_end_sessions after update of active on chartguard.members
  for each row execute function chartguard.end_sessions_of_deactivated();
