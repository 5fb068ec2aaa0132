/**
 * Insurance claims (core/claims.ts): submitting one for an appointment, a page of them and
 * one claim, each seen as its client's billing is (reads/claims.ts). An appointment or claim
 * of a client the caller may not see answers as one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import * as S from '../../api/index.js';
import { appointmentClient, claimPage, openClaim } from '../../store/reads/claims.js';
import { route, type Route } from '../route.js';
import { pageRoute, type Shared } from './shared.js';

export function claimRoutes(h: Shared): Route[] {
  const { cg, read } = h;

  return [
    route({
      method: 'POST',
      url: '/api/claims',
      tag: 'billing',
      summary: 'Submit an insurance claim for an appointment (submit_claim): 201 with its id',
      description:
        'Needs `client.submit_claim` on the appointment’s client: billers with administrative access, not billers for their own clients only (403 `forbidden`). ' +
        'The rendering clinician is the appointment’s clinician, or the supervisor it was billed as. 422 `invalid_state` when the appointment already has a claim; ' +
        '404 for an appointment that does not exist or whose client the caller may not see.',
      body: S.Claim,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, body, reply }) => {
        const client = await appointmentClient(cg, session.practice, body.appointment);
        if (client === null || !(await h.seesClient(session, client))) throw h.notFound('appointment');
        return h.run(session, { type: 'submit_claim', id: randomUUID(), appointment: body.appointment }, reply, true);
      },
    }),
    pageRoute({
      url: '/api/claims',
      tag: 'billing',
      summary: 'Claims I may see (those of clients whose billing I may see), newest first: a page and the next page’s cursor',
      query: S.ClaimPageQuery,
      response: S.ClaimsPageOut,
      page: async (session, options) => {
        const page = await claimPage(cg, session.practice, session.member, options);
        await read(session, 'view_claims', null, { claims: page.items.length });
        return page;
      },
    }),
    route({
      method: 'GET',
      url: '/api/claims/:id',
      tag: 'billing',
      summary: 'One claim, when I may see its client’s billing (404 otherwise)',
      params: S.IdParam,
      response: S.ClaimOut,
      audited: true,
      handler: async ({ session, params }) => {
        const claim = await openClaim(cg, session.practice, session.member, params.id);
        if (!claim) throw h.notFound('claim');
        await read(session, 'view_claim', claim.client, { claim: claim.id });
        return claim;
      },
    }),
  ];
}
