/**
 * Operational faults as problems: a lost database answers 503 with Retry-After, a full
 * disk 507; both are logged once with their cause, and neither is ever a 500.
 */
import type { FastifyBaseLogger } from 'fastify';
import { DatabaseUnavailable, InsufficientStorage, isConnectionError } from '../store/db/db-faults.js';
import { Problem } from './problem.js';

/** The problem a fault answers, or null when `err` is not an operational fault. */
export function faultProblem(err: unknown, log: FastifyBaseLogger): Problem | null {
  if (err instanceof InsufficientStorage) {
    log.warn({ err }, 'write refused: disk below its free-space margin');
    return new Problem('insufficient_storage', err.message);
  }
  if (isConnectionError(err)) {
    const retry = err instanceof DatabaseUnavailable ? err.retryAfterSeconds : 5;
    log.error({ err }, 'database unavailable');
    return new Problem('database_unavailable', 'The database is unavailable: try again shortly.', [], undefined, { 'retry-after': String(retry) });
  }
  return null;
}
