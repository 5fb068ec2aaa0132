import { describe, expect, it } from 'vitest';
import { commandNeeds, decide, isTimeZone, settingsProblems, type CommandResult, type SettingsChange, type SettingsFacts } from '../../src/core/index.js';
import { input, practice, TEAM } from './fixtures.js';

const ctx = practice(TEAM);
const SETTINGS: SettingsFacts = { name: 'Harbor', timeZone: 'UTC', clientDirectory: 'by_role', idleLogoffMinutes: null, requireSecondFactor: false };
const change = (actor: string, changes: SettingsChange, settings: SettingsFacts | null = SETTINGS): CommandResult =>
  decide(input(ctx, actor, [], settings ? { settings } : {}), { type: 'change_settings', changes });

describe('change_settings', () => {
  it('is for the account owner and practice administrators only (settings.manage)', () => {
    const allowed = Object.keys(TEAM).filter((m) => change(m, { timeZone: 'Europe/Paris' }).ok);
    expect(allowed.sort()).toEqual(Object.keys(TEAM).filter((m) => TEAM[m]!.some((r) => r === 'account_owner' || r === 'practice_administrator')).sort());
    const r = change('ana', { timeZone: 'Europe/Paris' });
    expect(!r.ok && r.code).toBe('forbidden');
    expect(change('nobody', { name: 'x' }).ok).toBe(false);
  });

  it('names each changed setting before and after, and tells the owner of a change by someone else', () => {
    const r = change('pat', { timeZone: 'America/Chicago', idleLogoffMinutes: 30, name: '  Harbor  ', requireSecondFactor: true });
    expect(r.ok && r.effects).toEqual([
      { kind: 'set_settings', before: { timeZone: 'UTC', idleLogoffMinutes: null, requireSecondFactor: false }, after: { timeZone: 'America/Chicago', idleLogoffMinutes: 30, requireSecondFactor: true } },
      { kind: 'notify', member: 'olivia', event: 'settings_changed', client: null, email: false },
    ]);
    expect(r.ok && r.summary).toBe('Changed the practice settings: timeZone, idleLogoffMinutes, requireSecondFactor.');
    const own = change('olivia', { clientDirectory: 'all_staff' });
    expect(own.ok && own.effects).toEqual([{ kind: 'set_settings', before: { clientDirectory: 'by_role' }, after: { clientDirectory: 'all_staff' } }]);
    const back = change('olivia', { idleLogoffMinutes: null }, { ...SETTINGS, idleLogoffMinutes: 60 });
    expect(back.ok && back.effects).toEqual([{ kind: 'set_settings', before: { idleLogoffMinutes: 60 }, after: { idleLogoffMinutes: null } }]);
  });

  it('changes nothing when every value is already set', () => {
    const r = change('pat', { timeZone: 'UTC', clientDirectory: 'by_role' });
    expect(r.ok && r.effects).toEqual([]);
  });

  it('refuses invalid values with a reason for each (invalid_setting), before looking at what changes', () => {
    const r = change('olivia', { timeZone: 'Mars/Base', idleLogoffMinutes: 4, name: '' });
    expect(!r.ok && r.code).toBe('invalid_setting');
    expect(!r.ok && r.reasons.map((x) => x.text)).toEqual([
      'The practice name is 1 to 200 characters.',
      '"Mars/Base" is not a known time zone (use a name such as America/New_York).',
      'Automatic logoff is a whole number of minutes from 5 to 720.',
    ]);
    for (const minutes of [5, 720]) expect(settingsProblems({ idleLogoffMinutes: minutes })).toEqual([]);
    for (const minutes of [4, 721, 30.5, Number.NaN]) expect(settingsProblems({ idleLogoffMinutes: minutes })).toHaveLength(1);
    expect(settingsProblems({ name: 'x'.repeat(201) })).toHaveLength(1);
    expect(settingsProblems({ clientDirectory: 'everyone' as 'all_staff' })).toHaveLength(1);
    // A refusal for who may comes first: a clinician learns nothing about the values.
    const clinician = change('ana', { timeZone: 'Mars/Base' });
    expect(!clinician.ok && clinician.code).toBe('forbidden');
  });

  it('knows IANA time zones from the runtime', () => {
    for (const zone of ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Chatham']) expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['', 'Mars/Base', 'America/Nowhere', 'x'.repeat(65), '../etc/passwd']) expect(isTimeZone(zone), zone).toBe(false);
  });

  it('needs the settings loaded (commandNeeds), and refuses without them', () => {
    expect(commandNeeds({ type: 'change_settings', changes: {} }).settings).toBe(true);
    const r = change('olivia', { name: 'x' }, null);
    expect(!r.ok && r.code).toBe('invalid_state');
  });
});
