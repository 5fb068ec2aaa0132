/**
 * The practice's settings (004: "Practice Administrators ... manage practice settings"):
 * its name, time zone, client directory, automatic logoff and whether every member signs
 * in with a second factor. Changing them is a command like any other: who may, which
 * values are valid, and the effect the store applies with its activity-log entry.
 */
import { succeeded, type CommandInput, type CommandResult, type Effect } from './command.js';
import type { Reason } from './decision.js';
import { canInPractice } from './permissions.js';
import type { SettingsChange, SettingsFacts } from './practice.js';
import { refusal, refusalOf } from './result.js';

/** Automatic logoff: at least 5 minutes (no one can work), at most 12 hours (a working day). */
export const IDLE_LOGOFF_MINUTES = Object.freeze({ min: 5, max: 720 });

export const PRACTICE_NAME_MAX = 200;

const SETTING_KEYS = ['name', 'timeZone', 'clientDirectory', 'idleLogoffMinutes', 'requireSecondFactor'] as const satisfies readonly (keyof SettingsFacts)[];

/** Whether `zone` is an IANA time zone name this runtime knows (its Intl data). */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Why each given value is not valid (empty when all are). */
export function settingsProblems(change: SettingsChange): Reason[] {
  const reasons: Reason[] = [];
  const bad = (text: string) => reasons.push({ code: 'invalid_setting', text });
  if (change.name !== undefined && (change.name.trim().length === 0 || change.name.length > PRACTICE_NAME_MAX)) {
    bad(`The practice name is 1 to ${PRACTICE_NAME_MAX} characters.`);
  }
  if (change.timeZone !== undefined && !isTimeZone(change.timeZone)) bad(`${JSON.stringify(change.timeZone)} is not a known time zone (use a name such as America/New_York).`);
  if (change.clientDirectory !== undefined && change.clientDirectory !== 'by_role' && change.clientDirectory !== 'all_staff') {
    bad('The client directory is either by role or for all staff.');
  }
  const idle = change.idleLogoffMinutes;
  if (idle !== undefined && idle !== null && (!Number.isInteger(idle) || idle < IDLE_LOGOFF_MINUTES.min || idle > IDLE_LOGOFF_MINUTES.max)) {
    bad(`Automatic logoff is a whole number of minutes from ${IDLE_LOGOFF_MINUTES.min} to ${IDLE_LOGOFF_MINUTES.max}.`);
  }
  return reasons;
}

/**
 * Changes some of the practice's settings (settings.manage). The effect names each changed
 * setting before and after; a change by anyone but the account owner tells the owner.
 *
 * @example
 * changeSettings(input, { changes: { timeZone: 'America/Chicago' } });
 * // { ok: true, effects: [{ kind: 'set_settings', before: { timeZone: 'UTC' }, after: { timeZone: 'America/Chicago' } }, ...] }
 */
export function changeSettings(input: CommandInput, cmd: { changes: SettingsChange }): CommandResult {
  const d = canInPractice(input.ctx, input.actor, 'settings.manage');
  if (!d.allowed) return refusalOf(d);
  const current = input.facts.settings;
  if (!current) return refusal('invalid_state', 'The practice settings were not loaded.');
  const problems = settingsProblems(cmd.changes);
  if (problems.length > 0) return { ok: false, code: 'invalid_setting', reasons: problems };
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const next = key === 'name' ? cmd.changes.name?.trim() : cmd.changes[key];
    if (next === undefined || next === current[key]) continue;
    before[key] = current[key];
    after[key] = next;
  }
  const changed = Object.keys(after);
  if (changed.length === 0) return succeeded(null, 'Settings unchanged.', [], d.reasons);
  const effects: Effect[] = [{ kind: 'set_settings', before: before as SettingsChange, after: after as SettingsChange }];
  if (input.actor !== input.ctx.team.ownerId) effects.push({ kind: 'notify', member: input.ctx.team.ownerId, event: 'settings_changed', client: null, email: false });
  return succeeded(null, `Changed the practice settings: ${changed.join(', ')}.`, effects, d.reasons);
}
