-- Delivering the email outbox (src/store/mail/): where a mail goes, and the sender's record of
-- each try. Rows are written by commands (src/store/mail/outbox.ts queueMail) and sent by the
-- server's background sender (src/store/mail/sender.ts), never inside a command.

-- A member's address (another change adds the same column: keep "if not exists").
alter table chartguard.members add column if not exists email text;

alter table chartguard.email_outbox
  -- A mail to someone who is not (yet) a member names no recipient, only its address.
  alter column recipient drop not null,
  -- Fixed when the mail is queued; null: the recipient member's address at send time.
  add column to_address      text,
  -- Tries started (counted when claimed, so a mail that crashes its sender still runs out).
  add column attempts        integer not null default 0,
  -- Null: as soon as possible; else not before (exponential backoff after a failed try).
  add column next_attempt_at timestamptz,
  add column last_error      text,
  -- Given up on (no address, refused for good, or out of tries): never tried again.
  add column failed_at       timestamptz,
  -- A sender's lease: another server's sender leaves the row alone until claimed_until.
  add column claimed_by      text,
  add column claimed_until   timestamptz,
  add constraint email_outbox_addressed check (recipient is not null or to_address is not null);

-- The mail still to send, by practice: what the sender scans (a handful of rows, not the outbox).
create index email_outbox_pending on chartguard.email_outbox (practice_id, next_attempt_at)
  where sent_at is null and failed_at is null;

-- The practices with mail due at p_now, for the sender, which then works on each practice in
-- system mode under its row-level security. Names practices only, never a mail.
create function chartguard.practices_with_mail_due(p_now timestamptz) returns setof text
language sql stable security definer set search_path = chartguard, pg_temp as $f$
  select distinct practice_id from chartguard.email_outbox
   where sent_at is null and failed_at is null
     and (next_attempt_at is null or next_attempt_at <= p_now)
     and (claimed_until is null or claimed_until <= p_now)
$f$;
