/**
 * Bad input never gets past the door and never breaks the server: malformed JSON, wrong
 * types, out-of-range numbers, unknown fields, huge bodies, wrong media types, unicode and
 * NUL in ids and text, ids of another practice. Every answer is a 4xx problem+json with a
 * stable code, never a 500, and nothing changes (the activity log, which every change
 * appends to, keeps its length).
 *
 * Strings no field takes - lone surrogates (not well-formed UTF-16), control characters,
 * lengths over every maximum - in every string field of every route (body, path, query)
 * are a 400 `invalid_input` naming the field; bodies that are not UTF-8 are refused too.
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
  { method: 'POST', path: '/api/clients', fields: { name: 'string', primary: 'member', person: 'string', intakeLink: 'member' }, idsOnly: true },
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
  { method: 'DELETE', path: '/api/session/totp', fields: { code: 'code' } },
  { method: 'POST', path: '/api/session', fields: { username: 'string', password: 'string' }, auth: false },
];

const strangeText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '💥', '../../etc/passwd', "' or 1=1 --", '%00', ' ', 'ZZZ\u202e', 'x'.repeat(300)),
);
/** Code points no string field takes anywhere: C0 controls but tab, LF and CR (which note and message bodies keep), DEL, C1. */
const CONTROLS = [...Array.from({ length: 0x20 }, (_, i) => i).filter((c) => ![0x09, 0x0a, 0x0d].includes(c)), 0x7f, ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i)].map((c) => String.fromCharCode(c));
const around = (bad: fc.Arbitrary<string>) => fc.tuple(fc.string({ maxLength: 6 }), bad, fc.string({ maxLength: 6 })).map(([a, x, b]) => a + x + b);
/** A lone surrogate: a high one not followed by a low one, or a low one not after a high one. */
const loneSurrogate = fc.oneof(
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\udc00\ud800', '\ud800\ud800', '\udbff'),
);
/** Strings no field takes: ill-formed UTF-16, control characters, longer than any field's maximum (and under the body limit). */
const badString = fc.oneof(
  around(loneSurrogate).map((s) => ({ s, kind: 'lone surrogate' })),
  around(fc.constantFrom(...CONTROLS)).map((s) => ({ s, kind: 'control character' })),
  fc.integer({ min: 20_001, max: 40_000 }).map((n) => ({ s: 'y'.repeat(n), kind: 'overlong' })),
);
/** In a path or query: as long as the router passes on, longer than an id may be. */
const badUrlString = fc.oneof(
  around(loneSurrogate).map((s) => ({ s, kind: 'lone surrogate' })),
  around(fc.constantFrom(...CONTROLS, '\t', '\n', '\r')).map((s) => ({ s, kind: 'control character' })),
  fc.integer({ min: 129, max: 1000 }).map((n) => ({ s: 'y'.repeat(n), kind: 'overlong' })),
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
      .chain((t) => fc.constantFrom(...Object.keys(t.fields)).filter((k) => !['primary', 'untilDays', 'sign', 'person', 'intakeLink'].includes(k)).map((k) => {
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

  it('strings that are ill-formed, carry control characters or are too long: 400 naming the field, nothing changes', async () => {
    const before = await h.logLength(practice);
    const isString = (f: Field) => ['id', 'member', 'string', 'ids', 'roles', 'kind', 'code'].includes(f);
    const inBody = fc
      .constantFrom(...TEMPLATES.filter((t) => Object.values(t.fields).some(isString)))
      .chain((t) => fc.record({ t: fc.constant(t), k: fc.constantFrom(...Object.keys(t.fields).filter((k) => isString(t.fields[k]!))), bad: badString }))
      .map(({ t, k, bad }) => {
        const f = t.fields[k]!;
        const value = f === 'ids' ? [ids.client, bad.s] : f === 'roles' ? ['clinician_basic', bad.s] : bad.s;
        return { method: t.method, url: pathOf(t), body: { ...validBody(t), [k]: value } as unknown, field: `body.${k}`, agent: t.auth !== false, label: `${bad.kind} in ${t.method} ${t.path} ${k}` };
      });
    // Single-line fields (names, titles, ids, sign-in) also refuse tab and line breaks, which note and message bodies keep.
    const lineBreak = fc
      .record({ t: fc.constantFrom(...TEMPLATES.filter((t) => !t.path.endsWith('/notes') && !t.path.endsWith('/messages') && Object.values(t.fields).some((f) => ['id', 'member', 'string'].includes(f)))), c: fc.constantFrom('\t', '\n', '\r', 'a\nb', '\u2028') })
      .chain(({ t, c }) => fc.constantFrom(...Object.keys(t.fields).filter((k) => ['id', 'member', 'string'].includes(t.fields[k]!))).map((k) => ({ method: t.method, url: pathOf(t), body: { ...validBody(t), [k]: c } as unknown, field: `body.${k}`, agent: t.auth !== false, label: `line break in ${t.method} ${t.path} ${k}` })));
    const inPath = fc
      .record({ t: fc.constantFrom(...TEMPLATES.filter((t) => /\{[cmn]\}/.test(t.path))), bad: badUrlString })
      .map(({ t, bad }) => {
        const which = t.path.includes('{c}') ? 'c' : t.path.includes('{n}') ? 'n' : 'm';
        const url = pathOf(t, which === 'c' ? bad.s : ids.client, which === 'n' ? bad.s : ids.note, which === 'm' ? bad.s : ids.member);
        const param = which === 'm' ? (t.path.includes('supervision') ? 'supervisor' : 'member') : 'id';
        return { method: t.method, url, body: Object.keys(t.fields).length > 0 ? (validBody(t) as unknown) : undefined, field: `path.${param}`, agent: true, label: `${bad.kind} in the path of ${t.method} ${t.path}`, kind: bad.kind };
      });
    const READS: readonly [string, string][] = [
      ['/api/check?permission=client.view_profile&client=', 'query.client'],
      ['/api/check?permission=note.view&note=', 'query.note'],
      ['/api/check?permission=payment.manage&payment=', 'query.payment'],
      ['/api/reports/billing_summary?after=', 'query.after'],
      ['/api/clients?after=', 'query.after'],
      ['/api/calendar?after=', 'query.after'],
      ['/api/billing?after=', 'query.after'],
      ['/api/clients/', 'path.id'],
      ['/api/clients/{}/notes', 'path.id'],
      ['/api/notes/', 'path.id'],
      ['/api/members/{}/access', 'path.member'],
    ];
    const inRead = fc.record({ r: fc.constantFrom(...READS), bad: badUrlString }).map(({ r: [url, field], bad }) => ({
      method: 'GET' as const,
      url: url.includes('{}') ? url.replace('{}', enc(bad.s)) : url + enc(bad.s),
      body: undefined as unknown,
      field,
      agent: true,
      label: `${bad.kind} in GET ${url}`,
      kind: bad.kind,
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(inBody, lineBreak, inPath, inRead), async (c) => {
        const r = await h.request(c.method, c.url, { agent: c.agent ? owner : null, ...(c.body !== undefined ? { body: c.body } : {}) });
        const where = `${c.label}: ${c.method} ${c.url.slice(0, 120)} -> ${r.status} ${r.body.slice(0, 300)}`;
        expect(r.status, where).toBe(400);
        expect(isProblem(r), where).toBe(true);
        expect(r.json.code, where).toBe('invalid_input');
        // A lone surrogate cannot be percent-encoded: the URL carries bytes that are not UTF-8, refused before any field is read.
        if ('kind' in c && c.kind === 'lone surrogate') expect(r.json.detail, where).toMatch(/UTF-8|not a valid url/i);
        else expect(r.json.detail, where).toContain(c.field);
        expect(await h.logLength(practice), where).toBe(before);
      }),
      { numRuns: Number(process.env.CHARTGUARD_BAD_INPUT_RUNS ?? 400), endOnFailure: true },
    );
  });

  it('a lone surrogate in a client name, task title or note body is a 400 naming the field (was a 500, or stored as U+FFFD)', async () => {
    const before = await h.logLength(practice);
    for (const [url, body, field] of [
      ['/api/clients', { name: 'Ann \ud800', primary: 'ana' }, 'body.name'],
      ['/api/tasks', { client: ids.client, assignee: 'ana', title: 'Call \udfff back' }, 'body.title'],
      [`/api/clients/${ids.client}/notes`, { kind: 'contact', body: 'Called \ud800' }, 'body.body'],
      [`/api/clients/${ids.client}/messages`, { body: '\udc00' }, 'body.body'],
    ] as const) {
      const r = await h.post(owner, url, body);
      expect({ status: r.status, code: r.json?.code }, `${url}: ${r.body}`).toEqual({ status: 400, code: 'invalid_input' });
      expect(isProblem(r)).toBe(true);
      expect(r.json.detail).toContain(field);
      expect(r.json.detail).toMatch(/lone surrogate/);
    }
    expect(await h.logLength(practice)).toBe(before);
  });

  it('a body that is not UTF-8, not JSON, too large or in another charset is a 4xx problem, never a 500', async () => {
    const before = await h.logLength(practice);
    const url = `/api/clients/${ids.client}/messages`;
    const send = async (payload: Buffer | string, contentType = 'application/json') => {
      const res = await h.app.inject({ method: 'POST', url, headers: { cookie: `cg_session=${owner.cookie}`, 'x-csrf-token': owner.csrf, 'content-type': contentType }, payload });
      const r = { status: res.statusCode, json: (() => { try { return JSON.parse(res.body); } catch { return undefined; } })(), body: res.body, headers: res.headers };
      expect(isProblem(r), `${contentType} ${String(payload).slice(0, 40)}: ${r.status} ${r.body}`).toBe(true);
      return r;
    };
    const json = (s: string) => Buffer.from(s, 'utf8');
    // The bytes of a UTF-16 surrogate (ED A0 80), an overlong '/', a lone continuation byte, a truncated sequence, Latin-1.
    for (const bytes of [[0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80], [0xe2, 0x82], [0xe9]]) {
      const r = await send(Buffer.concat([json('{"body":"a'), Buffer.from(bytes), json('b"}')]));
      expect({ status: r.status, code: r.json.code }).toEqual({ status: 400, code: 'invalid_input' });
      expect(r.json.detail).toMatch(/UTF-8/);
    }
    expect((await send('{"body":"x"}', 'application/json; charset=iso-8859-1')).status).toBe(415);
    expect((await send('{"body":"x"}', 'application/json; charset=utf-16')).status).toBe(415);
    expect((await send('{"body":')).status).toBe(400);
    expect((await send('')).status).toBe(400);
    expect((await send('{"body":"x","__proto__":{"a":1}}')).status).toBe(400);
    expect((await send('{"body":"x","constructor":{"prototype":{"a":1}}}')).status).toBe(400);
    expect((await send('['.repeat(30_000) + ']'.repeat(30_000))).status).toBe(400);
    expect((await send(`{"body":"${'x'.repeat(70_000)}"}`)).status).toBe(413);
    // JSON escapes of a lone surrogate (valid JSON, ill-formed UTF-16) and of a control character.
    for (const body of ['{"body":"a\\ud800b"}', '{"body":"\\udfff"}', '{"body":"a\\u0007"}']) {
      const r = await send(body);
      expect({ status: r.status, code: r.json.code }, body).toEqual({ status: 400, code: 'invalid_input' });
      expect(r.json.detail, body).toContain('body.body');
    }
    // What bodies may hold still passes: tabs and line breaks in a message, any well-formed text, '' where allowed.
    const ok = await h.request('POST', url, { agent: owner, body: { body: 'Line one\n\tLine two\r\n💥 ünïcödé 中文 \u202e' } });
    expect(ok.status).toBe(201);
    expect(await h.logLength(practice)).toBe(before + 1);
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
