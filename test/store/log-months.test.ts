/**
 * The activity log, one table a month (migration 048): entries land in their month, the app
 * creates months ahead and never over entries already in the default partition, a time range
 * reads only its months, and every month is as append-only and as closed to the app's role
 * as the log itself.
 */
import { describe, expect, it } from 'vitest';
import { ChartGuard } from '../../src/store/chartguard.js';
import { APP_ROLE } from '../../src/store/db/access-policy.js';
import { ensureLogMonths } from '../../src/store/db/log-partitions.js';
import { activityPage } from '../../src/store/reads/activity-page.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';

const monthOf = (t: number) => `activity_log_y${new Date(t).toISOString().slice(0, 4)}m${new Date(t).toISOString().slice(5, 7)}`;

describe.each(databaseKinds())('the activity log by month on %s', (kind) => {
  it('puts an entry in its month, and one outside the months made in the default partition', async () => {
    const db = await database(kind);
    let now = Date.now();
    const cg = ChartGuard.over(db, () => now);
    const practice = newPracticeId('months');
    await cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner', 'clinician_basic'] }], clients: [{ id: 'c1', primary: 'olivia' }] });
    now = Date.UTC(1999, 5, 1);
    await cg.audit(practice, { actor: 'olivia', action: 'view_client', client: 'c1', outcome: 'read', detail: {} });
    const rows = await db.query<{ part: string; seq: string | number }>('select tableoid::regclass::text as part, seq from chartguard.activity_log where practice_id = $1 order by seq', [practice]);
    expect(rows.at(0)?.part).toBe(`chartguard.${monthOf(Date.now())}`);
    expect(rows.at(-1)?.part).toBe('chartguard.activity_log_default');
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
  });

  it('creates the months ahead once, and leaves a month whose entries are already in the default partition', async () => {
    const db = await database(kind);
    // Far ahead, so no other test's month is touched: 2301-01 gets an entry first, then the months are made.
    const cg = ChartGuard.over(db, () => Date.UTC(2301, 0, 15));
    const practice = newPracticeId('ahead');
    await cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }], clients: [] });
    const first = await ensureLogMonths(db, new Date(Date.UTC(2301, 0, 20)));
    expect(first).toBe(2); // 2301-02 and 2301-03; 2301-01 holds entries in the default partition
    expect(await ensureLogMonths(db, new Date(Date.UTC(2301, 0, 20)))).toBe(0);
    const parts = await db.query<{ name: string }>(`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
       where i.inhparent = 'chartguard.activity_log'::regclass and c.relname like 'activity_log_y2301%' order by 1`);
    expect(parts.map((p) => p.name)).toEqual(['activity_log_y2301m02', 'activity_log_y2301m03']);
    await cg.audit(practice, { actor: 'olivia', action: 'view_client', client: null, outcome: 'read', detail: {} });
    expect(await cg.verifyLog(practice)).toMatchObject({ ok: true });
  });

  it('keeps every month append-only and closed to the app role, which reads the log only through its policy', async () => {
    const db = await database(kind);
    const part = monthOf(Date.now());
    // The migration's months and one made later by the app are sealed alike.
    await ensureLogMonths(db);
    await expect(db.query(`truncate chartguard.${part}`)).rejects.toThrow(/append-only/);
    await expect(db.query('truncate chartguard.activity_log_default')).rejects.toThrow(/append-only/);
    await expect(db.query(`delete from chartguard.${part}`)).rejects.toThrow(/append-only/);
    for (const sql of [`select count(*) from chartguard.${part}`, 'select count(*) from chartguard.activity_log_default', `insert into chartguard.${part} select * from chartguard.${part} limit 0`]) {
      await expect(db.transaction(async (tx) => {
        await tx.query(`set local role ${APP_ROLE}`);
        return tx.query(sql);
      })).rejects.toThrow(/permission denied/);
    }
  });

  it('reads only the months of a time range', async () => {
    const db = await database(kind);
    const now = Date.now();
    const cg = ChartGuard.over(db, () => now);
    const practice = newPracticeId('range');
    await cg.createPractice({ id: practice, members: [{ id: 'olivia', roles: ['account_owner'] }], clients: [] });
    const d = new Date(now);
    const [from, to] = [Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)];
    const page = await activityPage(cg, practice, 'olivia', { limit: 10, filter: { from, to } });
    expect(page.items.length).toBeGreaterThan(0);
    // The page's statement, as the store writes it (parameters, pruned when it runs).
    const plan = (
      await db.query<{ 'QUERY PLAN': string }>(
        `explain (analyze, costs off, timing off) select seq from chartguard.activity_log a
          where a.practice_id = $1 and a.at >= to_timestamp($2::float8 / 1000) and a.at < to_timestamp($3::float8 / 1000) order by a.seq desc limit 10`,
        [practice, from, to],
      )
    ).map((r) => r['QUERY PLAN']).join('\n');
    const read = [...plan.matchAll(/on (activity_log_\w+)/g)].map((m) => m[1]);
    expect(read.some((x) => x?.startsWith(monthOf(now)))).toBe(true);
    expect(read.filter((x) => !x?.startsWith(monthOf(now)))).toEqual([]);
  });
});
