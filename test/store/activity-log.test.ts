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
