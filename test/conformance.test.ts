/**
 * The shared conformance scenarios and our own (test/scenarios), through the real
 * services and store, on every database kind.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario, scenarioFiles } from '../src/cli/conformance.js';
import { database, databaseKinds } from './support/databases.js';

const dirs = ['../shared/conformance', 'test/scenarios'].filter((d) => existsSync(d));
// Issue 14: the team's lifecycle scenarios of the workflow folder; issue 15: the intake form and Bill as Supervisor (the rest belongs to issues 15 and 16).
const workflows = [
  '../shared/conformance-workflows/003-ownership-transfer.yaml',
  '../shared/conformance-workflows/004-team-member-lifecycle.yaml',
  '../shared/conformance-workflows/003-intake-form-link-and-rules.yaml',
  '../shared/conformance-workflows/004-bill-as-supervisor.yaml',
].filter((f) => existsSync(f));
const files = [...scenarioFiles(dirs), ...workflows];

describe.each(databaseKinds())('conformance scenarios on %s', (kind) => {
  it('finds scenarios', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  it.each(files)('%s', async (file) => {
    const r = await runScenario(await database(kind), file);
    expect(r.failure ?? 'passed').toBe('passed');
  });
});
