-- Calendar and billing pages answered from the indexes alone (src/store/reads/client-page.ts).
-- EXPLAIN of a supervisor's calendar (1,527 clients, 1,000,000 appointments) showed one
-- range scan per client that visited the table for each of 9,209 appointments (268 ms);
-- with the page's columns in the index the scans read only the index.
-- Same keys as 022 and 023, which they replace.
create index appointments_by_client_time_page on chartguard.appointments (practice_id, client_id, starts_at, id) include (clinician, fee);
drop index chartguard.appointments_by_client_time;
create index appointments_by_time_id_page on chartguard.appointments (practice_id, starts_at, id) include (client_id, clinician, fee);
drop index chartguard.appointments_by_time_id;
