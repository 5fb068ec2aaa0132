/**
 * The HTTP API in its own process, for the load test: opens the benchmark database,
 * creates a sign-in account for the practice's owner (owner@<practice>) and for each member
 * listed (<member>@<practice>), listens on 127.0.0.1 and prints {"port": n} once ready.
 * Usage: tsx bench/http-server.ts <postgres-url> <practice> <password> [member,member,...]
 *
 * `pglite` for the URL: an in-memory PGlite in this process, seeded here with one practice
 * of BENCH_SEED's size ({"size": PracticeSize, "year": YearSize}, bench/generate.ts), so the
 * same reads can be compared with PostgreSQL's (the embedded database lives in the server's process).
 *
 * BENCH_SQL_LOG=<file>: appends, for the first request of each route and member, the SQL
 * statements it ran in order ({route, member, statements: [{sql, params}]}, one JSON per
 * line), so the benchmark can EXPLAIN exactly what the endpoints run. The capture assumes
 * one request at a time (the sequential phase); requests under load add nothing new.
 */
import { appendFileSync } from 'node:fs';
import { buildServer } from '../src/server/main.js';
import { Accounts } from '../src/store/auth/accounts.js';
import { ChartGuard } from '../src/store/chartguard.js';
import type { Database, Queryable } from '../src/store/db/database.js';
import { seedPractices, seedYear, type PracticeSize, type YearSize } from './generate.js';

const [url, practice, password, members] = process.argv.slice(2);
if (!url || !practice || !password) throw new Error('usage: http-server.ts <postgres-url | pglite> <practice> <password> [member,...]');
const cg = url === 'pglite' ? await seededPglite(practice) : await ChartGuard.open({ url, migrate: false });
const accounts = new Accounts(cg);
await accounts.createUser(practice, 'm0000', `owner@${practice}`, password);
for (const member of members ? members.split(',') : []) {
  if (member !== 'm0000') await accounts.createUser(practice, member, `${member}@${practice}`, password);
}
const app = await buildServer({ chartguard: cg, accounts, webRoot: null, signInPerMinute: 1000 });
const sqlLog = process.env.BENCH_SQL_LOG;
if (sqlLog) captureSql(sqlLog);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n');
process.on('SIGTERM', () => {
  void app.close().then(() => cg.close()).then(() => process.exit(0));
});

function captureSql(file: string): void {
  interface Statement {
    sql: string;
    params: readonly unknown[];
  }
  let current: Statement[] | null = null;
  const seen = new Set<string>();
  const db = cg.db as Database & { query: Database['query']; transaction: Database['transaction']; readOnce: Database['readOnce'] };
  const record = (sql: string, params: readonly unknown[] | undefined) => current?.push({ sql, params: params ?? [] });
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = ((sql: string, params?: readonly unknown[]) => (record(sql, params), query(sql, params))) as Database['query'];
  db.transaction = (<T>(fn: (tx: Queryable) => Promise<T>, opening?: string) => {
    if (opening) record(opening, []);
    return transaction(
      (tx) =>
        fn({
          query: ((sql: string, params?: readonly unknown[]) => (record(sql, params), tx.query(sql, params))) as Queryable['query'],
          exec: (sql: string) => tx.exec(sql),
        }),
      opening,
    );
  }) as Database['transaction'];
  const readOnce = db.readOnce.bind(db);
  db.readOnce = (<T>(opening: string, sql: string) => (record(opening, []), record(sql, []), readOnce<T>(opening, sql))) as Database['readOnce'];
  app.addHook('onRequest', async () => {
    current = [];
  });
  app.addHook('onResponse', async (req, reply) => {
    const statements = current ?? [];
    current = null;
    // A refused query string (an unpaged endpoint asked for a page) ran no SQL: wait for the real request.
    if (reply.statusCode >= 400 || !statements.length) return;
    const settings = statements.find((s) => s.sql.includes("set_config('chartguard.member_id'"));
    const header = req.headers['x-bench-member'];
    // The settings are literals sent with BEGIN (ChartGuard.within): the member is the second.
    const member = typeof header === 'string' ? header : settings ? (/'chartguard\.member_id', '([^']*)'/.exec(settings.sql)?.[1] ?? '') : '';
    const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
    if (!member || seen.has(`${route} ${member}`)) return;
    seen.add(`${route} ${member}`);
    appendFileSync(file, JSON.stringify({ route, url: req.url, member, statements }) + '\n');
  });
}

/** An in-memory PGlite with `practice` seeded (its name must be `large-1`: seedPractices names practices by prefix and number). */
async function seededPglite(practice: string): Promise<ChartGuard> {
  const seed = JSON.parse(process.env.BENCH_SEED ?? 'null') as { size: PracticeSize; year: YearSize } | null;
  if (!seed || practice !== 'large-1') throw new Error('pglite: needs BENCH_SEED and the practice large-1');
  const cg = await ChartGuard.open({ dataDir: 'memory' });
  await seedPractices(cg.db, 'large-', 1, seed.size);
  await seedYear(cg.db, practice, seed.size.clients, seed.size.members, seed.year);
  await cg.db.exec('vacuum analyze');
  return cg;
}
