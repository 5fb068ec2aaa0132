/**
 * Every source file of src/ small enough to read in one sitting and every function small
 * enough to hold in one's head (issue 11): no file over 400 lines (styles aside: they are
 * not TypeScript) and no function over 80, counting every function-like node (functions,
 * methods, accessors, arrow functions, so React components and the callbacks inside them).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles, SRC } from './imports.js';

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

const lines = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** Every function-like node with a body longer than `max` lines, named by file and the line it starts on. */
function longFunctions(file: string, max: number): string[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kind);
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

describe('the sources of src/', () => {
  const files = sourceFiles();

  it('are every .ts and .tsx file of every layer', () => {
    const layers = new Set(files.map((f) => relative(SRC, f).split('/')[0]));
    expect([...layers].sort()).toEqual(['api', 'cli', 'core', 'server', 'store', 'web']);
    expect(files.some((f) => f.endsWith('.tsx'))).toBe(true);
  });

  it(`have no file over ${MAX_FILE_LINES} lines`, () => {
    const over = files.map((f) => ({ file: relative(SRC, f), lines: lines(readFileSync(f, 'utf8')) })).filter((f) => f.lines > MAX_FILE_LINES);
    expect(over).toEqual([]);
  });

  it('counts arrow functions and React components as functions', () => {
    // The measure must see what it measures: a short bound finds the store's sign-in, an
    // arrow function in the server's routes and the web app's components.
    expect(longFunctions(files.find((f) => f.endsWith('auth/sign-in.ts'))!, 20).length).toBeGreaterThan(0);
    expect(longFunctions(files.find((f) => f.endsWith('web/App.tsx'))!, 10).length).toBeGreaterThan(0);
    const arrow = ts.createSourceFile('x.tsx', 'export const A = () => {\n  return <div/>;\n};\n', ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
    let found = false;
    const visit = (n: ts.Node) => { if (ts.isArrowFunction(n) && ts.isFunctionLike(n)) found = true; ts.forEachChild(n, visit); };
    visit(arrow);
    expect(found).toBe(true);
  });

  it(`have no function over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(files.flatMap((f) => longFunctions(f, MAX_FUNCTION_LINES))).toEqual([]);
  });
});
