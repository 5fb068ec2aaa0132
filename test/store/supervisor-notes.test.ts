/**
 * A supervisor reviews a supervisee's notes even on clients the supervisor has no access
 * to (002: "Supervisors can review supervisee documentation, but do not automatically have
 * full chart access"), unless the client is restricted (001). The notes list must show
 * exactly what the single check allows: found by the store property test on PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';

describe.each(databaseKinds())('a supervisor reviewing notes on %s', (kind) => {
  it("lists a supervisee's note on another clinician's client, as note.view allows, and not on a restricted one", async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 0, 5, 9));
    const practice = newPracticeId('sup-notes');
    await cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner'] },
        { id: 'ana', roles: ['clinician_basic'] },
        { id: 'ben', roles: ['clinician_basic'] },
        { id: 'sam', roles: ['supervisor'] },
      ],
      supervision: [{ supervisor: 'sam', supervisee: 'ana' }],
      clients: [
        { id: 'c1', primary: 'ben' },
        { id: 'c2', primary: 'ben', restricted: true },
      ],
    });
    for (const c of ['c1', 'c2']) {
      expect((await cg.execute(practice, 'ben', { type: 'grant_clinical', client: c, member: 'ana' })).ok).toBe(true);
      expect((await cg.execute(practice, 'ana', { type: 'write_note', id: `n-${c}`, client: c, kind: 'clinical', sign: true })).ok).toBe(true);
    }
    expect((await cg.check(practice, 'sam', 'note.view', { note: 'n-c1' })).allowed).toBe(true);
    expect((await cg.check(practice, 'sam', 'note.view', { note: 'n-c2' })).allowed).toBe(false);
    expect((await cg.check(practice, 'sam', 'client.view_chart', { client: 'c1' })).allowed).toBe(false);
    expect((await cg.list(practice, 'sam', 'notes')).map((n) => n.id)).toEqual(['n-c1']);
    // The client itself stays out of the supervisor's client list.
    expect((await cg.list(practice, 'sam', 'clients')).map((c) => c.id)).toEqual([]);
  });
});

