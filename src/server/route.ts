/**
 * A route of the HTTP API as data: method, path, the Zod schemas of its inputs, and the
 * handler. The server registers them (app.ts) and the OpenAPI document is generated from
 * the same list (openapi.ts), so the reference cannot drift from what is served.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Accounts } from '../store/auth/accounts.js';
import type { ChartGuard } from '../store/chartguard.js';

export const SESSION_COOKIE = 'cg_session';
/** A browser's trusted-device token (src/store/auth/): its attempts pass sign-in backoff windows. */
export const DEVICE_COOKIE = 'cg_device';
export const CSRF_HEADER = 'x-csrf-token';

/** What the handlers use. */
export interface Deps {
  readonly cg: ChartGuard;
  readonly accounts: Accounts;
  readonly secureCookies: boolean;
  /** Sign-in throttle per client address. */
  readonly allowSignIn: (address: string) => boolean;
  /** Public intake form submissions per client address. */
  readonly allowIntake: (address: string) => boolean;
  /** Mail goes out over SMTP (CHARTGUARD_SMTP_URL): invitations are emailed, not shown to the inviter. */
  readonly mailConfigured: boolean;
  /** Where links point (CHARTGUARD_PUBLIC_URL); null: the origin the request came to. */
  readonly publicUrl: string | null;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The signed-in member a request acts for. */
export interface Session {
  readonly practice: string;
  readonly member: string;
  readonly token: string;
  readonly csrfToken: string;
  /** The password was reset: only routes marked `duringPasswordChange` answer until it is changed. */
  readonly mustChangePassword: boolean;
  /** The practice requires a second factor the member lacks: only routes marked `duringSecondFactorEnrollment` answer until they enroll. */
  readonly mustEnrollSecondFactor: boolean;
  /** The session's automatic logoff (its practice's setting, else the server's). */
  readonly idleMs: number;
}

export interface HandlerInput<B, Q, P> {
  readonly session: Session;
  readonly body: B;
  readonly query: Q;
  readonly params: P;
  readonly req: FastifyRequest;
  readonly reply: FastifyReply;
}

export interface Route<B = unknown, Q = unknown, P = unknown> {
  readonly method: Method;
  /** Fastify syntax: /api/clients/:id */
  readonly url: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** false: no session needed (sign-in, the API reference). */
  readonly auth?: boolean;
  /**
   * true: answers a session that must change its password first (reading the session,
   * changing the password, signing out); every other route answers 403 `password_change_required`.
   */
  readonly duringPasswordChange?: boolean;
  /**
   * true: answers a session whose practice requires a second factor its member has not set up
   * (reading the session, enrolling, signing out); every other route answers 403
   * `second_factor_enrollment_required`.
   */
  readonly duringSecondFactorEnrollment?: boolean;
  readonly body?: z.ZodType<B>;
  readonly query?: z.ZodType<Q>;
  readonly params?: z.ZodType<P>;
  /** Status of success (default 200) and the documented body. */
  readonly status?: number;
  readonly response?: z.ZodType;
  /** The answer's media type when it is not JSON (a file): the response schema is then a string. */
  readonly contentType?: string;
  /** Writes an activity-log entry for the read (documented in the reference). */
  readonly audited?: boolean;
  readonly handler: (input: HandlerInput<B, Q, P>) => Promise<unknown>;
}

/** Typed route constructor: infers B, Q, P from the schemas. */
export function route<B = undefined, Q = Record<string, never>, P = Record<string, never>>(r: Route<B, Q, P>): Route {
  return r as unknown as Route;
}
