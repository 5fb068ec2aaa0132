-- A clinician's calendar and billing pages read each of their clients' appointments from a
-- time on (src/store/reads/client-page.ts): one range scan per client instead of every
-- appointment of the practice after that time.
create index appointments_by_client_time on chartguard.appointments (practice_id, client_id, starts_at, id);
