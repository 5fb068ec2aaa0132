/**
 * The `chartguard` command line.
 *
 *   chartguard test PATH...     run conformance scenarios (FORMAT.md)
 *   chartguard start            migrate, create the demo practice if the database is empty, serve
 *   chartguard start --no-demo  the same without the demo: an empty database gets a setup link
 *   chartguard practice ...     create, list practices of a database hosting many (practice.ts)
 *   chartguard serve            serve the web app and HTTP API
 *   chartguard migrate          bring the database to the newest schema
 *   chartguard demo             create the demo practice (if absent)
 *   chartguard verify-log ID    check a practice's activity-log hash chain
 *   chartguard backup FILE      a consistent snapshot (also while the server runs)
 *   chartguard restore FILE     restore a snapshot [--force to replace practices], then verify-log
 *
 * Environment: DATABASE_URL (PostgreSQL server; default embedded PGlite under ./.data),
 * CHARTGUARD_DATA_DIR, HOST, PORT, CHARTGUARD_SMTP_URL and CHARTGUARD_MAIL_FROM (email).
 */
import { openDatabase } from '../store/db/database.js';
import { migrate } from '../store/db/migrate.js';
import { runConformance } from './conformance.js';

const USAGE = `usage: chartguard <command>
  test PATH...        run conformance scenarios (files or folders of *.yaml)
  start               migrate, create the demo practice when the database is empty, and serve
  start --no-demo     migrate and serve; on an empty database, print a one-time setup link for a real practice
  practice create --name NAME --owner-email EMAIL   create a practice; prints its owner's setup link
  practice list [--json]                            every practice: id, name, members, created
  practice link PRACTICE                            a new setup link while the owner has not signed up
  serve               serve the web app and HTTP API (HOST, PORT)
  migrate             bring the database to the newest schema
  demo                create the demo practice if it is absent
  verify-log PRACTICE check a practice's activity-log hash chain
  backup FILE         write a consistent snapshot of the database (also while the server runs)
  restore FILE [--force]  restore a snapshot (--force replaces existing practices), then verify every log
Environment: DATABASE_URL=postgres://... for a PostgreSQL server (default: embedded PGlite in ./.data)
  CHARTGUARD_PUBLIC_URL: where printed links point (default http://HOST:PORT)
  CHARTGUARD_SMTP_URL=smtp://user:password@host:587 and CHARTGUARD_MAIL_FROM='ChartGuard <chartguard@example.org>'
                      deliver the server's email (without them, mail is written to the server log)`;

function databaseOptions() {
  return { url: process.env.DATABASE_URL || undefined, dataDir: process.env.CHARTGUARD_DATA_DIR ?? '.data' };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'test': {
      const urlFlag = rest.indexOf('--database-url');
      let url: string | undefined;
      if (urlFlag >= 0) {
        url = rest[urlFlag + 1];
        rest.splice(urlFlag, 2);
      }
      if (rest.length === 0) {
        console.error('usage: chartguard test PATH... [--database-url postgres://...]');
        return 2;
      }
      const db = await openDatabase({ url, dataDir: 'memory' });
      try {
        await migrate(db);
        const { failed } = await runConformance(db, rest, (line) => console.log(line));
        return failed === 0 ? 0 : 1;
      } finally {
        await db.close();
      }
    }
    case 'migrate': {
      const db = await openDatabase(databaseOptions());
      const { applied } = await migrate(db, (l) => console.log(l));
      console.log(applied.length ? `applied ${applied.join(', ')}` : 'the schema is up to date');
      await db.close();
      return 0;
    }
    case 'verify-log': {
      const practice = rest[0];
      if (!practice) {
        console.error('usage: chartguard verify-log PRACTICE');
        return 2;
      }
      const { ChartGuard } = await import('../store/chartguard.js');
      const cg = await ChartGuard.open(databaseOptions());
      const r = await cg.verifyLog(practice);
      console.log(r.ok ? `the activity log of ${practice} is intact: ${r.entries} entries` : `the activity log of ${practice} is broken at entry ${r.seq}: ${r.problem}`);
      await cg.close();
      return r.ok ? 0 : 1;
    }
    case 'practice': {
      const { practiceCommand, PRACTICE_COMMANDS, PRACTICE_USAGE } = await import('./practice.js');
      if (!PRACTICE_COMMANDS.includes(rest[0] ?? '')) {
        console.error(rest[0] === undefined ? PRACTICE_USAGE : `unknown practice command ${JSON.stringify(rest[0])}\n${PRACTICE_USAGE}`);
        return 2;
      }
      const { ChartGuard } = await import('../store/chartguard.js');
      const cg = await ChartGuard.open(databaseOptions());
      try {
        return await practiceCommand(cg, rest, { out: (l) => console.log(l), err: (l) => console.error(l) });
      } finally {
        await cg.close();
      }
    }
    case 'backup':
    case 'restore': {
      const { runBackup, runRestore } = await import('./backup.js');
      return (command === 'backup' ? runBackup : runRestore)(databaseOptions(), rest, (line) => console.log(line));
    }
    case 'start':
    case 'serve':
    case 'demo': {
      const { runServerCommand } = await import('../server/main.js');
      return runServerCommand(command, rest);
    }
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
