/**
 * The store by concept (ARCHITECTURE.md "Layers"): db/, facts/, commands/, reads/, auth/
 * under the thin ChartGuard facade. Each file small enough to read in one sitting, each
 * function small enough to hold in one's head, and no import cycle, not even of types.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { cycles, sourceFiles, SRC } from './imports.js';

const STORE = join(SRC, 'store');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const lines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Every function, method, getter and arrow function of a file longer than `max` lines, named by where it starts. */
function longFunctions(file: string, max: number): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const long: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      if (end - start + 1 > max) long.push(`${relative(SRC, file)}:${start + 1} (${end - start + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return long;
}

describe('the store', () => {
  const files = sourceFiles(STORE);

  it('is split by concept into db/, facts/, commands/, reads/ and auth/ under the facade', () => {
    const folders = new Set(files.map((f) => relative(STORE, f).split('/').slice(0, -1).join('/')).filter((d) => d !== ''));
    expect([...folders].sort()).toEqual(['auth', 'commands', 'db', 'facts', 'reads']);
    expect(files.some((f) => f.endsWith('store/chartguard.ts'))).toBe(true);
  });

  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const over = files.map((f) => ({ file: relative(SRC, f), lines: lines(readFileSync(f, 'utf8')) })).filter((f) => f.lines > MAX_FILE_LINES);
    expect(over).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(longFunctions(files.find((f) => f.endsWith('auth/sign-in.ts'))!, 20).length).toBeGreaterThan(0);
    expect(files.flatMap((f) => longFunctions(f, MAX_FUNCTION_LINES))).toEqual([]);
  });

  it('has no import cycle, of values or of types', () => {
    expect(cycles(files, true)).toEqual([]);
  });
});
