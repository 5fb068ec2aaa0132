/** The calendar: appointments by time, and scheduling one. */
import { randomUUID } from 'node:crypto';
import { appointmentPage } from '../../store/reads/client-page.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, type Shared } from './shared.js';

export function calendarRoutes(h: Shared): Route[] {
  const { cg } = h;

  return [
    commandRoute(h, {
      method: 'POST',
      url: '/api/appointments',
      tag: 'calendar',
      summary: 'Schedule an appointment; its fee is a charge (schedule_appointment); `billAs`: Bill as Supervisor',
      body: S.Appointment,
      created: true,
      command: ({ body }) => ({
        type: 'schedule_appointment',
        id: randomUUID(),
        client: body.client,
        clinician: body.clinician,
        fee: body.fee,
        ...(body.startsAt === undefined ? {} : { startsAt: body.startsAt }),
        ...(body.billAs === undefined ? {} : { billAs: body.billAs }),
      }),
    }),
    route({
      method: 'GET',
      url: '/api/calendar',
      tag: 'calendar',
      summary: 'Appointments I may see, by time: a page and the next page’s cursor',
      query: S.AppointmentPageQuery,
      response: S.CalendarPageOut,
      handler: async ({ session, query }) => {
        const page = await appointmentPage(cg, session.practice, session.member, 'calendar', { limit: query.limit ?? 50, from: query.from, after: query.after ?? null });
        return { items: page.items.map((a) => ({ id: a.id, client: a.client, clinician: a.clinician, startsAt: a.startsAt })), next: page.next && S.encodeCursor(page.next) };
      },
    }),
  ];
}
