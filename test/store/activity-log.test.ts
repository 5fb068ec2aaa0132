/**
 * The activity log's hash chain verifies for the entries the application itself writes,
 * on every database kind (004: "This allows the activity log to record the actions of each
 * user"). jsonb stores an object's keys in its own order (shorter keys first), so the
 * chain must not depend on the order in which the application built an entry's detail.
 */
import { describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';

describe.each(databaseKinds())('activity log chain on %s', (kind) => {
  it('verifies after the practice is created and after commands', async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 0, 5, 9));
    const practice = newPracticeId('log');
    await cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner', 'clinician_basic'] },
        { id: 'bill', roles: ['practice_biller'] },
      ],
      clients: [{ id: 'c1', primary: 'olivia', restricted: true }],
    });
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
    const r = await cg.execute(practice, 'olivia', { type: 'revoke_administrative', client: 'c1', member: 'bill' });
    expect(r.ok).toBe(true);
    await cg.execute(practice, 'olivia', { type: 'write_note', id: 'n1', client: 'c1', kind: 'clinical', sign: true });
    expect(await cg.verifyLog(practice)).toEqual({ ok: true, entries: (await cg.activity(practice)).length });
  });
});

describe.each(databaseKinds())('audited reads appended in batches on %s', (kind) => {
  it('chains many concurrent audited reads and commands into one gap-free chain, each committed when its promise settles', async () => {
    let now = Date.UTC(2026, 0, 5, 9);
    const cg = ChartGuard.over(await database(kind), () => now++);
    const practice = newPracticeId('batch');
    await cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner', 'clinician_basic'] },
        { id: 'dana', roles: ['clinician_basic'] },
      ],
      clients: [{ id: 'c1', primary: 'dana' }],
    });
    const before = (await cg.activity(practice)).length;
    const counts = new Map<string, number>();
    const reads = Array.from({ length: 300 }, (_, i) =>
      cg.audit(practice, { actor: i % 2 ? 'olivia' : 'dana', action: 'view_client', client: 'c1', outcome: 'read', detail: { i } }).then(async () => {
        // Committed when it resolves: a read right after sees it.
        const seen = (await cg.activity(practice)).some((e) => e.detail.i === i);
        counts.set(String(i), seen ? 1 : 0);
      }),
    );
    const notes = Array.from({ length: 5 }, (_, i) => cg.execute(practice, 'dana', { type: 'write_note', id: `n${i}`, client: 'c1', kind: 'clinical', sign: false }));
    await Promise.all([...reads, ...notes]);
    expect([...counts.values()].filter((v) => v === 1)).toHaveLength(300);
    const log = await cg.activity(practice);
    expect(log.length - before).toBe(305);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // The entries keep the order in which they were appended.
    const mine = log.filter((e) => e.action === 'view_client').map((e) => e.detail.i as number);
    expect(mine).toEqual([...mine].sort((a, b) => a - b));
    expect(await cg.verifyLog(practice)).toEqual({ ok: true, entries: log.length });
  });

  it('rejects every read of a batch that could not be written, and writes the next batch', async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 0, 5, 9));
    const missing = newPracticeId('none');
    const failed = await Promise.allSettled([1, 2, 3].map((i) => cg.audit(missing, { actor: 'x', action: 'view_client', client: null, outcome: 'read', detail: { i } })));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    const practice = newPracticeId('after');
    await cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }], clients: [] });
    await cg.audit(practice, { actor: 'olivia', action: 'view_client', client: null, outcome: 'read', detail: {} });
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
  });
});
