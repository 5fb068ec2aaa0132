/**
 * A ChartGuard HTTP server over the worker's shared database, with its own clock that
 * tests move, cheap password hashing, and helpers to sign in and call the API through
 * app.inject (no sockets). Every answer it sees is held to the API contract (src/api): a
 * success parses with its route's response schema, a failure with the problem schema.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ProblemSchema } from '../../src/api/index.js';
import { buildServer } from '../../src/server/app.js';
import type { Deps, Route } from '../../src/server/route.js';
import { apiRoutes } from '../../src/server/routes/index.js';
import { Accounts, type AccountOptions } from '../../src/store/auth/accounts.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { createDemoPractice, DEMO_PASSWORD } from '../../src/store/demo.js';
import { database, newPracticeId, type DatabaseKind } from '../support/databases.js';

export const FAST_HASH = { memoryCost: 1024, timeCost: 1 };
export const PASSWORD = 'correct horse battery';

export interface Agent {
  readonly member: string;
  readonly cookie: string;
  readonly csrf: string;
}

export interface Reply {
  readonly status: number;
  readonly json: any;
  readonly body: string;
  readonly headers: LightMyRequestResponse['headers'];
}

export class Harness {
  private constructor(
    readonly clock: { now: number },
    readonly cg: ChartGuard,
    readonly accounts: Accounts,
    readonly app: FastifyInstance,
    /** The client address of this harness's requests (its own, so sign-in throttling by address never crosses tests sharing a database). */
    readonly address: string,
  ) {}

  static async create(
    kind: DatabaseKind,
    options: { idleMs?: number; signInPerMinute?: number; intakePerMinute?: number; accounts?: AccountOptions; mailConfigured?: boolean; publicUrl?: string } = {},
  ): Promise<Harness> {
    const db = await database(kind);
    const clock = { now: Date.UTC(2026, 0, 5, 9, 0, 0) };
    const cg = ChartGuard.over(db, () => clock.now);
    const accounts = new Accounts(cg, { hashOptions: FAST_HASH, ...(options.idleMs ? { idleMs: options.idleMs } : {}), ...options.accounts });
    const app = await buildServer({
      chartguard: cg,
      accounts,
      webRoot: null,
      signInPerMinute: options.signInPerMinute ?? 1_000_000,
      intakePerMinute: options.intakePerMinute ?? 1_000_000,
      mailConfigured: options.mailConfigured ?? false,
      publicUrl: options.publicUrl ?? null,
    });
    return new Harness(clock, cg, accounts, app, randomAddress());
  }

  advance(ms: number): void {
    this.clock.now += ms;
  }

  /** A fresh demo practice (own id; usernames member@practice). */
  async demo(): Promise<{ practice: string; user: (member: string) => string; password: string }> {
    const practice = newPracticeId('demo');
    await createDemoPractice(this.cg, this.accounts, { practice });
    return { practice, user: (m) => `${m}@${practice}`, password: DEMO_PASSWORD };
  }

  async request(
    method: string,
    url: string,
    options: { agent?: Agent | null; body?: unknown; raw?: string; headers?: Record<string, string>; csrf?: boolean; address?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.agent) {
      headers.cookie = `cg_session=${options.agent.cookie}`;
      if (method !== 'GET' && options.csrf !== false) headers['x-csrf-token'] = options.agent.csrf;
    }
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const res = await this.app.inject({ method: method as 'GET', url, headers, remoteAddress: options.address ?? this.address, ...(payload !== undefined ? { payload } : {}) });
    let json: unknown = undefined;
    try {
      json = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      json = undefined;
    }
    keepsContract(method, url, res.statusCode, String(res.headers['content-type'] ?? ''), json);
    return { status: res.statusCode, json, body: res.body, headers: res.headers };
  }

  async signIn(username: string, password: string, totp?: string): Promise<Agent> {
    const res = await this.app.inject({ method: 'POST', url: '/api/session', remoteAddress: this.address, payload: { username, password, ...(totp ? { totp } : {}) } });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'cg_session');
    if (!cookie) throw new Error('no session cookie');
    const body = res.json() as { member: string; csrfToken: string };
    return { member: body.member, cookie: cookie.value, csrf: body.csrfToken };
  }

  get(agent: Agent, url: string) {
    return this.request('GET', url, { agent });
  }
  post(agent: Agent, url: string, body?: unknown) {
    return this.request('POST', url, { agent, body });
  }
  put(agent: Agent, url: string, body?: unknown) {
    return this.request('PUT', url, { agent, body });
  }
  del(agent: Agent, url: string, body?: unknown) {
    return this.request('DELETE', url, { agent, body });
  }

  async logLength(practice: string): Promise<number> {
    const [r] = await this.cg.db.query<{ n: number }>('select count(*)::int as n from chartguard.activity_log where practice_id = $1', [practice]);
    return Number(r?.n ?? 0);
  }

  async close(): Promise<void> {
    await this.accounts.settled();
    await this.app.close();
  }
}

/** The routes as declared (their handlers are never called here). */
const ROUTES: readonly { route: Route; path: RegExp }[] = apiRoutes({} as Deps).map((route) => ({
  route,
  path: new RegExp(`^${route.url.replace(/:\w+/g, '[^/]+')}$`),
}));

/** Throws when an answer of the API is not what the contract (src/api) says it is. */
function keepsContract(method: string, url: string, status: number, type: string, json: unknown): void {
  const path = url.split('?')[0]!;
  const declared = ROUTES.find((r) => r.route.method === method && r.path.test(path))?.route;
  const schema = type.startsWith('application/problem+json') ? ProblemSchema : status < 300 && json !== undefined ? declared?.response : undefined;
  if (!schema || !path.startsWith('/api/') || path === '/api/openapi.json') return;
  const r = schema.safeParse(json);
  if (!r.success) throw new Error(`${method} ${path} answered ${status} outside the API contract: ${JSON.stringify(r.error.issues.slice(0, 3))}`);
}

/** Asserts a problem+json reply. */
export function isProblem(r: Reply): boolean {
  return String(r.headers['content-type']).startsWith('application/problem+json') && typeof r.json?.code === 'string' && r.json.status === r.status;
}

/** A random private IPv4 address. */
export function randomAddress(): string {
  const b = () => Math.floor(Math.random() * 254) + 1;
  return `10.${b()}.${b()}.${b()}`;
}
