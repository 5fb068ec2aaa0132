/**
 * Insurance claims (core/claims.ts): submitting one for an appointment, a page of them and
 * one claim, each seen as its client's billing is (reads/claims.ts). An appointment or claim
 * of a client the caller may not see answers as one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import * as S from '../../api/index.js';
import { appointmentClient, claimForExport, claimPage, openClaim, type ClaimForExport } from '../../store/reads/claims.js';
import { write837p } from '../x12/837p.js';
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
    route({
      method: 'GET',
      url: '/api/claims/:id/837p',
      tag: 'billing',
      summary: 'One claim as an ASC X12 837P file (005010X222A1), when I may see its client’s billing (404 otherwise)',
      description:
        'A test-usage interchange (ISA15 `T`). ChartGuard does not yet keep NPIs, tax ids, addresses, insurance, diagnoses or procedure codes: ' +
        'those elements carry placeholders (all nines, F99, 90834) until a client’s insurance and the practice’s provider details are stored.',
      params: S.IdParam,
      response: S.X12File,
      contentType: X12_TYPE,
      audited: true,
      handler: async ({ session, params, reply }) => {
        const claim = await claimForExport(cg, session.practice, session.member, params.id);
        if (!claim) throw h.notFound('claim');
        await read(session, 'export_claim', claim.client, { claim: claim.id, format: '837p' });
        return reply
          .type(X12_TYPE)
          .header('content-disposition', `attachment; filename="claim-${claim.id}.837p.x12"`)
          .send(write837p(as837p(claim)));
      },
    }),
  ];
}

const X12_TYPE = 'application/edi-x12';

/** Placeholders for what ChartGuard does not store yet (see the route's description). */
const UNKNOWN_NPI = '9999999999';

/** A claim as the 837P writer takes it: a person's name split at its last space. */
function as837p(k: ClaimForExport) {
  const person = (full: string, id: string) => {
    const at = full.trim().lastIndexOf(' ');
    return at > 0 ? { name: full.slice(at + 1), first: full.slice(0, at), id } : { name: full, first: '', id };
  };
  return {
    claimId: k.id.replace(/-/g, '').slice(0, 20),
    control: (parseInt(k.id.replace(/[^0-9a-f]/gi, '').slice(0, 7), 16) % 999_999_999) + 1,
    createdAt: new Date(k.submittedAt ?? k.createdAt),
    sender: { id: 'CHARTGUARD', name: k.practiceName, phone: '0000000000' },
    receiver: { id: 'CLEARINGHOUSE', name: 'CLEARINGHOUSE' },
    billing: { name: k.practiceName, id: UNKNOWN_NPI, taxId: '999999999', address: { line: 'UNKNOWN', city: 'UNKNOWN', state: 'ZZ', zip: '99999' } },
    subscriber: person(k.clientName, k.client.replace(/-/g, '').slice(0, 20)),
    payer: { name: 'UNKNOWN PAYER', id: '99999' },
    rendering: person(k.renderingName, UNKNOWN_NPI),
    diagnoses: ['F99'],
    service: { procedure: '90834', charge: k.amount, date: new Date(k.serviceAt), place: '11' },
    usage: 'T' as const,
  };
}
