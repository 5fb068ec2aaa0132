/**
 * The database's copy of the access predicate, and the row-level security policies that
 * use it. Generated from the core's role constants (src/core/roles.ts) and re-applied by
 * migrate whenever the generated SQL changed (migrate.ts keeps its hash), so the SQL
 * predicate cannot drift from the roles it reads;
 * test/store/access-policy.test.ts proves it decides exactly as the core's
 * clientAccess() (src/core/client-access.ts) on random practices.
 *
 * The application connects as (or switches to) the non-owner role `chartguard_app`; each
 * transaction sets the practice, the acting member, the practice clock and the mode
 * ('member' for reads on a member's behalf, 'system' for loading a command's facts and
 * applying its effects). In member mode a query that forgets its WHERE still returns only
 * rows of clients the member has access to.
 */
import { ADMINISTRATIVE_ROLES, CLINICIAN_ROLES, type Role } from '../../core/roles.js';

export const APP_ROLE = 'chartguard_app';

/** A role as an SQL literal: typed against the core's roles, so a renamed role fails to compile. */
const role = (r: Role) => `'${r}'`;
const list = (xs: readonly Role[]) => `array[${xs.map(role).join(', ')}]::text[]`;

/** Tables whose rows belong to one client, with the column naming it. */
export const CLIENT_TABLES: readonly [table: string, column: string][] = [
  ['clients', 'id'],
  ['clinical_grants', 'client_id'],
  ['administrative_revocations', 'client_id'],
  ['notes', 'client_id'],
  ['appointments', 'client_id'],
  ['insurance_payment_clients', 'client_id'],
  ['messages', 'client_id'],
  ['tasks', 'client_id'],
  ['intake_submissions', 'client_id'],
  ['claims', 'client_id'],
];

/** The SQL functions the policies call: the practice, member, clock and mode of the transaction, and the access predicate. */
const FUNCTIONS_SQL = `
do $$ begin
  create role ${APP_ROLE} nologin;
exception when duplicate_object then null;
end $$;

create or replace function chartguard.current_practice() returns text language sql stable
  as $f$ select current_setting('chartguard.practice_id', true) $f$;
create or replace function chartguard.current_member() returns text language sql stable
  as $f$ select current_setting('chartguard.member_id', true) $f$;
create or replace function chartguard.current_now() returns timestamptz language sql stable
  as $f$ select coalesce(to_timestamp(nullif(current_setting('chartguard.now', true), '')::float8 / 1000), now()) $f$;
create or replace function chartguard.system_mode() returns boolean language sql stable
  as $f$ select coalesce(current_setting('chartguard.mode', true), '') = 'system' $f$;

-- Mirrors clientAccess() of src/core/client-access.ts: bit 1 administrative, bit 2 clinical.
create or replace function chartguard.access_bits(p_practice text, p_member text, p_client text, p_now timestamptz)
returns integer language plpgsql stable security definer set search_path = chartguard, pg_temp as $f$
declare
  v_roles text[];
  v_primary text;
  v_shared boolean;
  v_admin_role boolean;
  v_clinician boolean;
  v_admin boolean := false;
begin
  -- A deactivated member is off the team: no access at all (core/team-lifecycle.ts).
  select roles into v_roles from chartguard.members where practice_id = p_practice and id = p_member and active;
  if v_roles is null then return 0; end if;
  select primary_clinician, shared_with_all into v_primary, v_shared
    from chartguard.clients where practice_id = p_practice and id = p_client;
  if v_primary is null then return 0; end if;
  -- 003: the admin account always has access; 000: the primary clinician has full access.
  if ${role('account_owner')} = any(v_roles) or v_primary = p_member then return 3; end if;
  v_admin_role := v_roles && ${list(ADMINISTRATIVE_ROLES)};
  v_clinician := v_roles && ${list(CLINICIAN_ROLES)};
  -- 000 (Supervisor): held while supervising the primary clinician.
  if ${role('supervisor')} = any(v_roles) and exists (
       select 1 from chartguard.supervisions s
        where s.practice_id = p_practice and s.supervisee = v_primary and s.supervisor = p_member) then
    v_admin := true;
  elsif v_admin_role and not exists (
       select 1 from chartguard.administrative_revocations r
        where r.practice_id = p_practice and r.client_id = p_client and r.member_id = p_member) then
    v_admin := true;
  end if;
  -- 000: clinical access of clinicians whose roles carry administrative access needs it.
  if v_clinician and (not v_admin_role or v_admin) and (
       ${role('clinician_entire_practice')} = any(v_roles)
       or ${role('clinical_administrator')} = any(v_roles)
       or exists (select 1 from chartguard.clinical_grants g
                   where g.practice_id = p_practice and g.client_id = p_client and g.member_id = p_member
                     and (g.expires_at is null or g.expires_at > p_now))
       or v_shared) then
    return case when v_admin then 3 else 2 end;
  end if;
  return case when v_admin then 1 else 0 end;
end $f$;

create or replace function chartguard.sees_client(p_practice text, p_client text) returns boolean
  language sql stable
  as $f$ select chartguard.access_bits(p_practice, chartguard.current_member(), p_client, chartguard.current_now()) > 0 $f$;

-- 002: "Supervisors can review supervisee documentation, but do not automatically have full
-- chart access"; 001: not on a restricted client they have no access to. Mirrors canOnNote().
create or replace function chartguard.reviews_note(p_practice text, p_client text, p_author text) returns boolean
  language sql stable security definer set search_path = chartguard, pg_temp
  as $f$ select exists (
    select 1 from chartguard.members m
      join chartguard.supervisions s on s.practice_id = m.practice_id and s.supervisor = m.id and s.supervisee = p_author
      join chartguard.clients c on c.practice_id = m.practice_id and c.id = p_client and not c.restricted
     where m.practice_id = p_practice and m.id = chartguard.current_member() and ${role('supervisor')} = any(m.roles) and m.active) $f$;

-- 001: a payment covering any client the member cannot see is hidden whole.
create or replace function chartguard.sees_payment(p_practice text, p_payment text) returns boolean
  language sql stable security definer set search_path = chartguard, pg_temp
  as $f$ select not exists (
    select 1 from chartguard.insurance_payment_clients c
     where c.practice_id = p_practice and c.payment_id = p_payment
       and chartguard.access_bits(p_practice, chartguard.current_member(), c.client_id, chartguard.current_now()) = 0) $f$;
`;

