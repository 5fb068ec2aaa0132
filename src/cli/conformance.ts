/**
 * The conformance runner: `chartguard test PATH...` (../shared/conformance/FORMAT.md).
 * Each scenario builds its practice in the real store (PGlite in memory unless a
 * database URL is given) and drives the same application services as the HTTP API.
 * Reading the YAML is in conformance/yaml.ts, the practice in conformance/practice.ts,
 * the commands' vocabulary in conformance/commands.ts and the steps in conformance/steps.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { parse } from 'yaml';
import { ChartGuard } from '../store/chartguard.js';
import type { Database } from '../store/db/database.js';
import { readPractice } from './conformance/practice.js';
import { STEPS, type Play } from './conformance/steps.js';
import { isObj, ScenarioError, strictList, type Obj } from './conformance/yaml.js';

export interface ScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly failure?: string;
}

/** Every *.yaml below the given files and folders, in a stable order. */
export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) walk(join(p, f));
    } else if (/\.ya?ml$/.test(p)) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
let practiceCounter = 0;

const TOP_KEYS = new Set(['scenario', 'source', 'settings', 'members', 'supervision', 'clients', 'steps']);
const STEP_KINDS = new Set(Object.keys(STEPS));

/** Runs one scenario file against the store; never throws for a bad file (it fails). */
export async function runScenario(db: Database, file: string): Promise<ScenarioResult> {
  let name = basename(file);
  try {
    const doc = parse(readFileSync(file, 'utf8')) as unknown;
    if (!isObj(doc)) throw new ScenarioError('the file is not a YAML mapping');
    for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) throw new ScenarioError(`unknown top-level key ${JSON.stringify(k)}`);
    name = typeof doc.scenario === 'string' ? doc.scenario : name;
    await play(db, doc);
    return { file, name, passed: true };
  } catch (err) {
    const failure = err instanceof ScenarioError ? err.message : `error: ${(err as Error).stack ?? String(err)}`;
    return { file, name, passed: false, failure };
  }
}

async function play(db: Database, doc: Obj): Promise<void> {
  const clock = { now: START };
  const cg = ChartGuard.over(db, () => clock.now);
  const practice = `scenario-${process.pid}-${++practiceCounter}-${Date.now().toString(36)}`;
  const spec = readPractice(practice, doc);
  try {
    await cg.createPractice(spec);
  } catch (err) {
    throw new ScenarioError(`the practice could not be set up: ${(err as Error).message}`);
  }
  const steps = strictList(doc.steps, 'steps');
  for (let i = 0; i < steps.length; i++) await playStep({ cg, practice, clock }, i + 1, steps[i]);
}

async function playStep(play: Play, n: number, step: unknown): Promise<void> {
  if (!isObj(step)) throw new ScenarioError(`step ${n}: expected a mapping`);
  const kinds = Object.keys(step).filter((k) => STEP_KINDS.has(k));
  const extra = Object.keys(step).filter((k) => !STEP_KINDS.has(k) && k !== 'error');
  if (kinds.length !== 1 || extra.length > 0) {
    throw new ScenarioError(`step ${n}: expected exactly one of ${[...STEP_KINDS].join(', ')}${extra.length ? `; unknown key ${JSON.stringify(extra[0])}` : ''}`);
  }
  const kind = kinds[0]!;
  const body = step[kind];
  if (!isObj(body)) throw new ScenarioError(`step ${n} (${kind}): expected a mapping`);
  if (step.error !== undefined && kind !== 'do') throw new ScenarioError(`step ${n}: error: belongs to a do step`);
  const fail: (what: string) => never = (what) => {
    throw new ScenarioError(`step ${n} (${kind}): ${what}`);
  };
  await STEPS[kind]!(play, { n, body, step, fail });
}

/** Runs every scenario below `paths`, printing one line each and the closing count. */
export async function runConformance(db: Database, paths: readonly string[], out: (line: string) => void): Promise<{ passed: number; failed: number }> {
  let files: string[];
  try {
    files = scenarioFiles(paths);
  } catch (err) {
    out(`FAIL ${paths.join(' ')}`);
    out(`  ${(err as Error).message}`);
    out('0 passed, 1 failed');
    return { passed: 0, failed: 1 };
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const r = await runScenario(db, file);
    if (r.passed) {
      passed++;
      out(`PASS ${r.name}`);
    } else {
      failed++;
      out(`FAIL ${r.name}`);
      out(`  ${file}: ${r.failure}`);
    }
  }
  if (files.length === 0) {
    out(`FAIL no scenarios found in ${paths.join(' ')}`);
    failed++;
  }
  out(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
