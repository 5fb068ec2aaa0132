/**
 * The areas each demo member can use (src/store/demo.ts), written out by hand: the core's
 * test (test/core/areas.test.ts) proves `appAreas` answers exactly these, and the browser
 * test (test/e2e/roles.test.ts) that each member's navigation shows exactly these.
 */
import type { AppArea } from '../../src/core/index.js';

/** Clinicians without billing, and the scheduler: calendars, messages, notes, no billing. */
const NO_BILLING: readonly AppArea[] = ['clients', 'calendar', 'messages', 'tasks', 'note_queues', 'activity_log', 'access_review', 'account'];
/** Roles with billing for all and scheduling: the practice manager and the clinicians with administrative access. */
const WITH_BILLING: readonly AppArea[] = ['clients', 'calendar', 'billing', 'messages', 'tasks', 'note_queues', 'reports', 'activity_log', 'access_review', 'account'];

export const DEMO_AREAS: Readonly<Record<string, readonly AppArea[]>> = {
  olivia: ['clients', 'calendar', 'billing', 'messages', 'tasks', 'note_queues', 'reports', 'activity_log', 'access_review', 'team', 'settings', 'account'],
  pat: ['activity_log', 'team', 'settings', 'account'],
  mia: WITH_BILLING,
  bill: ['clients', 'billing', 'messages', 'tasks', 'reports', 'activity_log', 'access_review', 'account'],
  sky: NO_BILLING,
  ana: NO_BILLING,
  bella: ['clients', 'calendar', 'billing', 'messages', 'tasks', 'note_queues', 'activity_log', 'access_review', 'account'],
  frank: WITH_BILLING,
  eve: WITH_BILLING,
  cora: NO_BILLING,
  sam: NO_BILLING,
};

/** The navigation's label of each area it links to (note queues live on the Tasks page, the account behind one's name). */
export const NAV_LABEL: Partial<Record<AppArea, string>> = {
  clients: 'Clients',
  calendar: 'Calendar',
  billing: 'Billing',
  messages: 'Messages',
  tasks: 'Tasks',
  reports: 'Reports',
  activity_log: 'Activity log',
  access_review: 'Access review',
  team: 'Team',
  settings: 'Settings',
};
