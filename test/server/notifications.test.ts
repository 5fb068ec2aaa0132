/**
 * In-app notifications over HTTP: each says who acted, newest first on request, and its
 * recipient (only) marks it read, one or all, the unread count following.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, PASSWORD, type Agent } from './harness.js';

describe.each(databaseKinds())('notifications on %s', (kind) => {
  let h: Harness;
  let practice: string;
  const as = (m: string) => h.signIn(`${m}@${practice}`, PASSWORD);

  beforeAll(async () => {
    h = await Harness.create(kind);
    practice = newPracticeId('notify');
    await h.cg.createPractice({
      id: practice,
      members: [
        { id: 'olivia', roles: ['account_owner', 'clinician_entire_practice'] },
        { id: 'mia', name: 'Mia Manager', roles: ['practice_manager'] },
        { id: 'pat', name: 'Pat Admin', roles: ['practice_administrator'] },
        { id: 'ana', roles: ['clinician_basic'] },
      ],
      clients: [
        { id: 'c1', name: 'Client One', primary: 'ana' },
        { id: 'c2', name: 'Client Two', primary: 'ana' },
        { id: 'c3', name: 'Client Three', primary: 'olivia' },
      ],
    });
    for (const m of ['olivia', 'mia', 'pat', 'ana']) await h.accounts.createUser(practice, m, `${m}@${practice}`, PASSWORD);
  });
  afterAll(() => h.close());

  const page = async (a: Agent, query = '') => (await h.get(a, `/api/notifications${query}`)).json;

  it("carries who acted, answers newest first on request, and marks read only the recipient's own", async () => {
    const [olivia, mia, pat] = [await as('olivia'), await as('mia'), await as('pat')];
    // Restricting tells the owner (001); a practice administrator's settings change too.
    expect((await h.post(mia, '/api/clients/c1/restriction', { on: true })).status).toBe(200);
    h.advance(1000);
    expect((await h.request('PATCH', '/api/settings', { agent: pat, body: { timeZone: 'America/Denver' } })).status).toBe(200);

    const oldest = await page(olivia);
    expect(oldest.unread).toBe(2);
    expect(oldest.items.map((n: any) => [n.event, n.client, n.actor, n.actorName, n.read])).toEqual([
      ['restricted_access_on', 'c1', 'mia', 'Mia Manager', false],
      ['settings_changed', null, 'pat', 'Pat Admin', false],
    ]);
    const newest = await page(olivia, '?order=newest&limit=1');
    expect(newest.items.map((n: any) => n.event)).toEqual(['settings_changed']);
    const rest = await page(olivia, `?order=newest&limit=1&after=${newest.next}`);
    expect(rest.items.map((n: any) => n.event)).toEqual(['restricted_access_on']);
    expect(rest.next).toBeNull();

    // Someone else's notification, an unknown one and a malformed id: not found, or bad input; nothing marked.
    const [first, second] = oldest.items as { id: string }[];
    for (const [a, id, status] of [[mia, first!.id, 404], [pat, second!.id, 404], [olivia, '999999999', 404], [olivia, 'abc', 400]] as const) {
      expect((await h.post(a, `/api/notifications/${id}/read`)).status, `${a.member} ${id}`).toBe(status);
    }
    expect((await page(olivia)).unread).toBe(2);

    expect((await h.post(olivia, `/api/notifications/${first!.id}/read`)).status).toBe(204);
    expect((await h.post(olivia, `/api/notifications/${first!.id}/read`)).status).toBe(204); // again: still read
    const after = await page(olivia);
    expect([after.unread, after.items.map((n: any) => n.read)]).toEqual([1, [true, false]]);

    expect((await h.post(mia, '/api/notifications/read-all')).json).toEqual({ marked: 0 });
    expect((await page(olivia)).unread).toBe(1);
    expect((await h.post(olivia, '/api/notifications/read-all')).json).toEqual({ marked: 1 });
    const done = await page(olivia);
    expect([done.unread, done.items.every((n: any) => n.read)]).toEqual([0, true]);
    expect((await h.post(olivia, '/api/notifications/read-all')).json).toEqual({ marked: 0 });
  });

  it('neither shows nor marks a notification about a client its recipient may not view', async () => {
    const ana = await as('ana');
    const rows = await h.cg.db.query<{ id: string; client_id: string }>(
      `insert into chartguard.notifications (practice_id, recipient, event, client_id, actor, created_at)
       values ($1, 'ana', 'restricted_access_on', 'c3', 'mia', to_timestamp($2::float8 / 1000)), ($1, 'ana', 'restricted_access_on', 'c2', 'mia', to_timestamp($2::float8 / 1000))
       returning id::text as id, client_id`,
      [practice, h.clock.now],
    );
    const hidden = rows.find((r) => r.client_id === 'c3');
    const mine = await page(ana);
    expect([mine.unread, mine.items.map((n: any) => n.client)]).toEqual([1, ['c2']]);
    expect((await h.post(ana, `/api/notifications/${hidden!.id}/read`)).status).toBe(404);
    expect((await h.post(ana, '/api/notifications/read-all')).json).toEqual({ marked: 1 });
    const [row] = await h.cg.db.query<{ read: boolean }>('select read_at is not null as read from chartguard.notifications where practice_id = $1 and id = $2', [practice, hidden!.id]);
    expect(row!.read).toBe(false);
  });
});
