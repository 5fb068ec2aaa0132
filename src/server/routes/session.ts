/**
 * Sign-in, the session, one's own password and second factor, and who I am
 * (docs/api.md "Sign-in, lockout and throttling").
 */
import type { FastifyReply } from 'fastify';
import { appAreas, canInPractice, PRACTICE_PERMISSIONS } from '../../core/index.js';
import type { ReauthOutcome } from '../../store/auth/accounts.js';
import { practiceProfile } from '../../store/facts/profiles.js';
import { Problem } from '../problem.js';
import { DEVICE_COOKIE, route, SESSION_COOKIE, type Deps, type Route } from '../route.js';
import * as S from '../../api/index.js';
import type { Shared } from './shared.js';

export function sessionHelpers(deps: Deps) {
  const { cg, accounts } = deps;

  const sessionBody = async (s: { practice: string; member: string; idleMs: number; mustEnrollSecondFactor: boolean }, csrfToken: string, mustChangePassword: boolean) => {
    const profile = await practiceProfile(cg, s.practice);
    const me = profile?.members.get(s.member);
    if (!profile || !me) throw new Problem('unauthenticated', 'The account no longer belongs to a team member.');
    return {
      member: s.member,
      name: me.name,
      roles: me.roles,
      practice: profile.id,
      practiceName: profile.name,
      csrfToken,
      idleTimeoutSeconds: Math.round(s.idleMs / 1000),
      mustChangePassword,
      mustEnrollSecondFactor: s.mustEnrollSecondFactor,
      totpEnabled: await accounts.totpEnabled(s.practice, s.member),
    };
  };

  const cookie = (reply: FastifyReply, token: string | null) => {
    const options = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: deps.secureCookies };
    if (token === null) reply.clearCookie(SESSION_COOKIE, options);
    else reply.setCookie(SESSION_COOKIE, token, options);
  };

  /** The browser's trusted-device cookie: sent only to the session routes, kept across sign-outs. */
  const deviceCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(DEVICE_COOKIE, token, {
      path: '/api/session',
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      maxAge: Math.floor(accounts.trustedDeviceMs / 1000),
    });

  /** A refused re-authenticated change (password, second factor, recovery codes) as a problem; an ended session also loses its cookie. */
  const reauthProblem = (outcome: Exclude<ReauthOutcome, 'changed'>, reply: FastifyReply, wrongPassword = 'The password is wrong.'): Problem => {
    switch (outcome) {
      case 'wrong_password':
        return new Problem('forbidden', wrongPassword);
      case 'wrong_current_code':
        return new Problem('forbidden', 'The code of the authenticator app in use is wrong, or was used already: wait for the next one.');
      case 'current_code_required':
        return new Problem('forbidden', 'Replacing the second factor needs a current code of the authenticator app in use.');
      case 'wrong_code':
        return new Problem('invalid_input', 'The code does not match.');
      case 'ended':
        cookie(reply, null);
        return new Problem('unauthenticated', 'Too many wrong answers: the session has ended. Sign in again.');
      case 'required_by_practice':
        return new Problem('forbidden', 'Your practice requires two-step sign-in: it stays on (you may replace the authenticator app).');
    }
  };

  /** A re-authenticated change's outcome: nothing to answer (204) when changed, else its problem. */
  const changed = (outcome: ReauthOutcome, reply: FastifyReply, wrongPassword?: string): undefined => {
    if (outcome !== 'changed') throw reauthProblem(outcome, reply, wrongPassword);
    return undefined;
  };

  return { deps, cg, accounts, sessionBody, cookie, deviceCookie, reauthProblem, changed };
}

/** What the session routes use: the service, the accounts, and the helpers above. */
export type SessionKit = ReturnType<typeof sessionHelpers>;

