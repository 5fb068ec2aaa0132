/**
 * Claims over HTTP on the demo practice: Bill as Supervisor when scheduling, submitting a
 * claim (201 with its id), the page and one claim, each seen as the client's billing is; an
 * appointment or claim the caller may not see answers as one that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/databases.js';
import { Harness, type Agent } from './harness.js';
import { segments, structureProblems } from '../support/x12.js';

describe.each(databaseKinds())('claims over HTTP on %s', (kind) => {
  let h: Harness;
  let user: (m: string) => string;
  let password: string;
  const agents = new Map<string, Agent>();
  const as = async (m: string) => {
    let a = agents.get(m);
    if (!a) agents.set(m, (a = await h.signIn(user(m), password)));
    return a;
  };
  let ids: Record<string, string>;
  const schedule = async (client: string, clinician: string, more: Record<string, unknown> = {}) =>
    h.post(await as('olivia'), '/api/appointments', { client: ids[client], clinician, fee: 150, startsAt: Date.UTC(2026, 2, 2, 15), ...more });

  beforeAll(async () => {
    h = await Harness.create(kind);
    ({ user, password } = await h.demo());
    const list = await h.get(await as('olivia'), '/api/clients');
    ids = Object.fromEntries((list.json.items as { id: string; name: string }[]).map((c) => [c.name.split(' ')[0]!.toLowerCase(), c.id]));
  });
  afterAll(() => h.close());

  it('schedules billed as a supervising clinician, and refuses anyone else with not_supervisor', async () => {
    expect((await schedule('avery', 'ana', { billAs: 'sam' })).status).toBe(201);
    for (const billAs of ['bella', 'eve', 'mia']) {
      const r = await schedule('avery', 'ana', { billAs });
      expect([r.status, r.json.code], billAs).toEqual([422, 'not_supervisor']);
    }
    expect((await schedule('avery', 'ana', { billAs: '' })).status).toBe(400);
  });

  it('submits a claim naming the supervisor as rendering, and shows it to who sees the client’s billing', async () => {
    const appt = await schedule('avery', 'ana', { billAs: 'sam' });
    const bill = await as('bill');
    const made = await h.post(bill, '/api/claims', { appointment: appt.json.id });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ ok: true, id: expect.any(String) });
    const one = await h.get(bill, `/api/claims/${made.json.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: made.json.id, appointment: appt.json.id, client: ids.avery, clinician: 'ana', rendering: 'sam', status: 'submitted', amount: 150 });
    const page = await h.get(bill, '/api/claims');
    expect(page.json.items.map((k: { id: string }) => k.id)).toContain(made.json.id);
    // One claim an appointment.
    const again = await h.post(bill, '/api/claims', { appointment: appt.json.id });
    expect([again.status, again.json.code]).toEqual([422, 'invalid_state']);
    // Billing is not clinical: ana sees her client but not its billing, bella bills her own clients only, sky none.
    for (const m of ['ana', 'bella', 'sky', 'pat']) {
      expect((await h.get(await as(m), `/api/claims/${made.json.id}`)).status, m).toBe(404);
      expect((await h.get(await as(m), '/api/claims')).json.items, m).toEqual([]);
    }
  });

  it('refuses billers for their own clients only (403), and hides an appointment the caller may not see (404 as for none)', async () => {
    const own = await schedule('casey', 'bella');
    const bella = await as('bella');
    const refused = await h.post(bella, '/api/claims', { appointment: own.json.id });
    expect([refused.status, refused.json.code]).toEqual([403, 'forbidden']);
    // A client bella may not see at all: its appointment is as missing as none.
    const seen = new Set(((await h.get(bella, '/api/clients?limit=200')).json.items as { id: string }[]).map((c) => c.id));
    const other = Object.entries(ids).find(([, id]) => !seen.has(id))![0];
    const elsewhere = await schedule(other, 'eve');
    expect(elsewhere.status).toBe(201);
    const hidden = await h.post(bella, '/api/claims', { appointment: elsewhere.json.id });
    const missing = await h.post(bella, '/api/claims', { appointment: 'no-such-appointment' });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(hidden.body).toBe(missing.body);
    expect((await h.get(bella, '/api/claims/no-such-claim')).status).toBe(404);
  });

  it('exports a claim as an 837P file naming the supervisor as rendering, for who sees its billing only', async () => {
    const appt = await schedule('avery', 'ana', { billAs: 'sam' });
    const bill = await as('bill');
    const made = await h.post(bill, '/api/claims', { appointment: appt.json.id });
    const file = await h.get(bill, `/api/claims/${made.json.id}/837p`);
    expect(file.status).toBe(200);
    expect(String(file.headers['content-type'])).toMatch(/^application\/edi-x12/);
    expect(structureProblems(file.body)).toEqual([]);
    expect(segments(file.body).find((s) => s[0] === 'NM1' && s[1] === '82')!.slice(3, 5)).toEqual(['SILVA', 'SAM']);
    expect(segments(file.body).find((s) => s[0] === 'CLM')![2]).toBe('150');
    for (const m of ['ana', 'bella', 'sky']) expect((await h.get(await as(m), `/api/claims/${made.json.id}/837p`)).status, m).toBe(404);
  });

  it('validates the body and the cursor at the boundary', async () => {
    const bill = await as('bill');
    expect((await h.post(bill, '/api/claims', {})).status).toBe(400);
    expect((await h.post(bill, '/api/claims', { appointment: 'x', amount: 3 })).status).toBe(400);
    expect((await h.get(bill, '/api/claims?after=nonsense')).status).toBe(400);
    expect((await h.get(bill, '/api/claims?limit=0')).status).toBe(400);
  });

  it('pages newest first with the next page’s cursor', async () => {
    const bill = await as('bill');
    for (let i = 0; i < 3; i++) {
      const appt = await schedule('blake', 'ana');
      expect((await h.post(bill, '/api/claims', { appointment: appt.json.id })).status).toBe(201);
      h.advance(1000);
    }
    const all = (await h.get(bill, '/api/claims?limit=100')).json.items as { id: string; createdAt: number }[];
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: { json: { items: { id: string }[]; next: string | null } } = await h.get(bill, `/api/claims?limit=2${after ? `&after=${after}` : ''}`);
      seen.push(...page.json.items.map((k) => k.id));
      after = page.json.next;
    } while (after);
    expect(seen).toEqual(all.map((k) => k.id));
    expect(all.map((k) => k.createdAt)).toEqual([...all.map((k) => k.createdAt)].sort((a, b) => b - a));
  });
});
