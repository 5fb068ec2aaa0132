/**
 * Every route of the HTTP API, through app.inject, on the demo practice: the happy path,
 * the refusal codes and their statuses, audited reads, and the generated reference.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/server/openapi.js';
import { databaseKinds } from '../support/databases.js';
import { Harness, isProblem, type Agent } from './harness.js';

describe.each(databaseKinds())('HTTP API on %s', (kind) => {
  let h: Harness;
  let practice: string;
  let user: (m: string) => string;
  let password: string;
  const agents = new Map<string, Agent>();
  const as = async (m: string) => {
    let a = agents.get(m);
    if (!a) agents.set(m, (a = await h.signIn(user(m), password)));
    return a;
  };
  let ids: Record<string, string>;

  beforeAll(async () => {
    h = await Harness.create(kind);
    ({ practice, user, password } = await h.demo());
    const list = await h.get(await as('olivia'), '/api/clients');
    ids = Object.fromEntries((list.json.items as { id: string; name: string }[]).map((c) => [c.name.split(' ')[0]!.toLowerCase(), c.id]));
  });
  afterAll(() => h.close());

  it('signs in and describes the session', async () => {
    const bad = await h.request('POST', '/api/session', { body: { username: user('ana'), password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(isProblem(bad)).toBe(true);
    expect(bad.json.code).toBe('unauthenticated');
    const nobody = await h.request('POST', '/api/session', { body: { username: 'no-such-user', password: 'x' } });
    expect(nobody.status).toBe(401);

    const ana = await as('ana');
    const s = await h.get(ana, '/api/session');
    expect(s.status).toBe(200);
    expect(s.json).toMatchObject({ member: 'ana', name: 'Ana Alvarez', roles: ['clinician_basic'], practice, practiceName: expect.stringContaining('demo'), csrfToken: ana.csrf, idleTimeoutSeconds: 900 });
    expect((await h.request('GET', '/api/session')).status).toBe(401);

    const me = await h.get(ana, '/api/me');
    expect(me.json.permissions['team.manage']).toMatchObject({ allowed: false, code: 'forbidden' });
    const pat = await h.get(await as('pat'), '/api/me');
    expect(pat.json.permissions['team.manage'].allowed).toBe(true);
    expect(Object.keys(pat.json.permissions).sort()).toEqual(['activity_log.view', 'reports.billing', 'settings.manage', 'team.manage']);
    // What each area offers, from the core: the practice administrator has no client area; the clinician no team.
    const shown = (areas: Record<string, { visible: boolean }>) => Object.keys(areas).filter((a) => areas[a]!.visible);
    expect(shown(pat.json.areas)).toEqual(['activity_log', 'team', 'settings', 'account']);
    expect(shown(me.json.areas)).toEqual(['clients', 'calendar', 'messages', 'tasks', 'note_queues', 'activity_log', 'access_review', 'account']);
    expect(me.json.areas.team.actions.manage_team).toEqual(me.json.permissions['team.manage']);

    expect((await h.post(ana, '/api/session/keepalive')).status).toBe(204);
  });

  it('signs out: the cookie is cleared and the session is gone', async () => {
    const a = await h.signIn(user('frank'), password);
    const out = await h.del(a, '/api/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/cg_session=;/);
    expect((await h.get(a, '/api/session')).status).toBe(401);
    const log = await h.cg.activity(practice);
    expect(log.some((e) => e.action === 'sign_out' && e.actor === 'frank' && e.outcome === 'signed_out')).toBe(true);
    expect(log.some((e) => e.action === 'sign_in' && e.actor === 'frank' && e.outcome === 'signed_in')).toBe(true);
  });

  it('manages the team: roles, supervision, password reset', async () => {
    const team = await h.get(await as('ana'), '/api/team');
    expect(team.json.members).toHaveLength(11);
    expect(team.json.supervision).toEqual([
      { supervisor: 'sam', supervisee: 'ana' },
      { supervisor: 'sam', supervisee: 'bella' },
    ]);
    const refused = await h.put(await as('ana'), '/api/team/bella/roles', { roles: ['clinician_full_client_list'] });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('forbidden');
    const invalid = await h.put(await as('pat'), '/api/team/bella/roles', { roles: ['clinical_administrator'] });
    expect([400, 422]).toContain(invalid.status);
    expect(invalid.json.code).toBe('invalid_roles');
    const ok = await h.put(await as('pat'), '/api/team/bella/roles', { roles: ['clinician_billing'] });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ ok: true });

    const add = await h.post(await as('olivia'), '/api/team/supervision', { supervisor: 'sam', supervisee: 'frank' });
    expect(add.status).toBe(200);
    expect((await h.get(await as('ana'), '/api/team')).json.supervision).toContainEqual({ supervisor: 'sam', supervisee: 'frank' });
    const end = await h.del(await as('olivia'), '/api/team/supervision/sam/frank');
    expect(end.status).toBe(200);
    expect((await h.get(await as('ana'), '/api/team')).json.supervision).not.toContainEqual({ supervisor: 'sam', supervisee: 'frank' });
    expect((await h.post(await as('olivia'), '/api/team/supervision', { supervisor: 'sam', supervisee: 'nobody' })).status).toBe(404);

    expect((await h.post(await as('ana'), '/api/team/eve/password-reset')).status).toBe(403);
    // Eve reaches the restricted clients, Pat none: holding her temporary password, Pat could
    // sign in as her, so only the owner resets it.
    const around = await h.post(await as('pat'), '/api/team/eve/password-reset');
    expect(around.status).toBe(403);
    expect(around.json.code).toBe('only_account_owner');
    expect((await h.post(await as('pat'), '/api/team/bella/password-reset')).status).toBe(200);
    const eve = await h.signIn(user('eve'), password);
    const reset = await h.post(await as('olivia'), '/api/team/eve/password-reset');
    expect(reset.status).toBe(200);
    expect(reset.json.emailed).toBe(false); // no mail configured here
    expect(reset.json.temporaryPassword).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    expect((await h.get(eve, '/api/session')).status).toBe(401); // sessions ended
    await expect(h.signIn(user('eve'), password)).rejects.toThrow();
    const again = await h.signIn(user('eve'), reset.json.temporaryPassword);
    expect((await h.get(again, '/api/session')).json.mustChangePassword).toBe(true);
    expect((await h.post(again, '/api/session/password', { current: 'wrong', next: 'a new long password' })).status).toBe(403);
    expect((await h.post(again, '/api/session/password', { current: reset.json.temporaryPassword, next: password })).status).toBe(204);
    expect((await h.get(again, '/api/session')).json.mustChangePassword).toBe(false);
    expect((await h.post(await as('pat'), '/api/team/nobody/password-reset')).status).toBe(404);
    // The account owner's password is the owner's alone to reset.
    const owner = await h.post(await as('pat'), '/api/team/olivia/password-reset');
    expect(owner.status).toBe(403);
    expect(owner.json.code).toBe('account_owner');
    expect((await h.cg.activity(practice)).some((e) => e.action === 'password_reset' && e.actor === 'pat' && e.detail.member === 'bella')).toBe(true);
  });

  it('lists clients and the directory by access', async () => {
    const bill = await h.get(await as('bill'), '/api/clients');
    const names = bill.json.items.map((c: { name: string }) => c.name);
    expect(names).not.toContain('Jules Petrov'); // restricted, bill revoked
    expect(names).toContain('Avery Lindqvist');
    expect(bill.json.items[0]).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), primary: expect.any(String), restricted: expect.any(Boolean), access: 'administrative' }));
    const ana = await h.get(await as('ana'), '/api/clients');
    expect(ana.json.items.every((c: { access: string }) => c.access === 'clinical')).toBe(true);
    expect(ana.json.items.map((c: { name: string }) => c.name)).not.toContain('Gray Whitfield');
    const dir = await h.get(await as('sky'), '/api/directory');
    expect(dir.json.items[0]).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), contact: expect.any(String) }));
    expect(dir.json.items.map((c: { name: string }) => c.name)).not.toContain('Jules Petrov');
    // Names by id, as the web app asks for the clients a page shows: only those the directory shows, in the order asked.
    const shown = dir.json.items.map((c: { id: string }) => c.id) as string[];
    const asked = [shown[1]!, ids.jules, shown[0]!, 'no-such-client'];
    const entries = await h.get(await as('sky'), `/api/directory/entries?ids=${asked.join(',')}`);
    expect(entries.status).toBe(200);
    expect(entries.json.items.map((c: { id: string }) => c.id)).toEqual([shown[1], shown[0]]);
    expect(entries.json.items[0]).toEqual(dir.json.items[1]);
    for (const bad of ['', 'ids=', `ids=${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`]) {
      const r = await h.get(await as('sky'), `/api/directory/entries?${bad}`);
      expect(r.status, bad).toBe(400);
    }
  });

  it('creates a client with a server id', async () => {
    const r = await h.post(await as('sky'), '/api/clients', { name: 'Quinn Newcomer', primary: 'ana' });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({ ok: true, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const got = await h.get(await as('ana'), `/api/clients/${r.json.id}`);
    expect(got.json).toMatchObject({ id: r.json.id, name: 'Quinn Newcomer', primary: 'ana', restricted: false, access: 'clinical' });
    const none = await h.post(await as('sky'), '/api/clients', { name: 'No Primary' });
    expect(none.status).toBe(422);
    expect(none.json.code).toBe('primary_required');
    expect((await h.post(await as('bill'), '/api/clients', { name: 'x', primary: 'ana' })).status).toBe(403);
  });

  it('opens a client (audited) or answers 404 when it may not be seen', async () => {
    const before = await h.logLength(practice);
    const r = await h.get(await as('olivia'), `/api/clients/${ids.jules}`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: 'Jules Petrov', restricted: true, sharedWithAll: false, access: 'clinical', contact: expect.stringContaining('@') });
    expect(Object.keys(r.json.permissions)).toHaveLength(15);
    expect(r.json.permissions['client.view_chart'].allowed).toBe(true);
    const log = await h.cg.activity(practice);
    expect(log.length).toBe(before + 1);
    expect(log.at(-1)).toMatchObject({ actor: 'olivia', action: 'view_client', client: ids.jules, outcome: 'read' });

    const hidden = await h.get(await as('bill'), `/api/clients/${ids.jules}`);
    expect(hidden.status).toBe(404);
    expect(hidden.json.code).toBe('not_found');
    expect(hidden.body).not.toContain('Jules');
    expect((await h.get(await as('bill'), '/api/clients/no-such-client')).status).toBe(404);
    const biller = await h.get(await as('bill'), `/api/clients/${ids.avery}`);
    expect(biller.json.access).toBe('administrative');
    expect(biller.json.permissions['client.view_chart']).toMatchObject({ allowed: false, code: 'forbidden' });
  });

  it('shows the Privacy tab and who can access a client', async () => {
    const tab = await h.get(await as('olivia'), `/api/clients/${ids.jules}/privacy`);
    expect(tab.status).toBe(200);
    expect(tab.json.client).toMatchObject({ id: ids.jules, restricted: true });
    const billRow = tab.json.rows.find((r: { member: string }) => r.member === 'bill');
    expect(billRow.administrative).toMatchObject({ checked: false, enabled: true });
    expect((await h.get(await as('bill'), `/api/clients/${ids.jules}/privacy`)).status).toBe(404);
    const who = await h.get(await as('olivia'), `/api/clients/${ids.avery}/access`);
    expect(who.json.members.map((m: { member: string }) => m.member)).toEqual(expect.arrayContaining(['ana', 'olivia', 'sam']));
    expect((await h.get(await as('ana'), `/api/clients/${ids.gray}/access`)).status).toBe(404);
  });

  it('grants and revokes access, sets the primary, restricts, shares', async () => {
    const olivia = await as('olivia');
    const c = ids.devon!;
    expect((await h.post(olivia, `/api/clients/${c}/clinical-access`, { member: 'ana', untilDays: 7 })).json).toMatchObject({ ok: true });
    expect((await h.get(await as('ana'), `/api/clients/${c}`)).status).toBe(200);
    expect((await h.del(olivia, `/api/clients/${c}/clinical-access/ana`)).status).toBe(200);
    expect((await h.get(await as('ana'), `/api/clients/${c}`)).status).toBe(404);
    const notApplicable = await h.post(olivia, `/api/clients/${c}/clinical-access`, { member: 'bill' });
    expect(notApplicable.status).toBe(403);
    expect(notApplicable.json.code).toBe('not_applicable');
    const notRestricted = await h.del(olivia, `/api/clients/${c}/administrative-access/bill`);
    expect(notRestricted.json.code).toBe('not_restricted');
    expect((await h.post(olivia, `/api/clients/${c}/restriction`, { on: true })).status).toBe(200);
    expect((await h.del(olivia, `/api/clients/${c}/administrative-access/bill`)).status).toBe(200);
    expect((await h.get(await as('bill'), `/api/clients/${c}`)).status).toBe(404);
    expect((await h.post(olivia, `/api/clients/${c}/administrative-access`, { member: 'bill' })).status).toBe(200);
    expect((await h.get(await as('bill'), `/api/clients/${c}`)).status).toBe(200);
    const ack = await h.post(olivia, `/api/clients/${c}/restriction`, { on: false, acknowledge: false });
    expect(ack.json.code).toBe('acknowledgement_required');
    expect((await h.post(olivia, `/api/clients/${c}/restriction`, { on: false, acknowledge: true })).status).toBe(200);
    expect((await h.put(olivia, `/api/clients/${c}/primary-clinician`, { member: 'frank' })).status).toBe(200);
    expect((await h.cg.clientState(practice, c))?.primary).toBe('frank');
    const primary = await h.del(olivia, `/api/clients/${c}/clinical-access/frank`);
    expect(primary.json.code).toBe('primary_clinician');
    expect((await h.put(olivia, `/api/clients/${c}/share-with-all`, { on: true })).status).toBe(200);
    expect((await h.get(await as('ana'), `/api/clients/${c}`)).status).toBe(200);
    expect((await h.put(olivia, `/api/clients/${c}/share-with-all`, { on: false })).status).toBe(200);
    // Someone who cannot see the client at all gets 404, not 403.
    expect((await h.post(await as('ana'), `/api/clients/${c}/restriction`, { on: true })).status).toBe(404);
  });

  it('writes, reads, signs, co-signs and deletes notes', async () => {
    const ana = await as('ana');
    const w = await h.post(ana, `/api/clients/${ids.avery}/notes`, { kind: 'clinical', body: 'Session 2: sleep improving.' });
    expect(w.status).toBe(201);
    const note = w.json.id as string;
    const before = await h.logLength(practice);
    const list = await h.get(ana, `/api/clients/${ids.avery}/notes`);
    expect(list.json.items.map((n: { id: string }) => n.id)).toContain(note);
    expect(list.json.items.every((n: { client: string }) => n.client === ids.avery)).toBe(true);
    const one = await h.get(ana, `/api/notes/${note}`);
    expect(one.json).toMatchObject({ id: note, body: 'Session 2: sleep improving.', signed: false, author: 'ana' });
    // The note carries my decisions on it: the web app opens a note in one request.
    expect(Object.fromEntries(Object.entries(one.json.permissions as Record<string, { allowed: boolean }>).map(([p, d]) => [p, d.allowed]))).toEqual({ 'note.view': true, 'note.sign': true, 'note.cosign': false, 'note.delete': true });
    const log = await h.cg.activity(practice);
    expect(log.length).toBe(before + 2);
    expect(log.slice(-2).map((e) => e.action)).toEqual(['view_notes', 'view_note']);

    const biller = await h.get(await as('bill'), `/api/notes/${note}`);
    expect(biller.status).toBe(403); // sees the client, not clinical notes
    expect(biller.body).not.toContain('sleep improving');
    expect((await h.get(await as('bill'), `/api/clients/${ids.avery}/notes`)).json.items.some((n: { kind: string }) => n.kind === 'clinical')).toBe(false);
    expect((await h.get(await as('eve'), `/api/notes/${note}`)).status).toBe(200);
    expect((await h.get(await as('frank'), `/api/notes/${note}`)).status).toBe(403);

    const early = await h.post(await as('sam'), `/api/notes/${note}/cosign`);
    expect(early.status).toBe(422);
    expect(early.json.code).toBe('invalid_state');
    expect((await h.post(await as('sam'), `/api/notes/${note}/sign`)).status).toBe(403);
    expect((await h.post(ana, `/api/notes/${note}/sign`)).status).toBe(200);
    expect((await h.post(await as('sam'), `/api/notes/${note}/cosign`)).status).toBe(200);
    expect(await h.cg.noteState(practice, note)).toMatchObject({ signed: true, cosigned: true });
    expect((await h.del(ana, `/api/notes/${note}`)).json.code).toBe('forbidden'); // signed
    const cora = await as('cora');
    expect((await h.del(cora, `/api/notes/${note}`, { reason: 'Written in the wrong chart.' })).status).toBe(200);
    expect((await h.get(ana, `/api/notes/${note}`)).status).toBe(404);
    // The deleter's reason is kept in the activity log's entry.
    const deleted = (await h.get(cora, '/api/activity-log?action=delete_note')).json.items[0];
    expect(deleted.detail.command).toMatchObject({ type: 'delete_note', note, reason: 'Written in the wrong chart.' });
    expect((await h.post(await as('sky'), `/api/clients/${ids.avery}/notes`, { kind: 'clinical', body: 'x' })).status).toBe(403);
    expect((await h.post(await as('sky'), `/api/clients/${ids.avery}/notes`, { kind: 'contact', body: 'Called.' })).status).toBe(201);
  });

  it('answers my note queues: the notes I wrote, and the signed notes of my supervisees awaiting my co-signature', async () => {
    const ana = await as('ana');
    const sam = await as('sam');
    const note = (await h.post(ana, `/api/clients/${ids.avery}/notes`, { kind: 'clinical', body: 'Queued.' })).json.id as string;
    // Every page of a queue, walked with limit 1.
    const walk = async (who: typeof ana, queue: string) => {
      const out: { id: string; author: string; at: number }[] = [];
      for (let after = ''; ; ) {
        const page = await h.get(who, `/api/notes?queue=${queue}&limit=1${after && `&after=${after}`}`);
        expect(page.status).toBe(200);
        out.push(...page.json.items);
        if (page.json.next === null) return out;
        after = page.json.next as string;
      }
    };
    const mine = await walk(ana, 'mine');
    expect(mine.map((n) => n.id)).toContain(note);
    expect(mine.every((n) => n.author === 'ana')).toBe(true);
    expect(mine.map((n) => n.at)).toEqual(mine.map((n) => n.at).sort((a, b) => a - b)); // oldest first
    expect((await walk(sam, 'cosign')).map((n) => n.id)).not.toContain(note); // not signed yet
    expect((await h.post(ana, `/api/notes/${note}/sign`)).status).toBe(200);
    expect((await walk(sam, 'cosign')).map((n) => n.id)).toContain(note);
    expect((await walk(ana, 'cosign')).map((n) => n.id)).not.toContain(note); // the author is no supervisor of herself
    expect((await h.post(sam, `/api/notes/${note}/cosign`)).status).toBe(200);
    expect((await walk(sam, 'cosign')).map((n) => n.id)).not.toContain(note); // co-signed
    expect((await h.get(ana, '/api/notes')).status).toBe(400);
    expect((await h.get(ana, '/api/notes?queue=theirs')).status).toBe(400);
  });

  it('pages a client’s notes and messages, my messages, tasks, notifications, payments, log, the directory and my access: limit and next walk the whole list', async () => {
    const ana = await as('ana');
    for (const body of ['Intake.', 'Session 1.', 'Session 2.']) {
      expect((await h.post(ana, `/api/clients/${ids.avery}/notes`, { kind: 'clinical', body })).status).toBe(201);
      expect((await h.post(ana, `/api/clients/${ids.avery}/messages`, { body })).status).toBe(201);
      expect((await h.post(ana, '/api/tasks', { client: ids.avery, assignee: 'ana', title: body })).status).toBe(201);
    }
    const lists = [
      { url: `/api/clients/${ids.avery}/notes`, audited: true },
      { url: `/api/clients/${ids.avery}/messages`, audited: true },
      { url: '/api/messages', audited: true },
      { url: '/api/tasks', audited: false },
      { url: '/api/activity-log?action=write_note&member=ana', audited: false },
      { url: '/api/directory', audited: false },
      { url: '/api/members/ana/access', audited: false },
    ];
    for (const { url, audited } of lists) {
      const q = (params: string) => `${url}${url.includes('?') ? '&' : '?'}${params}`;
      const whole = await h.get(ana, q('limit=200'));
      expect(whole.json.next).toBeNull();
      expect(whole.json.items.length).toBeGreaterThanOrEqual(3);
      // The first page without parameters, as old clients ask.
      expect((await h.get(ana, url)).json.items).toEqual(whole.json.items.slice(0, 50));
      const before = await h.logLength(practice);
      const walked: unknown[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const page: { status: number; json: { items: unknown[]; next: string | null } } = await h.get(ana, q(`limit=2${after ? `&after=${after}` : ''}`));
        expect(page.status).toBe(200);
        expect(page.json.items.length).toBeLessThanOrEqual(2);
        walked.push(...page.json.items);
        after = page.json.next;
        pages++;
      } while (after);
      expect(walked).toEqual(whole.json.items);
      expect(pages).toBe(Math.ceil(whole.json.items.length / 2));
      // Each page of messages and of a client's records is an audited read.
      expect(await h.logLength(practice)).toBe(before + (audited ? pages : 0));
      for (const bad of ['limit=0', 'limit=201', 'limit=x', 'after=', 'after=bm90LWpzb24', 'after=e30']) expect((await h.get(ana, q(bad))).status, `${url} ${bad}`).toBe(400);
    }
    // The log's filters: newest first, only what each filter names.
    const written = (await h.get(ana, '/api/activity-log?action=write_note&member=ana&limit=200')).json.items as { seq: number; action: string; actor: string }[];
    expect(written.every((e) => e.action === 'write_note' && e.actor === 'ana')).toBe(true);
    expect(written.map((e) => e.seq)).toEqual([...written.map((e) => e.seq)].sort((a, b) => b - a));
    const about = (await h.get(ana, `/api/activity-log?client=${ids.avery}&outcome=read&limit=200`)).json.items as { client: string; outcome: string }[];
    expect(about.length).toBeGreaterThan(0);
    expect(about.every((e) => e.client === ids.avery && e.outcome === 'read')).toBe(true);
    expect((await h.get(ana, '/api/activity-log?from=4102444800000&limit=200')).json.items).toEqual([]);
    const olivia = await as('olivia');
    const all = await h.get(olivia, '/api/notifications?limit=200');
    expect(all.json.items.length).toBeGreaterThan(0);
    expect(all.json.unread).toBe(all.json.items.length);
    const first = await h.get(olivia, '/api/notifications?limit=1');
    expect(first.json.items).toEqual(all.json.items.slice(0, 1));
    expect(first.json.unread).toBe(all.json.unread);
    if (all.json.items.length > 1) expect((await h.get(olivia, `/api/notifications?limit=200&after=${first.json.next}`)).json.items).toEqual(all.json.items.slice(1));
  });

  it('calendar, billing, insurance payments, messages, tasks, notifications', async () => {
    const sky = await as('sky');
    const appt = await h.post(sky, '/api/appointments', { client: ids.finley, clinician: 'frank', fee: 120, startsAt: h.clock.now + 86_400_000 });
    expect(appt.status).toBe(201);
    expect((await h.get(sky, '/api/calendar')).json.items.map((a: { id: string }) => a.id)).toContain(appt.json.id);
    const anaCalendar = (await h.get(await as('ana'), '/api/calendar')).json.items.map((a: { client: string }) => a.client);
    expect(anaCalendar).toContain(ids.avery);
    expect(anaCalendar).not.toContain(ids.gray);
    expect((await h.post(await as('bill'), '/api/appointments', { client: ids.finley, clinician: 'bill', fee: 1 })).status).toBe(403);

    const before = await h.logLength(practice);
    const billing = await h.get(await as('bill'), '/api/billing');
    expect(billing.json.items.length).toBeGreaterThan(5);
    expect(billing.json.items.some((c: { client: string }) => c.client === ids.jules)).toBe(false);
    expect((await h.cg.activity(practice)).at(-1)).toMatchObject({ action: 'view_billing', actor: 'bill', outcome: 'read' });
    expect(await h.logLength(practice)).toBe(before + 1);
    expect((await h.get(await as('ana'), '/api/billing')).json.items).toEqual([]);

    const ownerPayments = (await h.get(await as('olivia'), '/api/insurance-payments')).json.items;
    const billPayments = (await h.get(await as('bill'), '/api/insurance-payments')).json.items;
    expect(ownerPayments.length).toBe(2);
    expect(billPayments.length).toBe(1); // the one covering restricted Jules is hidden whole
    const pay = await h.post(await as('bill'), '/api/insurance-payments', { covers: [ids.avery, ids.blake], amount: 99.5 });
    expect(pay.status).toBe(201);
    const forbidden = await h.post(await as('bill'), '/api/insurance-payments', { covers: [ids.jules, ids.avery], amount: 10 });
    expect([403, 404]).toContain(forbidden.status);
    expect(forbidden.status).toBe(404); // bill may not see Jules: as if Jules did not exist
    // Insurance payments, by id, a page at a time.
    const bill = await as('bill');
    const payments = (await h.get(bill, '/api/insurance-payments?limit=200')).json;
    expect(payments.next).toBeNull();
    const paged: unknown[] = [];
    for (let after: string | null = null, first = true; first || after; first = false) {
      const page: { json: { items: unknown[]; next: string | null } } = await h.get(bill, `/api/insurance-payments?limit=1${after ? `&after=${after}` : ''}`);
      paged.push(...page.json.items);
      after = page.json.next;
    }
    expect(paged).toEqual(payments.items);
    expect(paged.length).toBeGreaterThanOrEqual(2);

    const msg = await h.post(await as('ana'), `/api/clients/${ids.avery}/messages`, { body: 'See you Thursday.' });
    expect(msg.status).toBe(201);
    expect((await h.get(await as('ana'), '/api/messages')).json.items.map((m: { body: string }) => m.body)).toContain('See you Thursday.');
    expect((await h.get(await as('ana'), `/api/clients/${ids.avery}/messages`)).json.items.every((m: { client: string }) => m.client === ids.avery)).toBe(true);
    expect((await h.get(await as('pat'), '/api/messages')).json.items).toEqual([]);
    expect((await h.post(await as('pat'), `/api/clients/${ids.avery}/messages`, { body: 'x' })).status).toBe(404);

    const task = await h.post(sky, '/api/tasks', { client: ids.avery, assignee: 'ana', title: 'Send intake forms' });
    expect(task.status).toBe(201);
    expect((await h.get(await as('ana'), '/api/tasks')).json.items.map((t: { title: string }) => t.title)).toContain('Send intake forms');
    expect((await h.get(await as('bill'), '/api/tasks')).json.items.map((t: { title: string }) => t.title)).not.toContain('Send intake forms');

    const notes = await h.get(await as('olivia'), '/api/notifications');
    expect(notes.json.items.some((n: { event: string }) => n.event === 'restricted_access_on')).toBe(true);
  });

  it('activity log, reports, checks, what a member can access', async () => {
    const log = await h.get(await as('mia'), '/api/activity-log');
    expect(log.status).toBe(200);
    expect(log.json.items.length).toBeGreaterThan(20);
    expect(log.body).not.toContain('PHQ-9'); // note text stays out of the log
    const own = await h.get(await as('ana'), '/api/activity-log');
    // Ana's own entries, and entries about clients she may view: nothing else.
    const anaClients = new Set((await h.get(await as('ana'), '/api/clients')).json.items.map((c: { id: string }) => c.id));
    type Entry = { actor: string; client: string | null; detail: { command?: { covers?: string[] } } };
    const concerned = (e: Entry) => (e.client ? [e.client] : (e.detail.command?.covers ?? []));
    const foreign = own.json.items.filter((e: Entry) => e.actor !== 'ana' && !(concerned(e).length > 0 && concerned(e).every((c) => anaClients.has(c))));
    expect(foreign).toEqual([]);
    expect(own.json.items.some((e: { client: string | null }) => e.client === ids.gray)).toBe(false);

    const summary = await h.get(await as('bill'), '/api/reports/billing_summary');
    expect(summary.status).toBe(200);
    expect(summary.json.rows.some((r: { client: string }) => r.client === ids.jules)).toBe(false);
    // The report says that a client was left out, without naming it.
    expect(summary.json.omittedClients).toBeGreaterThan(0);
    expect((await h.get(await as('olivia'), '/api/reports/billing_summary')).json.omittedClients).toBe(0);
    const income = await h.get(await as('bill'), '/api/reports/income_allocation');
    const ownerIncome = await h.get(await as('olivia'), '/api/reports/income_allocation');
    expect(income.json.total).toBe(ownerIncome.json.total);
    // Pages: walking them one row at a time gives every row once, the totals on each page.
    const whole = await h.get(await as('bill'), `/api/reports/billing_summary?limit=1000`);
    expect(whole.json.rowCount).toBe(whole.json.rows.length);
    expect(whole.json.next).toBeNull();
    const walked: string[] = [];
    for (let after: string | null = null, pages = 0; pages === 0 || after !== null; pages++) {
      const page = await h.get(await as('bill'), `/api/reports/billing_summary?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.json.rows.length).toBeLessThanOrEqual(2);
      expect({ total: page.json.total, rowCount: page.json.rowCount, omittedClients: page.json.omittedClients }).toEqual({ total: whole.json.total, rowCount: whole.json.rowCount, omittedClients: whole.json.omittedClients });
      walked.push(...page.json.rows.map((r: { client: string }) => r.client));
      after = page.json.next;
    }
    expect(walked).toEqual(whole.json.rows.map((r: { client: string }) => r.client));
    expect(summary.json.rows.length).toBe(Math.min(summary.json.rowCount, 100));
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'after=']) expect((await h.get(await as('bill'), `/api/reports/billing_summary?${q}`)).status, q).toBe(400);
    expect((await h.get(await as('ana'), '/api/reports/billing_summary')).status).toBe(403);
    expect((await h.get(await as('ana'), '/api/reports/nope')).status).toBe(400);

    // A client bill may not view answers as one that does not exist (no existence oracle),
    // and so says nothing about it (not even that it is restricted).
    const check = await h.get(await as('bill'), `/api/check?permission=client.view_profile&client=${ids.jules}`);
    expect(check.json).toMatchObject({ allowed: false, code: 'not_found' });
    expect(check.body).toBe((await h.get(await as('bill'), '/api/check?permission=client.view_profile&client=no-such-client')).body);
    const contact = await h.get(await as('bill'), `/api/check?permission=client.view_contact&client=${ids.jules}`);
    expect(contact.json).toMatchObject({ allowed: false, code: 'not_found' });
    expect(contact.body).not.toMatch(/restricted/i);
    const chart = await h.get(await as('ana'), `/api/check?permission=client.view_chart&client=${ids.avery}`);
    expect(chart.json.reasons[0].code).toBe('primary_clinician');
    expect((await h.get(await as('bill'), `/api/check?permission=client.charge&client=${ids.avery}`)).json.allowed).toBe(true);
    expect((await h.get(await as('bill'), '/api/check?permission=team.manage')).json.allowed).toBe(false);
    expect((await h.get(await as('bill'), '/api/check?permission=fly')).status).toBe(400);

    const mine = await h.get(await as('ana'), '/api/members/ana/access');
    expect(mine.json.items.map((i: { client: string }) => i.client)).toContain(ids.avery);
    expect((await h.get(await as('ana'), '/api/members/bill/access')).status).toBe(403);
    expect((await h.get(await as('olivia'), '/api/members/bill/access')).json.items.length).toBeGreaterThan(5);
    expect((await h.get(await as('olivia'), '/api/members/nobody/access')).status).toBe(404);
  });

  it('serves an OpenAPI 3.1 document of every route, and a readable reference', async () => {
    const doc = await h.request('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.json.openapi).toBe('3.1.0');
    const expected = [
      'post /api/session', 'get /api/session', 'delete /api/session', 'post /api/session/keepalive', 'get /api/me', 'get /api/team',
      'put /api/team/{member}/roles', 'post /api/team/supervision', 'delete /api/team/supervision/{supervisor}/{supervisee}',
      'post /api/team/{member}/password-reset', 'get /api/clients', 'get /api/directory', 'get /api/directory/entries', 'post /api/clients', 'get /api/clients/{id}',
      'get /api/clients/{id}/privacy', 'get /api/clients/{id}/access', 'post /api/clients/{id}/clinical-access',
      'delete /api/clients/{id}/clinical-access/{member}', 'post /api/clients/{id}/administrative-access',
      'delete /api/clients/{id}/administrative-access/{member}', 'put /api/clients/{id}/primary-clinician', 'post /api/clients/{id}/restriction',
      'put /api/clients/{id}/share-with-all', 'get /api/clients/{id}/notes', 'post /api/clients/{id}/notes', 'get /api/notes/{id}',
      'post /api/notes/{id}/sign', 'post /api/notes/{id}/cosign', 'delete /api/notes/{id}', 'get /api/calendar', 'post /api/appointments',
      'get /api/billing', 'get /api/insurance-payments', 'post /api/insurance-payments', 'get /api/messages', 'post /api/clients/{id}/messages',
      'get /api/tasks', 'post /api/tasks', 'get /api/notifications', 'get /api/activity-log', 'get /api/reports/{name}', 'get /api/check',
      'get /api/members/{member}/access', 'get /api/password-resets/{token}', 'post /api/password-resets/{token}',
    ];
    for (const e of expected) {
      const [method, path] = e.split(' ') as [string, string];
      expect(doc.json.paths[path]?.[method], e).toBeDefined();
    }
    for (const [path, ops] of Object.entries<Record<string, { parameters: { in: string; name: string }[] }>>(doc.json.paths)) {
      for (const op of Object.values(ops)) {
        const declared = op.parameters.filter((x) => x.in === 'path').map((x) => x.name);
        expect(declared, path).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((x) => x[1]));
      }
    }
    const grant = doc.json.paths['/api/clients/{id}/clinical-access'].post.requestBody.content['application/json'].schema;
    expect(grant.additionalProperties).toBe(false);
    expect(grant.required).toEqual(['member']);
    const report = doc.json.paths['/api/reports/{name}'].get;
    expect(report.parameters.filter((x: { in: string }) => x.in === 'query').map((x: { name: string; required: boolean }) => [x.name, x.required])).toEqual([['limit', false], ['after', false]]);
    expect(report.responses['200'].content['application/json'].schema.required).toEqual(expect.arrayContaining(['rows', 'rowCount', 'total', 'omittedClients', 'next']));
    expect(doc.json).toEqual(JSON.parse(JSON.stringify(openApiDocument([])).replace('"paths":{}', `"paths":${JSON.stringify(doc.json.paths)}`).replace('"tags":[]', `"tags":${JSON.stringify(doc.json.tags)}`)));
    const html = await h.request('GET', '/api/docs');
    expect(html.status).toBe(200);
    expect(String(html.headers['content-type'])).toMatch(/text\/html/);
    expect(html.body).toContain('/api/clients/{id}/privacy');
  });

  it('pages clients, calendar and billing through the cursor: every page together is the row-by-row list', async () => {
    const walk = async (agent: Agent, url: string, limit: number) => {
      const items: Record<string, unknown>[] = [];
      const totals: number[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const r = await h.get(agent, `${url}?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
        expect(r.status, `${url}: ${r.body}`).toBe(200);
        expect(r.json.items.length).toBeLessThanOrEqual(limit);
        items.push(...r.json.items);
        if (r.json.total !== undefined) totals.push(r.json.total);
        after = r.json.next;
        pages++;
      } while (after !== null);
      return { items, totals, pages };
    };
    for (const m of ['olivia', 'ana', 'bill', 'sky', 'frank']) {
      const agent = await as(m);
      const clients = await walk(agent, '/api/clients', 2);
      const reference = await h.cg.list(practice, m, 'clients');
      expect(clients.items, `${m} clients`).toEqual(reference.map((c) => ({ id: c.id, client: c.client, name: c.name, primary: c.primary, restricted: c.restricted, access: c.access })));
      expect(new Set(clients.totals), `${m} total`).toEqual(new Set([reference.length]));
      expect((await h.get(agent, '/api/clients')).json.items.length, `${m} default page`).toBe(Math.min(50, reference.length));

      const calendar = await walk(agent, '/api/calendar', 3);
      expect(calendar.items, `${m} calendar`).toEqual(await h.cg.list(practice, m, 'calendar'));

      // Every page of charges is an audited read of its own.
      const before = await h.logLength(practice);
      const billing = await walk(agent, '/api/billing', 3);
      expect(billing.items, `${m} billing`).toEqual(await h.cg.list(practice, m, 'billing'));
      expect(await h.logLength(practice), `${m} billing reads`).toBe(before + billing.pages);
    }
    // From a time on: the calendar's later part only.
    const sky = await as('sky');
    const all = (await h.cg.list(practice, 'sky', 'calendar')) as unknown as { startsAt: number }[];
    const from = all[Math.floor(all.length / 2)]!.startsAt;
    const later = (await h.get(sky, `/api/calendar?limit=200&from=${from}`)).json.items;
    expect(later).toEqual(all.filter((a) => a.startsAt >= from));
  });

  it('refuses bad paging input with a 400 problem, never a 500', async () => {
    const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      'limit=0', 'limit=201', 'limit=-1', 'limit=abc', 'limit=1.5', 'limit=', 'limit=1e2', 'limit=99999999999999999999', 'limit=1&limit=2',
      'after=', 'after=not%20base64', 'after=%F0%9F%92%A5', `after=${'A'.repeat(3000)}`, `after=${cursor('x')}`, `after=${cursor({})}`, `after=${cursor([1, 2])}`,
      `after=${cursor({ name: 'a', id: 'b', extra: 1 })}`, `after=${cursor({ startsAt: -1, id: 'b' })}`, `after=${cursor({ name: 'a\u0000', id: 'b' })}`,
      'after=x&after=y', 'page=2', 'from=-1', 'from=abc',
    ];
    const owner = await as('olivia');
    for (const url of ['/api/clients', '/api/calendar', '/api/billing']) {
      for (const q of bad) {
        // from= is a calendar and billing parameter; the clients route has no such field.
        const r = await h.get(owner, `${url}?${q}`);
        expect(r.status, `${url}?${q}: ${r.body}`).toBe(400);
        expect(isProblem(r), `${url}?${q}`).toBe(true);
        expect(r.json.code).toBe('invalid_input');
      }
    }
    // A clients cursor is not an appointments cursor, and the other way round.
    expect((await h.get(owner, `/api/calendar?after=${cursor({ name: 'a', id: 'b' })}`)).status).toBe(400);
    expect((await h.get(owner, `/api/clients?after=${cursor({ startsAt: 1, id: 'b' })}`)).status).toBe(400);
    expect((await h.get(owner, '/api/clients?from=1')).status).toBe(400);
    // A well-formed cursor at the end is an empty last page.
    const last = (await h.cg.list(practice, 'olivia', 'clients')).at(-1)!;
    const end = await h.get(owner, `/api/clients?after=${cursor({ name: last.name, id: last.id })}`);
    expect([end.status, end.json.items, end.json.next]).toEqual([200, [], null]);
  });

  it('answers unknown routes with a 404 problem', async () => {
    const r = await h.get(await as('ana'), '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(isProblem(r)).toBe(true);
  });
});
