/** Messages about clients (seesMessage) and notifications (seesNotification). */
import { seesMessage, seesNotification } from '../../core/index.js';
import { ms } from '../facts/facts.js';
import type { AreaDefinition } from './area.js';

export const messagesArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await tx.query<{ id: string; client_id: string; author: string; body: string; created_at: number }>(
      `select id, client_id, author, body, ${ms('created_at')} as created_at from chartguard.messages where practice_id = $1 order by created_at, id`,
      [practice],
    );
    const f = await facts(rows.map((r) => r.client_id));
    return rows
      .filter((r) => f.has(r.client_id) && seesMessage(ctx, member, f.get(r.client_id)!))
      .map((r) => ({ id: r.id, client: r.client_id, author: r.author, body: r.body, at: Number(r.created_at) }));
  },
};

export const notificationsArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await tx.query<{ id: string | number; recipient: string; event: string; client_id: string | null; created_at: number; read: boolean; actor: string | null; actor_name: string | null }>(
      `select x.id, x.recipient, x.event, x.client_id, ${ms('x.created_at')} as created_at, x.read_at is not null as read, x.actor,
              (select m.display_name from chartguard.members m where m.practice_id = x.practice_id and m.id = x.actor) as actor_name
         from chartguard.notifications x where x.practice_id = $1 order by x.id`,
      [practice],
    );
    const f = await facts(rows.flatMap((r) => (r.client_id ? [r.client_id] : [])));
    return rows
      .filter((r) => (r.client_id === null || f.has(r.client_id)) && seesNotification(ctx, member, r.recipient, r.client_id ? f.get(r.client_id)! : null))
      .map((r) => ({ id: String(r.id), client: r.client_id, event: r.event, at: Number(r.created_at), read: r.read, actor: r.actor, actorName: r.actor_name }));
  },
};
