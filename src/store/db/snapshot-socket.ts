/**
 * The snapshot socket of an embedded data directory: the process that holds the directory
 * (data-lock.ts) answers backup requests on a Unix socket of mode 0600 beside it
 * (DIR.sock; only the same user on the same machine can connect). `chartguard backup` asks
 * it for PGlite's dumpDataDir while the server runs (backup.ts). Beside, not inside: PGlite's
 * archive of the directory cannot hold a socket.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DataDirectoryLocked } from './data-lock.js';

/** DIR.sock, or one under the temporary directory when that path is too long for a socket. */
export function socketPath(dir: string): string {
  const beside = resolve(dir).replace(/\/+$/, '') + '.sock';
  if (beside.length < 100) return beside;
  return join(tmpdir(), `chartguard-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16)}.sock`);
}

/**
 * Answers snapshot requests on socketPath(DIR) for the process that holds DIR: one
 * line "snapshot\n" in, the archive out. Returns a function that stops it.
 */
export function serveSnapshots(dir: string, snapshot: () => Promise<Uint8Array>): () => Promise<void> {
  const path = socketPath(dir);
  rmSync(path, { force: true }); // a killed holder's socket (we hold the lock: it is not in use)
  const server: Server = createServer((socket) => {
    let asked = '';
    socket.on('data', (d) => {
      asked += d.toString('latin1');
      if (!asked.includes('\n')) return;
      if (asked.trim() !== 'snapshot') {
        socket.end('ERR unknown request\n');
        return;
      }
      snapshot().then(
        (bytes) => socket.end(Buffer.concat([Buffer.from('OK\n'), Buffer.from(bytes)])),
        (err: unknown) => socket.end(`ERR ${err instanceof Error ? err.message : String(err)}\n`),
      );
    });
    socket.on('error', () => {});
  });
  server.on('error', () => {}); // no socket (a path too long, a read-only directory): backups then need the server stopped
  const oldMask = process.umask(0o177);
  try {
    server.listen(path);
  } finally {
    process.umask(oldMask);
  }
  server.unref();
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      rmSync(path, { force: true });
    });
}

/** Asks the process holding `dir` for a snapshot. */
export function askHolder(dir: string, locked: DataDirectoryLocked): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath(dir));
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write('snapshot\n'));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => reject(new Error(`${locked.message} It does not answer backup requests (${socketPath(dir)}): stop it and back up again.`)));
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      if (all.subarray(0, 3).toString('latin1') === 'OK\n') resolve(all.subarray(3));
      else reject(new Error(`The server holding ${dir} could not take the snapshot: ${all.toString('utf8').replace(/^ERR /, '').trim()}`));
    });
  });
}
