/**
 * One process at a time on an embedded PGlite data directory. Two processes on one
 * directory each believe they own it, and one's acknowledged writes vanish (issue 12,
 * finding 2). Every command that opens the directory takes this lock first.
 *
 * The lock is a file, `chartguard.lock`, created with O_CREAT|O_EXCL (`'wx'`): of two
 * racing processes exactly one creates it. It says who holds it (pid, host, start time,
 * command). A lock left by a process that died (kill -9, a crash) is stale: on the same
 * host, when its pid no longer runs, the next process takes it over, guarded by a second
 * exclusive file so two processes never both take over the same stale lock.
 *
 * @example
 * const lock = acquireDataLock('.data');   // throws DataDirectoryLocked naming the holder
 * try { ... } finally { lock.release(); }
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'chartguard.lock';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  readonly command: string;
}

/** Another live process holds the directory. */
export class DataDirectoryLocked extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `The data directory ${dir} is in use by process ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.startedAt}). ` +
            `Stop that process first, or use another CHARTGUARD_DATA_DIR. (Lock file: ${join(dir, LOCK_FILE)}.)`
        : `The data directory ${dir} is locked (${join(dir, LOCK_FILE)}) by a process that is starting.`,
    );
    this.name = 'DataDirectoryLocked';
  }
}

/** The directory cannot be written at all (read-only mount, permissions). */
export class DataDirectoryReadOnly extends Error {
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(`The data directory ${dir} is read-only (${(cause as { code?: string }).code ?? String(cause)}): ChartGuard needs to write there. Make it writable or set CHARTGUARD_DATA_DIR to a writable directory.`, { cause });
    this.name = 'DataDirectoryReadOnly';
  }
}

export interface DataLock {
  readonly path: string;
  /** Writes this process's holder again (a restored archive carries the lock file of the process it was taken from). */
  reassert(): void;
  release(): void;
}

/** Takes the directory's lock or throws DataDirectoryLocked / DataDirectoryReadOnly. */
export function acquireDataLock(dir: string, command: string = process.argv.slice(2, 3).join(' ') || 'chartguard'): DataLock {
  const path = join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(dir, path, me)) return held(path, me);
    const holder = readHolder(path);
    if (holder && holder.pid === process.pid && holder.host === me.host) throw new DataDirectoryLocked(dir, holder); // this process opened it already
    if (holder === undefined) continue; // it vanished meanwhile: try again
    if (!isStale(holder)) throw new DataDirectoryLocked(dir, holder);
    takeOverStale(path, holder);
  }
  throw new DataDirectoryLocked(dir, readHolder(path) ?? null);
}

function held(path: string, me: LockHolder): DataLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    // Only our own lock: never remove one a later process took over.
    const now = readHolder(path);
    if (now && now.pid === me.pid && now.startedAt === me.startedAt) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
    process.off('exit', release);
  };
  // A normal exit without close() still frees the directory (kill -9 leaves a stale lock instead).
  process.on('exit', release);
  const reassert = () => writeFileSync(path, JSON.stringify(me) + '\n');
  return { path, reassert, release };
}

function tryCreate(dir: string, path: string, me: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'EEXIST') return false;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') throw new DataDirectoryReadOnly(dir, err);
    throw err;
  }
  try {
    writeSync(fd, JSON.stringify(me) + '\n');
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The holder; null when the file is unreadable or still empty (being written); undefined when it is gone. */
function readHolder(path: string): LockHolder | null | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    return null;
  }
  try {
    const h = JSON.parse(text) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

/** A lock of a process on this host that no longer runs. One of another host is never taken over. */
function isStale(holder: LockHolder | null): boolean {
  if (!holder) return false;
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'ESRCH';
  }
}

/**
 * Removes a stale lock, under a second exclusive file so that of two processes taking over
 * the same stale lock only one removes it (the other then finds the winner's fresh lock).
 */
function takeOverStale(path: string, stale: LockHolder | null): void {
  const guard = path + '.takeover';
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err;
    // A takeover that died half-way leaves its guard: old ones are removed, then we retry.
    try {
      if (Date.now() - statSync(guard).mtimeMs > 10_000) unlinkSync(guard);
    } catch {
      // gone meanwhile
    }
    return;
  }
  try {
    const now = readHolder(path);
    if (now && stale && now.pid === stale.pid && now.startedAt === stale.startedAt) unlinkSync(path);
  } finally {
    closeSync(fd);
    unlinkSync(guard);
  }
}
