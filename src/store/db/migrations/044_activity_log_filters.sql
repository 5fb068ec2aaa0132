-- The activity log a page at a time, newest first, filtered (src/store/reads/activity-page.ts):
-- each filter reads its own index range in seq order (the client's is 001's
-- activity_log_by_client), instead of every entry of the practice.
create index activity_log_by_actor on chartguard.activity_log (practice_id, actor, seq);
create index activity_log_by_action on chartguard.activity_log (practice_id, action, seq);
create index activity_log_by_outcome on chartguard.activity_log (practice_id, outcome, seq);
-- A time range: the entries of that range (their seq order follows the clock's).
create index activity_log_by_time on chartguard.activity_log (practice_id, at, seq);
