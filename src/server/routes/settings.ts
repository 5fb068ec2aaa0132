/** The practice's settings (settings.manage): read them, and change some of them as one command (change_settings). */
import { canInPractice, type SettingsFacts } from '../../core/index.js';
import { loadSettings } from '../../store/facts/settings.js';
import { refusal } from '../problem.js';
import { route, type Route, type Session } from '../route.js';
import * as S from '../../api/index.js';
import type { Shared } from './shared.js';

export function settingsRoutes(h: Shared): Route[] {
  const { cg, deps } = h;

  /** The settings as answered, once the core allows the caller settings.manage (else its refusal, 403). */
  const settingsOf = async (session: Session) => {
    const d = canInPractice(await h.ctxOf(session), session.member, 'settings.manage');
    if (!d.allowed) throw refusal(d.code, d.reasons);
    const s: SettingsFacts = await cg.within(session.practice, null, 'system', (tx) => loadSettings(tx, session.practice));
    return { ...s, defaultIdleLogoffMinutes: Math.round(deps.accounts.idleMs / 60_000) };
  };

  return [
    route({
      method: 'GET',
      url: '/api/settings',
      tag: 'settings',
      summary: 'The practice’s settings (settings.manage: the account owner and practice administrators; else 403 `forbidden`)',
      response: S.SettingsOut,
      handler: async ({ session }) => settingsOf(session),
    }),
    route({
      method: 'PATCH',
      url: '/api/settings',
      tag: 'settings',
      summary: 'Change some of the practice’s settings (change_settings): answers the settings as they now are',
      description:
        'One command, in one transaction with its activity-log entry naming each changed setting before and after. 403 `forbidden` without settings.manage; 422 `invalid_setting` with a reason per bad value ' +
        '(an unknown time zone, automatic logoff outside 5..720 minutes, an empty name). A change by anyone but the account owner notifies the owner. ' +
        'A new automatic logoff applies to every session of the practice from its next request; requiring two-step sign-in makes every member without a second factor set one up before anything else (403 `second_factor_enrollment_required` meanwhile).',
      body: S.SettingsPatch,
      response: S.SettingsOut,
      handler: async ({ session, body, reply }) => {
        const changes = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
        await h.run(session, { type: 'change_settings', changes }, reply);
        return settingsOf(session);
      },
    }),
  ];
}
