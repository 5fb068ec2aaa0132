/**
 * Problem codes of operational faults (issue 12): the database away, the disk full, an
 * Idempotency-Key misused. Not refusals: the request may well succeed later.
 */
export const FAULT_CODES = ['database_unavailable', 'insufficient_storage', 'idempotency_key_reused', 'idempotency_key_in_progress'] as const;
export type FaultCode = (typeof FAULT_CODES)[number];

export const FAULT_STATUS: Record<FaultCode, number> = {
  database_unavailable: 503,
  insufficient_storage: 507,
  idempotency_key_reused: 422,
  idempotency_key_in_progress: 409,
};

export const FAULT_TITLES: Record<FaultCode, string> = {
  database_unavailable: 'The database is unavailable: try again shortly.',
  insufficient_storage: 'The server is low on disk space: changes are refused until space is freed; reading still works.',
  idempotency_key_reused: 'This Idempotency-Key was already used for a different request.',
  idempotency_key_in_progress: 'A request with this Idempotency-Key is still in progress.',
};
