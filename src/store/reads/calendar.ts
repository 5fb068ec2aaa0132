/** The calendar area: appointments the member sees (seesAppointment). Pages at scale: client-page.ts. */
import { seesAppointment, type ClientFacts, type Context } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { ms } from '../facts/facts.js';
import type { AreaDefinition, ListItem } from './area.js';

interface AppointmentRow {
  id: string;
  client_id: string;
  clinician: string;
  fee: number;
  starts_at: number;
}

/** An area of the practice's appointments in time order (the calendar, and billing's charges): the core's `sees` lets each through. */
export function appointmentsArea(sees: (ctx: Context, member: string, r: AppointmentRow, client: ClientFacts) => boolean, item: (r: AppointmentRow) => ListItem): AreaDefinition {
  return {
    mode: 'member',
    async read({ tx, ctx, practice, member, facts }) {
      const rows = await appointmentRows(tx, practice);
      const f = await facts(rows.map((r) => r.client_id));
      return rows.filter((r) => f.has(r.client_id) && sees(ctx, member, r, f.get(r.client_id)!)).map(item);
    },
  };
}

export const calendarArea = appointmentsArea(
  (ctx, member, r, client) => seesAppointment(ctx, member, { id: r.id, client: r.client_id, clinician: r.clinician }, client),
  (r) => ({ id: r.id, client: r.client_id, clinician: r.clinician, startsAt: Number(r.starts_at) }),
);

function appointmentRows(tx: Queryable, practice: string) {
  return tx.query<AppointmentRow>(
    `select id, client_id, clinician, fee::float8 as fee, ${ms('starts_at')} as starts_at from chartguard.appointments where practice_id = $1 order by starts_at, id`,
    [practice],
  );
}
