/**
 * The paged reads of records (src/store/reads/client-records.ts: a client's notes and
 * messages; member-records.ts: a member's tasks and notifications; payment-page.ts: insurance
 * payments; inbox-page.ts: the messages inbox; note-queues.ts: a member's own notes and
 * co-sign queue; activity-page.ts: the
 * activity log, newest first, under filters) answer what the old
 * full-list path answered and what the core's single checks allow: on random practices
 * (random command sequences, then records by several members on every client, at tied
 * and distinct times), on PGlite and PostgreSQL, for every member and every client, walking
 * every page with a small random page size. The pages joined are the area's list
 * (ChartGuard.list), filtered to the client for a client's records, item for item and in the same order; their ids
 * are those the core's single checks let through over every row (loaded in system mode).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canOnNote, seesNote } from '../../src/core/index.js';
import { ChartGuard, type ListItem } from '../../src/store/chartguard.js';
import { clientMessagesPage, clientNotesPage, type TimeCursor, type TimePageOptions } from '../../src/store/reads/client-records.js';
import { activityPage, type ActivityCursor, type ActivityFilter } from '../../src/store/reads/activity-page.js';
import { inboxPage } from '../../src/store/reads/inbox-page.js';
import { NOTE_QUEUES, noteQueuePage } from '../../src/store/reads/note-queues.js';
import type { KeysetPage } from '../../src/store/reads/keyset.js';
import { paymentPage, type PaymentCursor } from '../../src/store/reads/payment-page.js';
import { notificationPage, taskPage, type NotificationCursor } from '../../src/store/reads/member-records.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { walk } from '../support/pages.js';
import { sequence } from '../support/generators.js';
import { replay } from '../support/replay.js';
import { expectedList } from '../properties/invariants.js';
import { loadAll } from '../properties/store.js';

const RUNS = Number(process.env.CHARTGUARD_RECORD_PAGE_RUNS ?? 15);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

type ClientRead = (cg: ChartGuard, practice: string, member: string, client: string, options: TimePageOptions) => Promise<KeysetPage<ListItem, TimeCursor>>;

const CLIENT_READS: readonly [area: 'notes' | 'messages', read: ClientRead][] = [
  ['notes', clientNotesPage],
  ['messages', clientMessagesPage],
];

type MemberRead = (cg: ChartGuard, practice: string, member: string, limit: number, after: unknown) => Promise<KeysetPage<ListItem, unknown>>;

const MEMBER_READS: readonly [area: 'messages' | 'tasks' | 'notifications' | 'insurance_payments', read: MemberRead][] = [
  // A narrow member's keys found both ways (scope-keys.ts): walking the practice's messages in time order, and by client.
  ['messages', (cg, practice, member, limit, after) => inboxPage(cg, practice, member, { limit, after: after as TimeCursor | null, reach: 'walk' })],
  ['messages', (cg, practice, member, limit, after) => inboxPage(cg, practice, member, { limit, after: after as TimeCursor | null, reach: 'lookup' })],
  ['insurance_payments', (cg, practice, member, limit, after) => paymentPage(cg, practice, member, { limit, after: after as PaymentCursor | null })],
  ['tasks', (cg, practice, member, limit, after) => taskPage(cg, practice, member, { limit, after: after as TimeCursor | null })],
  ['notifications', (cg, practice, member, limit, after) => notificationPage(cg, practice, member, { limit, after: after as NotificationCursor | null })],
];

/** Whether a log item (as ChartGuard.list shows it) passes the filter. */
function matches(e: ListItem, f: ActivityFilter): boolean {
  const at = e['at'] as number;
  return (
    (f.actor === undefined || e['actor'] === f.actor) &&
    (f.client === undefined || e.client === f.client) &&
    (f.action === undefined || e['action'] === f.action) &&
    (f.outcome === undefined || e['outcome'] === f.outcome) &&
    (f.from === undefined || at >= f.from) &&
    (f.to === undefined || at < f.to)
  );
}

