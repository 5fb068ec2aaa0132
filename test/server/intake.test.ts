/**
 * Public intake forms over HTTP (003): a practitioner's link and the practice form, sent by
 * someone not signed in. A submission creates the client with that practitioner as primary,
 * keeps the answers in the chart, notifies them and is logged as from the intake form; a
 * honeypot, the per-address throttle, size limits, a disabled or rotated link, a choice not
 * offered: each refused with its stable code, nothing kept, nobody revealed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tokenHash } from '../../src/store/auth/secrets.js';
import { databaseKinds } from '../support/databases.js';
import { Harness, type Reply } from './harness.js';

const tokenOf = (link: string) => link.split('/intake/')[1]!;
const unique = () => Math.random().toString(36).slice(2, 8);

function expectProblem(r: Reply, status: number, code: string): void {
  expect(r.status, r.body).toBe(status);
  expect(r.json.code).toBe(code);
}

describe.each(databaseKinds())('intake forms over HTTP on %s', (kind) => {
  let h: Harness;
  afterEach(async () => h?.close());

  async function setUp(options: { intakePerMinute?: number } = {}) {
    h = await Harness.create(kind, options);
    const demo = await h.demo();
    const as = (m: string) => h.signIn(demo.user(m), demo.password);
    const clients = (name: string) =>
      h.cg.db.query<{ id: string; primary_clinician: string }>('select id, primary_clinician from chartguard.clients where practice_id = $1 and name = $2', [demo.practice, name]);
    return { practice: demo.practice, as, clients };
  }

  it("a practitioner's link: the client is theirs, the answers in the chart, they are notified, the log says it came from the form", async () => {
    const { practice, as, clients } = await setUp();
    const ana = await as('ana');
    const issued = await h.post(ana, '/api/team/ana/intake-link');
    expect(issued.status, issued.body).toBe(200);
    const token = tokenOf(issued.json.link);
    expect((await h.get(ana, '/api/team/ana/intake-link')).json).toMatchObject({ issued: true, enabled: true });
    expect((await h.request('GET', `/api/intake/${token}`)).json).toMatchObject({ practitionerName: 'Ana Alvarez', choices: [] });

    const name = `Kim ${unique()}`;
    const sent = await h.request('POST', `/api/intake/${token}`, { body: { name, contact: 'kim@example.org', dateOfBirth: '1990-04-02', answers: [{ question: 'reason', answer: 'Trouble sleeping' }], website: '' } });
    expect(sent.status, sent.body).toBe(201);
    expect(sent.json).toEqual({ received: true });
    const [client] = await clients(name);
    expect(client?.primary_clinician).toBe('ana');
    const [doc] = await h.cg.db.query<{ form_member: string; answers: Record<string, string> }>('select form_member, answers from chartguard.intake_submissions where practice_id = $1 and client_id = $2', [practice, client!.id]);
    expect(doc).toEqual({ form_member: 'ana', answers: { reason: 'Trouble sleeping', name, contact: 'kim@example.org', dateOfBirth: '1990-04-02' } });
    const notes = await h.cg.db.query('select 1 from chartguard.notifications where practice_id = $1 and recipient = $2 and event = $3 and client_id = $4', [practice, 'ana', 'intake_submitted', client!.id]);
    expect(notes).toHaveLength(1);
    const mail = await h.cg.db.query<{ subject: string; body: string }>('select subject, body from chartguard.email_outbox where practice_id = $1 and recipient = $2 and client_id = $3', [practice, 'ana', client!.id]);
    expect(mail).toHaveLength(1);
    expect(`${mail[0]!.subject} ${mail[0]!.body}`).not.toContain(name.split(' ')[1]!);
    const [entry] = await h.cg.db.query<{ actor: string | null; action: string; detail: any }>(
      `select actor, action, detail from chartguard.activity_log where practice_id = $1 and action = 'submit_intake' and $2 = any(clients)`,
      [practice, client!.id],
    );
    expect(entry).toMatchObject({ actor: null, detail: { via: 'intake_form' } });
    expect(JSON.stringify(entry!.detail)).not.toContain('Trouble sleeping');
    // The practitioner sees the client and the notification through the API.
    const list = await h.get(ana, '/api/notifications');
    expect(JSON.stringify(list.json)).toContain('intake_submitted');
  });

  it('a filled honeypot keeps nothing; a field too long, too many answers or a bad date is a 400; nothing kept', async () => {
    const { as, clients } = await setUp();
    const token = tokenOf((await h.post(await as('sam'), '/api/team/sam/intake-link')).json.link);
    const name = `Bot ${unique()}`;
    expect((await h.request('POST', `/api/intake/${token}`, { body: { name, website: 'http://spam.example' } })).status).toBe(201);
    expectProblem(await h.request('POST', `/api/intake/${token}`, { body: { name, answers: [{ question: 'story', answer: 'x'.repeat(4001) }] } }), 400, 'invalid_input');
    const many = Array.from({ length: 41 }, (_, i) => ({ question: `q${i}`, answer: 'a' }));
    expectProblem(await h.request('POST', `/api/intake/${token}`, { body: { name, answers: many } }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/intake/${token}`, { body: { name, dateOfBirth: '1990-02-30' } }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/intake/${token}`, { body: { name: 'x'.repeat(201) } }), 400, 'invalid_input');
    expectProblem(await h.request('POST', `/api/intake/${token}`, { body: { name, extra: 1 } }), 400, 'invalid_input');
    expect(await clients(name)).toHaveLength(0);
  });

  it('a disabled, rotated or unknown link is refused and keeps nothing; only the practitioner and who manages the team manage it', async () => {
    const { as, clients } = await setUp();
    const ana = await as('ana');
    const first = tokenOf((await h.post(ana, '/api/team/ana/intake-link')).json.link);
    const second = tokenOf((await h.post(ana, '/api/team/ana/intake-link')).json.link);
    const name = `Lee ${unique()}`;
    expectProblem(await h.request('POST', `/api/intake/${first}`, { body: { name } }), 404, 'link_unknown');
    expectProblem(await h.request('GET', `/api/intake/nonsense`), 404, 'link_unknown');
    expect((await h.del(ana, '/api/team/ana/intake-link')).json).toMatchObject({ issued: true, enabled: false });
    expectProblem(await h.request('GET', `/api/intake/${second}`), 410, 'link_disabled');
    expectProblem(await h.request('POST', `/api/intake/${second}`, { body: { name } }), 410, 'link_disabled');
    expect(await clients(name)).toHaveLength(0);

    expectProblem(await h.get(await as('bill'), '/api/team/ana/intake-link'), 403, 'forbidden');
    expectProblem(await h.post(await as('sam'), '/api/team/ana/intake-link'), 403, 'forbidden');
    expect((await h.post(await as('pat'), '/api/team/ana/intake-link')).status).toBe(200);
    expectProblem(await h.post(await as('pat'), '/api/team/bill/intake-link'), 403, 'not_applicable');
  });

  it("the practice form offers only the practitioners chosen, by name; a choice not offered is refused as a made-up one", async () => {
    const { as, clients } = await setUp();
    const pat = await as('pat');
    expectProblem(await h.post(await as('ana'), '/api/intake-link', { offers: ['ana'] }), 403, 'forbidden');
    const token = tokenOf((await h.post(pat, '/api/intake-link', { offers: ['sam', 'ana', 'bill'] })).json.link);
    const form = (await h.request('GET', `/api/intake/${token}`)).json;
    expect(form.practitionerName).toBeNull();
    expect(form.choices.map((c: { name: string }) => c.name)).toEqual(['Ana Alvarez', 'Sam Silva']);
    expect(JSON.stringify(form)).not.toMatch(/"(ana|sam|bill)"/);

    const sam = form.choices.find((c: { name: string }) => c.name === 'Sam Silva').key;
    const name = `Rae ${unique()}`;
    expect((await h.request('POST', `/api/intake/${token}`, { body: { name, choice: sam } })).status).toBe(201);
    expect((await clients(name))[0]?.primary_clinician).toBe('sam');

    const other = `Ola ${unique()}`;
    const madeUp = await h.request('POST', `/api/intake/${token}`, { body: { name: other, choice: 'nobody-at-all' } });
    const notOffered = await h.request('POST', `/api/intake/${token}`, { body: { name: other, choice: tokenHash(`${token}\neve`).slice(0, 20) } });
    const none = await h.request('POST', `/api/intake/${token}`, { body: { name: other } });
    expectProblem(madeUp, 403, 'forbidden');
    expect(notOffered.body).toBe(madeUp.body);
    expect(none.body).toBe(madeUp.body);
    expect(await clients(other)).toHaveLength(0);
  });

  it('throttles submissions per address', async () => {
    const { as } = await setUp({ intakePerMinute: 2 });
    const token = tokenOf((await h.post(await as('ana'), '/api/team/ana/intake-link')).json.link);
    for (let i = 0; i < 2; i++) expect((await h.request('POST', `/api/intake/${token}`, { body: { name: `T ${unique()}` } })).status).toBe(201);
    expectProblem(await h.request('POST', `/api/intake/${token}`, { body: { name: `T ${unique()}` } }), 429, 'too_many_requests');
    expect((await h.request('POST', `/api/intake/${token}`, { body: { name: `T ${unique()}` }, address: '10.9.8.7' })).status).toBe(201);
    h.advance(61_000);
    expect((await h.request('POST', `/api/intake/${token}`, { body: { name: `T ${unique()}` } })).status).toBe(201);
  });
});
