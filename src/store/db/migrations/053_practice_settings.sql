-- The practice's settings (src/core/settings.ts) beside its name and client directory: its
-- time zone, automatic logoff (null: the server's CHARTGUARD_IDLE_MINUTES) and whether every
-- member signs in with a second factor. And who acted, on each in-app notification.
alter table chartguard.practices
  add column time_zone text not null default 'UTC',
  add column idle_logoff_minutes integer check (idle_logoff_minutes between 5 and 720),
  add column require_second_factor boolean not null default false;

-- The member whose command made the notification (null for those made before this column).
alter table chartguard.notifications add column actor text;

-- A cached session (src/store/auth/sessions.ts) carries its practice's logoff and second-factor
-- requirement and whether its member has a second factor: a change of either forgets them
-- all (as migration 030 does on a password change). The client directory is a fact and
-- already notifies 'chartguard_facts' (migration 030).
create or replace function chartguard.notify_practice_session_setting() returns trigger
language plpgsql as $$
begin
  if new.idle_logoff_minutes is distinct from old.idle_logoff_minutes
     or new.require_second_factor is distinct from old.require_second_factor then
    perform pg_notify('chartguard_sessions', '*');
  end if;
  return null;
end $$;
create trigger practices_notify_session_setting after update of idle_logoff_minutes, require_second_factor on chartguard.practices
  for each row execute function chartguard.notify_practice_session_setting();

create trigger users_notify_second_factor after update of totp_secret on chartguard_auth.users
  for each statement execute function chartguard_auth.notify_user_changed();
