/**
 * Commands racing on the same client, on the PostgreSQL server (PGlite runs one
 * transaction at a time, so there is nothing to race there). Each command decides on the
 * facts it read; two that each see an allowed state must not interleave into a forbidden
 * one. Afterwards the invariants hold and the log's chain verifies.
 *
 * 000: "Clinical access can't be granted while administrative access is revoked";
 * "If clinical access to a client other than their own was manually granted, clinical
 * access must be revoked first"; "If the client is restricted, only clinicians that
 * currently have administrative access for that client can be assigned as the primary
 * clinician."
 */
import { describe, expect, it } from 'vitest';
import { hasLiveGrant, type Command, type CommandResult } from '../../src/core/index.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { loadClients, loadTeam } from '../../src/store/facts/facts.js';
import { stateViolation } from '../properties/invariants.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';

const ROUNDS = Number(process.env.CHARTGUARD_RACE_ROUNDS ?? 40);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

const onPostgres = databaseKinds().includes('postgres');

describe.skipIf(!onPostgres)('racing commands on PostgreSQL', () => {
  const setUp = async () => {
    const cg = ChartGuard.over(await database('postgres'), () => START);
    const practice = newPracticeId('race');
    await cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner'] },
        { id: 'ana', roles: ['clinician_basic'] },
        { id: 'fay', roles: ['clinician_full_client_list'] },
        { id: 'eve', roles: ['clinician_entire_practice'] },
        { id: 'mia', roles: ['practice_manager'] },
      ],
      clients: [{ id: 'c1', primary: 'ana', restricted: true }],
    });
    return { cg, practice };
  };

  const race = (cg: ChartGuard, practice: string, commands: [string, Command][]): Promise<CommandResult[]> =>
    Promise.all(commands.map(([actor, command]) => cg.execute(practice, actor, command)));

  /** The invariants after a race: state, stored grants versus revocations, the log. */
  const settled = async (cg: ChartGuard, practice: string, expectedEntries: number) => {
    const { team, c1 } = await cg.within(practice, null, 'system', async (tx) => ({ team: await loadTeam(tx, practice), c1: (await loadClients(tx, practice, ['c1'])).get('c1')! }));
    const ctx = { team, now: START };
    expect(stateViolation(ctx, [c1])).toBeNull();
    for (const m of ['fay', 'eve']) {
      // No live manual clinical grant for an admin-capable clinician whose administrative access is revoked.
      expect(c1.administrativeRevoked.has(m) && hasLiveGrant(ctx, m, c1), `${m} holds a grant under a revocation`).toBe(false);
    }
    expect(c1.administrativeRevoked.has(c1.primary)).toBe(false);
    // Every change to the primary clinician of a restricted client went to someone who had administrative access then.
    for (const e of await cg.activity(practice)) {
      if (e.action !== 'set_primary_clinician' || e.outcome !== 'changed') continue;
      const before = e.detail.before as { restricted: boolean; administrativeRevoked: string[] };
      const to = (e.detail.command as { member: string }).member;
      expect(before.restricted && before.administrativeRevoked.includes(to), `${to} became primary while revoked`).toBe(false);
    }
    expect(await cg.verifyLog(practice)).toEqual({ ok: true, entries: expectedEntries });
  };

  it(`revoking administrative access and granting clinical access to the same clinician (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { cg, practice } = await setUp();
      const base = (await cg.activity(practice)).length;
      const [revoke, grant] = await race(cg, practice, [
        ['olivia', { type: 'revoke_administrative', client: 'c1', member: 'fay' }],
        ['ana', { type: 'grant_clinical', client: 'c1', member: 'fay' }],
      ]);
      // Whichever ran first, the second must be refused: never both.
      expect([revoke!.ok, grant!.ok].filter(Boolean)).toHaveLength(1);
      if (!revoke!.ok) expect(revoke!.code).toBe('revoke_clinical_first');
      if (!grant!.ok) expect(grant!.code).toBe('administrative_access_required');
      await settled(cg, practice, base + 1);
    }
  });

  it(`reassigning the primary clinician and revoking the new primary's administrative access (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { cg, practice } = await setUp();
      const base = (await cg.activity(practice)).length;
      const [primary, revoke] = await race(cg, practice, [
        ['ana', { type: 'set_primary_clinician', client: 'c1', member: 'fay' }],
        ['olivia', { type: 'revoke_administrative', client: 'c1', member: 'fay' }],
      ]);
      expect([primary!.ok, revoke!.ok].filter(Boolean)).toHaveLength(1);
      if (!primary!.ok) expect(primary!.code).toBe('administrative_access_required');
      if (!revoke!.ok) expect(revoke!.code).toBe('primary_clinician');
      await settled(cg, practice, base + 1);
    }
  });

  it(`many access commands at once on one client (${ROUNDS} rounds)`, async () => {
    const commands: [string, Command][] = [
      ['olivia', { type: 'revoke_administrative', client: 'c1', member: 'fay' }],
      ['ana', { type: 'grant_clinical', client: 'c1', member: 'fay' }],
      ['olivia', { type: 'revoke_administrative', client: 'c1', member: 'eve' }],
      ['mia', { type: 'grant_clinical', client: 'c1', member: 'eve' }],
      ['ana', { type: 'set_primary_clinician', client: 'c1', member: 'eve' }],
      ['mia', { type: 'set_primary_clinician', client: 'c1', member: 'fay' }],
      ['olivia', { type: 'grant_administrative', client: 'c1', member: 'fay' }],
      ['ana', { type: 'revoke_clinical', client: 'c1', member: 'fay' }],
      ['olivia', { type: 'unrestrict', client: 'c1', acknowledge: true }],
      ['ana', { type: 'restrict', client: 'c1' }],
    ];
    for (let i = 0; i < ROUNDS; i++) {
      const { cg, practice } = await setUp();
      const base = (await cg.activity(practice)).length;
      // A different interleaving each round: rotate who starts.
      const order = commands.map((_, k) => commands[(k + i) % commands.length]!);
      const results = await race(cg, practice, order);
      await settled(cg, practice, base + results.filter((r) => r.ok).length);
    }
  });
});
