-- Calendar and billing pages walk appointments in (starts_at, id) order from a cursor
-- (src/store/reads/client-page.ts). With the id in the index the order is the index's, and a
-- page stops after its rows instead of sorting every appointment at the same times.
create index appointments_by_time_id on chartguard.appointments (practice_id, starts_at, id);
