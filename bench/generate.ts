/**
 * Synthetic practices, generated inside the database (generate_series), deterministic:
 * the same sizes give the same rows on PGlite and PostgreSQL.
 *
 * Members cycle through every role (about half basic clinicians), supervisors supervise
 * three clinicians each; clients get a primary clinician, 2% are restricted with
 * administrative revocations, 0.5% are shared with all, 5% carry a clinical grant (a fifth
 * of them expired); appointments belong to a client and its primary clinician.
 * The client_income trigger is paused during the bulk load and the table rebuilt once.
 */
import type { Queryable } from '../src/store/db/database.js';

export interface PracticeSize {
  readonly members: number;
  readonly clients: number;
  readonly appointments: number;
}

/** The role of member i (member 0 is the account owner). */
export const ROLE_CYCLE: readonly (readonly string[])[] = [
  ['clinician_basic'],
  ['practice_manager'],
  ['practice_biller'],
  ['practice_scheduler'],
  ['clinician_full_client_list'],
  ['clinician_entire_practice'],
  ['clinician_basic', 'supervisor'],
  ['clinician_billing'],
  ['practice_administrator'],
  ['clinician_basic', 'clinical_administrator'],
  ['clinician_basic'],
  ['clinician_basic'],
  ['clinician_basic'],
  ['clinician_basic'],
  ['clinician_basic'],
  ['clinician_basic'],
  ['clinician_basic'],
  ['clinician_billing'],
  ['clinician_basic'],
  ['clinician_basic'],
];

export const memberId = (i: number) => `m${String(i).padStart(4, '0')}`;
export const clientId = (i: number) => `c${String(i).padStart(6, '0')}`;

const ROLE_TEXT = `(array[${ROLE_CYCLE.map((r) => `'${r.join(',')}'`).join(', ')}]::text[])`;
/** The roles of cycle position `k` (a SQL expression) as text[]. */
const rolesAt = (k: string) => `string_to_array(${ROLE_TEXT}[${k}], ',')`;
const FIRST = `array['Ava','Ben','Cleo','Dev','Ema','Finn','Gia','Hal','Iris','Jon','Kai','Lea','Max','Nia','Oto','Pia','Quin','Rae','Sam','Tia','Uma','Vic','Wes','Xia','Yan','Zoe']`;
const LAST = `array['Abbott','Baker','Chen','Diaz','Evans','Fischer','Garcia','Haddad','Ito','Jensen','Kowalski','Lopez','Moreau','Nakamura','Okafor','Patel','Quinn','Rossi','Singh','Tanaka','Ueda','Vargas','Weber','Xu','Yilmaz','Zhou']`;

/**
 * Seeds practices `first`..`first+count-1` named `${prefix}${n}`, all of one size, in a
 * handful of set-based statements (so 10,000 small practices cost as much as one large).
 */
