/**
 * Insurance payments a page at a time, by id: the practice's payments after a cursor (the
 * primary key's order), each with the clients it covers, let through by the core's
 * seesInsurancePayment on their facts (a payment covering a client one may not bill is
 * hidden whole: 001), as ChartGuard.list() lets them through. A member who may bill no
 * client (the core's charge scope is empty) reads nothing. test/store/record-pages.test.ts
 * proves the pages equal the old list.
 */
import { chargeScope } from '../../core/client-scope.js';
import { seesInsurancePayment } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import type { ListItem } from './area.js';
import { RECORD_PAGE_LIMIT, storeFacts } from './client-records.js';
import { keysetPage, type KeysetPage } from './keyset.js';

/** Where a page of payments starts: after this payment id. */
export interface PaymentCursor {
  readonly id: string;
}

interface PaymentRow {
  id: string;
  amount: number;
  covers: string[];
}

/**
 * A page of the insurance payments `member` may manage, by id.
 *
 * @example
 * const { items, next } = await paymentPage(store, 'p1', 'bill', { limit: 50 });
 */
export async function paymentPage(
  store: Store,
  practice: string,
  member: string,
  options: { readonly limit?: number; readonly after?: PaymentCursor | null } = {},
): Promise<KeysetPage<ListItem, PaymentCursor>> {
  return store.within(practice, member, 'member', async (tx) => {
    const ctx = await txContext(store, tx, practice);
    if (chargeScope(ctx, member).none) return { items: [], next: null };
    return keysetPage<PaymentRow, ListItem, PaymentCursor>({
      limit: options.limit ?? RECORD_PAGE_LIMIT,
      after: options.after ?? null,
      fetch: (after, batch) =>
        tx.query<PaymentRow>(
          `select p.id, p.amount::float8 as amount, array(select c.client_id from chartguard.insurance_payment_clients c
                   where c.practice_id = p.practice_id and c.payment_id = p.id order by c.client_id) as covers
             from chartguard.insurance_payments p where p.practice_id = $1${after ? ' and p.id > $3' : ''} order by p.id limit $2`,
          after ? [practice, batch, after.id] : [practice, batch],
        ),
      key: (r) => ({ id: r.id }),
      admit: async (rows) => {
        const facts = await storeFacts(store, tx, practice, rows.flatMap((r) => r.covers));
        return rows.map((r) => {
          const covered = r.covers.flatMap((c) => (facts.has(c) ? [facts.get(c)!] : []));
          const sees = r.covers.length > 0 && covered.length === r.covers.length && seesInsurancePayment(ctx, member, covered);
          return sees ? { id: r.id, client: null, amount: Number(r.amount), covers: r.covers } : null;
        });
      },
    });
  });
}
