/**
 * The shared conformance scenarios and our own (test/scenarios), through the real
 * services and store, on every database kind.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, scenarioFiles } from '../src/cli/conformance.js';
import { database, databaseKinds } from './support/databases.js';

const dirs = ['../shared/conformance', 'test/scenarios'].filter((d) => existsSync(d));
const files = scenarioFiles(dirs);

describe.each(databaseKinds())('conformance scenarios on %s', (kind) => {
  it('finds scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)('%s', async (file) => {
    const r = await runScenario(await database(kind), file);
    expect(r.failure ?? 'passed').toBe('passed');
  });
});
