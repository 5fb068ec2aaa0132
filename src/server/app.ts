/**
 * The HTTP server: Fastify, the routes of routes/, sessions and CSRF, problem+json
 * errors, the generated API reference, and the built web app (dist/web) with an SPA
 * fallback. No access rule lives here: handlers ask the ChartGuard service and the core.
 *
 * @example
 * const app = await buildServer({ chartguard: await ChartGuard.open({ dataDir: 'memory' }) });
 * const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { Accounts, type AccountOptions } from '../store/auth/accounts.js';
import { csrfTokenFor, sameSecret } from '../store/auth/csrf.js';
import type { ChartGuard } from '../store/chartguard.js';
import { apiReferenceHtml, openApiDocument, REFERENCE_CSS } from './openapi.js';
import { faultProblem } from './faults.js';
import { registerHealth } from './health.js';
import { registerIdempotency } from './idempotency.js';
import { diskSpaceFor, loggerOptions, registerOperations, type LoggerSetting } from './operations.js';
import { Problem } from './problem.js';
import { CSRF_HEADER, SESSION_COOKIE, type Deps, type Route, type Session } from './route.js';

export { CSRF_HEADER, SESSION_COOKIE };
import { apiRoutes } from './routes/index.js';

export const BODY_LIMIT = 64 * 1024;

export interface ServerOptions {
  readonly chartguard: ChartGuard;
  /** Sign-in accounts; built from `accountOptions` when absent. */
  readonly accounts?: Accounts;
  readonly accountOptions?: AccountOptions;
  /** Folder of the built web app; default dist/web of the repository, when it exists. */
  readonly webRoot?: string | null;
  /** Sign-in attempts per client address per minute (default 30). */
  readonly signInPerMinute?: number;
  /** Public intake form submissions per client address and minute (default 5). */
  readonly intakePerMinute?: number;
  /**
   * Behind a reverse proxy: which X-Forwarded-For hops to trust for the client address
   * (Fastify's trustProxy: true, or the proxies' addresses or CIDRs). Without it every request
   * seems to come from the proxy, and sign-in throttling by address would hold back everyone.
   */
  readonly trustProxy?: boolean | string | string[];
  /** Mark the session cookie Secure (behind HTTPS). */
  readonly secureCookies?: boolean;
  /** Mail is delivered over SMTP (invitations are then emailed rather than shown). */
  readonly mailConfigured?: boolean;
  /** Where links point (CHARTGUARD_PUBLIC_URL); default the origin each request came to. */
  readonly publicUrl?: string | null;
  /** false: no log; a level; default CHARTGUARD_LOG_LEVEL or info (operations.ts). */
  readonly logger?: LoggerSetting;
}


const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Content-Security-Policy. The web app (vite build: one module script and one style sheet
 * under /assets, no inline script or style; a data: SVG icon and a data: image in the CSS)
 * loads only its own files and talks only to its own origin; nothing may frame it.
 * API answers are data, never a document: they may load nothing. The API reference page
 * has one inline style sheet, allowed by its hash.
 */
