/**
 * ChartGuard.readOnce: one read as a member in one round trip, its parameters sent as
 * literals with the transaction's settings. It reads under row-level security like within(),
 * a parameter is data and never SQL, and an error leaves the connection clean.
 */
import { describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';

describe.each(databaseKinds())('readOnce on %s', (kind) => {
  it('reads as the member under row-level security, takes quotes as data, and recovers from an error', async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 11, 1));
    const practice = newPracticeId("o'brien");
    await cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner', 'clinician_basic'] },
        { id: 'ana', roles: ['clinician_basic'] },
      ],
      clients: [
        { id: 'c1', name: "Sean O'Brien", primary: 'ana' },
        { id: 'c2', name: 'Other', primary: 'olivia' },
      ],
    });
    const names = (member: string) =>
      cg.readOnce<{ name: string }>(practice, member, 'member', 'select name from chartguard.clients where practice_id = $1 order by id', [practice]).then((r) => r.map((x) => x.name));
    expect(await names('ana')).toEqual(["Sean O'Brien"]);
    expect(await names('olivia')).toEqual(["Sean O'Brien", 'Other']);
    // The same rows as within() reads.
    const viaWithin = await cg.within(practice, 'ana', 'member', (tx) => tx.query<{ name: string }>('select name from chartguard.clients where practice_id = $1 order by id', [practice]));
    expect(viaWithin.map((r) => r.name)).toEqual(await names('ana'));
    // A parameter that looks like SQL is a value.
    const injected = await cg.readOnce(practice, 'ana', 'member', 'select name from chartguard.clients where practice_id = $1 and id = $2', [practice, "x' or '1'='1"]);
    expect(injected).toEqual([]);
    // Member mode writes nothing, and a failed statement leaves no transaction open behind it.
    await expect(cg.readOnce(practice, 'ana', 'member', "update chartguard.clients set name = 'x' where practice_id = $1 returning 1", [practice]).then((r) => r.length)).resolves.toBe(0);
    await expect(cg.readOnce(practice, 'ana', 'member', 'select no_such_column from chartguard.clients', [])).rejects.toThrow();
    for (let i = 0; i < 12; i++) expect(await names('ana')).toEqual(["Sean O'Brien"]);
    await expect(cg.readOnce(practice, 'ana', 'member', 'select $2', ['only one'])).rejects.toThrow(/no parameter/);
  });
});
