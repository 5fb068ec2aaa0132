/** The activity log as a member sees it (seesActivity), and whole for the store's own checks. */
import { seesActivity } from '../../core/index.js';
import { ACTIVITY_COLUMNS, toStored, type StoredActivity } from '../commands/activity-log.js';
import type { Store } from '../context.js';
import type { AreaDefinition, ListItem } from './area.js';

export const activityArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = (await tx.query<Parameters<typeof toStored>[0]>(`select ${ACTIVITY_COLUMNS} from chartguard.activity_log where practice_id = $1 order by seq`, [practice])).map(toStored);
    const f = await facts(rows.flatMap((r) => r.clients));
    return rows
      .filter((r) => seesActivity(ctx, member, r, r.clients.flatMap((c) => (f.has(c) ? [f.get(c)!] : []))))
      .map((r) => ({ ...activityItem(r) }));
  },
};

/** Every entry of the practice's log, in order (system mode: tests and the conformance runner). */
export async function activity(store: Store, practice: string): Promise<StoredActivity[]> {
  return store.within(practice, null, 'system', async (tx) =>
    (await tx.query<Parameters<typeof toStored>[0]>(`select ${ACTIVITY_COLUMNS} from chartguard.activity_log where practice_id = $1 order by seq`, [practice])).map(toStored),
  );
}

/** An entry as the API shows it (the route redacts note and message text). */
export function activityItem(r: StoredActivity): ListItem {
  return { id: String(r.seq), client: r.client, seq: r.seq, at: r.at, actor: r.actor, action: r.action, outcome: r.outcome, detail: r.detail };
}