const LOCKED = ["frame-ancestors 'none'", "base-uri 'none'", "object-src 'none'"];
export const WEB_CSP = ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'", "form-action 'self'", "manifest-src 'self'", "worker-src 'none'", ...LOCKED].join('; ');
export const API_CSP = ["default-src 'none'", "form-action 'none'", ...LOCKED].join('; ');
const DOCS_CSP = ["default-src 'none'", `style-src 'sha256-${createHash('sha256').update(REFERENCE_CSS).digest('base64')}'`, "form-action 'none'", ...LOCKED].join('; ');
const CSP = 'content-security-policy';
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildServer(options: ServerOptions): Promise<FastifyInstance> {
  const cg = options.chartguard;
  const accounts = options.accounts ?? new Accounts(cg, options.accountOptions);
  const deps: Deps = {
    cg,
    accounts,
    secureCookies: options.secureCookies ?? false,
    allowSignIn: slidingWindow(options.signInPerMinute ?? 30, 60_000, () => cg.now()),
    allowIntake: slidingWindow(options.intakePerMinute ?? 5, 60_000, () => cg.now()),
    mailConfigured: options.mailConfigured ?? false,
    publicUrl: options.publicUrl?.trim() || null,
  };
  const app = Fastify({
    ...loggerOptions(options.logger),
    bodyLimit: BODY_LIMIT,
    return503OnClosing: true,
    // Path parameters up to this long reach the route's schema (which names the field in its 400); longer ones are a 414.
    routerOptions: { maxParamLength: 1024 },
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    // Router-level refusals (a path parameter too long, a malformed URL) are problems too.
    frameworkErrors: (err, _req, reply) => {
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      securityHeaders(_req, reply); // (the onSend hooks do not run for these)
      void sendProblem(reply, new Problem('invalid_input', err.message, [], status));
    },
  });
  await app.register(fastifyCookie);

  // JSON bodies are UTF-8 (RFC 8259): bytes that are not - a surrogate's, overlong forms,
  // truncated sequences, another charset - are refused, not silently read as U+FFFD.
  // Then Fastify's own parser (prototype-poisoning keys refused).
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(req.headers['content-type'] ?? ''))?.[1]?.toLowerCase();
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(new Problem('invalid_input', `JSON bodies are UTF-8, not ${charset}.`, [], 415), undefined);
      return;
    }
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new Problem('invalid_input', 'The request body is not valid UTF-8.'), undefined);
      return;
    }
    parseJson(req, bytes.toString('utf8'), done);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    securityHeaders(req, reply);
    return payload;
  });

  app.setErrorHandler((err: unknown, _req, reply) => sendProblem(reply, toProblem(err, app)));

  const disk = diskSpaceFor(cg.db.dataDir, app);
  registerOperations(app, disk);
  registerHealth(app, cg, disk);
  registerIdempotency(app, cg.db, accounts);

  const routes = apiRoutes(deps);
  for (const r of routes) registerRoute(app, deps, r);

  const document = openApiDocument(routes);
  app.get('/api/openapi.json', async (_req, reply) => reply.type('application/json').send(document));
  const reference = apiReferenceHtml(document);
  app.get('/api/docs', async (_req, reply) => reply.type('text/html; charset=utf-8').header(CSP, DOCS_CSP).send(reference));

  const webRoot = options.webRoot === undefined ? join(REPO_ROOT, 'dist/web') : options.webRoot;
  const serveWeb = webRoot !== null && existsSync(join(webRoot, 'index.html'));
  if (serveWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: true, index: ['index.html'] });

  app.setNotFoundHandler(async (req, reply) => {
    if (serveWeb && req.method === 'GET' && !req.url.startsWith('/api/') && req.url !== '/api') {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    return sendProblem(reply, new Problem('not_found', `No route ${req.method} ${req.url.split('?')[0]}.`));
  });
  return app;
}

