/**
 * A free-space margin on the embedded database's disk. PGlite writes its WAL in 16 MB
 * segments; when a new segment cannot be allocated it spins instead of failing (issue 12,
 * finding 3; docs/design/faults.md "A full disk"). So writes are refused *before* the disk is that
 * full: below the margin every change answers 507 and reads go on; the check is repeated
 * (at most every `cacheMs`), so writes come back by themselves when space returns.
 *
 * CHARTGUARD_DISK_MARGIN_MB (default 64: four WAL segments and room for the tables to grow).
 *
 * @example
 * const disk = new DiskSpace('.data'); // margin: CHARTGUARD_DISK_MARGIN_MB
 * disk.assertWritable(); // throws InsufficientStorage below the margin
 */
import { statfsSync } from 'node:fs';
import { InsufficientStorage } from './db-faults.js';

const MB = 1024 * 1024;

/** The smallest free space PGlite starts with: one WAL segment and some. */
export const MIN_START_BYTES = 24 * MB;

export function diskMarginBytes(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.CHARTGUARD_DISK_MARGIN_MB);
  return (Number.isFinite(v) && v >= 0 ? v : 64) * MB;
}

export interface DiskReading {
  readonly freeBytes: number;
  readonly marginBytes: number;
  readonly ok: boolean;
}

export class DiskSpace {
  private last: { at: number; reading: DiskReading } | null = null;
  private low = false;

  constructor(
    readonly dir: string,
    /** Read at every check, so a changed setting takes effect without a restart. */
    private readonly margin: () => number = () => diskMarginBytes(),
    /** Told once when the disk goes below the margin (true) and once when it is back (false). */
    private readonly onChange: (low: boolean, reading: DiskReading) => void = () => {},
    private readonly cacheMs = 500,
  ) {}

  /** Free bytes for an unprivileged writer, and whether they are above the margin. */
  read(): DiskReading {
    const now = Date.now();
    const marginBytes = this.margin();
    if (this.last && now - this.last.at < this.cacheMs && this.last.reading.marginBytes === marginBytes) return this.last.reading;
    const s = statfsSync(this.dir);
    const freeBytes = Number(s.bavail) * Number(s.bsize);
    const reading = { freeBytes, marginBytes, ok: freeBytes >= marginBytes };
    this.last = { at: now, reading };
    if (reading.ok === this.low) {
      this.low = !reading.ok;
      this.onChange(this.low, reading);
    }
    return reading;
  }

  /** Throws InsufficientStorage while the disk is below the margin. */
  assertWritable(): void {
    const r = this.read();
    if (!r.ok) throw new InsufficientStorage(lowDiskMessage(this.dir, r));
  }
}

export function lowDiskMessage(dir: string, r: DiskReading): string {
  return `The disk of the data directory ${dir} has ${(r.freeBytes / MB).toFixed(1)} MB free, below the ${(r.marginBytes / MB).toFixed(0)} MB margin (CHARTGUARD_DISK_MARGIN_MB): changes are refused until space is freed; reading still works.`;
}

/** Refuses to open PGlite on a disk where it cannot allocate a WAL segment, saying why. */
export function checkStartingDisk(dir: string): void {
  const r = new DiskSpace(dir, () => MIN_START_BYTES, () => {}, 0).read();
  if (!r.ok) {
    throw new InsufficientStorage(
      `Cannot start: the disk of the data directory ${dir} has ${(r.freeBytes / MB).toFixed(1)} MB free; the embedded database needs at least ${MIN_START_BYTES / MB} MB (a 16 MB WAL segment and room to grow). Free some space and start again.`,
    );
  }
}

/** PGlite's "failed to initialize" on a low disk, explained. */
export function explainStartFailure(dir: string, err: unknown): unknown {
  if (err instanceof InsufficientStorage || (err as { name?: string }).name?.startsWith('DataDirectory')) return err;
  try {
    const r = new DiskSpace(dir, () => diskMarginBytes(), () => {}, 0).read();
    if (!r.ok) return new InsufficientStorage(`The embedded database could not start (${err instanceof Error ? err.message : String(err)}): ${lowDiskMessage(dir, r)}`);
  } catch {
    // no reading: the original error says what it can
  }
  return err;
}
