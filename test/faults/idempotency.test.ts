/**
 * Issue 12, finding 7: a create whose answer was lost is retried. With the same
 * Idempotency-Key by the same member the retry answers the first result and creates
 * nothing; the same key for another request is refused; without a key nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { Harness, isProblem, type Agent } from '../server/harness.js';

describe.each(databaseKinds())('Idempotency-Key on %s', (kind) => {
  let h: Harness;
  let practice: string;
  let sky: Agent;
  let olivia: Agent;
  beforeAll(async () => {
    h = await Harness.create(kind);
    const demo = await h.demo();
    practice = demo.practice;
    sky = await h.signIn(demo.user('sky'), demo.password);
    olivia = await h.signIn(demo.user('olivia'), demo.password);
  });
  afterAll(() => h.close());

  const create = (agent: Agent, name: string, key?: string) =>
    h.request('POST', '/api/clients', { agent, body: { name, primary: 'ana' }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
  const count = async (name: string) =>
    Number((await h.cg.db.query<{ n: number }>('select count(*)::int as n from chartguard.clients where practice_id = $1 and name = $2', [practice, name]))[0]!.n);

  it('a retry with the same key answers the first result and creates nothing (no second log entry)', async () => {
    const first = await create(sky, 'Idem One', 'key-1');
    expect(first.status).toBe(201);
    const log = await h.logLength(practice);
    const again = await create(sky, 'Idem One', 'key-1');
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(await count('Idem One')).toBe(1);
    expect(await h.logLength(practice)).toBe(log);
  });

  it('the same key with another body is 422 idempotency_key_reused; another member has keys of their own', async () => {
    expect((await create(sky, 'Idem Two', 'key-2')).status).toBe(201);
    const reused = await create(sky, 'Idem Other', 'key-2');
    expect(reused.status).toBe(422);
    expect(isProblem(reused)).toBe(true);
    expect(reused.json.code).toBe('idempotency_key_reused');
    expect(await count('Idem Other')).toBe(0);
    expect((await create(olivia, 'Idem Two', 'key-2')).status).toBe(201);
    expect(await count('Idem Two')).toBe(2);
  });

  it('concurrent retries with one key create once', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(sky, 'Idem Race', 'key-race')));
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(await count('Idem Race')).toBe(1);
    const later = await create(sky, 'Idem Race', 'key-race');
    expect(later.status).toBe(201);
    expect(later.headers['idempotency-replayed']).toBe('true');
  });

  it('a refused create frees its key; without a key every POST creates', async () => {
    const refused = await h.request('POST', '/api/clients', { agent: sky, body: { name: 'Idem Bad', primary: 'nobody' }, headers: { 'idempotency-key': 'key-3' } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect((await create(sky, 'Idem Bad', 'key-3')).status).toBe(201);
    expect((await create(sky, 'Idem Plain')).status).toBe(201);
    expect((await create(sky, 'Idem Plain')).status).toBe(201);
    expect(await count('Idem Plain')).toBe(2);
    const bad = await create(sky, 'Idem X', 'x'.repeat(201));
    expect(bad.status).toBe(400);
  });
});
