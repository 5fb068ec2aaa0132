/**
 * Row-level security, on every database kind: the database itself keeps a member's reads to
 * the clients they may access, whatever query the application sends (001: "Team members
 * that aren't allowed administrative and clinical access to a restricted client will no
 * longer be able to view and manage the client's profile and associated data anywhere in
 * their account"); member mode writes nothing; no row crosses practices; the activity log
 * cannot be changed, and a change made behind its back is detected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DAY_MS, hasAnyAccess, type ClientFacts } from '../../src/core/index.js';
import { CLIENT_TABLES } from '../../src/store/db/access-policy.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { loadClients, loadTeam } from '../../src/store/facts/facts.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';
import { sequence } from '../support/generators.js';

const RUNS = Number(process.env.CHARTGUARD_RLS_RUNS ?? 40);
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** Where a table's rows name their client(s), for the tables row-level security guards. */
const CLIENT_OF: Record<string, (row: Record<string, unknown>) => string[]> = {
  ...Object.fromEntries(CLIENT_TABLES.map(([table, column]) => [table, (r: Record<string, unknown>) => [String(r[column])]])),
  notifications: (r) => (r.client_id == null ? [] : [String(r.client_id)]),
  activity_log: (r) => (r.clients as string[]) ?? [],
};

async function practiceWithData(cg: ChartGuard, id: string) {
  await cg.createPractice({
    id,
    members: [
      { id: 'olivia', roles: ['account_owner', 'clinician_basic'] },
      { id: 'ana', roles: ['clinician_basic'] },
      { id: 'bill', roles: ['practice_biller'] },
      { id: 'eve', roles: ['clinician_entire_practice'] },
    ],
    clients: [
      { id: 'c1', primary: 'ana' },
      { id: 'c2', primary: 'olivia' },
    ],
  });
  const run = async (actor: string, command: Parameters<ChartGuard['execute']>[2]) => {
    const r = await cg.execute(id, actor, command);
    if (!r.ok) throw new Error(`${command.type}: ${r.code}`);
  };
  await run('olivia', { type: 'restrict', client: 'c2' });
  await run('olivia', { type: 'revoke_administrative', client: 'c2', member: 'bill' });
  await run('olivia', { type: 'revoke_administrative', client: 'c2', member: 'eve' });
  for (const c of ['c1', 'c2']) {
    const primary = c === 'c1' ? 'ana' : 'olivia';
    await run(primary, { type: 'write_note', id: `n-${c}`, client: c, kind: 'clinical', sign: true });
    await run('olivia', { type: 'schedule_appointment', id: `a-${c}`, client: c, clinician: primary, fee: 100 });
    await run('olivia', { type: 'record_insurance_payment', id: `p-${c}`, covers: [c], amount: 50 });
    await run(primary, { type: 'send_message', id: `s-${c}`, client: c });
    await run('olivia', { type: 'create_task', id: `t-${c}`, client: c, assignee: 'olivia' });
  }
  await run('olivia', { type: 'record_insurance_payment', id: 'p-both', covers: ['c1', 'c2'], amount: 80 });
}

