/** The activity log as shown: the entries I may see, newest first and a page at a time, with no note or message text. */
import { redactLogEntry } from '../../core/index.js';
import { activityPage } from '../../store/reads/activity-page.js';
import { RECORD_PAGE_LIMIT } from '../../store/reads/client-records.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import type { Shared } from './shared.js';

export function auditRoutes(h: Shared): Route[] {
  return [
    route({
      method: 'GET',
      url: '/api/activity-log',
      tag: 'audit',
      summary:
        'Activity-log entries I may see (the whole log for activity_log.view, else my own and my clients’), newest first: a page and the next page’s cursor, filtered by member, client, action, outcome and time; note and message text left out',
      query: S.ActivityLogQuery,
      response: S.ActivityLogOut,
      handler: async ({ session, query }) => {
        const { limit, after, member, ...rest } = query;
        const page = await activityPage(h.cg, session.practice, session.member, { limit: limit ?? RECORD_PAGE_LIMIT, after: after ?? null, filter: { actor: member, ...rest } });
        return { items: page.items.map(redactLogEntry), next: page.next && S.encodeCursor(page.next) };
      },
    }),
  ];
}
