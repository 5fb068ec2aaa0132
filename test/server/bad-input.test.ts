/**
 * Bad input never gets past the door and never breaks the server: malformed JSON, wrong
 * types, out-of-range numbers, unknown fields, huge bodies, wrong media types, unicode and
 * NUL in ids and text, ids of another practice. Every answer is a 4xx problem+json with a
 * stable code, never a 500, and nothing changes (the activity log, which every change
 * appends to, keeps its length).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSAL_CODES } from '../../src/core/index.js';
import { SERVER_CODES } from '../../src/server/problem.js';
import { databaseKinds } from '../support/databases.js';
import { Harness, isProblem, type Agent } from './harness.js';

type Field = 'id' | 'member' | 'string' | 'number' | 'bool' | 'true' | 'ids' | 'roles' | 'kind' | 'int' | 'code';

interface Template {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: string; // {c} client, {m} member, {n} note
  readonly fields: Readonly<Record<string, Field>>;
  readonly auth?: false;
  /** Valid-shaped bodies may pass validation; only safe where a wrong id is the only defect. */
  readonly idsOnly?: boolean;
}

const TEMPLATES: readonly Template[] = [
  { method: 'POST', path: '/api/clients', fields: { name: 'string', primary: 'member' }, idsOnly: true },
  { method: 'PUT', path: '/api/team/{m}/roles', fields: { roles: 'roles' }, idsOnly: true },
  { method: 'POST', path: '/api/team/supervision', fields: { supervisor: 'member', supervisee: 'member' }, idsOnly: true },
  { method: 'POST', path: '/api/clients/{c}/clinical-access', fields: { member: 'member', untilDays: 'int' }, idsOnly: true },
  { method: 'POST', path: '/api/clients/{c}/administrative-access', fields: { member: 'member' }, idsOnly: true },
  { method: 'PUT', path: '/api/clients/{c}/primary-clinician', fields: { member: 'member' }, idsOnly: true },
  { method: 'POST', path: '/api/clients/{c}/restriction', fields: { on: 'true' }, idsOnly: true },
  { method: 'PUT', path: '/api/clients/{c}/share-with-all', fields: { on: 'bool' }, idsOnly: true },
  { method: 'POST', path: '/api/clients/{c}/notes', fields: { kind: 'kind', body: 'string', sign: 'bool' }, idsOnly: true },
  { method: 'POST', path: '/api/clients/{c}/messages', fields: { body: 'string' }, idsOnly: true },
  { method: 'POST', path: '/api/appointments', fields: { client: 'id', clinician: 'member', fee: 'number' }, idsOnly: true },
  { method: 'POST', path: '/api/insurance-payments', fields: { covers: 'ids', amount: 'number' }, idsOnly: true },
  { method: 'POST', path: '/api/tasks', fields: { client: 'id', assignee: 'member', title: 'string' }, idsOnly: true },
  { method: 'POST', path: '/api/notes/{n}/sign', fields: {}, idsOnly: true },
  { method: 'POST', path: '/api/notes/{n}/cosign', fields: {}, idsOnly: true },
  { method: 'DELETE', path: '/api/notes/{n}', fields: {}, idsOnly: true },
  { method: 'DELETE', path: '/api/clients/{c}/clinical-access/{m}', fields: {}, idsOnly: true },
  { method: 'DELETE', path: '/api/team/supervision/{m}/{m}', fields: {}, idsOnly: true },
  { method: 'POST', path: '/api/session/password', fields: { current: 'string', next: 'string' } },
  { method: 'POST', path: '/api/session/totp/confirm', fields: { code: 'code' } },
  { method: 'POST', path: '/api/session', fields: { username: 'string', password: 'string' }, auth: false },
];

const strangeText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '💥', '../../etc/passwd', "' or 1=1 --", '%00', ' ', 'ZZZ\u202e', 'x'.repeat(300)),
);
const wrongFor = (f: Field): fc.Arbitrary<unknown> => {
  const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ a: 1 }));
  switch (f) {
    case 'number':
    case 'int':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.constant([1]), fc.constant(-1), fc.constant(1e12), fc.constant(1.5 + (f === 'int' ? 0 : 1e10)));
    case 'bool':
    case 'true':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.constant([true]));
    case 'ids':
    case 'roles':
      return fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null), fc.constant([1, 2]), fc.constant({ 0: 'x' }), ...(f === 'ids' ? [fc.constant([])] : []));
    case 'kind':
      return fc.oneof(notString, fc.constantFrom('Clinical', 'progress', ''));
    case 'code':
      return fc.oneof(notString, fc.constantFrom('12345', '1234567', 'abcdef', ''));
    default:
      // ('' is a valid note body, so it is not among the wrong strings.)
      return fc.oneof(notString, fc.constant('x'.repeat(30_000)), fc.constant('a\u0000b'));
  }
};

