/**
 * The routes of the HTTP API (docs/api.md, /api/docs), one module per resource. Each
 * handler translates HTTP to one call of the ChartGuard service (or a core function over
 * facts the service loaded) and back; none decides access itself. What they share - who
 * may see a record, running a command, audited reads - is in shared.ts.
 */
import type { Deps, Route } from '../route.js';
import { accessRoutes } from './access.js';
import { auditRoutes } from './audit.js';
import { billingRoutes } from './billing.js';
import { calendarRoutes } from './calendar.js';
import { claimRoutes } from './claims.js';
import { clientRoutes } from './clients.js';
import { intakeRoutes } from './intake.js';
import { setupRoutes } from './links.js';
import { messageRoutes } from './messages.js';
import { noteRoutes } from './notes.js';
import { notificationRoutes } from './notifications.js';
import { reportRoutes } from './reports.js';
import { sessionRoutes } from './session.js';
import { settingsRoutes } from './settings.js';
import { shared } from './shared.js';
import { taskRoutes } from './tasks.js';
import { teamRoutes } from './team.js';
import { teamLifecycleRoutes } from './team-lifecycle.js';

export function apiRoutes(deps: Deps): Route[] {
  const h = shared(deps);
  return [sessionRoutes, setupRoutes, teamRoutes, teamLifecycleRoutes, clientRoutes, accessRoutes, noteRoutes, calendarRoutes, billingRoutes, claimRoutes, messageRoutes, taskRoutes, notificationRoutes, settingsRoutes, auditRoutes, reportRoutes, intakeRoutes].flatMap((routes) => routes(h));
}
