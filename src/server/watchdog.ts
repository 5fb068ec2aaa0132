/**
 * A watchdog for a stalled server: when the main thread stops turning its event loop for
 * CHARTGUARD_WATCHDOG_MS (default 30000; 0 turns it off), the process logs it loudly and
 * is killed, so a supervisor restarts it, instead of hanging for ever with every request
 * waiting. PGlite runs in WebAssembly on the main thread: when it spins (as it did when a
 * WAL segment could not be allocated on a full disk, docs/design/faults.md "A full disk") nothing
 * in that thread runs again, not even a timer or a signal handler. So the watch is kept by
 * a worker thread, which reads a heartbeat the main thread writes to shared memory, and
 * ends the process with SIGKILL (the data-directory lock it leaves is taken over on restart).
 */
import { Worker } from 'node:worker_threads';

const WORKER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new Float64Array(workerData.shared);
const check = Math.max(50, Math.min(1000, workerData.stallMs / 4));
setInterval(() => {
  const stalled = Date.now() - beat[0];
  if (stalled < workerData.stallMs) return;
  writeSync(2, JSON.stringify({ level: 60, time: Date.now(), pid: process.pid, msg: 'watchdog: the server has not turned its event loop for ' + stalled + ' ms (the embedded database may be spinning): exiting so it can be restarted', stalledMs: stalled }) + '\\n');
  process.kill(process.pid, 'SIGKILL');
}, check);
`;

export function watchdogMs(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.CHARTGUARD_WATCHDOG_MS);
  return Number.isFinite(v) && v >= 0 && env.CHARTGUARD_WATCHDOG_MS !== '' && env.CHARTGUARD_WATCHDOG_MS !== undefined ? v : 30_000;
}

/** Starts the watchdog; returns a function that stops it. */
export function startWatchdog(stallMs: number = watchdogMs()): () => Promise<void> {
  if (stallMs <= 0) return async () => {};
  const shared = new SharedArrayBuffer(8);
  const beat = new Float64Array(shared);
  beat[0] = Date.now();
  const timer = setInterval(() => (beat[0] = Date.now()), Math.max(10, Math.min(250, stallMs / 10)));
  timer.unref();
  // No inherited flags: --input-type=module (or a loader) would change how the CommonJS body runs.
  const worker = new Worker(WORKER, { eval: true, execArgv: [], workerData: { shared, stallMs } });
  worker.on('error', (err) => process.stderr.write(`watchdog: could not start (${err.message}): a stalled server will not be ended\n`));
  worker.unref();
  return async () => {
    clearInterval(timer);
    await worker.terminate();
  };
}
