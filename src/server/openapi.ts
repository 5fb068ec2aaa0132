/**
 * The API reference, generated from the routes and their Zod schemas: an OpenAPI 3.1
 * document (/api/openapi.json) and a readable HTML page of it (/api/docs).
 */
import { z } from 'zod';
import type { Route } from './route.js';
import { ProblemSchema } from '../api/index.js';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete s.$schema;
  return s;
}

/** Fields of an object schema as OpenAPI parameters. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
  const props = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({ name, in: where, required: where === 'path' || required.has(name), schema: s, ...(s.description ? { description: s.description } : {}) }));
}

export function openApiDocument(routes: readonly Route[]): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const status = String(r.status ?? 200);
    const ok: Json =
      status === '204'
        ? { description: 'Done (no content).' }
        : { description: 'Success.', content: { [r.contentType ?? 'application/json']: { schema: r.response ? schemaOf(r.response, 'output') : { type: 'object' } } } };
    const op: Json = {
      operationId: `${r.method.toLowerCase()}${path.replace(/[{}]/g, '').replace(/(^|[/-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
      tags: [r.tag],
      summary: r.summary,
      ...(r.description || r.audited ? { description: [r.description, r.audited ? 'The read is written to the activity log.' : ''].filter(Boolean).join(' ') } : {}),
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body ? { requestBody: { required: !r.body.safeParse(undefined).success, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
      responses: {
        [status]: ok,
        '4XX': { $ref: '#/components/responses/Problem' },
      },
      security: r.auth === false ? [] : [{ session: [] }],
    };
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'ChartGuard API',
      version: '0.1.0',
      description:
        'Who in a behavioral-health group practice may see which client data. Sign in with POST /api/session; the session is the HttpOnly cookie `cg_session`. ' +
        'Every cookie-authenticated write (POST, PUT, PATCH, DELETE other than sign-in) needs the header `x-csrf-token` with the csrfToken of the session. ' +
        'Errors are application/problem+json with a stable `code` (the refusal codes of the access rules, plus totp_required, too_many_requests, password_change_required, second_factor_enrollment_required, csrf_token_invalid, payload_too_large, and the one-time links’ link_unknown, link_used, link_expired, username_taken, and an intake form link’s link_disabled). ' +
        'A new practice is set up, a team member joins, and a member chooses a new password after an emailed reset, through a one-time link: the `setup` routes need no session. A person sends a practitioner’s (or the practice’s) intake form through its link, signed in as nobody: the public `intake` routes need no session. ' +
        'Where the practice requires two-step sign-in, a member without a second factor gets a session that answers only the session and enrollment routes (403 second_factor_enrollment_required) until they enroll. ' +
        'A client or note the caller may not view at all answers 404. Request bodies are limited to 64 KiB; unknown fields are refused.',
    },
    servers: [{ url: '/' }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'cg_session', description: 'Writes also need the x-csrf-token header.' },
      },
      schemas: { Problem: schemaOf(ProblemSchema, 'output') },
      responses: {
        Problem: {
          description: 'A refusal or a bad request: 400/422 invalid input, 401 not signed in, 403 refused (with the code), 404 not found or not visible, 409 a username taken, 410 a one-time link used or expired, 413 too large, 429 throttled.',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
    },
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The reference page's one inline style sheet (its Content-Security-Policy allows exactly this, by hash). */
export const REFERENCE_CSS =
  'body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}h3{font-size:1rem;margin:1.2rem 0 .2rem}.m{display:inline-block;min-width:4.5em;font-family:monospace;color:#0b5}pre{background:#f5f5f5;padding:.6rem;overflow:auto;font-size:12px}section{border-top:1px solid #eee}';

/** A single readable page of the reference (no scripts, no external assets). */
export function apiReferenceHtml(doc: Json): string {
  const info = doc.info as { title: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const byTag = new Map<string, string[]>();
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = (op.tags as string[])[0]!;
      const params = (op.parameters as Json[]).map((p) => `<code>${escape(String(p.name))}</code> (${p.in}${p.required ? ', required' : ''})`).join(', ');
      const body = op.requestBody ? `<details><summary>Request body</summary><pre>${escape(JSON.stringify(((op.requestBody as Json).content as Json)['application/json'], null, 2))}</pre></details>` : '';
      const [status, res] = Object.entries(op.responses as Record<string, Json>)[0]!;
      const out = res.content ? `<details><summary>Response ${status}</summary><pre>${escape(JSON.stringify(Object.values(res.content as Json)[0], null, 2))}</pre></details>` : `<p>Response ${status}: no content.</p>`;
      const html = `<section><h3><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3><p>${escape(String(op.summary))}</p>${
        op.description ? `<p>${escape(String(op.description))}</p>` : ''
      }${params ? `<p>Parameters: ${params}</p>` : ''}${(op.security as unknown[]).length === 0 ? '<p>No session needed.</p>' : ''}${body}${out}</section>`;
      (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(html);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${escape(tag)}">${escape(tag)}</h2>${ops.join('\n')}`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)}</title>
<style>${REFERENCE_CSS}</style>
</head><body><h1>${escape(info.title)}</h1><p>${escape(info.description)}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<nav>${[...byTag.keys()].map((t) => `<a href="#${escape(t)}">${escape(t)}</a>`).join(' · ')}</nav>${sections}</body></html>`;
}
