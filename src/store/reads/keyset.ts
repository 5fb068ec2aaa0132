/**
 * A page of rows the core lets through, read in key order from an index: the shared walk of
 * the paged reads of one client's records and of one member's (record-pages.ts).
 *
 * The SQL narrows (one client's rows, one member's rows); the core's single checks decide
 * each row, as in ChartGuard.list(). When the core refuses some candidates, later batches
 * grow, so a sparse page takes few statements; a page costs what the member's reach holds,
 * never the practice.
 */

export interface KeysetPage<T, K> {
  readonly items: readonly T[];
  /** Pass as `after` for the next page; null on the last page. */
  readonly next: K | null;
}

export interface KeysetWalk<R, T, K> {
  readonly limit: number;
  /** The `next` of the previous page, or null for the first page. */
  readonly after: K | null;
  /** Up to `batch` candidate rows after `after`, in key order. */
  fetch(after: K | null, batch: number): Promise<readonly R[]>;
  /** The key of a candidate row (the cursor is the last item's). */
  key(row: R): K;
  /** Each candidate as an item when the core lets it through, else null (one call per batch, so facts load once). */
  admit(rows: readonly R[]): Promise<readonly (T | null)[]>;
}

/** Largest batch of candidates read at once. */
const MAX_BATCH = 2000;

/**
 * Walks candidates batch by batch until `limit` items are let through or the rows end.
 *
 * @example
 * const page = await keysetPage({ limit: 50, after: null, fetch, key: (r) => ({ at: r.at, id: r.id }), admit });
 */
export async function keysetPage<R, T, K>(walk: KeysetWalk<R, T, K>): Promise<KeysetPage<T, K>> {
  const items: T[] = [];
  let lastKey: K | null = null;
  let cursor = walk.after;
  // One more than the page, so a page that ends exactly with the rows needs no second statement.
  let batch = walk.limit + 1;
  for (;;) {
    const rows = await walk.fetch(cursor, batch);
    const admitted = await walk.admit(rows);
    for (let i = 0; i < rows.length; i++) {
      const item = admitted[i];
      if (item === null || item === undefined) continue;
      if (items.length === walk.limit) return { items, next: lastKey };
      items.push(item);
      lastKey = walk.key(rows[i]!);
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || last === undefined) return { items, next: null };
    cursor = walk.key(last);
    batch = Math.min(batch * 4, MAX_BATCH);
  }
}
