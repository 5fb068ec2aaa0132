/**
 * The database going away, as a value: an error that says "unavailable, try again" instead
 * of "something went wrong", so the HTTP API answers 503 with Retry-After (never 500), and
 * the PostgreSQL timeouts that keep a frozen server from holding requests for ever.
 */
import { envMs } from './env-ms.js';

/** The database could not be reached or dropped the connection: retry later. */
export class DatabaseUnavailable extends Error {
  readonly retryAfterSeconds = 5;
  constructor(cause: unknown) {
    super(`The database is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'DatabaseUnavailable';
  }
}

/** A write refused because the data directory's disk is below its free-space margin (disk-space.ts). */
export class InsufficientStorage extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InsufficientStorage';
  }
}

// SQLSTATE classes and codes that mean the connection or server, not the request:
// 08 connection exception, 57P01-57P05 admin/crash shutdown, cannot connect now, idle session
// timeout, 57014 statement timeout (a frozen server), 25P03 idle-in-transaction timeout,
// 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-5]|57014|25P03|53300)$/;
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// node-postgres says these in words, without a code.
const UNAVAILABLE_TEXT = /Query read timeout|Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection closed|server closed the connection|terminating connection/i;

/** Whether an error from pg means the database is unreachable or dropped us (not a bad query). */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof DatabaseUnavailable) return true;
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_ERRNO.has(e.code))) return true;
  return typeof e.message === 'string' && UNAVAILABLE_TEXT.test(e.message);
}

/** `err` as DatabaseUnavailable when it is a connection error, else as it is. */
export function classify(err: unknown): unknown {
  return isConnectionError(err) && !(err instanceof DatabaseUnavailable) ? new DatabaseUnavailable(err) : err;
}

export interface PostgresTimeouts {
  /** Giving up on opening a connection (pg's connectionTimeoutMillis). */
  readonly connectMs: number;
  /** Server-side statement_timeout. */
  readonly statementMs: number;
  /** Server-side idle_in_transaction_session_timeout: a transaction whose client froze is ended. */
  readonly idleInTransactionMs: number;
  /** Client-side: a frozen server enforces no statement_timeout, so the client gives up a little later. */
  readonly queryMs: number;
}

/**
 * CHARTGUARD_DB_CONNECT_TIMEOUT_MS (default 3000), CHARTGUARD_DB_STATEMENT_TIMEOUT_MS
 * (default 10000), CHARTGUARD_DB_IDLE_TX_TIMEOUT_MS (default 10000). Every ChartGuard
 * statement is an index lookup or a page: seconds mean the server is in trouble.
 */
export function postgresTimeouts(env: NodeJS.ProcessEnv = process.env): PostgresTimeouts {
  const ms = (name: string, fallback: number) => Math.round(envMs(env, name, fallback));
  const statementMs = ms('CHARTGUARD_DB_STATEMENT_TIMEOUT_MS', 10_000);
  return {
    connectMs: ms('CHARTGUARD_DB_CONNECT_TIMEOUT_MS', 3000),
    statementMs,
    idleInTransactionMs: ms('CHARTGUARD_DB_IDLE_TX_TIMEOUT_MS', 10_000),
    queryMs: statementMs + 1000,
  };
}

/** What the database layer tells an operator about: the server logs these (operations.ts). */
export type DatabaseEvent =
  | { readonly kind: 'listener_missed'; readonly detail: string }
  | { readonly kind: 'listener_back'; readonly detail: string }
  | { readonly kind: 'listener_lost'; readonly detail: string }
  | { readonly kind: 'connection_lost'; readonly detail: string };

const listeners = new Set<(e: DatabaseEvent) => void>();

/** Subscribes to database events; returns the unsubscribe function. */
export function onDatabaseEvent(fn: (e: DatabaseEvent) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function reportDatabaseEvent(e: DatabaseEvent): void {
  for (const fn of listeners) fn(e);
}
