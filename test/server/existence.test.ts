/**
 * NO EXISTENCE ORACLE. Random practices (roles, supervision, restricted clients,
 * revocations, grants, sharing with all); every member calls every route that takes a
 * client, note or payment id - reads, single checks and commands, the id in the path, the
 * query or the body - once with the id of a record they may not see and once with an id
 * that does not exist. The two answers must be the same bytes: status, media type and
 * body. What "may not see" means is the core's: ChartGuard.check(client.view_profile) of
 * the client (of a note: of its client) and, for a payment, ChartGuard.check(payment.manage)
 * (001: a payment covering a client one may not bill is hidden whole, seesInsurancePayment).
 *
 * And the other side of the line: on a client one does see, a refusal keeps its own code
 * (403 forbidden and friends), never the not-found answer.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_PERMISSIONS, NOTE_PERMISSIONS, type Role } from '../../src/core/index.js';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, PASSWORD, type Agent, type Reply } from './harness.js';

const ROLE_SETS: readonly (readonly Role[])[] = [
  ['practice_administrator'],
  ['practice_manager'],
  ['practice_biller'],
  ['practice_scheduler'],
  ['clinician_basic'],
  ['clinician_billing'],
  ['clinician_full_client_list'],
  ['clinician_basic', 'supervisor'],
  ['clinician_basic', 'clinical_administrator'],
  ['supervisor', 'practice_manager'],
];
const RUNS = Number(process.env.CHARTGUARD_EXISTENCE_RUNS ?? 4);

const practiceArb = fc.record({
  roleSets: fc.array(fc.nat(ROLE_SETS.length - 1), { minLength: 2, maxLength: 4 }),
  clients: fc.array(fc.record({ primary: fc.nat(20), restricted: fc.boolean(), shared: fc.nat(4) }), { minLength: 3, maxLength: 4 }),
  revoke: fc.array(fc.record({ client: fc.nat(20), member: fc.nat(20) }), { maxLength: 3 }),
  grant: fc.array(fc.record({ client: fc.nat(20), member: fc.nat(20) }), { maxLength: 2 }),
  supervise: fc.array(fc.record({ supervisor: fc.nat(20), supervisee: fc.nat(20) }), { maxLength: 2 }),
});

/** One call of a route with a target id in it. */
interface Call {
  readonly label: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly body?: unknown;
}

const clientCalls = (c: string, me: string, other: string, visibleClient: string | undefined): Call[] => {
  const e = encodeURIComponent(c);
  return [
    { label: 'overview', method: 'GET', url: `/api/clients/${e}` },
    { label: 'privacy tab', method: 'GET', url: `/api/clients/${e}/privacy` },
    { label: 'who can access', method: 'GET', url: `/api/clients/${e}/access` },
    { label: 'notes', method: 'GET', url: `/api/clients/${e}/notes` },
    { label: 'messages', method: 'GET', url: `/api/clients/${e}/messages` },
    ...CLIENT_PERMISSIONS.map((p): Call => ({ label: `check ${p}`, method: 'GET', url: `/api/check?permission=${p}&client=${e}` })),
    ...[me, other].flatMap((m): Call[] => [
      { label: `grant clinical ${m}`, method: 'POST', url: `/api/clients/${e}/clinical-access`, body: { member: m } },
      { label: `revoke clinical ${m}`, method: 'DELETE', url: `/api/clients/${e}/clinical-access/${m}` },
      { label: `grant administrative ${m}`, method: 'POST', url: `/api/clients/${e}/administrative-access`, body: { member: m } },
      { label: `revoke administrative ${m}`, method: 'DELETE', url: `/api/clients/${e}/administrative-access/${m}` },
      { label: `primary ${m}`, method: 'PUT', url: `/api/clients/${e}/primary-clinician`, body: { member: m } },
      { label: `appointment with ${m}`, method: 'POST', url: '/api/appointments', body: { client: c, clinician: m, fee: 10 } },
      { label: `task for ${m}`, method: 'POST', url: '/api/tasks', body: { client: c, assignee: m, title: 'Call back' } },
    ]),
    { label: 'restrict', method: 'POST', url: `/api/clients/${e}/restriction`, body: { on: true } },
    { label: 'unrestrict', method: 'POST', url: `/api/clients/${e}/restriction`, body: { on: false, acknowledge: true } },
    { label: 'share', method: 'PUT', url: `/api/clients/${e}/share-with-all`, body: { on: true } },
    { label: 'unshare', method: 'PUT', url: `/api/clients/${e}/share-with-all`, body: { on: false } },
    { label: 'clinical note', method: 'POST', url: `/api/clients/${e}/notes`, body: { kind: 'clinical', body: 'x' } },
    { label: 'contact note', method: 'POST', url: `/api/clients/${e}/notes`, body: { kind: 'contact', body: 'x' } },
    { label: 'message', method: 'POST', url: `/api/clients/${e}/messages`, body: { body: 'x' } },
    { label: 'payment', method: 'POST', url: '/api/insurance-payments', body: { covers: [c], amount: 10 } },
    ...(visibleClient ? [{ label: 'payment with a visible client', method: 'POST', url: '/api/insurance-payments', body: { covers: [visibleClient, c], amount: 10 } } as const] : []),
  ];
};

