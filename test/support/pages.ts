/** Walking keyset pages in the tests that prove pages equal a whole answer. */
import { expect } from 'vitest';
import type { KeysetPage } from '../../src/store/reads/keyset.js';

/** Every page of a read, joined, checking each page's size and cursor on the way. */
export async function walk<T, K>(limit: number, page: (after: K | null) => Promise<KeysetPage<T, K>>): Promise<T[]> {
  const out: T[] = [];
  let after: K | null = null;
  for (let pages = 0; ; pages++) {
    expect(pages, 'pages end').toBeLessThan(1000);
    const got: KeysetPage<T, K> = await page(after);
    expect(got.items.length).toBeLessThanOrEqual(limit);
    out.push(...got.items);
    if (got.next === null) return out;
    // A page with a next is full, and the next page is not empty.
    expect(got.items.length).toBe(limit);
    after = got.next;
  }
}
