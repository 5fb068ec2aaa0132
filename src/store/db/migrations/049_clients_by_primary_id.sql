-- "What can this member access" a page at a time, by client id (src/store/reads/reach-pages.ts):
-- each primary clinician's clients in id order, so a narrow scope reads at most a page per
-- clinician (clients_by_primary_name holds them in name order, which a page by id would sort).
create index clients_by_primary_id on chartguard.clients (practice_id, primary_clinician, id);
