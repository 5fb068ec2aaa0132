/** Tasks (my in-app notifications are in notifications.ts). */
import { randomUUID } from 'node:crypto';
import { taskPage } from '../../store/reads/member-records.js';
import type { Route } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, pageRoute, type Shared } from './shared.js';

export function taskRoutes(h: Shared): Route[] {
  const { cg } = h;
  return [
    pageRoute({
      url: '/api/tasks',
      tag: 'tasks',
      summary: 'Tasks I created or am assigned (all, for the account owner) on clients I may view, oldest first: a page and the next page’s cursor',
      query: S.RecordPageQuery,
      response: S.TasksOut,
      page: (session, options) => taskPage(cg, session.practice, session.member, options),
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
  ];
}
