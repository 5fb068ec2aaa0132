/**
 * The safeguards through the store (issue 10): a refused team change writes nothing; the
 * owner's change logs the restricted clients it opened, to who may view them only; role and
 * supervision changes name whose access changed, with before and after; a change that widens
 * a member's access tells the account owner, in the account and by email.
 */
import { describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { snapshot } from '../properties/store.js';

async function practiceWithBlake(cg: ChartGuard) {
  const practice = newPracticeId('safe');
  await cg.createPractice({
    id: practice,
    members: [
      { id: 'olivia', roles: ['account_owner'] },
      { id: 'pat', roles: ['practice_administrator'] },
      { id: 'mia', roles: ['practice_manager'] },
      { id: 'sky', roles: ['practice_scheduler'] },
      { id: 'ana', roles: ['clinician_basic'] },
      { id: 'ben', roles: ['clinician_basic'] },
    ],
    clients: [
      { id: 'blake', primary: 'ana', restricted: true },
      { id: 'casey', primary: 'ana' },
    ],
  });
  expect((await cg.execute(practice, 'olivia', { type: 'revoke_administrative', client: 'blake', member: 'sky' })).ok).toBe(true);
  return practice;
}

describe.each(databaseKinds())('safeguards through the store on %s', (kind) => {
  it('refuses a supervision that reopens a restricted client, changing nothing; the owner may, and the log says what it opened', async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 0, 5, 9));
    const practice = await practiceWithBlake(cg);
    expect((await cg.execute(practice, 'pat', { type: 'assign_roles', member: 'sky', roles: ['practice_scheduler', 'supervisor'] })).ok).toBe(true);

    const before = await snapshot(cg, practice);
    const refused = await cg.execute(practice, 'pat', { type: 'set_supervisor', supervisor: 'sky', supervisee: 'ana' });
    expect(refused).toMatchObject({ ok: false, code: 'only_account_owner' });
    expect(await snapshot(cg, practice)).toEqual(before);
    expect((await cg.check(practice, 'sky', 'client.view_profile', { client: 'blake' })).allowed).toBe(false);

    const done = await cg.execute(practice, 'olivia', { type: 'set_supervisor', supervisor: 'sky', supervisee: 'ana' });
    expect(done.ok).toBe(true);
    expect((await cg.check(practice, 'sky', 'client.view_profile', { client: 'blake' })).allowed).toBe(true);
    const entry = (await cg.activity(practice)).at(-1)!;
    expect(entry).toMatchObject({ action: 'set_supervisor', clients: ['blake'] });
    expect(entry.detail).toMatchObject({ opened: [{ member: 'sky', client: 'blake' }], subjects: ['ana', 'sky'], supervises: { sky: { before: [], after: ['ana'] } } });
    // The entry names a restricted client: the practice administrator, who may not view it, does not see it.
    const seenBy = async (m: string) => (await cg.list(practice, m, 'activity_log')).some((i) => i.id === String(entry.seq));
    expect(await seenBy('olivia')).toBe(true);
    expect(await seenBy('pat')).toBe(false);
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
  });

  it("names whose roles changed, with before and after, and tells the owner when someone's access widens", async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 0, 5, 9));
    const practice = await practiceWithBlake(cg);
    expect((await cg.execute(practice, 'pat', { type: 'assign_roles', member: 'mia', roles: ['practice_manager', 'clinician_basic'] })).ok).toBe(true);
    const entry = (await cg.activity(practice)).at(-1)!;
    expect(entry.detail).toMatchObject({
      subjects: ['mia'],
      roles: { mia: { before: ['practice_manager'], after: ['practice_manager', 'clinician_basic'] } },
      summary: 'Roles of mia set to practice_manager, clinician_basic (were practice_manager).',
    });
    expect((await cg.list(practice, 'olivia', 'notifications')).map((n) => n.event)).toContain('access_widened');
    const emails = await cg.within(practice, null, 'system', (tx) => tx.query<{ recipient: string; body: string; client_id: string | null }>('select recipient, body, client_id from chartguard.email_outbox where practice_id = $1', [practice]));
    expect(emails.filter((e) => e.recipient === 'olivia' && e.client_id === null).map((e) => e.body).join()).toMatch(/widened/);

    // A narrowing tells nobody.
    const n = (await cg.list(practice, 'olivia', 'notifications')).length;
    expect((await cg.execute(practice, 'pat', { type: 'assign_roles', member: 'mia', roles: ['practice_manager'] })).ok).toBe(true);
    expect(await cg.list(practice, 'olivia', 'notifications')).toHaveLength(n);
  });

  it('refuses self-elevation by the practice administrator, and sharing a restricted client by a manager', async () => {
    const cg = ChartGuard.over(await database(kind), () => Date.UTC(2026, 0, 5, 9));
    const practice = await practiceWithBlake(cg);
    expect(await cg.execute(practice, 'pat', { type: 'assign_roles', member: 'pat', roles: ['practice_administrator', 'clinician_entire_practice'] })).toMatchObject({ ok: false, code: 'only_account_owner' });
    expect(await cg.execute(practice, 'mia', { type: 'share_with_all', client: 'blake', on: true })).toMatchObject({ ok: false, code: 'only_account_owner' });
    expect(await cg.execute(practice, 'mia', { type: 'share_with_all', client: 'casey', on: true })).toMatchObject({ ok: true });
  });
});
