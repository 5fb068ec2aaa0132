/**
 * The activity log: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE; the app
 * role has no such grants) and hash-chained per practice, so an entry that is changed or
 * removed behind the application's back is detected by verifyActivityLog().
 * HIPAA 164.312(b) audit controls; TherapyNotes (004) "the activity log to record the
 * actions of each user".
 */
import { createHash } from 'node:crypto';
import { ok, type Failure, type Result } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { ms } from '../facts/facts.js';

export interface ActivityEntry {
  readonly actor: string | null;
  readonly action: string;
  readonly client: string | null;
  /** Every client the entry concerns; defaults to [client]. */
  readonly clients?: readonly string[];
  /** 'changed' | 'unchanged' | 'read' | 'refused' | 'signed_in' ... */
  readonly outcome: string;
  readonly detail: Record<string, unknown>;
}

export interface StoredActivity extends ActivityEntry {
  readonly clients: readonly string[];
  readonly seq: number;
  readonly at: number;
  readonly prevHash: string;
  readonly hash: string;
}

function concerned(e: ActivityEntry): string[] {
  return [...(e.clients ?? (e.client === null ? [] : [e.client]))];
}

function entryHash(prevHash: string, seq: number, at: number, e: ActivityEntry): string {
  const body = canonicalJson([seq, new Date(at).toISOString(), e.actor, e.action, e.client, concerned(e), e.outcome, e.detail]);
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** JSON with every object's keys sorted: jsonb keeps its own key order, so the hash must not depend on ours. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Appends one entry. The caller holds the practice row lock (commands take it first), so
 * sequence numbers and the chain are gap-free.
 */
export async function appendActivity(tx: Queryable, practice: string, at: number, entry: ActivityEntry): Promise<number> {
  return appendActivities(tx, practice, [{ at, entry }]);
}

/** One entry to append and its time (epoch ms). */
export interface TimedEntry {
  readonly at: number;
  readonly entry: ActivityEntry;
}

/**
 * Appends entries in order under one lock of the practice row and one insert: numbers them
 * after the head, chains each hash on the one before, and moves the head to the last. The
 * batch appender (activity-appender.ts) chains many audited reads per transaction this way,
 * so chart views do not queue on the lock one by one. Returns the last entry's seq.
 */
export async function appendActivities(tx: Queryable, practice: string, entries: readonly TimedEntry[]): Promise<number> {
  const [head] = await tx.query<{ log_seq: string | number; log_head: string }>(
    'select log_seq, log_head from chartguard.practices where id = $1 for update',
    [practice],
  );
  if (!head) throw new Error(`No practice ${practice}`);
  let seq = Number(head.log_seq);
  let hash = head.log_head;
  const rows = entries.map(({ at, entry }) => {
    seq++;
    // Round-trip the detail through JSON so the hash covers exactly what jsonb stores.
    const detail = JSON.parse(JSON.stringify(entry.detail)) as Record<string, unknown>;
    const prev = hash;
    hash = entryHash(prev, seq, at, { ...entry, detail });
    return { seq, at, actor: entry.actor, action: entry.action, client_id: entry.client, clients: concerned(entry), outcome: entry.outcome, detail, prev_hash: prev, hash };
  });
  if (rows.length === 0) return seq;
  // The entries and the new head in one statement (one round trip).
  await tx.query(
    `with appended as (
       insert into chartguard.activity_log (practice_id, seq, at, actor, action, client_id, clients, outcome, detail, prev_hash, hash)
       select $1, r.seq, to_timestamp(r.at / 1000), r.actor, r.action, r.client_id,
              array(select jsonb_array_elements_text(r.clients)), r.outcome, r.detail, r.prev_hash, r.hash
         from jsonb_to_recordset($2::jsonb) as r(seq bigint, at float8, actor text, action text, client_id text, clients jsonb,
                                                 outcome text, detail jsonb, prev_hash text, hash text)
        order by r.seq
       returning 1)
     update chartguard.practices set log_seq = $3, log_head = $4 where id = $1`,
    [practice, JSON.stringify(rows), seq, hash],
  );
  return seq;
}

interface Row {
  seq: string | number;
  at: number;
  actor: string | null;
  action: string;
  client_id: string | null;
  clients: string[];
  outcome: string;
  detail: Record<string, unknown> | string;
  prev_hash: string;
  hash: string;
}

export function toStored(r: Row): StoredActivity {
  return {
    seq: Number(r.seq),
    at: Math.round(Number(r.at)),
    actor: r.actor,
    action: r.action,
    client: r.client_id,
    clients: r.clients,
    outcome: r.outcome,
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export const ACTIVITY_COLUMNS = `seq, ${ms('at')} as at, actor, action, client_id, clients, outcome, detail, prev_hash, hash`;

/**
 * Where a chain breaks: not a refusal (nobody was refused anything) but evidence of a change
 * behind the application, a closed union of its own, with the entry and a sentence.
 */
export type LogBreak = Failure<'entry_missing' | 'chain_broken' | 'entry_altered' | 'entries_removed'> & { readonly seq: number; readonly problem: string };

const broken = (code: LogBreak['code'], seq: number, problem: string): LogBreak => ({ ok: false, code, seq, problem });

/** Checks the whole chain of a practice (system mode). */
export async function verifyActivityLog(tx: Queryable, practice: string): Promise<Result<{ entries: number }, LogBreak>> {
  const rows = await tx.query<Row>(`select ${ACTIVITY_COLUMNS} from chartguard.activity_log where practice_id = $1 order by seq`, [practice]);
  let prev = '';
  let expected = 1;
  for (const r of rows.map(toStored)) {
    if (r.seq !== expected) return broken('entry_missing', r.seq, `entry ${expected} is missing`);
    if (r.prevHash !== prev) return broken('chain_broken', r.seq, 'the chain is broken before this entry');
    if (entryHash(prev, r.seq, r.at, r) !== r.hash) return broken('entry_altered', r.seq, 'the entry was altered');
    prev = r.hash;
    expected++;
  }
  const [head] = await tx.query<{ log_seq: string | number; log_head: string }>('select log_seq, log_head from chartguard.practices where id = $1', [practice]);
  if (head && (Number(head.log_seq) !== rows.length || head.log_head !== prev)) {
    return broken('entries_removed', rows.length, 'entries after the last one were removed');
  }
  return ok({ entries: rows.length });
}
