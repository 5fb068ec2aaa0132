/**
 * The in-process caches (facts-cache.ts, the session cache in auth.ts) never answer from a
 * stale fact: this process's own commands are read at once, a change made behind its back
 * (another process, or SQL by hand) is read once its notification arrives, a load that
 * races a change does not store what it read, and nothing is cached while notifications
 * may be missed.
 */
import { describe, expect, it } from 'vitest';
import { ChangeCache } from '../../src/store/facts/change-cache.js';
import { Accounts } from '../../src/store/auth/accounts.js';
import { ChartGuard } from '../../src/store/chartguard.js';
import { openDatabase, type Database, type Notifications } from '../../src/store/db/database.js';
import { database, databaseKinds, newPracticeId } from '../support/databases.js';

const HASH = { memoryCost: 1024, timeCost: 1 };

async function eventually(fn: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return fn();
}

async function practice(cg: ChartGuard): Promise<string> {
  const id = newPracticeId('cache');
  await cg.createPractice({
    id,
    members: [
      { id: 'olivia', roles: ['account_owner'] },
      { id: 'ana', roles: ['clinician_basic'] },
      { id: 'bill', roles: ['practice_biller'] },
    ],
    clients: [{ id: 'c1', primary: 'ana' }],
  });
  return id;
}

const allowed = async (cg: ChartGuard, p: string, member: string) => (await cg.check(p, member, 'client.view_profile', { client: 'c1' })).allowed;

describe('ChangeCache', () => {
  const fakeDb = () => {
    const subs: Notifications[] = [];
    return { db: { listen: async (_c: string, on: Notifications) => void subs.push(on) } as unknown as Database, subs };
  };

  it('holds nothing until it listens, and forgets everything when notifications may be missed', async () => {
    const { db, subs } = fakeDb();
    const c = new ChangeCache<number>(10);
    expect(c.set('a', 1, c.ticket())).toBe(false);
    c.subscribe(db, 'x');
    await Promise.resolve();
    subs[0]!.live(true);
    expect(c.set('a', 1, c.ticket())).toBe(true);
    expect(c.get('a')).toBe(1);
    subs[0]!.live(false);
    expect(c.get('a')).toBeUndefined();
    expect(c.set('a', 1, c.ticket())).toBe(false);
  });

  it('refuses to store a load that raced a change, and drops what a notification names', async () => {
    const { db, subs } = fakeDb();
    const c = new ChangeCache<number>(10);
    c.subscribe(db, 'x');
    await Promise.resolve();
    subs[0]!.live(true);
    const ticket = c.ticket();
    subs[0]!.message('a'); // the change commits while the load is in flight
    expect(c.set('a', 1, ticket)).toBe(false);
    expect(c.set('a', 2, c.ticket())).toBe(true);
    subs[0]!.message('a');
    expect(c.get('a')).toBeUndefined();
    c.set('b', 1, c.ticket());
    subs[0]!.message('*');
    expect(c.get('b')).toBeUndefined();
  });

  it('stays within its bound, dropping the least recently used first', () => {
    const c = new ChangeCache<string>(3);
    c.setLive(true);
    for (const k of ['a', 'b', 'c']) c.set(k, k, c.ticket());
    c.get('a');
    c.set('d', 'd', c.ticket());
    expect(['a', 'b', 'c', 'd'].filter((k) => c.get(k) !== undefined)).toEqual(['a', 'c', 'd']);
    // A practice that grows is the one just read (facts-cache.ts reads, then grows it): it stays.
    c.get('a');
    c.grow('a', 5);
    expect(c.size).toBe(1);
    expect(c.get('a')).toBe('a');
  });
});

