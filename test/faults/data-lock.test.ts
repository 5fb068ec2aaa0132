/**
 * Issue 12, finding 2: two processes on one PGlite data directory. Every command that opens
 * it takes an exclusive lock; a second process refuses at once naming the holder; a lock
 * left by a killed process is taken over; a read-only directory says so.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireDataLock, DataDirectoryLocked, DataDirectoryReadOnly, LOCK_FILE } from '../../src/store/db/data-lock.js';
import { openDatabase } from '../../src/store/db/database.js';
import { runCli } from '../support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'cg-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('exit', r));
  return child.pid!;
}

describe('the data directory lock', () => {
  it('a second opener in this process is refused, naming this pid; closing frees the directory', async () => {
    const dir = join(root, 'in-process');
    const db = await openDatabase({ dataDir: dir });
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(new RegExp(`in use by process ${process.pid}`));
    await db.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  });

  it('every command that opens the directory (migrate, verify-log, demo, serve) refuses at once while another process holds it', async () => {
    const dir = join(root, 'held');
    const db = await openDatabase({ dataDir: dir });
    try {
      for (const args of [['migrate'], ['verify-log', 'demo'], ['demo'], ['serve']]) {
        const t0 = Date.now();
        const r = await runCli(args, { CHARTGUARD_DATA_DIR: dir });
        expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(1);
        expect(r.stderr).toContain(`is in use by process ${process.pid}`);
        expect(Date.now() - t0).toBeLessThan(15_000);
      }
    } finally {
      await db.close();
    }
  });

  it("a stale lock of a killed process is taken over; another host's lock is not", async () => {
    const dir = join(root, 'stale');
    mkdirSync(dir, { recursive: true });
    const pid = await deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', command: 'serve' }));
    const lock = acquireDataLock(dir, 'test');
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();

    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: 'another-host', startedAt: '2026-01-01T00:00:00.000Z', command: 'serve' }));
    expect(() => acquireDataLock(dir, 'test')).toThrow(DataDirectoryLocked);
    rmSync(join(dir, LOCK_FILE));
  });

  it('of many processes racing for one stale lock, exactly one gets it', async () => {
    const dir = join(root, 'race');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: await deadPid(), host: hostname(), startedAt: 'x', command: 'serve' }));
    const script = `import('${new URL('../../src/store/db/data-lock.ts', import.meta.url).pathname}').then(m => { try { m.acquireDataLock(process.argv[1]); console.log('got'); setTimeout(() => {}, 1500); } catch (e) { console.log('refused'); } })`;
    const outs = await Promise.all(
      Array.from({ length: 6 }, () =>
        new Promise<string>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', '-e', script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
          let o = '';
          c.stdout.on('data', (d) => (o += d));
          c.on('exit', () => resolve(o.trim()));
        }),
      ),
    );
    expect(outs.filter((o) => o === 'got')).toHaveLength(1);
    expect(outs.filter((o) => o === 'refused')).toHaveLength(5);
  });

  it('a read-only directory says so clearly (not "PGlite failed to initialize")', async () => {
    const dir = join(root, 'read-only');
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    } catch {
      console.warn('skipped the read-only mount case: mounting a tmpfs is not allowed here');
      return;
    }
    try {
      await expect(openDatabase({ dataDir: join(dir, 'data') })).rejects.toBeInstanceOf(DataDirectoryReadOnly);
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/is read-only/);
      const r = await runCli(['migrate'], { CHARTGUARD_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/is read-only/);
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});
