/**
 * The import graph of src/, read from the files as text: what each module imports, and the
 * cycles in it (ARCHITECTURE.md "Layers").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const SRC = resolve(import.meta.dirname, '../../src');

export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

export interface Import {
  readonly specifier: string;
  /** Resolved file under src/, or null for a package or node: builtin. */
  readonly file: string | null;
  readonly typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

export function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const specifier = m[3]!;
    const local = specifier.startsWith('.') ? resolve(dirname(file), specifier).replace(/\.js$/, '') : null;
    const candidates = local ? [`${local}.ts`, `${local}.tsx`, join(local, 'index.ts')] : [];
    out.push({ specifier, file: candidates.find((c) => { try { return statSync(c).isFile(); } catch { return false; } }) ?? (local ? `${local}?` : null), typeOnly: m[2] !== undefined });
  }
  return out;
}

/** Every cycle of value imports (type-only imports vanish at run time), as paths relative to src/. */
export function cycles(files: readonly string[], withTypes = false): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => (withTypes || !i.typeOnly) && i.file !== null).map((i) => i.file!)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') found.push(stack.slice(stack.indexOf(g)).map((x) => relative(SRC, x)));
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  return found;
}
