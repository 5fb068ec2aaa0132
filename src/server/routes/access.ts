/**
 * Access to clients: the Privacy tab, who can access a client and what a member can,
 * the access commands (grants, revocations, primary clinician, restriction, sharing), and
 * the single check "may I?".
 */
import { canViewMemberAccess, permissionTarget, redactRefusal, type Command, type Permission } from '../../core/index.js';
import { Problem, refusal } from '../problem.js';
import { route, type Route } from '../route.js';
import { REACH_PAGE_LIMIT } from '../../store/reads/reach-pages.js';
import * as S from '../../api/index.js';
import { commandRoute, type Shared } from './shared.js';

/** Who can access a client and why, what a member can, the Privacy tab, and the single check. */
function accessReadRoutes(h: Shared): Route[] {
  const { cg, ctxOf, notFound, hidden } = h;
  /** The store's answer about a client, or the same 404 as for a client that does not exist (it answers null for both). */
  const seen = <T>(answer: T | null): T => {
    if (answer === null) throw notFound('client');
    return answer;
  };

  return [
    route({
      method: 'GET',
      url: '/api/clients/:id/privacy',
      tag: 'access',
      summary: 'The Privacy tab: every member’s clinical and administrative checkboxes, with reasons',
      params: S.IdParam,
      response: S.PrivacyTabOut,
      handler: async ({ session, params }) => seen(await cg.privacyTab(session.practice, session.member, params.id)),
    }),
    route({
      method: 'GET',
      url: '/api/clients/:id/access',
      tag: 'access',
      summary: 'Who can access this client, and why',
      params: S.IdParam,
      response: S.WhoCanAccessOut,
      handler: async ({ session, params }) => seen(await cg.whoCanAccess(session.practice, session.member, params.id)),
    }),
    route({
      method: 'GET',
      url: '/api/check',
      tag: 'access',
      summary: 'May I? One permission on a client, note, payment or the practice: the Decision with its reasons',
      query: S.CheckQuery,
      response: S.Decision,
      handler: async ({ session, query }) => {
        const target = { ...(query.client ? { client: query.client } : {}), ...(query.note ? { note: query.note } : {}), ...(query.payment ? { payment: query.payment } : {}) };
        const permission = query.permission as Permission;
        const d = await cg.check(session.practice, session.member, permission, target);
        if (d.allowed) return d;
        // A refusal about a record the caller may not see answers as one that does not exist
        // (and so says nothing of it, not even that it is restricted).
        const what = permissionTarget(permission);
        if (what === 'practice') return d;
        const seen = what === 'payment' || (await hidden(session, what === 'client' ? { clients: [query.client ?? ''] } : { notes: [query.note ?? ''] })) === null;
        return redactRefusal(d, what, seen);
      },
    }),
    route({
      method: 'GET',
      url: '/api/members/:member/access',
      tag: 'access',
      summary: 'What a member can access, and why (myself; anyone, for team.manage or activity_log.view), among the clients I may view: a page by client id and the next page’s cursor',
      params: S.MemberParam,
      query: S.MemberAccessQuery,
      response: S.WhatCanAccessOut,
      handler: async ({ session, params, query }) => {
        const d = canViewMemberAccess(await ctxOf(session), session.member, params.member);
        if (!d.allowed) throw refusal(d.code, d.reasons);
        const r = await cg.whatCanAccess(session.practice, session.member, params.member, { limit: query.limit ?? REACH_PAGE_LIMIT, after: query.after ?? null });
        if (!r) throw new Problem('not_found', 'No such team member.');
        return { member: params.member, items: r.items, next: r.next && S.encodeCursor(r.next) };
      },
    }),
  ];
}

/** The access commands on one client the caller sees. */
function accessCommandRoutes(h: Shared): Route[] {
  return [
    commandRoute(h, {
      method: 'POST',
      url: '/api/clients/:id/clinical-access',
      tag: 'access',
      summary: 'Grant clinical access, optionally for a number of days (grant_clinical)',
      on: 'client',
      params: S.IdParam,
      body: S.ClinicalGrant,
      command: ({ params, body }) => ({ type: 'grant_clinical', client: params.id, member: body.member, untilDays: body.untilDays ?? null }),
    }),
    commandRoute(h, {
      method: 'DELETE',
      url: '/api/clients/:id/clinical-access/:member',
      tag: 'access',
      summary: 'Revoke clinical access (revoke_clinical)',
      on: 'client',
      params: S.ClientMemberParams,
      command: ({ params }) => ({ type: 'revoke_clinical', client: params.id, member: params.member }),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/clients/:id/administrative-access',
      tag: 'access',
      summary: 'Grant administrative access back (grant_administrative; restricted clients, account owner)',
      on: 'client',
      params: S.IdParam,
      body: S.MemberBody,
      command: ({ params, body }) => ({ type: 'grant_administrative', client: params.id, member: body.member }),
    }),
    commandRoute(h, {
      method: 'DELETE',
      url: '/api/clients/:id/administrative-access/:member',
      tag: 'access',
      summary: 'Revoke administrative access (revoke_administrative; restricted clients, account owner)',
      on: 'client',
      params: S.ClientMemberParams,
      command: ({ params }) => ({ type: 'revoke_administrative', client: params.id, member: params.member }),
    }),
    commandRoute(h, {
      method: 'PUT',
      url: '/api/clients/:id/primary-clinician',
      tag: 'access',
      summary: 'Set the primary clinician (set_primary_clinician)',
      on: 'client',
      params: S.IdParam,
      body: S.MemberBody,
      command: ({ params, body }) => ({ type: 'set_primary_clinician', client: params.id, member: body.member }),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/clients/:id/restriction',
      tag: 'access',
      summary: 'Turn restricted access on ({on: true}) or off ({on: false, acknowledge: true})',
      on: 'client',
      params: S.IdParam,
      body: S.Restriction,
      command: ({ params, body }): Command => (body.on ? { type: 'restrict', client: params.id } : { type: 'unrestrict', client: params.id, acknowledge: body.acknowledge }),
    }),
    commandRoute(h, {
      method: 'PUT',
      url: '/api/clients/:id/share-with-all',
      tag: 'access',
      summary: 'Share the client with all clinicians, or stop (share_with_all)',
      on: 'client',
      params: S.IdParam,
      body: S.ShareWithAll,
      command: ({ params, body }) => ({ type: 'share_with_all', client: params.id, on: body.on }),
    }),
  ];
}


export function accessRoutes(h: Shared): Route[] {
  return [...accessReadRoutes(h), ...accessCommandRoutes(h)];
}
