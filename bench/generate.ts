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

/** A year of records in one practice (issue 13): notes, messages, tasks, activity log, notifications. */
export interface YearSize {
  readonly notes: number;
  readonly messages: number;
  readonly tasks: number;
  readonly logEntries: number;
  readonly notifications: number;
}

export const YEAR_START = Date.UTC(2025, 11, 1);
const YEAR = `timestamptz '2025-12-01 00:00Z'`;
const NOTE_KINDS = `array['clinical','clinical','clinical','clinical','clinical','clinical','clinical','missed_appointment','contact','miscellaneous']`;
const LOG_ACTIONS = `array['view_client','view_notes','view_note','view_messages','view_client','view_note','signed_in','view_billing']`;

/**
 * Seeds a year of records into `practice` (already seeded by seedPractices with `clients`
 * clients and `members` members), deterministic, in set-based statements. Notes and messages
 * are written by the client's primary clinician; a fifth of the notes are unsigned (the
 * author's queue) and a tenth of supervisees' signed notes await a co-sign.
 *
 * The activity log is a valid hash chain, built in SQL: the entries' fields are fixed
 * arithmetic on the sequence number, a recursive query chains sha256 over the same canonical
 * JSON the application hashes (src/store/commands/activity-log.ts), and the practice row's
 * log head is set to the last hash, so `chartguard verify-log` accepts it and the entries the
 * server appends afterwards chain on.
 */
export async function seedYear(db: Queryable, practice: string, clients: number, members: number, size: YearSize): Promise<void> {
  const P = `'${practice}'`;
  const client = (expr: string) => `'c' || lpad((1 + (${expr}) % ${clients})::text, 6, '0')`;
  const at = (j: string, n: number) => `${YEAR} + (${j}::bigint * ${Math.floor((365 * 86_400_000) / n)}) * interval '1 millisecond'`;
  // Notes: `notes / clients` per client, round-robin, in time order over the year.
  await db.query(`
    insert into chartguard.notes (practice_id, id, client_id, author, kind, body, signed_at, cosigned_by, cosigned_at, created_at)
    select ${P}, 'n' || lpad(j::text, 7, '0'), c.id, c.primary_clinician, (${NOTE_KINDS})[1 + (j * 7) % 10],
           'Session ' || j || ': the client reported progress on the goals agreed; plan reviewed, next session scheduled. ' || repeat('Observation. ', (j % 8)::int),
           case when j % 5 <> 0 then ${at('j', size.notes)} + interval '1 hour' end,
           case when s.supervisor is not null and j % 5 <> 0 and j % 10 <> 1 then s.supervisor end,
           case when s.supervisor is not null and j % 5 <> 0 and j % 10 <> 1 then ${at('j', size.notes)} + interval '1 day' end,
           ${at('j', size.notes)}
      from generate_series(1::bigint, ${size.notes}) j
      join chartguard.clients c on c.practice_id = ${P} and c.id = ${client('j - 1')}
      left join chartguard.supervisions s on s.practice_id = ${P} and s.supervisee = c.primary_clinician`);
  await db.query(`
    insert into chartguard.messages (practice_id, id, client_id, author, body, created_at)
    select ${P}, 'g' || lpad(j::text, 7, '0'), c.id, c.primary_clinician, 'Message ' || j || ': confirming our next appointment and the forms to bring.', ${at('j', size.messages)}
      from generate_series(1::bigint, ${size.messages}) j
      join chartguard.clients c on c.practice_id = ${P} and c.id = ${client('j * 16807')}`);
  // Tasks: assigned to the client's primary clinician, created by a member cycling through the team.
  await db.query(`
    insert into chartguard.tasks (practice_id, id, client_id, assignee, creator, title, created_at)
    select ${P}, 't' || lpad(j::text, 7, '0'), c.id, c.primary_clinician, 'm' || lpad(((j * 31) % ${members})::text, 4, '0'), 'Follow up ' || j, ${at('j', size.tasks)}
      from generate_series(1::bigint, ${size.tasks}) j
      join chartguard.clients c on c.practice_id = ${P} and c.id = ${client('j * 69621')}`);
  // Notifications: every member gets some; the older half are read.
  await db.query(`
    insert into chartguard.notifications (practice_id, recipient, event, client_id, created_at, read_at)
    select ${P}, 'm' || lpad((j % ${members})::text, 4, '0'), case when j % 4 = 0 then 'access_widened' else 'restricted_access_on' end,
           case when j % 4 = 0 then null else ${client('j * 48271')} end, ${at('j', size.notifications)},
           case when j < ${size.notifications / 2} then ${at('j', size.notifications)} + interval '2 hours' end
      from generate_series(1::bigint, ${size.notifications}) j`);
  await seedLog(db, practice, clients, members, size.logEntries);
}