export async function seedPractices(db: Queryable, prefix: string, count: number, size: PracticeSize): Promise<string[]> {
  const P = `'${prefix}' || p`;
  const ps = `generate_series(1, ${count}) p`;
  await db.query(`alter table chartguard.appointments disable trigger client_income`);
  await db.query(`insert into chartguard.practices (id, name) select ${P}, 'Practice ' || p from ${ps}`);
  // Members: m0000 the owner, then the role cycle.
  await db.query(`
    insert into chartguard.members (practice_id, id, display_name, roles)
    select ${P}, 'm' || lpad(i::text, 4, '0'), 'Member ' || i,
           case when i = 0 then '{account_owner}'::text[] else ${rolesAt(`1 + i % ${ROLE_CYCLE.length}`)} end
      from ${ps}, generate_series(0, ${size.members - 1}) i`);
  // Each supervisor (cycle position 6) supervises the basic clinicians at positions 10, 11, 12.
  await db.query(`
    insert into chartguard.supervisions (practice_id, supervisor, supervisee)
    select ${P}, 'm' || lpad(i::text, 4, '0'), 'm' || lpad((i + d)::text, 4, '0')
      from ${ps}, generate_series(0, ${size.members - 1}) i, generate_series(4, 6) d
     where i % ${ROLE_CYCLE.length} = 6 and i + d < ${size.members}`);
  // Clinicians who may be primary: every member with a clinician role (and not the owner).
  await db.query(`create temp table if not exists bench_clinicians (k int primary key, member text)`);
  await db.query(`truncate bench_clinicians`);
  await db.query(`
    insert into bench_clinicians
    select row_number() over (order by i) - 1, 'm' || lpad(i::text, 4, '0')
      from generate_series(1, ${size.members - 1}) i
     where ${rolesAt(`1 + i % ${ROLE_CYCLE.length}`)} && array['clinician_basic','clinician_billing','clinician_full_client_list','clinician_entire_practice']`);
  const [nc] = await db.query<{ n: number }>('select count(*)::int as n from bench_clinicians');
  const nClin = Number(nc!.n);
  await db.query(`
    insert into chartguard.clients (practice_id, id, name, contact, primary_clinician, restricted, shared_with_all)
    select ${P}, 'c' || lpad(i::text, 6, '0'),
           (${LAST})[(1 + (i * 7919) % 26)::int] || ', ' || (${FIRST})[(1 + (i * 104729) % 26)::int] || ' ' || ((i * 31) % 997),
           'client' || i || '@example.org', b.member, i % 50 = 0, i % 200 = 7
      from ${ps}, generate_series(1::bigint, ${size.clients}) i
      join bench_clinicians b on b.k = (i * 2654435761) % ${nClin}`);
  // 5% of clients carry a grant to another clinician; a fifth of those expired.
  await db.query(`
    insert into chartguard.clinical_grants (practice_id, client_id, member_id, expires_at)
    select ${P}, 'c' || lpad(i::text, 6, '0'), b.member,
           case when i % 100 = 3 then now() - interval '1 day' when i % 100 = 43 then now() + interval '30 days' else null end
      from ${ps}, generate_series(1::bigint, ${size.clients}) i
      join bench_clinicians b on b.k = (i * 40503 + 17) % ${nClin}
     where i % 20 = 3
    on conflict do nothing`);
  // Restricted clients: the owner revoked the billers and full-client-list clinicians at
  // cycle positions 2 and 4 of the first hundred members.
  await db.query(`
    insert into chartguard.administrative_revocations (practice_id, client_id, member_id)
    select ${P}, 'c' || lpad(i::text, 6, '0'), 'm' || lpad(m::text, 4, '0')
      from ${ps}, generate_series(1::bigint, ${size.clients}) i, generate_series(0, least(${size.members - 1}, 99)) m
     where i % 50 = 0 and m % ${ROLE_CYCLE.length} in (2, 4) and (i / 50 + m) % 2 = 0`);
  if (size.appointments > 0) {
    await db.query(`
      insert into chartguard.appointments (practice_id, id, client_id, clinician, fee, starts_at)
      select ${P}, 'a' || lpad(j::text, 7, '0'), c.id, c.primary_clinician, 80 + (j * 13) % 170,
             timestamptz '2026-01-05 08:00Z' + ((j * 7) % 52) * interval '1 week' + ((j * 37) % 5) * interval '1 day' + ((j * 11) % 10) * interval '1 hour'
        from ${ps} cross join generate_series(1::bigint, ${size.appointments}) j
        join chartguard.clients c on c.practice_id = ${P} and c.id = 'c' || lpad((1 + (j * 48271) % ${size.clients})::text, 6, '0')`);
  }
  await db.query(`
    insert into chartguard.client_income (practice_id, client_id, fees, shares, entries)
    select practice_id, client_id, sum(fee), 0, count(*) from chartguard.appointments
     where practice_id in (select ${P} from ${ps}) group by practice_id, client_id`);
  await db.query(`alter table chartguard.appointments enable trigger client_income`);
  return Array.from({ length: count }, (_, k) => `${prefix}${k + 1}`);
}
