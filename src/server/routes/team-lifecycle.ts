/**
 * A team member's account from joining to leaving (issue 14; core/team-lifecycle.ts): add
 * and invite, edit name and email, deactivate and reactivate, hand over ownership. Each
 * change is a core command (`run`); an invitation is a one-time link, emailed when mail is
 * configured, otherwise answered once to the inviter.
 */
import type { FastifyRequest } from 'fastify';
import { sendInvitation } from '../../store/auth/invitations.js';
import { Problem, refusal } from '../problem.js';
import { route, type Route, type Session } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, type Shared } from './shared.js';
import { linkBase } from './team.js';

export function teamLifecycleRoutes(h: Shared): Route[] {
  const { cg } = h;
  return [
    route({
      method: 'POST',
      url: '/api/team',
      tag: 'team',
      summary: 'Add a team member (add_member) and invite them: the link is emailed when mail is configured, otherwise answered once',
      body: S.NewMember,
      status: 201,
      response: S.MemberAddedOut,
      handler: async ({ session, body, req, reply }) => {
        const id = body.id ?? memberKey(body.name);
        const added = await h.run(session, { type: 'add_member', id, name: body.name, email: body.email ?? null, roles: body.roles }, reply, true);
        const sent = await invite(h, session, id, req);
        return { ...added, id, invitation: sent.ok ? { emailed: sent.emailed, link: sent.emailed ? null : sent.link, expiresAt: sent.expiresAt } : null };
      },
    }),
    route({
      method: 'POST',
      url: '/api/team/:member/invitation',
      tag: 'team',
      summary: 'Send a member a new invitation (ends the earlier ones): emailed when mail is configured, otherwise answered once',
      params: S.MemberParam,
      response: S.InvitationOut,
      handler: async ({ session, params, req }) => {
        const d = await cg.check(session.practice, session.member, 'team.manage');
        if (!d.allowed) throw refusal(d.code, d.reasons);
        const sent = await invite(h, session, params.member, req);
        if (!sent.ok) throw new Problem(sent.code, sent.text);
        return { emailed: sent.emailed, link: sent.emailed ? null : sent.link, expiresAt: sent.expiresAt };
      },
    }),
    commandRoute(h, {
      method: 'PUT',
      url: '/api/team/:member',
      tag: 'team',
      summary: 'Edit a member’s name or email (edit_member)',
      params: S.MemberParam,
      body: S.MemberEdit,
      command: ({ params, body }) => ({ type: 'edit_member', member: params.member, ...body }),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/team/:member/deactivate',
      tag: 'team',
      summary: 'Deactivate a member: they can no longer sign in or see anything, and their sessions end (deactivate_member)',
      params: S.MemberParam,
      command: ({ params }) => ({ type: 'deactivate_member', member: params.member }),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/team/:member/reactivate',
      tag: 'team',
      summary: 'Reactivate a member, with their roles and no client-level access (reactivate_member)',
      params: S.MemberParam,
      command: ({ params }) => ({ type: 'reactivate_member', member: params.member }),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/team/ownership',
      tag: 'team',
      summary: 'Hand the account owner’s role to another active member (transfer_ownership; the owner only)',
      body: S.OwnershipTransfer,
      command: ({ body }) => ({ type: 'transfer_ownership', member: body.member }),
    }),
  ];
}

/**
 * A new member's key from their name: lower-case letters and digits joined by '-', with a
 * short random tail so two people of one name get two keys (the command refuses a taken key).
 */
export function memberKey(name: string): string {
  const base = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'member';
  return `${base}-${Math.random().toString(36).slice(2, 6)}`;
}

/** The member's invitation, sent by who just passed team.manage; emailed when mail is configured. */
function invite(h: Shared, session: Session, member: string, req: FastifyRequest) {
  return sendInvitation(h.cg, session.practice, session.member, member, { base: linkBase(h, req), email: h.deps.mailConfigured });
}
