/**
 * Claims (core/claims.ts) as the billing pages show them: a claim is seen as its client's
 * billing is (the core's seesCharge, `client.view_billing`), so a member who may not see a
 * client's charges finds none of its claims and opens none (`not_found`).
 *
 * The page reads as the calendar and billing pages do (client-page.ts): the core's charge
 * scope narrows the candidates in SQL the indexes answer (migration 056: claims by time, and
 * by client and time), the core's single check decides each row. Outside row-level security
 * (the store's own connection), like those pages; test/store/claims.test.ts proves the page
 * equals the claims whose client's billing the member may see.
 */
import { chargeScope, type ClientScope } from '../../core/client-scope.js';
import { seesCharge, type ClaimStatus } from '../../core/index.js';
import { readContext, type Reader, type Store } from '../context.js';
import { ms } from '../facts/facts.js';
import { isBroad, scopeIds, scopeParams, TYPED } from './client-page.js';

export interface ClaimItem {
  readonly id: string;
  readonly appointment: string;
  readonly client: string;
  /** The appointment's clinician; `rendering` differs when it was billed as a supervisor (004). */
  readonly clinician: string;
  readonly rendering: string;
  readonly status: ClaimStatus;
  readonly amount: number;
  readonly createdAt: number;
  readonly submittedAt: number | null;
  /** When the service was (the appointment's start). */
  readonly serviceAt: number;
}

