/** Tasks about clients (seesTask). */
import { seesTask } from '../../core/index.js';
import type { AreaDefinition } from './area.js';

export const tasksArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await tx.query<{ id: string; client_id: string; assignee: string; creator: string; title: string }>(
      'select id, client_id, assignee, creator, title from chartguard.tasks where practice_id = $1 order by created_at, id',
      [practice],
    );
    const f = await facts(rows.map((r) => r.client_id));
    return rows
      .filter((r) => f.has(r.client_id) && seesTask(ctx, member, { id: r.id, client: r.client_id, assignee: r.assignee, creator: r.creator }, f.get(r.client_id)!))
      .map((r) => ({ id: r.id, client: r.client_id, assignee: r.assignee, creator: r.creator, title: r.title }));
  },
};
