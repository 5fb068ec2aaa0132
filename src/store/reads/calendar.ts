/** The calendar area: appointments the member sees (seesAppointment). Pages at scale: client-page.ts. */
import { seesAppointment } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { ms } from '../facts/facts.js';
import type { AreaDefinition } from './area.js';

export const calendarArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await appointmentRows(tx, practice);
    const f = await facts(rows.map((r) => r.client_id));
    return rows
      .filter((r) => f.has(r.client_id) && seesAppointment(ctx, member, { id: r.id, client: r.client_id, clinician: r.clinician }, f.get(r.client_id)!))
      .map((r) => ({ id: r.id, client: r.client_id, clinician: r.clinician, startsAt: Number(r.starts_at) }));
  },
};

/** Every appointment of the practice in time order (the calendar's and billing's rows). */
export function appointmentRows(tx: Queryable, practice: string) {
  return tx.query<{ id: string; client_id: string; clinician: string; fee: number; starts_at: number }>(
    `select id, client_id, clinician, fee::float8 as fee, ${ms('starts_at')} as starts_at from chartguard.appointments where practice_id = $1 order by starts_at, id`,
    [practice],
  );
}
