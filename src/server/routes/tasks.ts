/** Tasks and my in-app notifications. */
import { randomUUID } from 'node:crypto';
import { RECORD_PAGE_LIMIT } from '../../store/reads/client-records.js';
import { notificationPage, taskPage } from '../../store/reads/member-records.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, type Shared } from './shared.js';

export function taskRoutes(h: Shared): Route[] {
  const { cg } = h;
  return [
    route({
      method: 'GET',
      url: '/api/tasks',
      tag: 'tasks',
      summary: 'Tasks I created or am assigned (all, for the account owner) on clients I may view, oldest first: a page and the next page’s cursor',
      query: S.RecordPageQuery,
      response: S.TasksOut,
      handler: async ({ session, query }) => {
        const page = await taskPage(cg, session.practice, session.member, { limit: query.limit ?? RECORD_PAGE_LIMIT, after: query.after ?? null });
        return { items: page.items, next: page.next && S.encodeCursor(page.next) };
      },
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/tasks',
      tag: 'tasks',
      summary: 'Create a task about a client (create_task)',
      body: S.Task,
      created: true,
      command: ({ body }) => ({ type: 'create_task', id: randomUUID(), client: body.client, assignee: body.assignee, title: body.title }),
    }),
    route({
      method: 'GET',
      url: '/api/notifications',
      tag: 'tasks',
      summary: 'My in-app notifications, oldest first: a page, the next page’s cursor and my unread count',
      query: S.NotificationPageQuery,
      response: S.NotificationsOut,
      handler: async ({ session, query }) => {
        const page = await notificationPage(cg, session.practice, session.member, { limit: query.limit ?? RECORD_PAGE_LIMIT, after: query.after ?? null });
        return { items: page.items, next: page.next && S.encodeCursor(page.next), unread: page.unread };
      },
    }),
  ];
}
