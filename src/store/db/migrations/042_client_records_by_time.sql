-- One client's notes and messages, a page at a time (src/store/reads/client-records.ts):
-- an index range of that client's rows in (created_at, id) order, instead of every note or
-- message of the practice. Same leading keys as the indexes of 001, which they replace.
create index notes_by_client_time on chartguard.notes (practice_id, client_id, created_at, id);
drop index chartguard.notes_by_client;
create index messages_by_client_time on chartguard.messages (practice_id, client_id, created_at, id);
drop index chartguard.messages_by_client;
