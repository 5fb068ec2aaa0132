/** Billing: charges by time and insurance payments (001: a payment covering a client one may not bill is hidden whole). */
import { randomUUID } from 'node:crypto';
import { appointmentPage } from '../../store/reads/client-page.js';
import { paymentPage } from '../../store/reads/payment-page.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, pageRoute, type Shared } from './shared.js';

export function billingRoutes(h: Shared): Route[] {
  const { cg, read } = h;

  return [
    route({
      method: 'GET',
      url: '/api/billing',
      tag: 'billing',
      summary: 'Charges I may see, by time: a page and the next page’s cursor (audited read)',
      query: S.AppointmentPageQuery,
      response: S.BillingPageOut,
      audited: true,
      handler: async ({ session, query }) => {
        const page = await appointmentPage(cg, session.practice, session.member, 'billing', { limit: query.limit ?? 50, from: query.from, after: query.after ?? null });
        await read(session, 'view_billing', null, { charges: page.items.length });
        return {
          items: page.items.map((a) => ({ id: a.id, client: a.client, clinician: a.clinician, amount: a.amount, at: a.startsAt })),
          next: page.next && S.encodeCursor(page.next),
        };
      },
    }),
    pageRoute({
      url: '/api/insurance-payments',
      tag: 'billing',
      summary: 'Insurance payments I may manage (a payment covering a client I may not bill is hidden whole), by id: a page and the next page’s cursor',
      query: S.PaymentPageQuery,
      response: S.InsurancePaymentsOut,
      page: (session, options) => paymentPage(cg, session.practice, session.member, options),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/insurance-payments',
      tag: 'billing',
      summary: 'Record an insurance payment covering clients (record_insurance_payment)',
      body: S.InsurancePayment,
      created: true,
      command: ({ body }) => ({ type: 'record_insurance_payment', id: randomUUID(), covers: body.covers, amount: body.amount }),
    }),
  ];
}
