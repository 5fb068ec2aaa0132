-- Insurance claims and Bill as Supervisor (issue 15; src/core/claims.ts).
-- An appointment may bill under a supervising clinician's credentials (004); the core checks
-- that `bill_as` supervises the clinician and holds a clinician role when it is scheduled.
alter table chartguard.appointments add column bill_as text;
alter table chartguard.appointments add foreign key (practice_id, bill_as) references chartguard.members(practice_id, id);

-- One row per claim. The billing provider is the practice (the group whose row owns it);
-- the rendering clinician is the appointment's clinician, or its `bill_as`. A claim belongs
-- to its client: row-level security as every client table (access-policy.ts CLIENT_TABLES),
-- and reads show it only to who may see the client's billing (core: client.view_billing).
create table chartguard.claims (
  practice_id    text not null,
  id             text not null,
  appointment_id text not null,
  client_id      text not null,
  rendering      text not null,
  status         text not null default 'draft' check (status in ('draft', 'submitted', 'paid', 'denied')),
  amount         numeric(14, 2) not null check (amount >= 0),
  created_by     text not null,
  created_at     timestamptz not null,
  submitted_at   timestamptz,
  primary key (practice_id, id),
  foreign key (practice_id, appointment_id) references chartguard.appointments(practice_id, id),
  foreign key (practice_id, client_id) references chartguard.clients(practice_id, id),
  foreign key (practice_id, rendering) references chartguard.members(practice_id, id),
  foreign key (practice_id, created_by) references chartguard.members(practice_id, id)
);
-- A billing page by client, newest first (reads/claims.ts), answered from the index.
create index claims_by_client_time on chartguard.claims (practice_id, client_id, created_at, id) include (appointment_id, rendering, status, amount);
-- The practice-wide page, and whether an appointment already has a claim.
create index claims_by_time on chartguard.claims (practice_id, created_at, id) include (client_id, appointment_id, rendering, status, amount);
create index claims_by_appointment on chartguard.claims (practice_id, appointment_id);
