/**
 * The runner itself: a file it cannot read, or a name FORMAT.md does not define, fails
 * with a clear message and never passes; a wrong expectation fails with the reasons.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance, runScenario } from '../src/cli/conformance.js';
import { database } from './support/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-scenarios-'));
function scenario(name: string, text: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, text);
  return f;
}

const base = `scenario: t
members:
  olivia: [account_owner]
  ana: [clinician_basic]
  bill: [practice_biller]
clients:
  c1: { primary: ana }
steps:
`;

describe('conformance runner', () => {
  it('fails a file that does not parse', async () => {
    const r = await runScenario(await database('pglite'), scenario('bad', 'scenario: [unclosed'));
    expect(r.passed).toBe(false);
  });
  it.each([
    ['unknown role', base.replace('practice_biller', 'practice_wizard')],
    ['unknown command', `${base}  - do: { as: olivia, command: teleport, client: c1 }\n`],
    ['unknown permission', `${base}  - check: { member: bill, can: client.teleport, client: c1 }\n`],
    ['unknown area', `${base}  - list: { member: bill, area: everything, includes: [c1] }\n`],
    ['unknown refusal code', `${base}  - do: { as: bill, command: restrict, client: c1 }\n    error: nope\n`],
    ['unknown step', `${base}  - dance: { member: bill }\n`],
    ['unknown argument', `${base}  - do: { as: ana, command: restrict, client: c1, loudly: true }\n`],
    ['unknown top-level key', `${base}  - check: { member: bill, can: client.view_profile, client: c1 }\nextra: 1\n`],
  ])('fails on %s', async (label, text) => {
    const r = await runScenario(await database('pglite'), scenario(label.replace(/ /g, '-'), text));
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/unknown|expected/);
  });
  it('fails a wrong expectation with the decision reasons', async () => {
    const r = await runScenario(await database('pglite'), scenario('wrong', `${base}  - check: { member: bill, cannot: client.view_profile, client: c1 }\n`));
    expect(r.passed).toBe(false);
    expect(r.failure).toMatch(/step 1.*allowed.*Administrative access/);
  });
  it('fails a refusal with the wrong code, naming both', async () => {
    const r = await runScenario(await database('pglite'), scenario('code', `${base}  - do: { as: olivia, command: revoke_administrative, client: c1, member: bill }\n    error: only_account_owner\n`));
    expect(r.failure).toMatch(/expected refusal only_account_owner, got not_restricted/);
  });
  it('prints one line per scenario and the closing count', async () => {
    const lines: string[] = [];
    const ok = scenario('ok', `${base}  - check: { member: bill, can: client.view_profile, client: c1 }\n`);
    const { passed, failed } = await runConformance(await database('pglite'), [ok, join(dir, 'wrong.yaml')], (l) => lines.push(l));
    expect([passed, failed]).toEqual([1, 1]);
    expect(lines[0]).toBe('PASS t');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
  });
});
