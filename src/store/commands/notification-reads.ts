/**
 * A member marks their own in-app notifications read: one, or every unread one. Only the
 * recipient's own, and only those the core lets them see (seesNotification: a notification
 * about a client they may no longer view is not theirs to see, so not to mark either). Not
 * a command of the core: it changes no access and no record of the practice, only the
 * member's own reading state, so it writes no activity-log entry.
 */
import { seesNotification } from '../../core/index.js';
import { readContext, type Store } from '../context.js';
import { ts } from '../facts/facts.js';

/**
 * Marks notification `id` of `member` read: false when there is none they see (someone
 * else's, unknown, or about a client they may not view); true when it is (or already was) read.
 *
 * @example
 * await markNotificationRead(store, 'p1', 'olivia', '42'); // true
 */
export async function markNotificationRead(store: Store, practice: string, member: string, id: string): Promise<boolean> {
  return (await markRead(store, practice, member, id)) !== null;
}

/** Marks every unread notification `member` sees read: how many. */
export async function markAllNotificationsRead(store: Store, practice: string, member: string): Promise<number> {
  return (await markRead(store, practice, member, null)) ?? 0;
}

/** One notification (`id`) or every unread one (null): how many were marked, or null when `id` is not one the member sees. */
async function markRead(store: Store, practice: string, member: string, id: string | null): Promise<number | null> {
  const ctx = await readContext(store, practice);
  return store.within(practice, member, 'system', async (tx) => {
    const rows = await tx.query<{ id: string; client_id: string | null; read: boolean }>(
      `select id::text as id, client_id, read_at is not null as read from chartguard.notifications
        where practice_id = $1 and recipient = $2 and ${id === null ? 'read_at is null' : 'id = $3::bigint'}`,
      id === null ? [practice, member] : [practice, member, id],
    );
    const facts = await store.facts.clients(practice, [...new Set(rows.flatMap((r) => (r.client_id ? [r.client_id] : [])))], tx);
    const seen = rows.filter((r) => {
      const client = r.client_id === null ? null : facts.get(r.client_id);
      return client !== undefined && seesNotification(ctx, member, member, client);
    });
    if (id !== null && seen.length === 0) return null;
    const unread = seen.filter((r) => !r.read).map((r) => r.id);
    if (unread.length > 0) {
      await tx.query(`update chartguard.notifications set read_at = ${ts('$3')} where practice_id = $1 and id = any($2::bigint[]) and read_at is null`, [
        practice,
        unread,
        store.now(),
      ]);
    }
    return unread.length;
  });
}
