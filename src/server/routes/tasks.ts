/** Tasks and my in-app notifications. */
import { randomUUID } from 'node:crypto';
import type { Route } from '../route.js';
import * as S from '../../api/index.js';
import { areaRoute, commandRoute, type Shared } from './shared.js';

export function taskRoutes(h: Shared): Route[] {
  return [
    areaRoute(h, {
      url: '/api/tasks',
      tag: 'tasks',
      summary: 'Tasks I created or am assigned (all, for the account owner) on clients I may view',
      area: 'tasks',
      response: S.TasksOut,
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
    areaRoute(h, {
      url: '/api/notifications',
      tag: 'tasks',
      summary: 'My in-app notifications',
      area: 'notifications',
      response: S.NotificationsOut,
    }),
  ];
}
