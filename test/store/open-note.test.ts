/**
 * Opening a note (ChartGuard.openNote, GET /api/notes/:id): one store call, one round
 * trip that reads only that note's facts (and its client's), one that reads its text under
 * row-level security when the core lets it through, the audited read, and the viewer's decision on
 * each note permission, equal to the core's canOnNote. On random practices (random
 * command sequences, then a note by each client's primary clinician), every member opens
 * every note, a deleted one and one that does not exist; the answer is what the route
 * answered before: not found when the note is missing, deleted or its client hidden from
 * the member (no existence oracle), the core's refusal when the member sees the client
 * but may not read the note, else the note as the notes list shows it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canOnClient, canOnNote, DAY_MS, NOTE_PERMISSIONS, type Decision } from '../../src/core/index.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import type { Database, Queryable } from '../../src/store/db/database.js';
import { loadClients, loadNotes, loadTeam } from '../../src/store/facts/facts.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { POOLS, sequence } from '../support/generators.js';
import { scratchDatabase } from '../support/scratch-database.js';

/**
 * This file's own PostgreSQL database: it counts the statements of each read, and another
 * file's commands on the shared database notify this process's caches, whose reloads would
 * count here. Created before database() first reads CHARTGUARD_TEST_PG_URL; dropped after.
 */
const shared = process.env.CHARTGUARD_TEST_PG_URL;
let dropOwn: (() => Promise<void>) | null = null;
beforeAll(async () => {
  if (!shared) return;
  const own = await scratchDatabase(shared, `chartguard_open_note_${process.pid}_${Date.now().toString(36)}`);
  dropOwn = own.drop;
  process.env.CHARTGUARD_TEST_PG_URL = own.url;
});
afterAll(() => dropOwn?.());

const RUNS = Number(process.env.CHARTGUARD_OPEN_NOTE_RUNS ?? 25);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** The database, counting transactions, statements outside them, and the rows each statement inside returned. */
function counting(db: Database) {
  const seen = { transactions: 0, outside: 0, statements: [] as { sql: string; rows: number }[] };
  const inside = (tx: Queryable): Queryable => ({
    query: async <T,>(sql: string, params?: readonly unknown[]) => {
      const rows = await tx.query<T>(sql, params);
      seen.statements.push({ sql, rows: rows.length });
      return rows;
    },
    exec: (sql) => tx.exec(sql),
  });
  const wrapped: Database = {
    kind: db.kind,
    query: <T,>(sql: string, params?: readonly unknown[]) => {
      seen.outside++;
      return db.query<T>(sql, params);
    },
    exec: (sql) => db.exec(sql),
    transaction: (fn, opening) => {
      seen.transactions++;
      return db.transaction((tx) => fn(inside(tx)), opening);
    },
    readOnce: async <T,>(opening: string, sql: string) => {
      seen.transactions++;
      const rows = await db.readOnce<T>(opening, sql);
      seen.statements.push({ sql, rows: rows.length });
      return rows;
    },
    listen: (channel, on) => db.listen(channel, on),
    close: async () => {},
  };
  const reset = () => {
    seen.transactions = 0;
    seen.outside = 0;
    seen.statements = [];
  };
  return { db: wrapped, seen, reset };
}

/** What the route answered before openNote, from the core on the facts read in system mode. */
async function expected(cg: ChartGuard, practice: string, member: string, id: string): Promise<{ ok: true; permissions: Record<string, Decision> } | { ok: false; decision: Decision }> {
  return cg.within(practice, null, 'system', async (tx) => {
    const ctx = { team: await loadTeam(tx, practice), now: cg.now() };
    const note = (await loadNotes(tx, practice, [id])).get(id);
    const client = note && (await loadClients(tx, practice, [note.client])).get(note.client);
    if (!note || note.deleted || !client || !canOnClient(ctx, member, 'client.view_profile', client).allowed) return { ok: false, decision: { allowed: false, code: 'not_found', reasons: [{ code: 'not_found', text: 'No such note.' }] } };
    const view = canOnNote(ctx, member, 'note.view', note, client);
    if (!view.allowed) return { ok: false, decision: view };
    return { ok: true, permissions: Object.fromEntries(NOTE_PERMISSIONS.map((p) => [p, canOnNote(ctx, member, p, note, client)])) };
  });
}

