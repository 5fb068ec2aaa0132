/** The activity log as shown: the entries I may see, with no note or message text. */
import { redactLogEntry } from '../../core/index.js';
import type { Route } from '../route.js';
import * as S from '../../api/index.js';
import { areaRoute, type Shared } from './shared.js';

export function auditRoutes(h: Shared): Route[] {
  return [
    areaRoute(h, {
      url: '/api/activity-log',
      tag: 'audit',
      summary: 'Activity-log entries I may see (the whole log for activity_log.view, else my own), note and message text left out',
      area: 'activity_log',
      response: S.ActivityLogOut,
      shown: redactLogEntry,
    }),
  ];
}
