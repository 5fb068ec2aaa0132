/**
 * Issue 12, finding 3 (the hang): a main thread that stops turning (as when PGlite spins in
 * WebAssembly) is logged loudly and the process ends non-zero instead of hanging for ever.
 */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';

it('a spinning main thread is killed by the watchdog with a log line, within the stall limit and a second', async () => {
  const mod = new URL('../../src/server/watchdog.ts', import.meta.url).pathname;
  const script = `import('${mod}').then((m) => { m.startWatchdog(800); setTimeout(() => { for (;;) {} }, 100); })`;
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, s) => r([c, s])));
  clearTimeout(killer);
  const ms = Date.now() - t0;
  expect(code === 0).toBe(false);
  expect(signal).toBe('SIGKILL');
  expect(stderr).toMatch(/"msg":"watchdog: the server has not turned its event loop/);
  expect(ms).toBeLessThan(15_000);
});
