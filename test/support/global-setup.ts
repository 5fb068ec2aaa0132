/**
 * When DATABASE_URL names a PostgreSQL server, the whole suite also runs there, in a
 * scratch database created for this run and dropped after it.
 */
import pg from 'pg';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  const admin = process.env.DATABASE_URL;
  if (!admin) return;
  const name = `chartguard_test_${process.pid}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.CHARTGUARD_TEST_PG_URL = url.toString();
  return async () => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
}
