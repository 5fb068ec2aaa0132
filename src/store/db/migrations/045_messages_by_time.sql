-- The secure-messages inbox a page at a time (src/store/reads/inbox-page.ts): members who
-- may view every client (or all but a few) walk the practice's messages in time order.
create index messages_by_time on chartguard.messages (practice_id, created_at, id);
