/** Timeouts and intervals from the environment (db-faults.ts, listener-liveness.ts). */

/** The variable `name` as a positive number of milliseconds, or `fallback` when it is unset or not one. */
export function envMs(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