const noteCalls = (n: string): Call[] => {
  const e = encodeURIComponent(n);
  return [
    { label: 'note', method: 'GET', url: `/api/notes/${e}` },
    { label: 'sign', method: 'POST', url: `/api/notes/${e}/sign` },
    { label: 'cosign', method: 'POST', url: `/api/notes/${e}/cosign` },
    { label: 'delete', method: 'DELETE', url: `/api/notes/${e}` },
    ...NOTE_PERMISSIONS.map((p): Call => ({ label: `check ${p}`, method: 'GET', url: `/api/check?permission=${p}&note=${e}` })),
  ];
};

const paymentCalls = (p: string): Call[] => [{ label: 'check payment.manage', method: 'GET', url: `/api/check?permission=payment.manage&payment=${encodeURIComponent(p)}` }];

describe.each(databaseKinds())('no existence oracle on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(() => h.close());

  const call = (agent: Agent, c: Call): Promise<Reply> => h.request(c.method, c.url, { agent, ...(c.body !== undefined ? { body: c.body } : {}) });
  const same = (hidden: Reply, missing: Reply, where: string) => {
    expect(hidden.status, where).toBeLessThan(500);
    expect({ status: hidden.status, type: hidden.headers['content-type'], body: hidden.body }, where).toEqual({
      status: missing.status,
      type: missing.headers['content-type'],
      body: missing.body,
    });
    // Not found is what it says: a 404 problem, or a check refused as not_found.
    if (where.includes('check ')) expect(hidden.json, where).toMatchObject({ allowed: false, code: 'not_found' });
    else expect({ status: hidden.status, code: hidden.json?.code }, where).toEqual({ status: 404, code: 'not_found' });
  };

  it('an id one may not see answers exactly as an id that does not exist', async () => {
    let hiddenClients = 0;
    let hiddenNotes = 0;
    let hiddenPayments = 0;
    let refusedOnVisible = 0;
    await fc.assert(
      fc.asyncProperty(practiceArb, async (p) => {
        const practice = newPracticeId('exist');
        const tag = Math.random().toString(36).slice(2, 8);
        const members = [{ id: 'owner', roles: ['account_owner'] as Role[] }, { id: 'cb', roles: ['clinician_basic'] as Role[] }];
        p.roleSets.forEach((r, i) => members.push({ id: `m${i}`, roles: [...ROLE_SETS[r]!] }));
        const clinicians = members.filter((m) => m.roles.some((r) => r.startsWith('clinician_'))).map((m) => m.id);
        const pick = <T>(xs: readonly T[], n: number) => xs[n % xs.length]!;
        const clientIds = p.clients.map((_, i) => `cl-${i}-${tag}`);
        await h.cg.createPractice({
          id: practice,
          members,
          clients: p.clients.map((c, i) => ({ id: clientIds[i]!, name: `Client ${i}`, primary: pick(clinicians, c.primary), restricted: c.restricted, sharedWithAll: c.shared === 0 })),
        });
        for (const m of members) await h.accounts.createUser(practice, m.id, `${m.id}@${practice}`, PASSWORD);
        const run = (c: Parameters<typeof h.cg.execute>[2]) => h.cg.execute(practice, 'owner', c);
        for (const s of p.supervise) await run({ type: 'set_supervisor', supervisor: pick(members, s.supervisor).id, supervisee: pick(members, s.supervisee).id });
        for (const g of p.grant) await run({ type: 'grant_clinical', client: pick(clientIds, g.client), member: pick(members, g.member).id });
        for (const r of p.revoke) {
          const client = pick(clientIds, r.client);
          await run({ type: 'restrict', client });
          await run({ type: 'revoke_administrative', client, member: pick(members, r.member).id });
        }
        // A note (signed and not) and a payment per client, written by the owner.
        const notes = new Map<string, string>();
        const payments = new Map<string, string>();
        for (const [i, c] of clientIds.entries()) {
          const note = `note-${i}-${tag}`;
          expect((await run({ type: 'write_note', id: note, client: c, kind: i % 2 === 0 ? 'clinical' : 'contact', body: 'b', sign: i % 3 === 0 })).ok).toBe(true);
          notes.set(note, c);
          const payment = `pay-${i}-${tag}`;
          expect((await run({ type: 'record_insurance_payment', id: payment, covers: [c, clientIds[(i + 1) % clientIds.length]!], amount: 10 })).ok).toBe(true);
          payments.set(payment, c);
        }
        const missingClient = `cl-missing-${tag}`;
        const missingNote = `note-missing-${tag}`;
        const missingPayment = `pay-missing-${tag}`;

        for (const m of members) {
          const sees = new Map<string, boolean>();
          for (const c of clientIds) sees.set(c, (await h.cg.check(practice, m.id, 'client.view_profile', { client: c })).allowed);
          const agent = await h.signIn(`${m.id}@${practice}`, PASSWORD);
          const before = await h.logLength(practice);
          const other = pick(members, m.id.length + clientIds.length).id;
          const visible = clientIds.find((c) => sees.get(c));

          for (const c of clientIds.filter((x) => !sees.get(x))) {
            hiddenClients++;
            const hidden = clientCalls(c, m.id, other, visible);
            const missing = clientCalls(missingClient, m.id, other, visible);
            for (const [i, call1] of hidden.entries()) {
              same(await call(agent, call1), await call(agent, missing[i]!), `${m.id} (${members.find((x) => x.id === m.id)!.roles}) ${call1.label} ${call1.method} ${call1.url}`);
            }
          }
          for (const [note, c] of notes) {
            if (sees.get(c)) continue;
            hiddenNotes++;
            const missing = noteCalls(missingNote);
            for (const [i, call1] of noteCalls(note).entries()) same(await call(agent, call1), await call(agent, missing[i]!), `${m.id} ${call1.label} ${call1.url}`);
          }
          for (const [payment] of payments) {
            if ((await h.cg.check(practice, m.id, 'payment.manage', { payment })).allowed) continue;
            hiddenPayments++;
            const missing = paymentCalls(missingPayment);
            for (const [i, call1] of paymentCalls(payment).entries()) same(await call(agent, call1), await call(agent, missing[i]!), `${m.id} ${call1.label} ${call1.url}`);
          }
          // Nothing above changed anything.
          expect(await h.logLength(practice), `${m.id}: refused calls write nothing`).toBe(before);

          // The other side: on a client one sees, a refused check keeps its code and reasons.
          for (const c of clientIds.filter((x) => sees.get(x))) {
            for (const perm of CLIENT_PERMISSIONS) {
              const r = await h.get(agent, `/api/check?permission=${perm}&client=${encodeURIComponent(c)}`);
              const core = await h.cg.check(practice, m.id, perm, { client: c });
              expect(r.json, `${m.id} check ${perm} on visible ${c}`).toEqual(JSON.parse(JSON.stringify(core)));
              if (!core.allowed) refusedOnVisible++;
            }
          }
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The test has power: it saw hidden records of each kind, and refusals on visible ones.
    expect(hiddenClients).toBeGreaterThan(0);
    expect(hiddenNotes).toBeGreaterThan(0);
    expect(hiddenPayments).toBeGreaterThan(0);
    expect(refusedOnVisible).toBeGreaterThan(0);
  }, 600_000);

  it('on a client one sees, a missing permission is still 403 with its own code', async () => {
    const { user, password } = await h.demo();
    const as = (m: string) => h.signIn(user(m), password);
    const olivia = await as('olivia');
    const ids = Object.fromEntries(((await h.get(olivia, '/api/clients')).json.items as { id: string; name: string }[]).map((c) => [c.name.split(' ')[0]!.toLowerCase(), c.id]));
    // bill (biller) sees Avery administratively, sky (scheduler) too.
    const appt = await h.post(await as('bill'), '/api/appointments', { client: ids.finley, clinician: 'bill', fee: 1 });
    expect({ status: appt.status, code: appt.json.code }).toEqual({ status: 403, code: 'forbidden' });
    const note = await h.post(await as('sky'), `/api/clients/${ids.avery}/notes`, { kind: 'clinical', body: 'x' });
    expect({ status: note.status, code: note.json.code }).toEqual({ status: 403, code: 'forbidden' });
    const share = await h.put(await as('bill'), `/api/clients/${ids.avery}/share-with-all`, { on: true });
    expect(share.status).toBe(403);
    expect(share.json.code).not.toBe('not_found');
    // bill may not see restricted Jules: every kind of call answers as for a client that is not there.
    const bill = await as('bill');
    for (const [hidden, missing] of [
      [{ client: ids.jules, assignee: 'bill', title: 't' }, { client: 'nope', assignee: 'bill', title: 't' }],
    ] as const) {
      const a = await h.post(bill, '/api/tasks', hidden);
      const b = await h.post(bill, '/api/tasks', missing);
      expect(a.status).toBe(404);
      expect(a.body).toBe(b.body);
    }
    const check = await h.get(bill, `/api/check?permission=client.view_profile&client=${ids.jules}`);
    expect(check.body).toBe((await h.get(bill, '/api/check?permission=client.view_profile&client=nope')).body);
  });
});