describe.each(databaseKinds())('opening a note on %s', (kind) => {
  it(`answers the core's canOnNote for every member and note of ${RUNS} random practices, in one round trip reading one note's facts (and, when it is shown, one reading its text and the log batch with its audited read)`, async () => {
    const counted = counting(await database(kind));
    let now = START;
    const cg = ChartGuard.over(counted.db, () => now);
    let opened = 0;
    let refused = 0;
    let hidden = 0;
    await fc.assert(
      fc.asyncProperty(sequence({ maxSteps: 10 }), async (seq) => {
        now = START;
        const practice = newPracticeId('open-note');
        await cg.createPractice({ id: practice, ...seq.practice });
        for (const step of seq.steps) {
          if (step.kind === 'advance') now += step.days * DAY_MS;
          else await cg.execute(practice, step.actor, step.command);
        }
        // A note by each client's primary clinician (signed every other), and one deleted.
        const clients = (await cg.within(practice, null, 'system', (tx) => loadClients(tx, practice, null))).values();
        const own: string[] = [];
        for (const [i, c] of [...clients].entries()) {
          const id = `own-${i}`;
          const wrote = await cg.execute(practice, c.primary, { type: 'write_note', id, client: c.id, kind: 'clinical', body: `text of ${id}`, sign: i % 2 === 0 });
          if (wrote.ok) own.push(id);
        }
        if (own[1]) await cg.execute(practice, seq.practice.members.find((m) => m.roles.includes('account_owner'))!.id, { type: 'delete_note', note: own[1] });
        const notes = [...POOLS.notes, ...own, 'ghost'];
        const logBefore = (await cg.activity(practice)).length;
        let reads = 0;
        for (const m of seq.practice.members.map((x) => x.id)) {
          const list = await cg.list(practice, m, 'notes');
          for (const id of notes) {
            const want = await expected(cg, practice, m, id);
            counted.reset();
            const got = await cg.openNote(practice, m, id);
            // One round trip decides (and, for a note shown, one more reads its text and the
            // appender's batch logs it), no statement outside them, and none read more than one note.
            expect(counted.seen.transactions).toBe(want.ok ? 3 : 1);
            expect(counted.seen.outside).toBe(0);
            expect(counted.seen.statements.filter((s) => /chartguard\.notes\b/.test(s.sql) && s.rows > 1)).toEqual([]);
            if (!want.ok) {
              const d = want.decision;
              expect(d.allowed).toBe(false);
              expect(got).toEqual({ ok: false, code: d.allowed ? null : d.code, reasons: d.reasons });
              if (d.allowed === false && d.code === 'not_found') hidden++;
              else refused++;
              continue;
            }
            expect(got.ok).toBe(true);
            if (!got.ok) continue;
            opened++;
            reads++;
            const { permissions, ...note } = got.note;
            expect(permissions).toEqual(want.permissions);
            // The note as the notes list shows it (what the route returned before).
            expect(note).toEqual(list.find((n) => n.id === id));
          }
        }
        // One audited read per note opened, none per refusal.
        const log = (await cg.activity(practice)).slice(logBefore);
        expect(log.length).toBe(reads);
        expect(log.every((e) => e.action === 'view_note' && e.outcome === 'read')).toBe(true);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(opened).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(hidden).toBeGreaterThan(0);
  });

  it('opens, refuses and hides as the route did, on a fixture practice', async () => {
    const cg = ChartGuard.over(await database(kind), () => START);
    const practice = newPracticeId('open-note-fixture');
    await cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner'] },
        { id: 'ana', roles: ['clinician_basic'] },
        { id: 'ben', roles: ['clinician_basic'] },
        { id: 'sam', roles: ['supervisor'] },
        { id: 'bill', roles: ['practice_biller'] },
      ],
      supervision: [{ supervisor: 'sam', supervisee: 'ana' }],
      clients: [
        { id: 'c1', primary: 'ana' },
        { id: 'c2', primary: 'ben', restricted: true },
      ],
    });
    expect((await cg.execute(practice, 'ana', { type: 'write_note', id: 'n1', client: 'c1', kind: 'clinical', body: 'Session 1.', sign: true })).ok).toBe(true);
    expect((await cg.execute(practice, 'ben', { type: 'write_note', id: 'n2', client: 'c2', kind: 'clinical', body: 'Restricted.', sign: false })).ok).toBe(true);
    expect((await cg.execute(practice, 'olivia', { type: 'revoke_administrative', client: 'c2', member: 'bill' })).ok).toBe(true);

    const ana = await cg.openNote(practice, 'ana', 'n1');
    expect(ana.ok && ana.note).toMatchObject({ id: 'n1', client: 'c1', author: 'ana', kind: 'clinical', body: 'Session 1.', signed: true, cosigned: false });
    expect(ana.ok && Object.keys(ana.note.permissions).sort()).toEqual([...NOTE_PERMISSIONS].sort());
    expect(ana.ok && ana.note.permissions['note.view'].allowed).toBe(true);
    expect(ana.ok && ana.note.permissions['note.sign'].allowed).toBe(false); // already signed
    const sam = await cg.openNote(practice, 'sam', 'n1');
    expect(sam.ok && sam.note.permissions['note.cosign'].allowed).toBe(true); // 002: the supervisor co-signs

    // The biller sees the client, not its clinical notes: the core's refusal.
    const bill = await cg.openNote(practice, 'bill', 'n1');
    expect(bill).toMatchObject({ ok: false, code: 'forbidden', reasons: [{ code: 'forbidden' }] });
    // A restricted client the biller was revoked from, a note that does not exist, a deleted one: not found alike.
    const notFound = { ok: false, code: 'not_found', reasons: [{ code: 'not_found', text: 'No such note.' }] };
    expect(await cg.openNote(practice, 'bill', 'n2')).toEqual(notFound);
    expect(await cg.openNote(practice, 'ana', 'nope')).toEqual(notFound);
    expect((await cg.execute(practice, 'olivia', { type: 'delete_note', note: 'n2' })).ok).toBe(true);
    expect(await cg.openNote(practice, 'ben', 'n2')).toEqual(notFound);
    const log = await cg.activity(practice);
    expect(log.filter((e) => e.action === 'view_note').map((e) => [e.actor, e.client, e.detail])).toEqual([
      ['ana', 'c1', { note: 'n1' }],
      ['sam', 'c1', { note: 'n1' }],
    ]);
  });
});