describe.each(databaseKinds())('the facts cache on %s', (kind) => {
  it('answers from the cache and reads its own commands at once', async () => {
    const cg = ChartGuard.over(await database(kind));
    const p = await practice(cg);
    expect(await eventually(async () => cg.facts.live)).toBe(true);
    expect(await allowed(cg, p, 'bill')).toBe(true);
    expect(await allowed(cg, p, 'bill')).toBe(true); // now cached
    expect((await cg.execute(p, 'olivia', { type: 'restrict', client: 'c1' })).ok).toBe(true);
    expect((await cg.execute(p, 'olivia', { type: 'revoke_administrative', client: 'c1', member: 'bill' })).ok).toBe(true);
    // No waiting: the command's own process reads its change.
    expect(await allowed(cg, p, 'bill')).toBe(false);
    expect((await cg.execute(p, 'ana', { type: 'grant_clinical', client: 'c1', member: 'olivia' })).ok).toBe(true);
    expect((await cg.execute(p, 'olivia', { type: 'assign_roles', member: 'bill', roles: ['practice_manager'] })).ok).toBe(true);
    expect((await cg.check(p, 'bill', 'client.view_profile', { client: 'c1' })).allowed).toBe(false); // still revoked
  });

  it('a warm check makes no round trip to the database', async () => {
    const db = await database(kind);
    let queries = 0;
    const counting: Database = { ...db, query: (sql, params) => (queries++, db.query(sql, params)) };
    const cg = ChartGuard.over(counting);
    const p = await practice(cg);
    expect(await eventually(async () => cg.facts.live)).toBe(true);
    // The practice's creation also notifies (on a server, asynchronously): let that echo pass.
    await new Promise((r) => setTimeout(r, 200));
    expect(await allowed(cg, p, 'bill')).toBe(true);
    queries = 0;
    for (const m of ['olivia', 'ana', 'bill']) expect(await allowed(cg, p, m)).toBe(true);
    expect(queries).toBe(0);
  });

  it('reads a change made behind its back once the notification arrives', async () => {
    const db = await database(kind);
    const cg = ChartGuard.over(db);
    const p = await practice(cg);
    expect(await eventually(async () => cg.facts.live)).toBe(true);
    expect(await allowed(cg, p, 'bill')).toBe(true);
    expect(await allowed(cg, p, 'ana')).toBe(true);
    // By hand, as another process or an operator would: no ChartGuard command, no local forget.
    await db.query('update chartguard.clients set restricted = true where practice_id = $1', [p]);
    await db.query("insert into chartguard.administrative_revocations (practice_id, client_id, member_id) values ($1, 'c1', 'bill')", [p]);
    expect(await eventually(async () => !(await allowed(cg, p, 'bill')))).toBe(true);
    await db.query("update chartguard.members set roles = array['practice_scheduler'] where practice_id = $1 and id = 'ana'", [p]);
    await db.query("insert into chartguard.members (practice_id, id, display_name, roles) values ($1, 'zoe', 'Zoe', array['clinician_entire_practice'])", [p]);
    expect(await eventually(async () => (await cg.team(p)).members.has('zoe'))).toBe(true);
    expect(await allowed(cg, p, 'zoe')).toBe(true);
  });

  it("drops cached sessions when their practice's logoff or two-step requirement, or a member's second factor, changes behind its back (migration 053)", async () => {
    const db = await database(kind);
    const cg = ChartGuard.over(db);
    const p = await practice(cg);
    const accounts = new Accounts(cg, { hashOptions: HASH });
    await accounts.createUser(p, 'ana', `ana-${p}`, 'a long password 1');
    const signIn = await accounts.signIn({ username: `ana-${p}`, password: 'a long password 1', address: '127.0.0.1' });
    if (!signIn.ok) throw new Error(signIn.detail);
    const session = () => accounts.session(signIn.token, false);
    // Listening (the session cache shares the facts cache's notifications), so the session is cached from here on.
    expect(await eventually(async () => cg.facts.live)).toBe(true);
    expect(await session()).toMatchObject({ idleMs: 15 * 60_000, mustEnrollSecondFactor: false });
    // By hand, as another process would: no command here, no local forget.
    await db.query('update chartguard.practices set idle_logoff_minutes = 30, require_second_factor = true where id = $1', [p]);
    expect(await eventually(async () => (await session())?.idleMs === 30 * 60_000)).toBe(true);
    expect((await session())?.mustEnrollSecondFactor).toBe(true);
    await db.query("update chartguard_auth.users set totp_secret = 'JBSWY3DPEHPK3PXP' where practice_id = $1 and member_id = 'ana'", [p]);
    expect(await eventually(async () => (await session())?.mustEnrollSecondFactor === false)).toBe(true);
  });

  it.runIf(kind === 'postgres')('another process: a command there is read here, and a sign-out there ends the session here', async () => {
    const url = process.env.CHARTGUARD_TEST_PG_URL!;
    const here = await openDatabase({ url });
    const there = await openDatabase({ url });
    try {
      const a = ChartGuard.over(here);
      const b = ChartGuard.over(there);
      const p = await practice(a);
      expect(await eventually(async () => a.facts.live && b.facts.live)).toBe(true);
      expect(await allowed(a, p, 'bill')).toBe(true);
      expect((await b.execute(p, 'olivia', { type: 'restrict', client: 'c1' })).ok).toBe(true);
      expect((await b.execute(p, 'olivia', { type: 'revoke_administrative', client: 'c1', member: 'bill' })).ok).toBe(true);
      expect(await eventually(async () => !(await allowed(a, p, 'bill')))).toBe(true);

      const accountsHere = new Accounts(a, { hashOptions: HASH });
      const accountsThere = new Accounts(b, { hashOptions: HASH });
      await accountsHere.createUser(p, 'ana', `ana-${p}`, 'a long password 1');
      const signIn = await accountsHere.signIn({ username: `ana-${p}`, password: 'a long password 1', address: '127.0.0.1' });
      if (!signIn.ok) throw new Error(signIn.detail);
      expect(await accountsHere.session(signIn.token, true)).not.toBeNull();
      expect(await accountsHere.session(signIn.token, true)).not.toBeNull(); // cached
      await accountsThere.signOut(signIn.token);
      expect(await eventually(async () => (await accountsHere.session(signIn.token, true)) === null)).toBe(true);
    } finally {
      await here.close();
      await there.close();
    }
  });
});
