-- Public intake forms (003, src/core/intake.ts; src/store/auth/intake-forms.ts).
--
-- A form link: each practitioner's own ("one form URL per practitioner") and the practice's
-- form (member_id null), whose rules offer the practitioners listed in `offers` (null: every
-- active clinician). Like one-time links, only the SHA-256 of the token is stored, in the
-- schema the application role cannot read: a copy of this table opens no form. A link stays
-- the same until it is rotated (a new token replaces the hash) and works while enabled.
create table chartguard_auth.intake_forms (
  practice_id text not null references chartguard.practices(id),
  -- the practitioner whose form it is; null for the practice form
  member_id   text,
  token_hash  text not null unique,
  enabled     boolean not null default true,
  offers      text[],
  created_at  timestamptz not null,
  rotated_at  timestamptz not null,
  foreign key (practice_id, member_id) references chartguard.members(practice_id, id)
);
create unique index intake_forms_one_each on chartguard_auth.intake_forms (practice_id, coalesce(member_id, ''));

-- A submission's answers, a document of the new client's chart: under the client's row-level
-- security (src/store/db/access-policy.ts CLIENT_TABLES), like notes.
create table chartguard.intake_submissions (
  practice_id  text not null,
  client_id    text not null,
  -- whose form link it came through; null for the practice form
  form_member  text,
  answers      jsonb not null,
  submitted_at timestamptz not null,
  primary key (practice_id, client_id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id)
);
