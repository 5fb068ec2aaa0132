/** Billing: charges the member may view (seesCharge) and insurance payments they may manage (001). */
import { seesCharge, seesInsurancePayment } from '../../core/index.js';
import type { AreaDefinition } from './area.js';
import { appointmentsArea } from './calendar.js';

export const billingArea = appointmentsArea(
  (ctx, member, _r, client) => seesCharge(ctx, member, client),
  (r) => ({ id: r.id, client: r.client_id, clinician: r.clinician, amount: Number(r.fee), at: Number(r.starts_at) }),
);

export const insurancePaymentsArea: AreaDefinition = {
  mode: 'member',
  async read({ tx, ctx, practice, member, facts }) {
    const rows = await tx.query<{ id: string; amount: number; covers: string[] }>(
      `select p.id, p.amount::float8 as amount, array(select c.client_id from chartguard.insurance_payment_clients c
               where c.practice_id = p.practice_id and c.payment_id = p.id order by c.client_id) as covers
         from chartguard.insurance_payments p where p.practice_id = $1 order by p.id`,
      [practice],
    );
    const f = await facts(rows.flatMap((r) => r.covers));
    return rows
      .filter((r) => r.covers.length > 0 && r.covers.every((c) => f.has(c)) && seesInsurancePayment(ctx, member, r.covers.map((c) => f.get(c)!)))
      .map((r) => ({ id: r.id, client: null, amount: Number(r.amount), covers: r.covers }));
  },
};
