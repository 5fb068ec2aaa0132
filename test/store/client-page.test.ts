/**
 * The scoped reads (src/store/reads/client-page.ts, src/store/reads/report-scope.ts) return exactly
 * what the core's single checks allow: on random practices, on PGlite and PostgreSQL,
 * for every member.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildReport, clientAccess, REPORT_PAGE, seesAppointment, seesCharge, seesClient, seesMessage, type Report, type ReportName, type ReportPageRequest, type ReportRow } from '../../src/core/index.js';
import { calendarScope, chargeScope, clientScope, inClientScope, messageScope } from '../../src/core/client-scope.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { appointmentPage, clientPage } from '../../src/store/reads/client-page.js';
import { scopedReport } from '../../src/store/reads/report-scope.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { coreFacts, NOW, randomPractice, type RandomPractice } from '../peers/random-practice.js';

async function store(guard: ChartGuard, id: string, p: RandomPractice): Promise<void> {
  await guard.createPractice({ id, members: p.members, supervision: p.supervision, clients: p.clients });
  await guard.within(id, null, 'system', async (tx) => {
    for (const c of p.clients) {
      for (const g of c.grants) {
        await tx.query('insert into chartguard.clinical_grants (practice_id, client_id, member_id, expires_at) values ($1, $2, $3, $4)', [
          id, c.id, g.member, g.expiresAt === null ? null : new Date(g.expiresAt),
        ]);
      }
      for (const m of c.revoked) {
        await tx.query('insert into chartguard.administrative_revocations (practice_id, client_id, member_id) values ($1, $2, $3)', [id, c.id, m]);
      }
    }
    for (const a of p.appointments) {
      await tx.query('insert into chartguard.appointments (practice_id, id, client_id, clinician, fee, starts_at) values ($1, $2, $3, $4, $5, $6)', [
        id, a.id, a.client, a.clinician, a.fee, new Date(a.startsAt),
      ]);
    }
  });
}

function expectSameReport(got: Report, want: Report, what: string): void {
  expect(got.rows.map((r) => r.client), `${what} rows`).toEqual(want.rows.map((r) => r.client));
  got.rows.forEach((r, i) => expect(r.amount, `${what} ${r.client}`).toBeCloseTo(want.rows[i]!.amount, 6));
  expect({ rowCount: got.rowCount, omittedClients: got.omittedClients, next: got.next }, what).toEqual({
    rowCount: want.rowCount,
    omittedClients: want.omittedClients,
    next: want.next,
  });
  expect(got.total, `${what} total`).toBeCloseTo(want.total, 6);
}

describe('client scope (core)', () => {
  it('contains exactly the clients seesClient allows, and the charges seesCharge allows', () => {
    fc.assert(
      fc.property(randomPractice(), (p) => {
        const { ctx, clients } = coreFacts(p);
        for (const m of [...p.members.map((x) => x.id), 'stranger']) {
          const scope = clientScope(ctx, m);
          const charges = chargeScope(ctx, m);
          const messages = messageScope(ctx, m);
          for (const c of clients) {
            expect(inClientScope(scope, c), `${m} ${c.id} view`).toBe(seesClient(ctx, m, c));
            expect(inClientScope(charges, c), `${m} ${c.id} charge`).toBe(seesCharge(ctx, m, c));
            // The message scope holds every client whose messages seesMessage allows, within the client scope.
            if (seesMessage(ctx, m, c)) expect(inClientScope(messages, c), `${m} ${c.id} messages`).toBe(true);
            if (inClientScope(messages, c)) expect(inClientScope(scope, c), `${m} ${c.id} messages within view`).toBe(true);
          }
          // The calendar scope holds every appointment seesAppointment allows.
          const calendar = calendarScope(ctx, m);
          for (const a of p.appointments) {
            const c = clients.find((x) => x.id === a.client)!;
            if (seesAppointment(ctx, m, { id: a.id, client: a.client, clinician: a.clinician }, c)) {
              expect(inClientScope(calendar.clients, c) && (!calendar.ownOnly || a.clinician === m), `${m} ${a.id} calendar`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe.each(databaseKinds())('scoped reads on %s', (kind) => {
  it('pages, counts, calendars, billing lists and reports agree with the core', async () => {
    const guard = ChartGuard.over(await database(kind), () => NOW);
    await fc.assert(
      fc.asyncProperty(randomPractice(), async (p) => {
        const id = newPracticeId('page');
        await store(guard, id, p);
        const { ctx, clients } = coreFacts(p);
        const byId = new Map(clients.map((c) => [c.id, c]));
        const order = await guard.within(id, null, 'system', (tx) =>
          tx.query<{ id: string }>('select id from chartguard.clients where practice_id = $1 order by name, id', [id]),
        );
        const apptOrder = await guard.within(id, null, 'system', (tx) =>
          tx.query<{ id: string }>('select id from chartguard.appointments where practice_id = $1 order by starts_at, id', [id]),
        );
        const appts = new Map(p.appointments.map((a) => [a.id, a]));
        for (const m of p.members.map((x) => x.id)) {
          const expected = order.map((r) => r.id).filter((c) => seesClient(ctx, m, byId.get(c)!));
          const seen: string[] = [];
          let page = await clientPage(guard, id, m, { limit: 4 });
          expect(page.total, `${m} total`).toBe(expected.length);
          for (;;) {
            seen.push(...page.items.map((i) => i.id));
            for (const i of page.items) {
              const c = byId.get(i.id)!;
              expect(i.access, `${m} ${i.id} access`).toBe(clientAccess(ctx, m, c).clinical ? 'clinical' : 'administrative');
              expect([i.primary, i.restricted], `${m} ${i.id} fields`).toEqual([c.primary, c.restricted]);
            }
            if (!page.next) break;
            page = await clientPage(guard, id, m, { limit: 4, after: page.next });
          }
          expect(seen, `${m} pages`).toEqual(expected);

          for (const area of ['calendar', 'billing'] as const) {
            const all = apptOrder
              .map((r) => appts.get(r.id)!)
              .filter((a) => {
                const c = byId.get(a.client)!;
                return area === 'calendar' ? seesAppointment(ctx, m, { id: a.id, client: a.client, clinician: a.clinician }, c) : seesCharge(ctx, m, c);
              });
            const want = all.slice(0, 5).map((a) => a.id);
            const first = await appointmentPage(guard, id, m, area, { limit: 5 });
            expect(first.items.map((a) => a.id), `${m} ${area}`).toEqual(want);
            // Walking every page through the cursor yields exactly the reference list.
            const walked: string[] = [];
            let next: { startsAt: number; id: string } | null = null;
            do {
              const page: Awaited<ReturnType<typeof appointmentPage>> = await appointmentPage(guard, id, m, area, { limit: 3, after: next });
              for (const a of page.items) {
                const ref = appts.get(a.id)!;
                expect([a.client, a.clinician, a.startsAt, a.amount], `${m} ${area} ${a.id} fields`).toEqual([ref.client, ref.clinician, ref.startsAt, ref.fee]);
              }
              walked.push(...page.items.map((a) => a.id));
              next = page.next;
            } while (next);
            expect(walked, `${m} ${area} pages`).toEqual(all.map((a) => a.id));
          }

          for (const name of ['billing_summary', 'income_allocation'] as ReportName[]) {
            const sums = new Map<string, number>();
            for (const a of p.appointments) sums.set(a.client, (sums.get(a.client) ?? 0) + a.fee);
            const amounts = [...sums].map(([c, amount]) => ({ client: byId.get(c)!, amount }));
            const total = [...sums.values()].reduce((s, x) => s + x, 0);
            const reference = (page: ReportPageRequest) => buildReport(ctx, m, name, amounts, { total, clients: amounts.length }, page);
            const want = reference({ limit: REPORT_PAGE.maxLimit });
            const got = await scopedReport(guard, id, m, name);
            expect(got.ok, `${m} ${name} ok`).toBe(want.ok);
            if (!got.ok || !want.ok) continue;
            expect(got.report.rows.map((r) => r.client)).toEqual(want.report.rows.slice(0, REPORT_PAGE.defaultLimit).map((r) => r.client));
            // Walking every page gives exactly the reference rows; each page equals the
            // reference page, totals and cursor included.
            const limit = 1 + (p.appointments.length % 4);
            const walked: ReportRow[] = [];
            let after: string | null = null;
            for (;;) {
              const page: { ok: true; report: Report } | { ok: false } = await scopedReport(guard, id, m, name, { limit, after });
              const ref = reference({ limit, after });
              if (!page.ok || !ref.ok) throw new Error('refused');
              expectSameReport(page.report, ref.report, `${m} ${name} after ${after}`);
              walked.push(...page.report.rows);
              if (page.report.next === null) break;
              after = page.report.next;
            }
            expect(walked.map((r) => r.client), `${m} ${name} pages`).toEqual(want.report.rows.map((r) => r.client));
            walked.forEach((r, i) => expect(r.amount).toBeCloseTo(want.report.rows[i]!.amount, 6));
            // A cursor that is no client id, and one past the last.
            for (const cursor of ['k0', 'k05~', '~']) {
              const page = await scopedReport(guard, id, m, name, { limit, after: cursor });
              const ref = reference({ limit, after: cursor });
              if (page.ok && ref.ok) expectSameReport(page.report, ref.report, `${m} ${name} after ${cursor}`);
            }
            // The service serves the scoped path; the row-by-row reference agrees with it.
            const served = await guard.report(id, m, name, { limit, after: null });
            const byRows = await guard.reportByRows(id, m, name, { limit, after: null });
            if (served.ok && byRows.ok) expectSameReport(served.report, byRows.report, `${m} ${name} service`);
          }
        }
        expect((await clientPage(guard, id, 'stranger')).total).toBe(0);
      }),
      { numRuns: kind === 'pglite' ? 20 : 30 },
    );
  });
});