/** The activity log's entries 1..n, hash-chained as appendActivity() chains them. */
async function seedLog(db: Queryable, practice: string, clients: number, members: number, n: number): Promise<void> {
  const step = Math.floor((365 * 86_400_000) / n);
  await db.query(`create temp table if not exists bench_log (seq bigint primary key, at timestamptz, actor text, action text, client_id text, clients text[], outcome text, detail jsonb, body text)`);
  await db.query(`truncate bench_log`);
  // Fields by fixed arithmetic on seq; body is canonicalJson([seq, iso, actor, action, client, clients, outcome, detail]).
  await db.query(`
    insert into bench_log
    select seq, at, actor, action, client_id, clients, 'read', detail,
           '[' || seq || ',"' || to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '",' || '"' || actor || '","' || action || '",' ||
           coalesce('"' || client_id || '"', 'null') || ',' || case when client_id is null then '[]' else '["' || client_id || '"]' end || ',"read",' || detail_text || ']'
      from (
        select seq, ${YEAR} + (seq * ${step}) * interval '1 millisecond' as at,
               'm' || lpad(((seq * 7) % ${members})::text, 4, '0') as actor, a.action,
               case when a.action in ('signed_in') then null else 'c' || lpad((1 + (seq * 48271) % ${clients})::text, 6, '0') end as client_id,
               case when a.action in ('signed_in') then '{}'::text[] else array['c' || lpad((1 + (seq * 48271) % ${clients})::text, 6, '0')] end as clients,
               case a.action when 'view_notes' then '{"notes":5}' when 'view_messages' then '{"messages":2}' else '{}' end as detail_text,
               (case a.action when 'view_notes' then '{"notes":5}' when 'view_messages' then '{"messages":2}' else '{}' end)::jsonb as detail
          from generate_series(1::bigint, ${n}) seq
          cross join lateral (select (${LOG_ACTIONS})[1 + seq % 8] as action) a
      ) e`);
  // The year's months (migration 048), so its entries land in them and not in the default partition.
  await db.query(`select chartguard.ensure_activity_log_months(${YEAR}, ${YEAR} + interval '13 months')`);
  // The chain: hash(seq) = sha256(hash(seq - 1) || '\n' || body(seq)), from '' before the first.
  await db.query(`
    insert into chartguard.activity_log (practice_id, seq, at, actor, action, client_id, clients, outcome, detail, prev_hash, hash)
    with recursive chain (seq, hash) as (
      select 0::bigint, ''::text
      union all
      select b.seq, encode(sha256(convert_to(c.hash || E'\\n' || b.body, 'UTF8')), 'hex')
        from chain c join bench_log b on b.seq = c.seq + 1
    )
    select '${practice}', b.seq, b.at, b.actor, b.action, b.client_id, b.clients, b.outcome, b.detail, p.hash, c.hash
      from bench_log b join chain c on c.seq = b.seq join chain p on p.seq = b.seq - 1`);
  await db.query(`update chartguard.practices set log_seq = ${n}, log_head = (select hash from chartguard.activity_log where practice_id = $1 and seq = ${n}) where id = $1`, [practice]);
  await db.query(`drop table bench_log`);
}
