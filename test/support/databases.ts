/**
 * The databases every storage test runs on: embedded PGlite always, and the PostgreSQL
 * server when DATABASE_URL is set (CI). One instance per test worker, migrated once;
 * tests isolate themselves by practice id (see newPracticeId).
 */
import { openDatabase, type Database } from '../../src/store/db/database.js';
import { migrate } from '../../src/store/db/migrate.js';

export type DatabaseKind = 'pglite' | 'postgres';

const open = new Map<DatabaseKind, Promise<Database>>();

/** The kinds to run on, for describe.each. */
export function databaseKinds(): DatabaseKind[] {
  return process.env.CHARTGUARD_TEST_PG_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** The worker's shared, migrated database of that kind. */
export function database(kind: DatabaseKind): Promise<Database> {
  let db = open.get(kind);
  if (!db) {
    db = (async () => {
      const d = kind === 'postgres' ? await openDatabase({ url: process.env.CHARTGUARD_TEST_PG_URL }) : await openDatabase({ dataDir: 'memory' });
      await migrate(d);
      return d;
    })();
    open.set(kind, db);
  }
  return db;
}

let counter = 0;
/** A practice id no other test (or worker, or run) uses. */
export function newPracticeId(label = 'p'): string {
  return `${label}-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
}