/** The headers of every answer: its Content-Security-Policy (unless the route set its own) and companions. */
function securityHeaders(req: FastifyRequest, reply: FastifyReply): void {
  const url = String(req.url);
  const api = url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
  if (!reply.hasHeader(CSP)) reply.header(CSP, api ? API_CSP : WEB_CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  if (api) reply.header('cache-control', 'no-store');
}

function registerRoute(app: FastifyInstance, deps: Deps, r: Route): void {
  app.route({
    method: r.method,
    url: r.url,
    handler: async (req, reply) => {
      const session = r.auth === false ? (null as unknown as Session) : await authenticate(deps, req);
      if (session && WRITES.has(req.method)) {
        const header = req.headers[CSRF_HEADER];
        if (typeof header !== 'string' || !sameSecret(header, session.csrfToken)) throw new Problem('csrf_token_invalid');
      }
      checkQueryString(req.url);
      // A reset password is a temporary one: nothing but changing it until it is changed.
      if (session?.mustChangePassword && r.duringPasswordChange !== true) {
        throw new Problem('password_change_required', 'Your password was reset: choose a new one (POST /api/session/password) before anything else.');
      }
      // The practice requires two-step sign-in: a member without a second factor sets one up first.
      if (session?.mustEnrollSecondFactor && r.duringSecondFactorEnrollment !== true) {
        throw new Problem(
          'second_factor_enrollment_required',
          'Your practice requires two-step sign-in: set up an authenticator app (POST /api/session/totp/enroll, then /api/session/totp/confirm) before anything else.',
        );
      }
      const params = parse(r.params, req.params ?? {}, 'path');
      const query = parse(r.query, req.query ?? {}, 'query');
      const body = r.body ? parse(r.body, req.body, 'body') : noBody(req.body);
      const out = await r.handler({ session, body, query, params, req, reply });
      if (reply.sent) return reply;
      if (out === undefined) return reply.code(204).send();
      return reply.code(reply.statusCode === 200 ? (r.status ?? 200) : reply.statusCode).send(out);
    },
  });
}

/** The session of the request's cookie; 401 when there is none or it ended. */
export async function authenticate(deps: Deps, req: FastifyRequest): Promise<Session> {
  const token = req.cookies[SESSION_COOKIE];
  if (!token || token.length > 200) throw new Problem('unauthenticated', 'Sign in first.');
  const s = await deps.accounts.session(token, true);
  if (!s) throw new Problem('unauthenticated', 'The session ended (signed out, idle too long, or expired): sign in again.');
  // The CSRF token is a hash of the session token: computed only when a write or the session route asks.
  let csrf: string | undefined;
  return {
    practice: s.practice,
    member: s.member,
    mustChangePassword: s.mustChangePassword,
    mustEnrollSecondFactor: s.mustEnrollSecondFactor,
    idleMs: s.idleMs,
    token,
    get csrfToken() {
      return (csrf ??= csrfTokenFor(token));
    },
  };
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) {
    if (value && typeof value === 'object' && Object.keys(value).length > 0) {
      throw new Problem('invalid_input', `Unexpected ${where} parameters: ${Object.keys(value).slice(0, 5).join(', ')}.`);
    }
    return value as T;
  }
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const reasons = r.error.issues.slice(0, 10).map((i) => ({ code: i.code, text: `${where}${i.path.length ? '.' + i.path.join('.') : ''}: ${i.message}` }));
  throw new Problem('invalid_input', `The request ${where} is not valid: ${reasons[0]?.text ?? ''}`, reasons);
}

/** A query string whose percent-escapes are not UTF-8 (a surrogate's bytes, a stray `%`) is refused, not read as U+FFFD or kept raw. */
function checkQueryString(url: string): void {
  const q = url.indexOf('?');
  if (q < 0) return;
  try {
    decodeURIComponent(url.slice(q + 1));
  } catch {
    throw new Problem('invalid_input', 'The query string is not valid: its percent-escapes are not UTF-8.');
  }
}

function noBody(body: unknown): undefined {
  if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0)) return undefined;
  throw new Problem('invalid_input', 'This request takes no body.');
}

function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  for (const [k, v] of Object.entries(p.headers)) reply.header(k, v);
  return reply.code(p.status).type('application/problem+json').send(p.body());
}

/** Any error as a problem: ours as they are, Fastify's 4xx (bad JSON, body too large, media type) as invalid input. */
function toProblem(err: unknown, app: FastifyInstance): Problem {
  if (err instanceof Problem) return err;
  const fault = faultProblem(err, app.log);
  if (fault) return fault;
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    if (e.statusCode === 413) return new Problem('payload_too_large', `The request body is larger than ${BODY_LIMIT} bytes.`);
    return new Problem('invalid_input', e.message ?? 'The request is not valid.', [], e.statusCode === 415 ? 415 : 400);
  }
  app.log.error(err);
  return new Problem('internal', 'Something went wrong on the server.');
}

/** At most `max` events per key in a sliding window. */
function slidingWindow(max: number, windowMs: number, now: () => number): (key: string) => boolean {
  const hits = new Map<string, number[]>();
  return (key) => {
    const t = now();
    const recent = (hits.get(key) ?? []).filter((x) => t - x < windowMs);
    if (recent.length >= max) {
      hits.set(key, recent);
      return false;
    }
    recent.push(t);
    hits.set(key, recent);
    if (hits.size > 10_000) hits.clear();
    return true;
  };
}
