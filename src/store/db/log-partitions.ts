/**
 * The activity log's months (migration 048): this month and the next two exist before an
 * entry needs them, so no entry of the present lands in the default partition. The server
 * creates them at start and every day after; several servers over one database take turns
 * (the function takes an advisory lock).
 */
import type { Database } from './database.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Creates the missing months from now to two months ahead; returns how many it created. */
export async function ensureLogMonths(db: Pick<Database, 'query'>, now: Date = new Date()): Promise<number> {
  const [row] = await db.query<{ created: number }>(
    `select chartguard.ensure_activity_log_months($1::timestamptz, $1::timestamptz + interval '2 months') as created`,
    [now.toISOString()],
  );
  return Number(row?.created ?? 0);
}

/** Runs ensureLogMonths every day (the timer does not hold the process open); returns its stop. */
export function keepLogMonthsAhead(db: Pick<Database, 'query'>, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => void ensureLogMonths(db).catch(onError), DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