describe.each(databaseKinds())('paged record reads on %s', (kind) => {
  it(`equal the old list and the core's single checks on ${RUNS} random practices`, async () => {
    let now = START;
    const cg = ChartGuard.over(await database(kind), () => now);
    let seen = 0;
    let multiPage = 0;
    await fc.assert(
      fc.asyncProperty(sequence({ maxSteps: 10 }), fc.integer({ min: 1, max: 3 }), fc.nat(), async (seq, limit, salt) => {
        now = START;
        const practice = newPracticeId('record-page');
        await replay(cg, practice, seq, (ms) => (now += ms));
        // Records on every client by several members: some at one instant (ties ordered by id), some later.
        const members = seq.practice.members.map((m) => m.id);
        const clients = [...(await loadAll(cg, practice)).rows.clients.values()];
        for (const [i, c] of clients.entries()) {
          for (let k = 0; k < 4; k++) {
            const author = k === 0 ? c.primary : members[(salt + i + k) % members.length]!;
            if (k === 2) now += 1000;
            await cg.execute(practice, author, { type: 'write_note', id: `w${i}-${k}`, client: c.id, kind: k === 3 ? 'contact' : 'clinical', body: `note ${k}`, sign: k % 2 === 0 });
            await cg.execute(practice, author, { type: 'send_message', id: `m${i}-${k}`, client: c.id, body: `message ${k}` });
            const assignee = members[(salt + 2 * i + k) % members.length]!;
            await cg.execute(practice, author, { type: 'create_task', id: `t${i}-${k}`, client: c.id, assignee, title: `task ${k}` });
          }
        }
        // Payments covering one or two clients, by every member (most refused) and by the owner.
        for (const [i, c] of clients.entries()) {
          const covers = [...new Set([c.id, clients[(i + 1 + salt) % clients.length]!.id])];
          for (const actor of [members[(salt + i) % members.length]!, seq.practice.members.find((m) => m.roles.includes('account_owner'))!.id]) {
            await cg.execute(practice, actor, { type: 'record_insurance_payment', id: `p${i}-${actor}`, covers, amount: 10 + i });
          }
        }
        // Restricting half the clients hides records from some members and notifies the owner (restricted_access_on).
        const owner = seq.practice.members.find((m) => m.roles.includes('account_owner'))!.id;
        for (const [i, c] of clients.entries()) if ((salt + i) % 2 === 0) await cg.execute(practice, owner, { type: 'restrict', client: c.id });
        const stored = await loadAll(cg, practice);
        const ctx = { team: stored.team, now };
        for (const m of members) {
          for (const [area, read] of MEMBER_READS) {
            const old = await cg.list(practice, m, area);
            const got = await walk<ListItem, unknown>(limit, (after) => read(cg, practice, m, limit, after));
            expect(got, `${m}'s ${area}`).toEqual(old);
            expect(got.map((x) => x.id).sort(), `${m}'s ${area} (core)`).toEqual(expectedList(ctx, stored.rows, m, area).map((x) => x.id).sort());
            seen += got.length;
            if (got.length > limit) multiPage++;
          }
          // The note queues, in the notes list's order: my notes I may view (seesNote), and every
          // note I may co-sign (canOnNote 'note.cosign'), by the core's single checks over every note.
          const notes = await cg.list(practice, m, 'notes');
          const client = (id: string) => stored.rows.clients.get(id)!;
          const queues = {
            mine: stored.rows.notes.filter((n) => n.author === m && seesNote(ctx, m, n, client(n.client))),
            cosign: stored.rows.notes.filter((n) => canOnNote(ctx, m, 'note.cosign', n, client(n.client)).allowed),
          };
          for (const queue of NOTE_QUEUES) {
            const want = new Set(queues[queue].map((n) => n.id));
            const got = await walk<ListItem, TimeCursor>(limit, (after) => noteQueuePage(cg, practice, m, queue, { limit, after }));
            expect(got.map((x) => x.id).sort(), `${m}'s ${queue} notes (core)`).toEqual([...want].sort());
            expect(got, `${m}'s ${queue} notes`).toEqual(notes.filter((x) => want.has(x.id)));
            if (got.length > limit) multiPage++;
          }
          // The activity log, newest first: whole, and under each filter.
          const log = [...(await cg.list(practice, m, 'activity_log'))].reverse();
          expect(log.map((x) => x.id).sort(), `${m}'s log (core)`).toEqual(expectedList(ctx, stored.rows, m, 'activity_log').map((x) => x.id).sort());
          const pick = <T,>(xs: readonly T[]) => xs[salt % xs.length]!;
          const filters: ActivityFilter[] = [
            {},
            { actor: pick(members) },
            { client: pick(clients).id },
            { action: 'write_note', outcome: 'success' },
            { outcome: 'read' },
            { from: START + 1000, to: now },
            { actor: m, client: pick(clients).id, action: 'send_message' },
          ];
          // A narrow member's keys found both ways (scope-keys.ts): walking the log newest first, and by client.
          for (const reach of ['walk', 'lookup'] as const) {
            for (const filter of filters) {
              const got = await walk<ListItem, unknown>(limit, (after) => activityPage(cg, practice, m, { limit, after: after as ActivityCursor | null, filter, reach }));
              expect(got, `${m}'s log ${JSON.stringify(filter)} (${reach})`).toEqual(log.filter((e) => matches(e, filter)));
              if (got.length > limit) multiPage++;
            }
          }
          // Nothing marks a notification read yet: every one the member sees is unread.
          expect((await notificationPage(cg, practice, m, { limit })).unread, `${m}'s unread`).toBe((await cg.list(practice, m, 'notifications')).length);
          for (const [area, read] of CLIENT_READS) {
            const old = await cg.list(practice, m, area);
            const core = expectedList(ctx, stored.rows, m, area);
            for (const c of [...clients.map((x) => x.id), 'ghost']) {
              const got = await walk<ListItem, TimeCursor>(limit, (after) => read(cg, practice, m, c, { limit, after }));
              expect(got, `${m}'s ${area} of ${c}`).toEqual(old.filter((x) => x.client === c));
              expect(got.map((x) => x.id).sort(), `${m}'s ${area} of ${c} (core)`).toEqual(core.filter((x) => x.clients[0] === c).map((x) => x.id).sort());
              seen += got.length;
              if (got.length > limit) multiPage++;
            }
          }
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(seen).toBeGreaterThan(0);
    expect(multiPage).toBeGreaterThan(0);
  }, 600_000);
});
