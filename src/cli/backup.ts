/**
 * `chartguard backup FILE` and `chartguard restore FILE [--force]` (src/store/db/backup.ts).
 * The target is DATABASE_URL when set, else the embedded directory CHARTGUARD_DATA_DIR
 * (default ./.data). A backup of a running embedded server is taken by that server.
 */
import { backup, restore, type Target } from '../store/db/backup.js';

export async function runBackup(target: Target, args: string[], out: (line: string) => void): Promise<number> {
  const file = args[0];
  if (!file || args.length > 1) {
    out('usage: chartguard backup FILE');
    return 2;
  }
  const r = await backup(target, file);
  out(`backed up ${r.engine === 'postgres' ? 'the PostgreSQL database' : target.dataDir} to ${file} (${Math.round(r.bytes / 1024)} KB, ${r.via})`);
  return 0;
}

export async function runRestore(target: Target, args: string[], out: (line: string) => void): Promise<number> {
  const force = args.includes('--force');
  const files = args.filter((a) => a !== '--force');
  if (files.length !== 1) {
    out('usage: chartguard restore FILE [--force]');
    return 2;
  }
  const r = await restore(target, files[0]!, force);
  if (r.keptAt) out(`the replaced data directory is kept at ${r.keptAt}`);
  out(`restored ${files[0]} (${r.practices.length} practice(s)); verify-log:`);
  for (const p of r.practices) out(`  ${p.id}: ${p.detail}`);
  return r.practices.every((p) => p.ok) ? 0 : 1;
}
