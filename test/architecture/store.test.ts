/**
 * The store by concept (ARCHITECTURE.md "Layers"): db/, facts/, commands/, reads/, auth/, mail/
 * under the thin ChartGuard facade, and no import cycle, not even of types. The sizes of its
 * files and functions are measured with the rest of src/ in size.test.ts.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, sourceFiles, SRC } from './imports.js';

const STORE = join(SRC, 'store');

describe('the store', () => {
  const files = sourceFiles(STORE);

  it('is split by concept into db/, facts/, commands/, reads/, auth/ and mail/ under the facade', () => {
    const folders = new Set(files.map((f) => relative(STORE, f).split('/').slice(0, -1).join('/')).filter((d) => d !== ''));
    expect([...folders].sort()).toEqual(['auth', 'commands', 'db', 'facts', 'mail', 'reads']);
    expect(files.some((f) => f.endsWith('store/chartguard.ts'))).toBe(true);
  });

  it('has no import cycle, of values or of types', () => {
    expect(cycles(files, true)).toEqual([]);
  });
});
