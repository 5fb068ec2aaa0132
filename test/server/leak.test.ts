/**
 * THE LEAK TEST. Random practices (roles, supervision, restricted clients, grants - some
 * timed and expired -, revocations, sharing with all, role changes, reassigned primaries)
 * in which every piece of client data carries a unique marker: client names and contact
 * details, note bodies, message bodies, task titles, insurance payment ids. Every member
 * signs in and calls every list and read endpoint, per-client and per-note ones for every
 * id. No response may contain a marker the core says that member may not see; and the
 * single reads must agree with the core both ways (200 when allowed, 404/403 when not).
 *
 * The oracle is the core's single check, asked through ChartGuard.check().
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateRoles, type Command, type Role } from '../../src/core/index.js';
import { issueFormLink } from '../../src/store/auth/intake-forms.js';
import { databaseKinds, newPracticeId } from '../support/databases.js';
import { Harness, PASSWORD, type Agent } from './harness.js';

const ROLE_SETS: readonly (readonly Role[])[] = [
  ['practice_administrator'],
  ['practice_manager'],
  ['practice_biller'],
  ['practice_scheduler'],
  ['clinician_basic'],
  ['clinician_billing'],
  ['clinician_full_client_list'],
  ['clinician_entire_practice'],
  ['clinician_basic', 'clinical_administrator'],
  ['clinician_basic', 'supervisor'],
  ['clinician_full_client_list', 'supervisor'],
  ['supervisor'],
  ['supervisor', 'practice_manager'],
  ['clinician_basic', 'intern'],
  ['clinician_billing', 'intern'],
];
const DAY = 86_400_000;
const RUNS = Number(process.env.CHARTGUARD_LEAK_RUNS ?? 6);

const OPS = [
  'restrict',
  'unrestrict',
  'revoke_administrative',
  'grant_administrative',
  'grant_clinical',
  'grant_clinical_timed',
  'revoke_clinical',
  'share_on',
  'share_off',
  'set_supervisor',
  'end_supervision',
  'assign_roles',
  'set_primary',
] as const;

const practiceArb = fc.record({
  roleSets: fc.array(fc.nat(ROLE_SETS.length - 1), { minLength: 3, maxLength: 6 }),
  ownerClinician: fc.boolean(),
  directory: fc.constantFrom('by_role' as const, 'all_staff' as const),
  clients: fc.array(fc.record({ primary: fc.nat(20), restricted: fc.boolean(), shared: fc.nat(5) }), { minLength: 3, maxLength: 5 }),
  notes: fc.array(fc.record({ client: fc.nat(20), kind: fc.constantFrom('clinical' as const, 'contact' as const), sign: fc.boolean() }), { minLength: 2, maxLength: 5 }),
  messages: fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }),
  tasks: fc.array(fc.record({ client: fc.nat(20), assignee: fc.nat(20) }), { minLength: 1, maxLength: 3 }),
  payments: fc.array(fc.array(fc.nat(20), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  ops: fc.array(fc.record({ op: fc.constantFrom(...OPS), client: fc.nat(20), member: fc.nat(20), other: fc.nat(20), roles: fc.nat(ROLE_SETS.length - 1) }), { maxLength: 14 }),
  advanceDays: fc.nat(3),
});

type Kind = 'name' | 'note' | 'message' | 'task' | 'payment' | 'claim';
interface Marker {
  readonly text: string;
  readonly kind: Kind;
  readonly client: string | null;
  readonly note?: string;
  readonly payment?: string;
  readonly covers?: readonly string[];
}

describe.each(databaseKinds())('no response leaks client data on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(() => h.close());

  it('every member, every endpoint, random practices', async () => {
    let checkedResponses = 0;
    let hiddenPairs = 0;
    let shownPairs = 0;
    await fc.assert(
      fc.asyncProperty(practiceArb, async (p) => {
        const practice = newPracticeId('leak');
        const tag = Math.random().toString(36).slice(2, 8);
        const mark = (k: string, i: number) => `${k}${i}Q${tag}X`;
        const members = [{ id: 'owner', roles: (p.ownerClinician ? ['account_owner', 'clinician_entire_practice'] : ['account_owner']) as Role[] }];
        p.roleSets.forEach((r, i) => members.push({ id: `m${i}`, roles: [...ROLE_SETS[r]!] }));
        members.push({ id: 'cb', roles: ['clinician_basic'] });
        const clinicians = members.filter((m) => m.roles.some((r) => r.startsWith('clinician_'))).map((m) => m.id);
        const pick = <T>(xs: readonly T[], n: number) => xs[n % xs.length]!;
        const markers: Marker[] = [];
        const clientIds = p.clients.map((_, i) => `cl-${i}-${tag}`);
        await h.cg.createPractice({
          id: practice,
          clientDirectory: p.directory,
          members,
          clients: p.clients.map((c, i) => {
            markers.push({ text: mark('NAME', i), kind: 'name', client: clientIds[i]! }, { text: mark('CONTACT', i), kind: 'name', client: clientIds[i]! });
            return { id: clientIds[i]!, name: mark('NAME', i), contact: mark('CONTACT', i), primary: pick(clinicians, c.primary), restricted: c.restricted, sharedWithAll: c.shared === 0 };
          }),
        });
        for (const m of members) await h.accounts.createUser(practice, m.id, `${m.id}@${practice}`, PASSWORD);
        const run = (actor: string, c: Command) => h.cg.execute(practice, actor, c);

        // Records first, so the access changes after them hide or reveal existing data.
        for (const [i, n] of p.notes.entries()) {
          const client = pick(clientIds, n.client);
          const author = (await h.cg.clientState(practice, client))!.primary;
          const id = `note-${i}-${tag}`;
          const r = await run(author, { type: 'write_note', id, client, kind: n.kind, body: mark('NOTE', i), sign: n.sign });
          if (r.ok) markers.push({ text: mark('NOTE', i), kind: 'note', client, note: id });
        }
        for (const [i, c] of p.messages.entries()) {
          const client = pick(clientIds, c);
          const r = await run('owner', { type: 'send_message', id: `msg-${i}-${tag}`, client, body: mark('MESSAGE', i) });
          if (r.ok) markers.push({ text: mark('MESSAGE', i), kind: 'message', client });
        }
        for (const [i, t] of p.tasks.entries()) {
          const client = pick(clientIds, t.client);
          const r = await run('owner', { type: 'create_task', id: `task-${i}-${tag}`, client, assignee: pick(members, t.assignee).id, title: mark('TASK', i) });
          if (r.ok) markers.push({ text: mark('TASK', i), kind: 'task', client });
        }
        for (const [i, covers] of p.payments.entries()) {
          const ids = [...new Set(covers.map((c) => pick(clientIds, c)))];
          const id = mark('PAYMENT', i);
          const r = await run('owner', { type: 'record_insurance_payment', id, covers: ids, amount: 100 + i });
          if (r.ok) markers.push({ text: id, kind: 'payment', client: null, payment: id, covers: ids });
        }
        await run('owner', { type: 'schedule_appointment', id: `appt-${tag}`, client: clientIds[0]!, clinician: (await h.cg.clientState(practice, clientIds[0]!))!.primary, fee: 10 });
        // A public intake form (003) sent to a clinician's link: a new client under the same rules; the form's page names no client.
        const intakeToken = await issueFormLink(h.cg, practice, 'owner', clinicians[0]!);
        const intakeId = `intake-${tag}`;
        const intakeName = mark('NAME', clientIds.length);
        const sent = await h.cg.execute(practice, null, { type: 'submit_intake', id: intakeId, formOf: clinicians[0]!, name: intakeName, answers: { reason: mark('ANSWER', 0) } });
        expect(sent.ok).toBe(true);
        clientIds.push(intakeId);
        markers.push({ text: intakeName, kind: 'name', client: intakeId }, { text: mark('ANSWER', 0), kind: 'name', client: intakeId });
        // A claim for it: seen as its client's billing is.
        const claim = mark('CLAIM', 0);
        if ((await run('owner', { type: 'submit_claim', id: claim, appointment: `appt-${tag}` })).ok) markers.push({ text: claim, kind: 'claim', client: clientIds[0]! });

        // Random access changes, by the owner (who may do each) or by the client's primary clinician.
        for (const o of p.ops) {
          const client = pick(clientIds, o.client);
          const member = pick(members, o.member).id;
          const actor = o.other % 3 === 0 ? (await h.cg.clientState(practice, client))!.primary : 'owner';
          switch (o.op) {
            case 'restrict':
              await run(actor, { type: 'restrict', client });
              break;
            case 'unrestrict':
              await run(actor, { type: 'unrestrict', client, acknowledge: true });
              break;
            case 'revoke_administrative':
              await run('owner', { type: 'restrict', client });
              await run('owner', { type: 'revoke_administrative', client, member });
              break;
            case 'grant_administrative':
              await run('owner', { type: 'grant_administrative', client, member });
              break;
            case 'grant_clinical':
              await run(actor, { type: 'grant_clinical', client, member });
              break;
            case 'grant_clinical_timed':
              await run(actor, { type: 'grant_clinical', client, member, untilDays: 1 + (o.other % 3) });
              break;
            case 'revoke_clinical':
              await run(actor, { type: 'revoke_clinical', client, member });
              break;
            case 'share_on':
            case 'share_off':
              await run(actor, { type: 'share_with_all', client, on: o.op === 'share_on' });
              break;
            case 'set_supervisor':
              await run('owner', { type: 'set_supervisor', supervisor: member, supervisee: pick(members, o.other).id });
              break;
            case 'end_supervision':
              await run('owner', { type: 'end_supervision', supervisor: member, supervisee: pick(members, o.other).id });
              break;
            case 'assign_roles':
              if (member !== 'owner' && validateRoles(ROLE_SETS[o.roles]!, false).ok) await run('owner', { type: 'assign_roles', member, roles: ROLE_SETS[o.roles]! });
              break;
            case 'set_primary':
              await run('owner', { type: 'set_primary_clinician', client, member });
              break;
          }
        }
        h.advance(p.advanceDays * DAY);

        const notes = markers.filter((m) => m.kind === 'note');
        const payments = markers.filter((m) => m.kind === 'payment');
        for (const m of members) {
          // The oracle: the core's single checks for this member.
          const allowed = new Set<string>();
          const views = new Map<string, boolean>();
          for (const c of clientIds) views.set(c, (await h.cg.check(practice, m.id, 'client.view_profile', { client: c })).allowed);
          for (const mk of markers) {
            let ok: boolean;
            switch (mk.kind) {
              case 'name':
                ok = (await h.cg.check(practice, m.id, 'client.view_contact', { client: mk.client! })).allowed;
                break;
              case 'note':
                ok = (await h.cg.check(practice, m.id, 'note.view', { note: mk.note! })).allowed;
                break;
              case 'message':
                ok = (await h.cg.check(practice, m.id, 'client.message', { client: mk.client! })).allowed;
                break;
              case 'task':
                ok = views.get(mk.client!)!;
                break;
              case 'claim':
                ok = (await h.cg.check(practice, m.id, 'client.view_billing', { client: mk.client! })).allowed;
                break;
              case 'payment':
                // An entry about a payment is about every client it covers (activity log); the payment itself needs payment.manage.
                ok = mk.covers!.every((c) => views.get(c));
                break;
            }
            if (ok) allowed.add(mk.text);
          }
          const forbidden = markers.filter((mk) => !allowed.has(mk.text));

          const agent: Agent = await h.signIn(`${m.id}@${practice}`, PASSWORD);
          const urls = [
            '/api/session',
            '/api/me',
            '/api/team',
            '/api/clients',
            '/api/clients?limit=1',
            '/api/directory',
            `/api/directory/entries?ids=${clientIds.join(',')}`,
            '/api/calendar',
            '/api/calendar?limit=1',
            '/api/billing',
            '/api/billing?limit=1',
            '/api/insurance-payments',
            '/api/claims',
            ...markers.filter((x) => x.kind === 'claim').flatMap((x) => [`/api/claims/${x.text}`, `/api/claims/${x.text}/837p`]),
            '/api/messages',
            '/api/tasks',
            '/api/notifications',
            '/api/activity-log',
            '/api/reports/billing_summary',
            '/api/reports/income_allocation',
            `/api/team/${m.id}/intake-link`,
            '/api/intake-link',
            `/api/intake/${intakeToken}`,
            // Self (always allowed) and two others (allowed for some roles): each a first page over the member's reach.
            ...[...new Set([m.id, 'owner', pick(members, p.advanceDays + 1).id])].map((x) => `/api/members/${x}/access`),
            ...clientIds.flatMap((c) => [
              `/api/clients/${c}`,
              `/api/clients/${c}/privacy`,
              `/api/clients/${c}/access`,
              `/api/clients/${c}/notes`,
              `/api/clients/${c}/messages`,
              `/api/check?permission=client.view_contact&client=${c}`,
            ]),
            ...notes.map((n) => `/api/notes/${n.note}`),
            ...payments.map((x) => `/api/check?permission=payment.manage&payment=${encodeURIComponent(x.payment!)}`),
          ];
          // The activity log shows what was done about a client to who sees the client (a claim's
          // id as an appointment's fee); the claim itself only to who sees its billing.
          const logShows = (mk: Marker) => mk.kind === 'claim' && views.get(mk.client!) === true;
          for (const url of urls) {
            const r = await h.get(agent, url);
            checkedResponses++;
            expect(r.status, `${m.id} GET ${url}: ${r.body.slice(0, 300)}`).toBeLessThan(500);
            for (const mk of forbidden) {
              if (url.startsWith('/api/activity-log') && logShows(mk)) continue;
              if (r.body.includes(mk.text)) {
                throw new Error(`LEAK: ${m.id} (${members.find((x) => x.id === m.id)!.roles.join(',')}) got ${mk.kind} marker ${mk.text} of client ${mk.client ?? mk.covers?.join('+')} from GET ${url}: ${r.body.slice(0, 600)}`);
              }
            }
            hiddenPairs += forbidden.length;
          }

          // The scoped client list, walked a page at a time, holds exactly the clients the core lets this member view.
          const paged: string[] = [];
          let after: string | null = null;
          do {
            const r = await h.get(agent, `/api/clients?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`);
            checkedResponses++;
            expect(r.status, `${m.id} clients page: ${r.body.slice(0, 300)}`).toBe(200);
            for (const mk of forbidden) if (r.body.includes(mk.text)) throw new Error(`LEAK: ${m.id} got ${mk.kind} marker ${mk.text} from a clients page: ${r.body.slice(0, 600)}`);
            expect(r.json.total, `${m.id} clients total`).toBe(clientIds.filter((c) => views.get(c)).length);
            paged.push(...r.json.items.map((x: { id: string }) => x.id));
            after = r.json.next;
          } while (after !== null);
          expect(new Set(paged), `${m.id} clients pages`).toEqual(new Set(clientIds.filter((c) => views.get(c))));
          expect(paged.length, `${m.id} clients pages without repeats`).toBe(new Set(paged).size);

          // Single reads agree with the core both ways.
          for (const c of clientIds) {
            const r = await h.get(agent, `/api/clients/${c}`);
            const i = clientIds.indexOf(c);
            if (views.get(c)) {
              expect(r.status, `${m.id} GET /api/clients/${c}`).toBe(200);
              expect(r.json.name).toBe(mark('NAME', i));
              shownPairs++;
            } else expect(r.status).toBe(404);
          }
          for (const n of notes) {
            const r = await h.get(agent, `/api/notes/${n.note}`);
            if (allowed.has(n.text)) {
              expect(r.status, `${m.id} GET /api/notes/${n.note}`).toBe(200);
              expect(r.json.body).toBe(n.text);
            } else expect([403, 404]).toContain(r.status);
          }
          for (const k of markers.filter((x) => x.kind === 'claim')) {
            const r = await h.get(agent, `/api/claims/${k.text}`);
            expect(r.status, `${m.id} GET /api/claims/${k.text}`).toBe(allowed.has(k.text) ? 200 : 404);
            const listed = (await h.get(agent, '/api/claims')).json.items.map((x: { id: string }) => x.id);
            expect(listed.includes(k.text), `${m.id} claims list`).toBe(allowed.has(k.text));
          }
          const paymentList = (await h.get(agent, '/api/insurance-payments')).json.items.map((x: { id: string }) => x.id);
          for (const x of payments) {
            const may = (await h.cg.check(practice, m.id, 'payment.manage', { payment: x.payment! })).allowed;
            expect(paymentList.includes(x.payment), `${m.id} payment ${x.payment}`).toBe(may);
          }
        }
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    // The test has power: it looked at many responses and at both sides of the line.
    expect(checkedResponses).toBeGreaterThan(RUNS * 100);
    expect(hiddenPairs).toBeGreaterThan(0);
    expect(shownPairs).toBeGreaterThan(0);
  }, 600_000); // every member walks every paged route of every random practice: long by design
});
