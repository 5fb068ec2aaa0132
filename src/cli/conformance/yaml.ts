/** Reading a scenario's YAML values strictly: a misspelt key or a wrong type fails the scenario, naming where. */
import type { Reason } from '../../core/index.js';

/** A scenario that is wrong or fails: the runner reports its message as the failure. */
export class ScenarioError extends Error {}

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function onlyKeys(where: string, o: Obj, allowed: readonly string[]) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new ScenarioError(`${where}: unknown key ${JSON.stringify(k)}`);
}

export function str(where: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new ScenarioError(`${where}: expected a name, got ${JSON.stringify(v)}`);
  return v;
}

export function strList(where: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: expected a list`);
  return v.map((x, i) => str(`${where}[${i}]`, typeof x === 'number' ? String(x) : x));
}

export function strictList(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: expected a list`);
  return v;
}

export function bool(where: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ScenarioError(`${where}: expected true or false`);
  return v;
}

export function reasonsText(reasons: readonly Reason[]): string {
  return reasons.map((r) => `${r.code}: ${r.text}`).join('; ');
}
