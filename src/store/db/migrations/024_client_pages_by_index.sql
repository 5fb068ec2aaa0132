-- Client pages answered by indexes alone (src/store/reads/client-page.ts). EXPLAIN on a practice
-- of 100,000 clients showed a narrow scope (a supervisor's 1,527 clients) hashing every
-- client of the practice to find their names (120 ms), and a broad one fetching each
-- page row and each of its primary clients from the table.
-- Each primary clinician's clients in name order: a page reads at most a page per clinician,
-- and counts read the index only. It serves everything clients_by_primary served.
create index clients_by_primary_name on chartguard.clients (practice_id, primary_clinician, name, id) include (restricted);
drop index chartguard.clients_by_primary;
-- The name walk of broad scopes, without a visit to the table per row.
create index clients_by_name_page on chartguard.clients (practice_id, name, id) include (primary_clinician, restricted);
drop index chartguard.clients_by_name;
-- Clients shared with all, in name order.
create index clients_shared_by_name on chartguard.clients (practice_id, name, id) include (primary_clinician, restricted) where shared_with_all;
