/** My in-app notifications: a page with my unread count, and marking them read (only my own, only those I see). */
import { markAllNotificationsRead, markNotificationRead } from '../../store/commands/notification-reads.js';
import { notificationPage } from '../../store/reads/member-records.js';
import { Problem } from '../problem.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { pageRoute, type Shared } from './shared.js';

export function notificationRoutes(h: Shared): Route[] {
  const { cg } = h;
  return [
    pageRoute({
      url: '/api/notifications',
      tag: 'notifications',
      summary: 'My in-app notifications (only while I may view their client), oldest first or newest first: a page, the next page’s cursor and my unread count; each says who acted',
      query: S.NotificationPageQuery,
      response: S.NotificationsOut,
      page: (session, options, query) => notificationPage(cg, session.practice, session.member, { ...options, newest: query.order === 'newest' }),
    }),
    route({
      method: 'POST',
      url: '/api/notifications/:id/read',
      tag: 'notifications',
      summary: 'Mark one of my notifications read (404 for anyone else’s, or one about a client I may not view)',
      params: S.NotificationParam,
      status: 204,
      handler: async ({ session, params }) => {
        if (!(await markNotificationRead(cg, session.practice, session.member, params.id))) throw new Problem('not_found', 'No such notification.');
        return undefined;
      },
    }),
    route({
      method: 'POST',
      url: '/api/notifications/read-all',
      tag: 'notifications',
      summary: 'Mark every unread notification of mine read: answers how many were unread',
      response: S.NotificationsMarkedOut,
      handler: async ({ session }) => ({ marked: await markAllNotificationsRead(cg, session.practice, session.member) }),
    }),
  ];
}
