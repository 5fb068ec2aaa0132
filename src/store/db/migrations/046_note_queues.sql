-- A member's note queues, a page at a time (src/store/reads/note-queues.ts): the notes a
-- member wrote, and the signed notes awaiting a co-signature by author, each an index range
-- in (created_at, id) order instead of every note of the practice.
create index notes_by_author_time on chartguard.notes (practice_id, author, created_at, id) where deleted_at is null;
create index notes_awaiting_cosign on chartguard.notes (practice_id, author, created_at, id)
  where deleted_at is null and kind = 'clinical' and signed_at is not null and cosigned_at is null;