describe.each(databaseKinds())('bad input on %s', (kind) => {
  let h: Harness;
  let practice: string;
  let owner: Agent;
  let ids: { client: string; note: string; member: string; foreignClient: string; foreignNote: string };

  beforeAll(async () => {
    h = await Harness.create(kind);
    const a = await h.demo();
    const b = await h.demo();
    practice = a.practice;
    owner = await h.signIn(a.user('olivia'), a.password);
    const otherOwner = await h.signIn(b.user('olivia'), b.password);
    const clientA = (await h.get(owner, '/api/clients')).json.items[0].id;
    const clientB = (await h.get(otherOwner, '/api/clients')).json.items[0].id;
    const noteOf = async (ag: Agent, c: string) => (await h.post(ag, `/api/clients/${c}/notes`, { kind: 'clinical', body: 'x' })).json.id as string;
    ids = { client: clientA, note: await noteOf(owner, clientA), member: 'ana', foreignClient: clientB, foreignNote: await noteOf(otherOwner, clientB) };
  });
  afterAll(() => h.close());

  const valid = (f: Field): unknown =>
    ({ id: ids.client, member: ids.member, string: 'hello', number: 10, int: 3, bool: false, true: true, ids: [ids.client], roles: ['clinician_basic'], kind: 'contact', code: '123456' })[f];
  // A lone surrogate cannot be percent-encoded: send invalid UTF-8 bytes instead (nastier still).
  const enc = (x: string) => {
    try {
      return encodeURIComponent(x);
    } catch {
      return '%ED%A0%80x';
    }
  };
  const pathOf = (t: Template, client = ids.client, note = ids.note, member = ids.member) =>
    t.path.replace('{c}', enc(client)).replace('{n}', enc(note)).replaceAll('{m}', enc(member));
  const validBody = (t: Template) => Object.fromEntries(Object.entries(t.fields).map(([k, f]) => [k, valid(f)]));

  const template = fc.constantFrom(...TEMPLATES);
  type Case = { t: Template; path?: string; raw?: string; body?: unknown; contentType?: string; label: string };
  const cases: fc.Arbitrary<Case> = fc.oneof(
    // Malformed JSON.
    fc.record({ t: template, raw: fc.oneof(fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"name": "x",}', "{'a': 1}", '{"__proto__": {"x": 1}}', '\u0000'), fc.string({ minLength: 1, maxLength: 30 }).filter((s) => { try { JSON.parse(s); return false; } catch { return true; } })) }).map((c) => ({ ...c, label: 'malformed json' })),
    // JSON that is not an object.
    fc.record({ t: template.filter((t) => Object.keys(t.fields).length > 0), body: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.boolean()) }).map((c) => ({ ...c, label: 'not an object' })),
    // One field of the wrong type or out of range.
    template
      .filter((t) => Object.keys(t.fields).length > 0)
      .chain((t) => fc.constantFrom(...Object.keys(t.fields)).chain((k) => wrongFor(t.fields[k]!).map((v) => ({ t, body: { ...validBody(t), [k]: v }, label: `wrong ${k}` })))),
    // A required field missing.
    template
      .filter((t) => Object.values(t.fields).length > 0)
      .chain((t) => fc.constantFrom(...Object.keys(t.fields)).filter((k) => !['primary', 'untilDays', 'sign'].includes(k)).map((k) => {
        const body: Record<string, unknown> = validBody(t);
        delete body[k];
        return { t, body, label: `missing ${k}` };
      })),
    // An unknown field.
    fc.record({ t: template, key: fc.oneof(fc.constantFrom('id', 'practice', 'actor', 'isAdmin', 'constructor', 'extra'), fc.string({ minLength: 1, maxLength: 10 })), value: fc.jsonValue({ maxDepth: 2 }) })
      .filter(({ t, key }) => !(key in t.fields))
      .map(({ t, key, value }) => ({ t, body: { ...validBody(t), [key]: value }, label: `unknown field ${key}` })),
    // Too large.
    fc.record({ t: template, n: fc.integer({ min: 65 * 1024, max: 200 * 1024 }) }).map(({ t, n }) => ({ t, body: { ...validBody(t), pad: 'x'.repeat(n) }, label: 'huge' })),
    // Wrong media type.
    fc.record({ t: template, contentType: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x') }).map(({ t, contentType }) => ({ t, raw: 'a=1', contentType, label: `media ${contentType}` })),
    // Ids (in the path or the body) that are strange, or belong to another practice.
    fc
      .record({
        t: template.filter((t) => t.idsOnly === true),
        client: strangeText,
        member: fc.oneof(strangeText, fc.constantFrom('nobody', 'OLIVIA')),
        foreign: fc.boolean(),
      })
      .map(({ t, client, member, foreign }) => {
        const c = foreign ? ids.foreignClient : client;
        const body = Object.fromEntries(
          Object.entries(t.fields).map(([k, f]) => [k, f === 'id' ? c : f === 'ids' ? [ids.client, c] : f === 'member' ? member : valid(f)]),
        );
        // Paths with a client/note: the foreign or strange one. Others: a strange member.
        const path = pathOf(t, c, foreign ? ids.foreignNote : client, member);
        return { t, path, body: Object.keys(body).length > 0 ? body : undefined, label: 'strange or foreign ids' };
      }),
  );

  it('always a 4xx problem, never a 500, and nothing changes', async () => {
    const codes = new Set<string>([...REFUSAL_CODES, ...SERVER_CODES]);
    const before = await h.logLength(practice);
    const clientsBefore = (await h.get(owner, '/api/clients')).json.items.length;
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
        const r = await h.request(c.t.method, c.path ?? pathOf(c.t), {
          agent: c.t.auth === false ? null : owner,
          ...(c.raw !== undefined ? { raw: c.raw } : c.body !== undefined ? { body: c.body } : {}),
          headers,
        });
        const where = `${c.label}: ${c.t.method} ${c.path ?? c.t.path} -> ${r.status} ${r.body.slice(0, 300)}`;
        expect(r.status, where).toBeGreaterThanOrEqual(400);
        expect(r.status, where).toBeLessThan(500);
        expect(isProblem(r), where).toBe(true);
        expect(codes.has(r.json.code), where).toBe(true);
        seen.set(r.status, (seen.get(r.status) ?? 0) + 1);
        expect(await h.logLength(practice), where).toBe(before);
      }),
      { numRuns: Number(process.env.CHARTGUARD_BAD_INPUT_RUNS ?? 400), endOnFailure: true },
    );
    expect((await h.get(owner, '/api/clients')).json.items.length).toBe(clientsBefore);
    // Every class of answer showed up: invalid input, too large, media type, not found.
    for (const status of [400, 404, 413, 415]) expect(seen.get(status) ?? 0, `status ${status}: ${[...seen]}`).toBeGreaterThan(0);
  });

  it('read routes refuse unknown query parameters and strange ids with 4xx problems', async () => {
    for (const url of ['/api/clients?x=1', '/api/check', '/api/check?permission=client.view_profile&client=a&client=b', '/api/check?permission=nope', '/api/reports/x', `/api/clients/${encodeURIComponent('\u0000')}`, `/api/notes/${'x'.repeat(500)}`, `/api/clients/${ids.foreignClient}`, `/api/clients/${ids.foreignClient}/privacy`, `/api/notes/${ids.foreignNote}`, `/api/members/${encodeURIComponent('💥')}/access`]) {
      const r = await h.get(owner, url);
      expect(r.status, `${url}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.status, url).toBeLessThan(500);
      expect(isProblem(r), url).toBe(true);
    }
    const foreignCheck = await h.get(owner, `/api/check?permission=client.view_profile&client=${ids.foreignClient}`);
    expect(foreignCheck.json).toMatchObject({ allowed: false, code: 'not_found' });
  });

  it('report pages: a bad limit or cursor is a 400 problem, a good one a page', async () => {
    const bad = ['limit=0', 'limit=1001', 'limit=-1', 'limit=%2B5', 'limit=1e2', 'limit=1.5', 'limit=0x10', 'limit=', 'limit=abc', 'limit=%205', 'limit=1&limit=2',
      'limit=99999999999999999999', 'after=', 'after=a&after=b', `after=${'x'.repeat(129)}`, 'after=%00', 'offset=3', 'cursor=k1'];
    for (const q of bad) {
      const r = await h.get(owner, `/api/reports/billing_summary?${q}`);
      expect(r.status, `${q}: ${r.body}`).toBe(400);
      expect(isProblem(r), q).toBe(true);
      expect(r.json.code, q).toBe('invalid_input');
    }
    const goodLimit = (x: string) => /^\d{1,9}$/.test(x) && Number(x) >= 1 && Number(x) <= 1000;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: -5, max: 2000 }).map(String), fc.string({ maxLength: 6 }), fc.constantFrom('007', '1000', '1')), strangeText, async (limit, after) => {
        const r = await h.get(owner, `/api/reports/income_allocation?limit=${enc(limit)}&after=${enc(after)}`);
        expect(r.status, `${limit} ${after}: ${r.body.slice(0, 200)}`).toBeLessThan(500);
        if (r.status !== 200) expect(isProblem(r)).toBe(true);
        if (!goodLimit(limit)) expect(r.status, `limit ${JSON.stringify(limit)}`).toBe(400);
        if (r.status === 200) expect(r.json.rows.length).toBeLessThanOrEqual(Number(limit));
      }),
      { numRuns: 80 },
    );
  });
});
