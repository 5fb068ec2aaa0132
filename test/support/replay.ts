/** Replaying a random command sequence (generators.ts) on the store: the practice, then each step. */
import { DAY_MS } from '../../src/core/index.js';
import type { ChartGuard } from '../../src/store/chartguard.js';
import type { Sequence } from './generators.js';

/**
 * Creates the sequence's practice as `practice` and runs its steps through ChartGuard.execute
 * (refusals included); `advance` moves the test's clock by the milliseconds a step waits.
 *
 * @example
 * await replay(cg, practice, seq, (ms) => (now += ms));
 */
export async function replay(cg: ChartGuard, practice: string, seq: Sequence, advance: (ms: number) => void): Promise<void> {
  await cg.createPractice({ id: practice, ...seq.practice });
  for (const step of seq.steps) {
    if (step.kind === 'advance') advance(step.days * DAY_MS);
    else await cg.execute(practice, step.actor, step.command);
  }
}