describe.each(databaseKinds())('row-level security on %s', (kind) => {
  it(`a query without WHERE returns only the member's clients' rows, of this practice only (${RUNS} random practices)`, async () => {
    const db = await database(kind);
    let now = START;
    const cg = ChartGuard.over(db, () => now);
    // Another practice with the same member and client names, full of data, in the same database.
    await practiceWithData(cg, newPracticeId('rls-other'));
    let hidden = 0;
    await fc.assert(
      fc.asyncProperty(sequence({ maxSteps: 10 }), async (seq) => {
        now = START;
        const practice = newPracticeId('rls');
        await cg.createPractice({ id: practice, ...seq.practice });
        for (const step of seq.steps) {
          if (step.kind === 'advance') now += step.days * DAY_MS;
          else await cg.execute(practice, step.actor, step.command);
        }
        const { team, clients } = await cg.within(practice, null, 'system', async (tx) => ({ team: await loadTeam(tx, practice), clients: await loadClients(tx, practice, null) }));
        const ctx = { team, now };
        const rowsOf = new Map<string, Record<string, unknown>[]>();
        for (const table of Object.keys(CLIENT_OF)) {
          rowsOf.set(table, await cg.within(practice, null, 'system', (tx) => tx.query<Record<string, unknown>>(`select * from chartguard.${table} where practice_id = $1`, [practice])));
        }
        const payments = await cg.within(practice, null, 'system', (tx) =>
          tx.query<{ id: string; covers: string[] }>(
            `select p.id, array(select c.client_id from chartguard.insurance_payment_clients c where c.practice_id = p.practice_id and c.payment_id = p.id) as covers
               from chartguard.insurance_payments p where p.practice_id = $1`,
            [practice],
          ),
        );
        // 002: a supervisor reviews a supervisee's clinical notes without access to the client, unless it is restricted.
        const reviews = (member: string, note: Record<string, unknown>) =>
          note.kind === 'clinical' &&
          (team.members.get(member)?.roles.includes('supervisor') ?? false) &&
          (team.supervisorsOf.get(String(note.author))?.has(member) ?? false) &&
          !clients.get(String(note.client_id))!.restricted;
        for (const member of team.members.keys()) {
          const sees = (ids: string[]) => ids.every((id) => hasAnyAccess(ctx, member, clients.get(id) as ClientFacts));
          for (const table of Object.keys(CLIENT_OF)) {
            const got = await cg.within(practice, member, 'member', (tx) => tx.query<Record<string, unknown>>(`select * from chartguard.${table}`));
            // Nothing crosses practices.
            expect(got.every((r) => r.practice_id === practice), `${member} reads another practice's ${table}`).toBe(true);
            const expected = rowsOf.get(table)!.filter(
              (r) =>
                (sees(CLIENT_OF[table]!(r)) || (table === 'notes' && reviews(member, r))) &&
                (table !== 'notifications' || r.recipient === member),
            );
            hidden += rowsOf.get(table)!.length - expected.length;
            const key = (r: Record<string, unknown>) => JSON.stringify(r);
            expect(got.map(key).sort(), `${member}'s ${table}`).toEqual(expected.map(key).sort());
          }
          // 001: an insurance payment covering a client the member may not access is hidden whole.
          const got = await cg.within(practice, member, 'member', (tx) => tx.query<{ id: string; practice_id: string }>('select id, practice_id from chartguard.insurance_payments'));
          expect(got.every((r) => r.practice_id === practice)).toBe(true);
          expect(got.map((r) => r.id).sort()).toEqual(payments.filter((p) => sees(p.covers)).map((p) => p.id).sort());
          // Staff email is never read in member mode.
          expect(await cg.within(practice, member, 'member', (tx) => tx.query('select * from chartguard.email_outbox'))).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
    expect(hidden).toBeGreaterThan(0);
  }, 600_000);

  it('member mode cannot insert, update or delete, even rows of its own clients', async () => {
    const db = await database(kind);
    const cg = ChartGuard.over(db, () => START);
    const practice = newPracticeId('rls-write');
    await practiceWithData(cg, practice);
    const before = await cg.activity(practice);
    const attempts: [string, string][] = [
      ['insert note', `insert into chartguard.notes (practice_id, id, client_id, author, kind) values ('${practice}', 'forged', 'c1', 'ana', 'clinical')`],
      ['insert grant', `insert into chartguard.clinical_grants (practice_id, client_id, member_id) values ('${practice}', 'c2', 'ana')`],
      ['insert into another practice', `insert into chartguard.notes (practice_id, id, client_id, author, kind) values ('elsewhere', 'forged', 'c1', 'ana', 'clinical')`],
      ['update client', `update chartguard.clients set restricted = false, primary_clinician = 'ana'`],
      ['update note', `update chartguard.notes set body = 'changed'`],
      ['delete revocations', 'delete from chartguard.administrative_revocations'],
      ['delete notes', 'delete from chartguard.notes'],
      ['delete grants', 'delete from chartguard.clinical_grants'],
      ['delete clients', 'delete from chartguard.clients'],
      ['update members', `update chartguard.members set roles = array['account_owner']`],
      ['insert activity', `insert into chartguard.activity_log (practice_id, seq, at, action, outcome, detail, prev_hash, hash) values ('${practice}', 999, now(), 'x', 'x', '{}', '', '')`],
    ];
    const snapshot = () =>
      cg.within(practice, null, 'system', async (tx) => {
        const out: Record<string, unknown> = {};
        for (const t of ['clients', 'notes', 'clinical_grants', 'administrative_revocations', 'members', 'activity_log']) {
          out[t] = await tx.query(`select * from chartguard.${t} where practice_id = $1 order by 2, 3`, [practice]);
        }
        return out;
      });
    const state = await snapshot();
    for (const member of ['olivia', 'ana', 'eve']) {
      for (const [what, sql] of attempts) {
        // Either refused outright or it finds no row it may write: in both cases nothing changes.
        const r = await cg.within(practice, member, 'member', (tx) => tx.query(`${sql} returning 1`)).then(
          (rows) => rows.length,
          () => 'refused',
        );
        expect(r === 'refused' || r === 0, `${member}: ${what} wrote ${String(r)} row(s)`).toBe(true);
      }
    }
    expect(await snapshot()).toEqual(state);
    expect(await cg.activity(practice)).toEqual(before);
  });

  it('the activity log refuses UPDATE and DELETE, in system mode and to the database owner', async () => {
    const db = await database(kind);
    const cg = ChartGuard.over(db, () => START);
    const practice = newPracticeId('log-append-only');
    await practiceWithData(cg, practice);
    for (const sql of [
      `update chartguard.activity_log set outcome = 'changed' where practice_id = '${practice}'`,
      `delete from chartguard.activity_log where practice_id = '${practice}'`,
    ]) {
      await expect(cg.within(practice, null, 'system', (tx) => tx.query(sql))).rejects.toThrow();
      // As the database's superuser, bypassing row-level security and grants: the trigger still refuses.
      await expect(db.query(sql)).rejects.toThrow(/append-only/);
    }
    await expect(db.transaction((tx) => tx.query('truncate chartguard.activity_log'))).rejects.toThrow(/append-only/);
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
  });

  describe('a log changed behind the application is detected by verifyLog', () => {
    /** As the database superuser, with the append-only trigger off for this one transaction. */
    const tamper = async (kind: Parameters<typeof database>[0], sql: string, params: unknown[]) => {
      const db = await database(kind);
      await db.transaction(async (tx) => {
        await tx.query('alter table chartguard.activity_log disable trigger activity_log_no_update');
        await tx.query(sql, params);
        await tx.query('alter table chartguard.activity_log enable trigger activity_log_no_update');
      });
    };
    const fresh = async () => {
      const cg = ChartGuard.over(await database(kind), () => START);
      const practice = newPracticeId('tamper');
      await practiceWithData(cg, practice);
      expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
      return { cg, practice, entries: (await cg.activity(practice)).length };
    };

    it('an entry whose content was edited', async () => {
      const { cg, practice } = await fresh();
      await tamper(kind, `update chartguard.activity_log set actor = 'ana' where practice_id = $1 and seq = 5`, [practice]);
      expect(await cg.verifyLog(practice)).toMatchObject({ ok: false, code: 'entry_altered', seq: 5, problem: 'the entry was altered' });
    });

    it("an entry whose detail was edited and its hash recomputed without the chain's next link", async () => {
      const { cg, practice } = await fresh();
      await tamper(kind, `update chartguard.activity_log set detail = '{"summary":"nothing"}'::jsonb, hash = md5('x') where practice_id = $1 and seq = 4`, [practice]);
      expect(await cg.verifyLog(practice)).toMatchObject({ ok: false, seq: 4 });
    });

    it('an entry removed from the middle', async () => {
      const { cg, practice } = await fresh();
      await tamper(kind, 'delete from chartguard.activity_log where practice_id = $1 and seq = 3', [practice]);
      expect(await cg.verifyLog(practice)).toMatchObject({ ok: false, code: 'entry_missing', seq: 4, problem: 'entry 3 is missing' });
    });

    it('the last entries removed', async () => {
      const { cg, practice, entries } = await fresh();
      await tamper(kind, 'delete from chartguard.activity_log where practice_id = $1 and seq >= $2', [practice, entries - 1]);
      expect(await cg.verifyLog(practice)).toMatchObject({ ok: false, code: 'entries_removed', problem: 'entries after the last one were removed' });
    });

    it("the practice's head moved", async () => {
      const { cg, practice } = await fresh();
      await (await database(kind)).query(`update chartguard.practices set log_head = md5('forged') where id = $1`, [practice]);
      expect(await cg.verifyLog(practice)).toMatchObject({ ok: false });
    });
  });
});