/** Signing in and out, reading the session, keeping it alive. */
function signInRoutes({ deps, accounts, sessionBody, cookie, deviceCookie }: SessionKit): Route[] {
  return [
    route({
      method: 'POST',
      url: '/api/session',
      tag: 'session',
      auth: false,
      summary: 'Sign in',
      description:
        'Answers the session and sets the HttpOnly, SameSite=Strict cookie `cg_session` (and, the first time in a browser, `cg_device`, which marks it trusted for the account). ' +
        '401 `unauthenticated` on wrong credentials (an unknown username is answered exactly like a wrong password), 401 `totp_required` when the account has a second factor and neither `totp` nor `recoveryCode` was sent. ' +
        'Failures are throttled, never locked: from the 5th failure in a row of a username (whether or not it exists) and the 20th of an address, each failure opens a backoff window (1 s, doubling, at most 15 minutes) in which attempts answer 429 `too_many_requests` with Retry-After, unchecked; ' +
        'a trusted browser passes both windows, and an attempt with `totp` or `recoveryCode` passes the username’s window (it succeeds only with the right password and code). Each TOTP code works once. ' +
        'Also 429 `too_many_requests` when one address tries more than 30 times a minute. See docs/api.md, “Sign-in, lockout and throttling”.',
      body: S.SignIn,
      response: S.SessionOut,
      handler: async ({ body, req, reply }) => {
        if (!deps.allowSignIn(req.ip)) throw new Problem('too_many_requests', 'Too many sign-in attempts from this address: wait a minute.', [], 429, { 'retry-after': '60' });
        const device = req.cookies[DEVICE_COOKIE];
        const r = await accounts.signIn({
          username: body.username,
          password: body.password,
          totp: body.totp,
          recoveryCode: body.recoveryCode,
          address: req.ip,
          device: device && device.length <= 200 ? device : undefined,
        });
        if (!r.ok) {
          if (r.code === 'too_many_requests') throw new Problem('too_many_requests', r.detail, [], 429, { 'retry-after': String(r.retryAfterSeconds) });
          throw new Problem(r.code, r.detail);
        }
        cookie(reply, r.token);
        if (r.device) deviceCookie(reply, r.device);
        return sessionBody(r.session, r.csrfToken, r.session.mustChangePassword);
      },
    }),
    route({
      method: 'GET',
      url: '/api/session',
      tag: 'session',
      summary: 'The current session (401 when not signed in); answers while the password must be changed or a second factor set up',
      duringPasswordChange: true,
      duringSecondFactorEnrollment: true,
      response: S.SessionOut,
      handler: async ({ session }) => sessionBody(session, session.csrfToken, session.mustChangePassword),
    }),
    route({
      method: 'POST',
      url: '/api/session/keepalive',
      tag: 'session',
      summary: 'Records activity, postponing the automatic logoff (answers while the password must be changed or a second factor set up: it reads and changes nothing else)',
      duringPasswordChange: true,
      duringSecondFactorEnrollment: true,
      status: 204,
      handler: async () => undefined,
    }),
    route({
      method: 'DELETE',
      url: '/api/session',
      tag: 'session',
      summary: 'Sign out',
      duringPasswordChange: true,
      duringSecondFactorEnrollment: true,
      status: 204,
      handler: async ({ session, reply }) => {
        await accounts.signOut(session.token);
        cookie(reply, null);
        return undefined;
      },
    }),
  ];
}

