/** Timing and statistics for the benchmark (no rule logic here). */
import { hrtime } from 'node:process';

export interface Stats {
  readonly n: number;
  /** The low tail: close to the uncontended cost on a shared machine. */
  readonly p10: number;
  readonly median: number;
  readonly p95: number;
  readonly p99: number;
}

export function stats(samples: readonly number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { n: s.length, p10: at(0.1), median: at(0.5), p95: at(0.95), p99: at(0.99) };
}

let sink = 0;
/** Keeps results alive so the JIT cannot drop the work. */
export function consume(x: unknown): void {
  if (x === true) sink++;
}
export function sinkValue(): number {
  return sink;
}

/**
 * Per-call cost in nanoseconds of a synchronous call: `batches` timed batches of `batch`
 * calls each (a single call is too short for the clock), after a warm-up.
 */
export function timeSync(fn: (i: number) => unknown, batches: number, batch = 100): Stats {
  let i = 0;
  // Warm-up: a fifth of the batches, and at least 20 batches and 50 ms, so the optimizing
  // compiler has done its work before the clock starts (a fast call needs the time more than the count).
  const warmUntil = hrtime.bigint() + 50_000_000n;
  for (let w = 0; w < Math.max(20, batches / 5) || hrtime.bigint() < warmUntil; w++) for (let k = 0; k < batch; k++) consume(fn(i++));
  const out: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = hrtime.bigint();
    for (let k = 0; k < batch; k++) consume(fn(i++));
    out.push(Number(hrtime.bigint() - t0) / batch);
  }
  return stats(out);
}

/** Per-call cost in nanoseconds of an asynchronous call, one at a time. */
export async function timeAsync(fn: (i: number) => Promise<unknown>, calls: number, warmup = 20): Promise<Stats> {
  for (let i = 0; i < warmup; i++) consume(await fn(i));
  const out: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = hrtime.bigint();
    consume(await fn(warmup + i));
    out.push(Number(hrtime.bigint() - t0));
  }
  return stats(out);
}

/** A small deterministic PRNG (mulberry32), so every engine gets the same cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The single-check cases every engine is timed on (bench/run.ts and bench/checks.ts alike):
 * 4,096 (member, client, action) draws from a fixed seed, half view_profile, half view_chart.
 */
export function checkCases<A extends string>(members: readonly string[], clients: readonly string[], actions: readonly [A, A]): { member: string; client: string; action: A }[] {
  const rnd = prng(42);
  return Array.from({ length: 4096 }, (_, i) => ({
    member: members[Math.floor(rnd() * members.length)]!,
    client: clients[Math.floor(rnd() * clients.length)]!,
    action: actions[i % 2]!,
  }));
}
