/** The team: members, roles, supervision, and a member's password reset and sign-in throttle (004). */
import type { z } from 'zod';
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
function accountRoute<T>(h: Shared, check: AccountCheck, method: Method, url: string, summary: string, response: z.ZodType, act: (session: Session, member: string) => Promise<T | null>): Route {
  return route({
    method,
    url,
    tag: 'team',
    summary,
    params: S.MemberParam,
    response,
    handler: async ({ session, params }) => {
      const d = await h.cg[check](session.practice, session.member, params.member);
      if (!d.allowed) throw refusal(d.code, d.reasons);
      const out = await act(session, params.member);
      if (out === null) throw new Problem('not_found', 'That team member has no sign-in account.');
      return out;
    },
  });
}

export function teamRoutes(h: Shared): Route[] {
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
    accountRoute(
      h,
      'checkPasswordReset',
      'POST',
      '/api/team/:member/password-reset',
      'Reset a member’s password (team.manage; the account owner’s only by the owner; a member who can access restricted clients the actor cannot, only by the owner: only_account_owner): answers {temporaryPassword}; ends all their sessions, lifts their sign-in throttle, and until they choose a new password their sessions answer only the password change',
      S.TemporaryPasswordOut,
      async (session, member) => {
        const temporaryPassword = await accounts.resetPassword(session.practice, session.member, member);
        return temporaryPassword === null ? null : { temporaryPassword };
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

