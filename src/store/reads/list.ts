/**
 * `ChartGuard.list()`: what a member sees in an area, one transaction, as the area's
 * definition says. Every area is in the table, so a new one is a compile error until it is
 * defined.
 */
import type { Area } from '../../core/index.js';
import { txContext, type Store } from '../context.js';
import { loadClients } from '../facts/facts.js';
import type { AreaDefinition, ListItem } from './area.js';
import { activityArea } from './audit.js';
import { billingArea, insurancePaymentsArea } from './billing.js';
import { calendarArea } from './calendar.js';
import { clientsArea, directoryArea } from './clients.js';
import { messagesArea, notificationsArea } from './messages.js';
import { notesArea } from './notes.js';
import { tasksArea } from './tasks.js';

const AREAS: Readonly<Record<Area, AreaDefinition>> = {
  clients: clientsArea,
  directory: directoryArea,
  calendar: calendarArea,
  billing: billingArea,
  insurance_payments: insurancePaymentsArea,
  messages: messagesArea,
  tasks: tasksArea,
  notes: notesArea,
  activity_log: activityArea,
  notifications: notificationsArea,
};

/** What `member` sees in an area: rows under row-level security, filtered by the core's single checks. */
export async function list(store: Store, practice: string, member: string, area: Area): Promise<ListItem[]> {
  const definition = AREAS[area];
  return store.within(practice, member, definition.mode, async (tx) => {
    const ctx = await txContext(store, tx, practice);
    return definition.read({ tx, ctx, practice, member, facts: async (ids) => loadClients(tx, practice, [...new Set(ids)]) });
  });
}
