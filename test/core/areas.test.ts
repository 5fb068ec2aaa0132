import { describe, expect, it } from 'vitest';
import { APP_AREAS, AREA_ACTIONS, appAreas, canInPractice, decide, makeTeam, type AppArea, type Context } from '../../src/core/index.js';
import { DEMO_MEMBERS } from '../../src/store/demo.js';
import { DEMO_AREAS } from '../support/demo-areas.js';
import { client, input, NOW } from './fixtures.js';

/** The demo practice's team, supervision included (src/store/demo.ts). */
const demo: Context = {
  team: makeTeam({
    members: DEMO_MEMBERS.map((m) => ({ id: m.id, roles: [...m.roles] })),
    supervision: [
      { supervisor: 'sam', supervisee: 'ana' },
      { supervisor: 'sam', supervisee: 'bella' },
    ],
  }),
  now: NOW,
};

const visible = (member: string) => APP_AREAS.filter((a) => appAreas(demo, member)[a].visible);
const SEED_OR_CODE = /\(\d{3}|[a-z]+_[a-z_]+/;

describe('appAreas: what each area offers a member', () => {
  it('shows every demo member exactly their areas', () => {
    expect(Object.keys(DEMO_AREAS).sort()).toEqual(DEMO_MEMBERS.map((m) => m.id).sort());
    for (const m of DEMO_MEMBERS) expect(visible(m.id), m.id).toEqual(DEMO_AREAS[m.id]);
  });

  it('answers every action of every area, with reasons in words (no seed citation, no code)', () => {
    for (const m of DEMO_MEMBERS) {
      const areas = appAreas(demo, m.id);
      for (const a of APP_AREAS) {
        expect(Object.keys(areas[a].actions).sort(), `${m.id} ${a}`).toEqual([...AREA_ACTIONS[a]].sort());
        const decisions = [{ allowed: areas[a].visible, reasons: areas[a].reasons }, ...Object.values(areas[a].actions)];
        for (const d of decisions) {
          expect(d.reasons.length, `${m.id} ${a}`).toBeGreaterThan(0);
          for (const r of d.reasons) expect(r.text, `${m.id} ${a}`).not.toMatch(SEED_OR_CODE);
        }
      }
    }
  });

  it('practice-wide areas are the practice permissions themselves', () => {
    for (const m of DEMO_MEMBERS) {
      const areas = appAreas(demo, m.id);
      expect(areas.team.actions.manage_team).toEqual(canInPractice(demo, m.id, 'team.manage'));
      expect(areas.settings.actions.change_settings).toEqual(canInPractice(demo, m.id, 'settings.manage'));
      expect(areas.reports.actions.run_report).toEqual(canInPractice(demo, m.id, 'reports.billing'));
      expect(areas.activity_log.actions.whole_practice).toEqual(canInPractice(demo, m.id, 'activity_log.view'));
    }
  });

  it('a form is allowed exactly when its command succeeds for some client (the member\'s own, or another clinician\'s)', () => {
    for (const m of DEMO_MEMBERS) {
      // Only clinicians are primary clinicians (records.ts createClient).
      const clinician = m.roles.some((r) => r.startsWith('clinician_'));
      const clients = [client({ id: 'c1', primary: 'ana' }), client({ id: 'c2', primary: clinician ? m.id : 'ana' })];
      const some = (command: (c: string) => Parameters<typeof decide>[1]) => clients.some((c) => decide(input(demo, m.id, clients), command(c.id)).ok);
      const areas = appAreas(demo, m.id);
      expect(areas.clients.actions.add_client.allowed, m.id).toBe(some(() => ({ type: 'create_client', id: 'new', primary: 'ana' })));
      expect(areas.calendar.actions.book_appointment.allowed, m.id).toBe(some((c) => ({ type: 'schedule_appointment', id: 'a', client: c, clinician: 'ana', fee: 1 })));
      expect(areas.messages.actions.send_message.allowed, m.id).toBe(some((c) => ({ type: 'send_message', id: 's', client: c })));
      expect(areas.billing.actions.record_payment.allowed, m.id).toBe(some((c) => ({ type: 'record_insurance_payment', id: 'p', covers: [c], amount: 1 })));
      expect(areas.tasks.actions.create_task.allowed, m.id).toBe(some((c) => ({ type: 'create_task', id: 't', client: c, assignee: m.id })));
    }
    expect(appAreas(demo, 'bill').clients.actions.add_client).toMatchObject({ allowed: false, reasons: [{ text: "Adding clients is not part of this member's role." }] });
  });

  it('offers the co-signing queue to supervisors only, and reviewing others’ access to who manages the team or reads the whole log', () => {
    const who = (f: (a: ReturnType<typeof appAreas>) => boolean) => DEMO_MEMBERS.map((m) => m.id).filter((m) => f(appAreas(demo, m)));
    expect(who((a) => a.note_queues.actions.cosign.allowed)).toEqual(['sam']);
    expect(who((a) => a.access_review.actions.review_others.allowed)).toEqual(['olivia', 'pat', 'mia']);
    expect(who((a) => a.account.actions.recovery_codes.allowed)).toEqual(['olivia']);
  });

  it('a stranger to the practice is offered no area', () => {
    const areas = appAreas(demo, 'nobody');
    expect(APP_AREAS.filter((a: AppArea) => areas[a].visible)).toEqual([]);
  });
});