export interface ClaimPage {
  readonly items: readonly ClaimItem[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: { createdAt: number; id: string } | null;
}

interface ClaimRow {
  id: string;
  appointment_id: string;
  client_id: string;
  clinician: string;
  rendering: string;
  status: ClaimStatus;
  amount: number;
  created_at: number;
  submitted_at: number | null;
  service_at: number;
}

const COLUMNS = `k.id, k.appointment_id, k.client_id, a.clinician, k.rendering, k.status, k.amount::float8 as amount,
  ${ms('k.created_at')} as created_at, ${ms('k.submitted_at')} as submitted_at, ${ms('a.starts_at')} as service_at`;
const JOIN = 'join chartguard.appointments a on a.practice_id = k.practice_id and a.id = k.appointment_id';

const item = (r: ClaimRow): ClaimItem => ({
  id: r.id,
  appointment: r.appointment_id,
  client: r.client_id,
  clinician: r.clinician,
  rendering: r.rendering,
  status: r.status,
  amount: Number(r.amount),
  createdAt: Number(r.created_at),
  submittedAt: r.submitted_at === null ? null : Number(r.submitted_at),
  serviceAt: Number(r.service_at),
});

/** Candidate claims of the scope's clients, newest first, before the cursor ($5 ms, $6 id); $7 the batch. */
export function claimCandidatesSql(scope: ClientScope): string {
  const cursor = '(k.created_at, k.id) < (to_timestamp($5::float8 / 1000), $6)';
  if (isBroad(scope)) {
    const inScope = scope.all
      ? ''
      : ` and (k.client_id not in (select r.client_id from chartguard.administrative_revocations r where r.practice_id = $1 and r.member_id = $3)
               or exists (select 1 from chartguard.clients c where c.practice_id = $1 and c.id = k.client_id and c.primary_clinician = any($2::text[])))`;
    return `select ${COLUMNS} from chartguard.claims k ${JOIN}
             where k.practice_id = $1 and ${TYPED} and ${cursor}${inScope}
             order by k.created_at desc, k.id desc limit $7`;
  }
  // Each client's newest claims (an index range each), then the newest of those.
  return `with s as materialized (${scopeIds(scope)})
          select x.* from s cross join lateral (
            select ${COLUMNS} from chartguard.claims k ${JOIN}
             where k.practice_id = $1 and k.client_id = s.id and ${cursor}
             order by k.created_at desc, k.id desc limit $7) x
          order by x.created_at desc, x.id desc limit $7`;
}

/** The latest time a cursor can name (JavaScript's last date), so the first page starts at the newest claim. */
const NEWEST = 8.64e15;

/**
 * A page of the claims `member` may see, newest first.
 *
 * @example
 * const { items, next } = await claimPage(guard, 'p1', 'bill', { limit: 50 });
 */
export async function claimPage(guard: Reader, practice: string, member: string, options: { limit?: number; after?: { createdAt: number; id: string } | null } = {}): Promise<ClaimPage> {
  const limit = options.limit ?? 50;
  const ctx = await readContext(guard, practice);
  const scope = chargeScope(ctx, member);
  if (scope.none) return { items: [], next: null };
  const sql = claimCandidatesSql(scope);
  const out: ClaimItem[] = [];
  let cursor: [number, string] = options.after ? [options.after.createdAt, options.after.id] : [NEWEST, ''];
  let batch = limit * 2;
  const page = (): ClaimPage => {
    const last = out[out.length - 1];
    return { items: out, next: out.length === limit && last ? { createdAt: last.createdAt, id: last.id } : null };
  };
  for (;;) {
    const rows = await guard.db.query<ClaimRow>(sql, [...scopeParams(practice, scope), cursor[0], cursor[1], batch]);
    const facts = await guard.facts.clients(practice, [...new Set(rows.map((r) => r.client_id))]);
    for (const r of rows) {
      const c = facts.get(r.client_id);
      if (c && seesCharge(ctx, member, c)) out.push(item(r));
      if (out.length === limit) return page();
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last) return page();
    cursor = [Number(last.created_at), last.id];
    batch = Math.min(batch * 4, 2000);
  }
}

/** One claim as `member` sees it, or null when there is none they may see (a client whose billing they may not see). */
export async function openClaim(guard: Reader, practice: string, member: string, id: string): Promise<ClaimItem | null> {
  const [row] = await guard.db.query<ClaimRow>(`select ${COLUMNS} from chartguard.claims k ${JOIN} where k.practice_id = $1 and k.id = $2`, [practice, id]);
  if (!row) return null;
  const ctx = await readContext(guard, practice);
  const client = (await guard.facts.clients(practice, [row.client_id])).get(row.client_id);
  return client && seesCharge(ctx, member, client) ? item(row) : null;
}

/** A claim as stored, whoever may see it (the conformance runner's `state: { claim: K }`). */
export async function claimState(store: Store, practice: string, id: string): Promise<ClaimItem | null> {
  return store.within(practice, null, 'system', async (tx) => {
    const [row] = await tx.query<ClaimRow>(`select ${COLUMNS} from chartguard.claims k ${JOIN} where k.practice_id = $1 and k.id = $2`, [practice, id]);
    return row ? item(row) : null;
  });
}

/** The client an appointment is for, or null when there is no such appointment (the server's not-found check). */
export async function appointmentClient(store: Store, practice: string, appointment: string): Promise<string | null> {
  return store.within(practice, null, 'system', async (tx) => {
    const [row] = await tx.query<{ client_id: string }>('select client_id from chartguard.appointments where practice_id = $1 and id = $2', [practice, appointment]);
    return row?.client_id ?? null;
  });
}

/** A claim with the names its 837P file carries: the practice (billing provider), the client, the rendering clinician. */
export interface ClaimForExport extends ClaimItem {
  readonly practiceName: string;
  readonly clientName: string;
  readonly renderingName: string;
}

/** One claim as `member` may export it (as openClaim sees it), with its names; null otherwise. */
export async function claimForExport(guard: Reader, practice: string, member: string, id: string): Promise<ClaimForExport | null> {
  const claim = await openClaim(guard, practice, member, id);
  if (!claim) return null;
  const [row] = await guard.db.query<{ practice_name: string; client_name: string; rendering_name: string }>(
    `select p.name as practice_name, c.name as client_name, m.display_name as rendering_name
       from chartguard.practices p
       join chartguard.clients c on c.practice_id = p.id and c.id = $2
       join chartguard.members m on m.practice_id = p.id and m.id = $3
      where p.id = $1`,
    [practice, claim.client, claim.rendering],
  );
  return row ? { ...claim, practiceName: row.practice_name, clientName: row.client_name, renderingName: row.rendering_name } : null;
}
