/** The billing reports: totals and one page of rows of the clients I may bill (001). */
import { refusal } from '../problem.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import type { Shared } from './shared.js';

export function reportRoutes(h: Shared): Route[] {
  const { cg } = h;

  return [
    route({
      method: 'GET',
      url: '/api/reports/:name',
      tag: 'reports',
      summary: 'A billing report: its totals and one page of rows of the clients I may bill; income allocation’s total counts every client',
      description: 'Rows come by client id, `limit` at a time; walk the pages with `after` = the previous page’s `next` until it is null.',
      params: S.ReportParam,
      query: S.ReportQuery,
      response: S.ReportOut,
      handler: async ({ session, params, query }) => {
        const r = await cg.report(session.practice, session.member, params.name, { limit: query.limit, after: query.after ?? null });
        if (!r.ok) throw refusal(r.code, r.reasons);
        return r.report;
      },
    }),
  ];
}
