-- The activity log of a member who may not view the whole log (src/store/reads/activity-page.ts)
-- reads their clients' entries by 001's activity_log_by_client; the entries whose main
-- client is not one of the clients they name (if any) are this partial index's few rows.
create index activity_log_off_client on chartguard.activity_log (practice_id, seq)
  where cardinality(clients) > 0 and (client_id is null or client_id <> all(clients));
