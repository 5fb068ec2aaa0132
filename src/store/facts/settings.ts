/**
 * The practice's settings as the core reads them (src/core/settings.ts), from its row of
 * chartguard.practices (migration 053), and how a change of them is written.
 */
import type { SettingsChange, SettingsFacts } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { PracticeNotFound } from './facts.js';

/** Each setting's column. */
const COLUMNS = {
  name: 'name',
  timeZone: 'time_zone',
  clientDirectory: 'client_directory',
  idleLogoffMinutes: 'idle_logoff_minutes',
  requireSecondFactor: 'require_second_factor',
} as const satisfies Record<keyof SettingsFacts, string>;

export async function loadSettings(tx: Queryable, practice: string): Promise<SettingsFacts> {
  const [r] = await tx.query<{ name: string; time_zone: string; client_directory: 'by_role' | 'all_staff'; idle_logoff_minutes: number | null; require_second_factor: boolean }>(
    'select name, time_zone, client_directory, idle_logoff_minutes, require_second_factor from chartguard.practices where id = $1',
    [practice],
  );
  if (!r) throw new PracticeNotFound(practice);
  return {
    name: r.name,
    timeZone: r.time_zone,
    clientDirectory: r.client_directory,
    idleLogoffMinutes: r.idle_logoff_minutes === null ? null : Number(r.idle_logoff_minutes),
    requireSecondFactor: r.require_second_factor,
  };
}

/** Writes the changed settings (the core decided them). */
export async function writeSettings(tx: Queryable, practice: string, change: SettingsChange): Promise<void> {
  const keys = (Object.keys(change) as (keyof SettingsFacts)[]).filter((k) => change[k] !== undefined);
  if (keys.length === 0) return;
  const sets = keys.map((k, i) => `${COLUMNS[k]} = $${i + 2}`).join(', ');
  await tx.query(`update chartguard.practices set ${sets} where id = $1`, [practice, ...keys.map((k) => change[k] as string | number | boolean | null)]);
}
