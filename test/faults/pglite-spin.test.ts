/**
 * Issue 12, finding 3, the real thing: on a disk too full for PGlite's next 16 MB WAL
 * segment the write fails and the *next* statement spins the main thread for ever
 * (docs/design/faults.md). The watchdog must end such a process loudly. Needs a small
 * tmpfs (skipped, saying so, where mounting is not allowed).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('a PGlite that spins after a failed WAL segment allocation is killed by the watchdog, with a log line', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cg-spin-'));
  const dir = join(root, 'disk');
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=56m', 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(root, { recursive: true, force: true });
    console.warn('skipped the PGlite spin case: mounting a tmpfs is not allowed here (the watchdog test still runs)');
    return;
  }
  try {
    const src = (p: string) => new URL(`../../src/${p}`, import.meta.url).pathname;
    const script = `
      const { startWatchdog } = await import('${src('server/watchdog.ts')}');
      const { openDatabase } = await import('${src('store/db/database.ts')}');
      const db = await openDatabase({ dataDir: '${join(dir, 'data')}' });
      startWatchdog(1500);
      await db.exec('create table t (x text)');
      for (let i = 0; i < 100; i++) {
        try { await db.query("insert into t select repeat('x', 1000) from generate_series(1, 1000)"); }
        catch (e) { console.log('write failed: ' + e.message); break; }
      }
      console.log('next statement');
      await db.query('select 1');
      console.log('answered');
      process.exit(0);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CHARTGUARD_DISK_MARGIN_MB: '0' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    const signal = await new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_c, s) => r(s)));
    clearTimeout(killer);
    expect(out).toMatch(/write failed: could not write to file "pg_wal\/xlogtemp/);
    expect(out).toContain('next statement');
    expect(out).not.toContain('answered');
    expect(out).toMatch(/watchdog: the server has not turned its event loop/);
    expect(signal).toBe('SIGKILL');
  } finally {
    execFileSync('umount', [dir]);
    rmSync(root, { recursive: true, force: true });
  }
});