/** One’s own password and second factor, each asked again before it changes. */
function credentialRoutes({ accounts, changed }: SessionKit): Route[] {
  return [
    route({
      method: 'POST',
      url: '/api/session/password',
      tag: 'session',
      summary: 'Change one’s own password (at least 12 characters); ends one’s other sessions',
      description:
        'The one route besides reading the session and signing out that answers while the password must be changed (after a reset every other route answers 403 `password_change_required`). ' +
        'Ends every other session of the member; this one stays. A wrong `current` answers 403 `forbidden` and counts as a failed sign-in of the username and the address; ' +
        'the 3rd wrong answer of a session ends it (401 `unauthenticated`, cookie cleared).',
      duringPasswordChange: true,
      duringSecondFactorEnrollment: true,
      body: S.PasswordChange,
      status: 204,
      handler: async ({ session, body, req, reply }) => changed(await accounts.changePassword(session, body.current, body.next, req.ip), reply, 'The current password is wrong.'),
    }),
    route({
      method: 'POST',
      url: '/api/session/totp/enroll',
      tag: 'session',
      summary: 'Start enrolling an authenticator app: answers {secret, uri} (nothing changes until confirmed)',
      description: 'Answers (with the confirmation) a session whose practice requires two-step sign-in and whose member has no second factor yet: every other route but reading the session and signing out answers 403 `second_factor_enrollment_required` until it is confirmed.',
      duringSecondFactorEnrollment: true,
      response: S.TotpEnrollOut,
      handler: async ({ session }) => accounts.totpEnroll(session.practice, session.member, `${session.member}@${session.practice}`),
    }),
    route({
      method: 'POST',
      url: '/api/session/totp/confirm',
      tag: 'session',
      summary: 'Confirm enrolment with a code from the new app and one’s password; replacing a second factor also needs a current code of the one in use',
      duringSecondFactorEnrollment: true,
      description:
        '400 `invalid_input` when the new app’s code does not match; 403 `forbidden` on a wrong password or a missing, wrong or already used `currentCode` (those count like a wrong password of the password change: the 3rd ends the session).',
      body: S.TotpConfirm,
      status: 204,
      handler: async ({ session, body, req, reply }) => changed(await accounts.totpConfirm(session, body, req.ip), reply),
    }),
    route({
      method: 'DELETE',
      url: '/api/session/totp',
      tag: 'session',
      summary: 'Turn the second factor off (needs a current, unused code and one’s password; 403 `forbidden` while the practice requires two-step sign-in)',
      body: S.TotpDisable,
      status: 204,
      handler: async ({ session, body, req, reply }) => changed(await accounts.totpDisable(session, body, req.ip), reply),
    }),
  ];
}

/** The owner’s recovery codes, and who I am. */
function ownerRoutes({ cg, accounts, reauthProblem }: SessionKit, { ctxOf }: Shared): Route[] {
  return [
    route({
      method: 'POST',
      url: '/api/session/recovery-codes',
      tag: 'session',
      summary: 'The account owner: new one-time recovery codes (with one’s password), replacing the old ones: answers {recoveryCodes}, shown this once',
      description:
        'A recovery code signs the owner in with the password in place of the authenticator app’s code, and past the username’s sign-in backoff window (which it lifts). Only the account owner has recovery codes: the others’ throttle is lifted by the owner or a practice administrator.',
      body: S.PasswordAgain,
      response: S.RecoveryCodesOut,
      handler: async ({ session, body, req, reply }) => {
        if ((await cg.team(session.practice)).ownerId !== session.member) throw new Problem('forbidden', 'Only the account owner has recovery codes.');
        const r = await accounts.reissueRecoveryCodes(session, body.password, req.ip);
        if (!Array.isArray(r)) throw reauthProblem(r, reply);
        return { recoveryCodes: r };
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      tag: 'session',
      summary: 'Who I am, my practice (its name and time zone), my practice-level permissions, and what each area of the app offers me',
      response: S.MeOut,
      handler: async ({ session }) => {
        const [ctx, profile] = await Promise.all([ctxOf(session), practiceProfile(cg, session.practice)]);
        const me = profile!.members.get(session.member)!;
        return {
          member: session.member,
          name: me.name,
          roles: me.roles,
          practiceName: profile!.name,
          timeZone: profile!.timeZone,
          permissions: Object.fromEntries(PRACTICE_PERMISSIONS.map((p) => [p, canInPractice(ctx, session.member, p)])),
          areas: appAreas(ctx, session.member),
        };
      },
    }),
  ];
}


export function sessionRoutes(h: Shared): Route[] {
  const kit = sessionHelpers(h.deps);
  return [...signInRoutes(kit), ...credentialRoutes(kit), ...ownerRoutes(kit, h)];
}
