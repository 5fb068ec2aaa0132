/**
 * Audited reads and sign-ins are appended to the activity log in batches: while one batch of
 * a practice is being written, the entries that arrive wait for the next, and each batch is
 * one transaction that takes the practice row's lock once, chains every entry in arrival
 * order and moves the head (appendActivities). So chart views from many members at once do
 * not queue on the lock one by one, and the chain stays gap-free and verifiable. A caller's
 * promise settles when its entry is committed (or the batch failed): nothing is served as
 * audited before its entry is durable. Commands still append their own entry in their own
 * transaction, under the same lock, so they interleave with batches in chain order.
 */
import type { Store } from '../context.js';
import { appendActivities, type ActivityEntry, type TimedEntry } from './activity-log.js';

/** At most this many entries per transaction (one jsonb parameter; keeps a batch short). */
const MAX_BATCH = 256;

interface Waiting extends TimedEntry {
  readonly done: (error?: unknown) => void;
}

export class ActivityAppender {
  /** Entries not yet in a batch, per practice. */
  private readonly waiting = new Map<string, Waiting[]>();
  /** The running writer of each practice (one at a time, so batches chain in order). */
  private readonly writers = new Map<string, Promise<void>>();

  constructor(private readonly store: Pick<Store, 'within'>) {}

  /** Appends `entry` at time `at`; resolves once it is committed. */
  append(practice: string, at: number, entry: ActivityEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const queue = this.waiting.get(practice) ?? [];
      this.waiting.set(practice, queue);
      queue.push({ at, entry, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.writers.has(practice)) this.writers.set(practice, this.write(practice));
    });
  }

  /** Waits until every entry appended so far is written (a clean stop). */
  async drain(): Promise<void> {
    while (this.writers.size > 0) await Promise.allSettled([...this.writers.values()]);
  }

  private async write(practice: string): Promise<void> {
    // Let the appends of this turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      const queue = this.waiting.get(practice);
      if (!queue || queue.length === 0) {
        // In the same turn as the check, so an append that comes next starts a new writer.
        this.waiting.delete(practice);
        this.writers.delete(practice);
        return;
      }
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await this.store.within(practice, null, 'system', (tx) => appendActivities(tx, practice, batch));
        for (const w of batch) w.done();
      } catch (error) {
        for (const w of batch) w.done(error ?? new Error('the activity log could not be written'));
      }
    }
  }
}
