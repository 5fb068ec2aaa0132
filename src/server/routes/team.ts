/** The team: members, roles, supervision, invitations, and a member's password reset (emailed when mail is configured) and sign-in throttle (004). */
import type { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { sendPasswordReset } from '../../store/auth/password-resets.js';
import { randomToken } from '../../store/auth/secrets.js';
import { practiceProfile } from '../../store/facts/profiles.js';
import { Problem, refusal } from '../problem.js';
import { route, type Method, type Route, type Session } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, type Shared } from './shared.js';

/** Who may change a member's sign-in account: the store's check of the core's rule for that change. */
type AccountCheck = 'checkPasswordReset' | 'checkThrottleLift';

/**
 * A change to a member's sign-in account, by who the core allows (`check`: canResetPassword,
 * canLiftThrottle; else its refusal); 404 when the member has no account.
 */
function accountRoute<T>(
  h: Shared,
  check: AccountCheck,
  method: Method,
  url: string,
  summary: string,
  response: z.ZodType,
  act: (session: Session, member: string, req: FastifyRequest) => Promise<T | null>,
): Route {
  return route({
    method,
    url,
    tag: 'team',
    summary,
    params: S.MemberParam,
    response,
    handler: async ({ session, params, req }) => {
      const d = await h.cg[check](session.practice, session.member, params.member);
      if (!d.allowed) throw refusal(d.code, d.reasons);
      const out = await act(session, params.member, req);
      if (out === null) throw new Problem('not_found', 'That team member has no sign-in account.');
      return out;
    },
  });
}

export function teamRoutes(h: Shared): Route[] {
  return [...memberRoutes(h), ...accountRoutes(h)];
}

/** The team as a list, roles and supervision (a member's account from joining to leaving: team-lifecycle.ts). */
function memberRoutes(h: Shared): Route[] {
  const { deps, cg } = h;
  const { accounts } = deps;

  return [
    route({
      method: 'GET',
      url: '/api/team',
      tag: 'team',
      summary: 'Team members, their roles, and who supervises whom',
      response: S.TeamOut,
      handler: async ({ session }) => {
        const [team, profile, signedUp] = await Promise.all([cg.team(session.practice), practiceProfile(cg, session.practice), accounts.membersWithAccounts(session.practice)]);
        const supervision = [...team.supervisorsOf].flatMap(([supervisee, sups]) => [...sups].map((supervisor) => ({ supervisor, supervisee })));
        supervision.sort((a, b) => a.supervisor.localeCompare(b.supervisor) || a.supervisee.localeCompare(b.supervisee));
        // Email addresses are for who manages the team (minimum necessary).
        const manages = (await cg.check(session.practice, session.member, 'team.manage')).allowed;
        const members = [...profile!.members.values()].map((m) => ({ id: m.id, name: m.name, roles: m.roles, email: manages || m.id === session.member ? m.email : null, active: m.active, hasSignIn: signedUp.has(m.id) }));
        return { members, supervision };
      },
    }),
    commandRoute(h, {
      method: 'PUT',
      url: '/api/team/:member/roles',
      tag: 'team',
      summary: 'Replace a member’s roles (assign_roles)',
      params: S.MemberParam,
      body: S.RolesBody,
      command: ({ params, body }) => ({ type: 'assign_roles', member: params.member, roles: body.roles }),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/team/supervision',
      tag: 'team',
      summary: 'Start a supervision (set_supervisor)',
      body: S.SupervisionBody,
      command: ({ body }) => ({ type: 'set_supervisor', supervisor: body.supervisor, supervisee: body.supervisee }),
    }),
    commandRoute(h, {
      method: 'DELETE',
      url: '/api/team/supervision/:supervisor/:supervisee',
      tag: 'team',
      summary: 'End a supervision (end_supervision)',
      params: S.SupervisionParams,
      command: ({ params }) => ({ type: 'end_supervision', supervisor: params.supervisor, supervisee: params.supervisee }),
    }),
  ];
}

/** A member's sign-in account: a password reset (emailed when mail is configured) and lifting their sign-in throttle. */
function accountRoutes(h: Shared): Route[] {
  const { deps, cg } = h;
  const { accounts } = deps;
  return [
    accountRoute(
      h,
      'checkPasswordReset',
      'POST',
      '/api/team/:member/password-reset',
      'Reset a member’s password (team.manage; the account owner’s only by the owner; a member who can access restricted clients the actor cannot, only by the owner: only_account_owner). ' +
        'Ends all their sessions and lifts their sign-in throttle. When mail is configured and the member has an email address, their password stops working and a link to choose a new one (one hour, once) is emailed to them: answers {emailed: true}. ' +
        'Otherwise answers {temporaryPassword}, shown this once, and until they choose a new password their sessions answer only the password change',
      S.PasswordResetOut,
      async (session, member, req) => {
        if (deps.mailConfigured) {
          const lockedHash = await accounts.hashPassword(randomToken());
          const sent = await sendPasswordReset(cg, session.practice, session.member, member, { base: linkBase(h, req), lockedHash });
          if (sent === 'no_account') return null;
          if (sent === 'emailed') return { emailed: true, temporaryPassword: null };
        }
        const temporaryPassword = await accounts.resetPassword(session.practice, session.member, member);
        return temporaryPassword === null ? null : { emailed: false, temporaryPassword };
      },
    ),
    accountRoute(
      h,
      'checkThrottleLift',
      'DELETE',
      '/api/team/:member/sign-in-throttle',
      'Lift a member’s sign-in throttle (team.manage; the account owner’s only by the owner): answers {failures} (how many there were); logged',
      S.ThrottleLiftedOut,
      (session, member) => accounts.liftThrottle(session.practice, session.member, member),
    ),
  ];
}


/** Where a link sent now points: CHARTGUARD_PUBLIC_URL, else the origin the request came to. */
export const linkBase = (h: Shared, req: FastifyRequest) => h.deps.publicUrl ?? `${req.protocol}://${req.host}`;
