/**
 * The layers of ARCHITECTURE.md, checked on the source: the core imports nothing but the
 * core (no I/O, no package); the API contract (src/api) uses nothing but zod and the core;
 * the web app reaches the server only over HTTP (it may take the core's words and types and
 * the contract's types, never the store, the server or the CLI); no value import cycle
 * anywhere, and none at all (types included) in the core.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, importsOf, sourceFiles, SRC } from './imports.js';

const layer = (file: string) => relative(SRC, file).split('/')[0]!;

describe('layers', () => {
  const files = sourceFiles();

  it('finds the sources and their imports', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(importsOf(files.find((f) => f.endsWith('core/decide.ts'))!).some((i) => i.file?.endsWith('core/safeguards.ts'))).toBe(true);
  });

  it('keeps the core free of I/O, packages and the other layers', () => {
    const offending = files
      .filter((f) => layer(f) === 'core')
      .flatMap((f) => importsOf(f).filter((i) => i.file === null || layer(i.file) !== 'core').map((i) => `${relative(SRC, f)} imports ${i.specifier}`));
    expect(offending).toEqual([]);
  });

  it('keeps the API contract to zod and the core', () => {
    const contract = files.filter((f) => layer(f) === 'api');
    expect(contract.length).toBeGreaterThan(0);
    const offending = contract.flatMap((f) =>
      importsOf(f)
        .filter((i) => (i.file === null ? i.specifier !== 'zod' : !['api', 'core'].includes(layer(i.file))))
        .map((i) => `${relative(SRC, f)} imports ${i.specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('keeps the web app off the store, the server and the CLI, and takes only types from the contract', () => {
    const offending = files
      .filter((f) => layer(f) === 'web')
      .flatMap((f) =>
        importsOf(f)
          .filter((i) => i.file !== null && !['web', 'core'].includes(layer(i.file)) && !(layer(i.file) === 'api' && i.typeOnly))
          .map((i) => `${relative(SRC, f)} imports ${i.specifier}${i.typeOnly ? '' : ' (a value)'}`),
      );
    expect(offending).toEqual([]);
    expect(files.filter((f) => layer(f) === 'web').some((f) => importsOf(f).some((i) => i.file !== null && layer(i.file) === 'api'))).toBe(true);
  });

  it('has no import cycle of values, and none of any kind in the core', () => {
    expect(cycles(files)).toEqual([]);
    expect(cycles(files.filter((f) => layer(f) === 'core'), true)).toEqual([]);
  });
});
