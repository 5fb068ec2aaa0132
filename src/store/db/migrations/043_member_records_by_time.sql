-- A member's tasks and notifications, a page at a time (src/store/reads/member-records.ts):
-- index ranges of the member's rows in page order, instead of every task or notification of
-- the practice. The assignee and recipient indexes of 001 are replaced (same leading keys).
create index tasks_by_assignee_time on chartguard.tasks (practice_id, assignee, created_at, id);
drop index chartguard.tasks_by_assignee;
create index tasks_by_creator_time on chartguard.tasks (practice_id, creator, created_at, id);
-- The account owner sees every task: the practice's in time order.
create index tasks_by_time on chartguard.tasks (practice_id, created_at, id);
create index notifications_by_recipient_id on chartguard.notifications (practice_id, recipient, id);
drop index chartguard.notifications_by_recipient;
-- The unread count reads only the member's unread notifications.
create index notifications_unread on chartguard.notifications (practice_id, recipient, client_id) where read_at is null;