export function accessPolicySql(): string {
  return `${FUNCTIONS_SQL}
grant usage on schema chartguard to ${APP_ROLE};
grant select, insert, update, delete on all tables in schema chartguard to ${APP_ROLE};
revoke update, delete, truncate on chartguard.activity_log from ${APP_ROLE};
-- The outbox (src/store/mail/): commands queue mail and the sender records its tries; a
-- queued mail's address, subject and body are never rewritten, and no mail is deleted.
revoke update, delete on chartguard.email_outbox from ${APP_ROLE};
grant update (attempts, next_attempt_at, last_error, sent_at, failed_at, claimed_by, claimed_until) on chartguard.email_outbox to ${APP_ROLE};
-- The log's months (migration 048) are read and written only through the parent, under its policy.
do $do$ declare part regclass; begin
  for part in select inhrelid::regclass from pg_inherits where inhparent = 'chartguard.activity_log'::regclass loop
    execute format('revoke all on %s from ${APP_ROLE}', part);
  end loop;
end $do$;
grant usage, select on all sequences in schema chartguard to ${APP_ROLE};
grant execute on all functions in schema chartguard to ${APP_ROLE};

${rowPolicies().join('\n')}
`;
}

/** Row-level security on every table of the practice's data. */
function rowPolicies(): string[] {
  const practice = `practice_id = chartguard.current_practice()`;
  const policies: string[] = [];
  const policy = (table: string, read: string, practiceColumn = 'practice_id') => {
    const p = practiceColumn === 'practice_id' ? practice : `${practiceColumn} = chartguard.current_practice()`;
    // Two policies: members read what they may access; only system mode writes. (One policy
    // "for all" would let member mode DELETE every row its USING clause lets it read.)
    policies.push(
      `alter table chartguard.${table} enable row level security;`,
      `drop policy if exists chartguard_access on chartguard.${table};`,
      `drop policy if exists chartguard_read on chartguard.${table};`,
      `drop policy if exists chartguard_write on chartguard.${table};`,
      `create policy chartguard_read on chartguard.${table} for select to ${APP_ROLE}
         using (${p} and (chartguard.system_mode() or ${read}));`,
      `create policy chartguard_write on chartguard.${table} for all to ${APP_ROLE}
         using (${p} and chartguard.system_mode())
         with check (${p} and chartguard.system_mode());`,
    );
  };
  policy('practices', 'true', 'id');
  policy('members', 'true');
  policy('supervisions', 'true');
  for (const [table, column] of CLIENT_TABLES) {
    // 002: supervisors review their supervisees' notes without access to the client (not a restricted one).
    const extra = table === 'notes' ? " or (kind = 'clinical' and chartguard.reviews_note(practice_id, client_id, author))" : '';
    policy(table, `(chartguard.sees_client(practice_id, ${column})${extra})`);
  }
  policy('insurance_payments', 'chartguard.sees_payment(practice_id, id)');
  policy('notifications', `recipient = chartguard.current_member() and (client_id is null or chartguard.sees_client(practice_id, client_id))`);
  policy('email_outbox', 'false');
  policy('activity_log', `not exists (select 1 from unnest(clients) c where not chartguard.sees_client(practice_id, c))`);
  return policies;
}
