/**
 * When DATABASE_URL names a PostgreSQL server, the whole suite also runs there, in a
 * scratch database created for this run and dropped after it.
 */
import { scratchDatabase } from './scratch-database.js';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const admin = process.env.DATABASE_URL;
  if (!admin) return;
  const scratch = await scratchDatabase(admin, `chartguard_test_${process.pid}_${Date.now().toString(36)}`);
  process.env.CHARTGUARD_TEST_PG_URL = scratch.url;
  return scratch.drop;
}
