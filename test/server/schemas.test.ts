/**
 * No string field can forget the string rules: every string a route takes (body, query,
 * path; inside objects, arrays, unions, pipes and optionals) refuses a lone surrogate, a
 * control character and a length over any field's maximum. And the builders' own rules:
 * single-line fields refuse tab and line breaks, multi-line text keeps them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Deps } from '../../src/server/route.js';
import { apiRoutes } from '../../src/server/routes/index.js';
import { id, line, text } from '../../src/api/index.js';

type Def = { type: string; shape?: Record<string, z.ZodType>; innerType?: z.ZodType; element?: z.ZodType; options?: z.ZodType[]; in?: z.ZodType; out?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Every string schema inside `schema`, with its path. */
function strings(schema: z.ZodType, path: string, out: { path: string; schema: z.ZodType }[] = []): { path: string; schema: z.ZodType }[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      out.push({ path, schema });
      break;
    case 'object':
      for (const [k, v] of Object.entries(def.shape ?? {})) strings(v, `${path}.${k}`, out);
      break;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'readonly':
      strings(def.innerType!, path, out);
      break;
    case 'array':
      strings(def.element!, `${path}[]`, out);
      break;
    case 'union':
      def.options!.forEach((o, i) => strings(o, `${path}|${i}`, out));
      break;
    case 'pipe':
      strings(def.in!, path, out);
      strings(def.out!, path, out);
      break;
    case 'enum':
    case 'literal':
    case 'boolean':
    case 'number':
    case 'transform':
      break;
    default:
      throw new Error(`${path}: a ${def.type} schema this walk does not know; teach it, so no string hides inside`);
  }
  return out;
}

describe('the string rules', () => {
  const routes = apiRoutes({ cg: {}, accounts: {} } as unknown as Deps);
  const leaves = routes.flatMap((r) =>
    (['body', 'query', 'params'] as const).flatMap((where) => {
      const s = r[where];
      return s ? strings(s, `${r.method} ${r.url} ${where}`) : [];
    }),
  );

  it('every string field of every route refuses ill-formed UTF-16, control characters and overlong strings', () => {
    expect(leaves.length).toBeGreaterThan(30);
    const bad = ['\ud800', 'a\udfffb', '\udc00\ud800', 'a\u0000b', 'a\u0001b', '\u001b[31m', 'a\u007fb', 'a\u0085b', 'y'.repeat(100_001)];
    for (const { path, schema } of leaves) {
      for (const s of bad) expect(schema.safeParse(s).success, `${path} took ${JSON.stringify(s.slice(0, 12))}`).toBe(false);
    }
  });

  it('single-line fields refuse tab and line breaks; multi-line text keeps them; well-formed text of any script passes', () => {
    for (const s of ['a\tb', 'a\nb', 'a\rb', 'a\u2028b', 'a\u2029b']) {
      expect(line(100).safeParse(s).success, JSON.stringify(s)).toBe(false);
      expect(id().safeParse(s).success, JSON.stringify(s)).toBe(false);
    }
    for (const s of ['a\tb', 'a\nb', 'a\r\nb']) expect(text(100).safeParse(s).success, JSON.stringify(s)).toBe(true);
    for (const s of ['Zoë Ørsted', '中文名', '💥', 'أحمد\u200f', 'x'.repeat(100)]) {
      expect(line(100).safeParse(s).success, s).toBe(true);
      expect(text(100).safeParse(s).success, s).toBe(true);
    }
    expect(line(3).safeParse('abcd').success).toBe(false);
    expect(text(3, 0).safeParse('').success).toBe(true);
    expect(line(3).safeParse('').success).toBe(false);
    // A surrogate pair is one character, not a lone surrogate.
    expect(line(10).safeParse('\ud83d\udca5').success).toBe(true);
  });
});

describe('the answers', () => {
  const routes = apiRoutes({ cg: {}, accounts: {} } as unknown as Deps);

  it('every route that answers a body declares its schema, and none is an untyped object', () => {
    const bodyless = routes.filter((r) => r.status === 204);
    expect(bodyless.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /api/session/keepalive',
      'DELETE /api/session',
      'POST /api/session/password',
      'POST /api/session/totp/confirm',
      'DELETE /api/session/totp',
      'POST /api/notifications/:id/read',
    ]);
    for (const r of routes.filter((x) => x.status !== 204)) {
      expect(r.response, `${r.method} ${r.url}`).toBeDefined();
      // A file (another media type than JSON) is described as a string.
      if (r.contentType !== undefined) {
        expect([r.contentType === 'application/json', z.toJSONSchema(r.response!, { io: 'output' }).type], `${r.method} ${r.url}`).toEqual([false, 'string']);
        continue;
      }
      // An open object (unknown keys allowed) describes nothing: every answer is a closed object, or a union of them.
      const json = z.toJSONSchema(r.response!, { io: 'output', unrepresentable: 'any' }) as { additionalProperties?: unknown; oneOf?: object[]; anyOf?: object[] };
      const branches = (json.oneOf ?? json.anyOf ?? [json]) as { additionalProperties?: unknown }[];
      for (const b of branches) expect(b.additionalProperties, `${r.method} ${r.url}`).toBe(false);
    }
  });
});
