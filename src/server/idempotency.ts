/**
 * `Idempotency-Key` on creates (every POST with a session): a client that lost the answer
 * (a dropped connection, a crash, a timeout) retries with the same key, and gets the first
 * answer again instead of a second create (issue 12, finding 7).
 *
 * The key is the member's: (practice, member, key). The first request reserves it before
 * its handler runs, and its answer is stored when it is sent (2xx only: a refused or failed
 * request frees the key, so the retry is tried for real). A retry answers the stored status
 * and body with `Idempotency-Replayed: true`; the same key with another method, path or
 * body is 422 `idempotency_key_reused`; a retry while the first is still running is 409
 * `idempotency_key_in_progress` (a reservation older than a minute, whose request died with
 * its process, is taken over). Keys are kept 24 hours.
 *
 * Known gap: a process killed between the create's commit and the storing of its answer
 * leaves only the reservation; the retry after a minute creates again.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Accounts } from '../store/auth/accounts.js';
import { csrfTokenFor, sameSecret } from '../store/auth/csrf.js';
import type { Database } from '../store/db/database.js';
import { Problem } from './problem.js';
import { CSRF_HEADER, SESSION_COOKIE } from './route.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const STALE_RESERVATION_MS = 60_000;
const KEEP_HOURS = 24;

interface Reserved {
  readonly practice: string;
  readonly member: string;
  readonly key: string;
}

const reservations = new WeakMap<FastifyRequest, Reserved>();

export function registerIdempotency(app: FastifyInstance, db: Database, accounts: Accounts): void {
  let sincePrune = 0;
  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST') return;
    const raw = req.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (typeof key !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(key)) {
      throw new Problem('invalid_input', 'The Idempotency-Key header is 1 to 200 visible ASCII characters.');
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token || token.length > 200) return; // no session: the route answers 401 (or needs none)
    const csrf = req.headers[CSRF_HEADER];
    if (typeof csrf !== 'string' || !sameSecret(csrf, csrfTokenFor(token))) return; // the route refuses it
    const s = await accounts.session(token, false);
    if (!s) return;
    const hash = createHash('sha256').update(`${req.method} ${req.url}\n${JSON.stringify(req.body ?? null)}`).digest('hex');
    if (++sincePrune >= 100) {
      sincePrune = 0;
      await db.query(`delete from chartguard_auth.idempotency_keys where created_at < now() - interval '${KEEP_HOURS} hours'`);
    }
    const mine = await db.query(
      `insert into chartguard_auth.idempotency_keys (practice_id, member_id, key, request_hash) values ($1, $2, $3, $4)
       on conflict do nothing returning 1`,
      [s.practice, s.member, key, hash],
    );
    const reserved = { practice: s.practice, member: s.member, key };
    if (mine.length > 0) {
      reservations.set(req, reserved);
      return;
    }
    const [first] = await db.query<{ request_hash: string; status: number | null; content_type: string | null; body: string | null; age_ms: number }>(
      `select request_hash, status, content_type, body, (extract(epoch from now() - created_at) * 1000)::float8 as age_ms
         from chartguard_auth.idempotency_keys where practice_id = $1 and member_id = $2 and key = $3`,
      [s.practice, s.member, key],
    );
    if (!first) throw new Problem('idempotency_key_in_progress', 'The first request with this Idempotency-Key just ended without an answer: retry.');
    if (first.request_hash !== hash) throw new Problem('idempotency_key_reused', 'This Idempotency-Key was used for a different request (method, path or body): use a new key for a new request.');
    if (first.status === null) {
      const taken =
        Number(first.age_ms) > STALE_RESERVATION_MS &&
        (
          await db.query(
            `update chartguard_auth.idempotency_keys set created_at = now() where practice_id = $1 and member_id = $2 and key = $3 and status is null
               and created_at < now() - interval '${STALE_RESERVATION_MS / 1000} seconds' returning 1`,
            [s.practice, s.member, key],
          )
        ).length > 0;
      if (!taken) throw new Problem('idempotency_key_in_progress', undefined, [], undefined, { 'retry-after': '1' });
      reservations.set(req, reserved);
      return;
    }
    return reply
      .code(Number(first.status))
      .header('idempotency-replayed', 'true')
      .type(first.content_type ?? 'application/json')
      .send(first.body ?? '');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const r = reservations.get(req);
    if (!r) return payload;
    reservations.delete(req);
    const where = [r.practice, r.member, r.key];
    if (reply.statusCode >= 200 && reply.statusCode < 300 && (typeof payload === 'string' || payload === null || payload === undefined)) {
      await db.query(
        `update chartguard_auth.idempotency_keys set status = $4, content_type = $5, body = $6 where practice_id = $1 and member_id = $2 and key = $3`,
        [...where, reply.statusCode, String(reply.getHeader('content-type') ?? 'application/json'), payload ?? ''],
      );
    } else {
      await db.query('delete from chartguard_auth.idempotency_keys where practice_id = $1 and member_id = $2 and key = $3 and status is null', where);
    }
    return payload;
  });
}
