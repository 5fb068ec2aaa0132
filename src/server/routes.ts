/**
 * The routes of the HTTP API (docs/api.md, /api/docs). Each handler translates HTTP to
 * one call of the ChartGuard service (or a core function over facts the service loaded)
 * and back; none decides access itself.
 *
 * Visibility at the boundary: a client (or note, or payment) the caller may not view at all
 * answers exactly as one that does not exist - the same 404 problem, byte for byte, from
 * reads, checks and commands alike (no existence oracle; `hidden` below is the one place
 * that decides it). Reads of records are written to the activity log.
 */
import { randomUUID } from 'node:crypto';
import {
  CLIENT_PERMISSIONS,
  PRACTICE_PERMISSIONS,
  canInPractice,
  canOnClient,
  clientAccess,
  commandNeeds,
  permissionTarget,
  refuse,
  type ClientFacts,
  type Command,
  type Context,
  type Decision,
  type NoteKind,
  type Permission,
} from '../core/index.js';
import type { ReauthOutcome } from '../store/auth/accounts.js';
import type { ListItem } from '../store/chartguard.js';
import { appointmentPage, clientPage } from '../store/reads/client-page.js';
import { clientProfile, practiceProfile } from '../store/facts/profiles.js';
import { Problem, refusal } from './problem.js';
import { DEVICE_COOKIE, route, SESSION_COOKIE, type Deps, type Route, type Session } from './route.js';
import * as S from './schemas.js';
import type { FastifyReply } from 'fastify';

export function apiRoutes(deps: Deps): Route[] {
  const { cg, accounts } = deps;

  // ------------------------------------------------------------------ helpers

  const ctxOf = async (s: Session): Promise<Context> => ({ team: await cg.team(s.practice), now: cg.now() });

  /**
   * No existence oracle: a record the caller may not see answers as one that does not
   * exist. These problems are the only not-found answers about clients, notes and
   * payments, and name no id, so a hidden record and a missing one answer the same bytes.
   */
  const notFound = (what: 'client' | 'note' | 'payment') =>
    new Problem('not_found', what === 'client' ? 'No such client.' : what === 'note' ? 'No such note.' : 'No such insurance payment.');

  /** Whether the caller may see the client at all (the core's seesClient); false for a client that does not exist. */
  const seesClient = async (s: Session, client: string) => (await cg.check(s.practice, s.member, 'client.view_profile', { client })).allowed;

  /**
   * The not-found problem when a target is missing or hidden from the caller, else null.
   * A client is hidden unless the caller may view its profile; a note, unless it exists
   * and its client is seen (a note of a client one sees is in that client's activity log,
   * so refusing it with 403 tells nothing new). (A payment is hidden whole when the caller
   * may not manage it: 001, the core's seesInsurancePayment; see /api/check.)
   */
  const hidden = async (s: Session, target: { clients?: readonly string[]; notes?: readonly string[] }): Promise<Problem | null> => {
    for (const client of target.clients ?? []) if (!(await seesClient(s, client))) return notFound('client');
    for (const note of target.notes ?? []) {
      const state = await cg.noteState(s.practice, note);
      if (!state.exists || state.client === undefined || !(await seesClient(s, state.client))) return notFound('note');
    }
    return null;
  };

  /** The client's facts, when the caller may view it at all; otherwise 404. */
  const visibleClient = async (s: Session, id: string): Promise<{ ctx: Context; client: ClientFacts }> => {
    const [ctx, client] = await Promise.all([ctxOf(s), cg.clientState(s.practice, id)]);
    if (!client || !canOnClient(ctx, s.member, 'client.view_profile', client).allowed) throw notFound('client');
    return { ctx, client };
  };

  /** The note and its client, when the caller may view the client at all; otherwise 404. */
  const noteInVisibleClient = async (s: Session, id: string) => {
    const state = await cg.noteState(s.practice, id);
    if (!state.exists || state.client === undefined) throw notFound('note');
    const note = state as { client: string; author: string; kind: NoteKind; signed: boolean; cosigned: boolean };
    const { ctx, client } = await visibleClient(s, note.client).catch(() => {
      throw notFound('note');
    });
    return { ctx, client, note: { id, client: note.client, author: note.author, kind: note.kind, signed: note.signed, cosigned: note.cosigned, deleted: false } };
  };

  /**
   * Runs a command. A refusal of a command about a client (or note) the caller may not
   * see - whatever the core's first reason, forbidden or a missing member - is the same
   * not-found problem as for one that does not exist; on a record one sees, the core's
   * refusal as it is (403 forbidden and friends).
   */
  const run = async (s: Session, command: Command, reply: FastifyReply, created = false) => {
    const r = await cg.execute(s.practice, s.member, command);
    if (!r.ok) {
      const needs = commandNeeds(command);
      throw (await hidden(s, { clients: needs.clients, notes: needs.notes })) ?? refusal(r.code, r.reasons);
    }
    if (created) reply.code(201);
    const id = created && 'id' in command ? { id: command.id } : {};
    return { ok: true as const, summary: r.summary, reasons: r.reasons, ...id };
  };

  const read = (s: Session, action: string, client: string | null, detail: Record<string, unknown> = {}) =>
    cg.audit(s.practice, { actor: s.member, action, client, outcome: 'read', detail });

  const items = (list: readonly ListItem[]) => ({ items: list });

  const sessionBody = async (s: { practice: string; member: string }, csrfToken: string, mustChangePassword: boolean) => {
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
      idleTimeoutSeconds: Math.round(accounts.idleMs / 1000),
      mustChangePassword,
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
        return new Problem('forbidden', 'Replacing the second factor needs a current code of the authenticator app in use (currentCode).');
      case 'wrong_code':
        return new Problem('invalid_input', 'The code does not match.');
      case 'ended':
        cookie(reply, null);
        return new Problem('unauthenticated', 'Too many wrong answers: the session has ended. Sign in again.');
    }
  };

  const clientPermissions = (ctx: Context, member: string, client: ClientFacts) =>
    Object.fromEntries(CLIENT_PERMISSIONS.map((p) => [p, canOnClient(ctx, member, p, client)])) as Record<string, Decision>;

  /** Activity-log entries as shown: free text of notes and messages never leaves in a log entry. */
  const redactBodies = (item: ListItem): ListItem => {
    const detail = (item as { detail?: Record<string, unknown> }).detail;
    if (!detail || !Array.isArray(detail.effects)) return item;
    const effects = (detail.effects as Record<string, unknown>[]).map((e) => {
      if (!e || typeof e !== 'object' || !('body' in e)) return e;
      const { body: _body, ...rest } = e;
      return rest;
    });
    return { ...item, detail: { ...detail, effects } };
  };

  // ------------------------------------------------------------------- routes
  return [
    // ------------------------------------------------------------- session
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
      summary: 'The current session (401 when not signed in); answers while the password must be changed',
      duringPasswordChange: true,
      response: S.SessionOut,
      handler: async ({ session }) => sessionBody(session, session.csrfToken, session.mustChangePassword),
    }),
    route({
      method: 'POST',
      url: '/api/session/keepalive',
      tag: 'session',
      summary: 'Records activity, postponing the automatic logoff (answers while the password must be changed: it reads and changes nothing else)',
      duringPasswordChange: true,
      status: 204,
      handler: async () => undefined,
    }),
    route({
      method: 'DELETE',
      url: '/api/session',
      tag: 'session',
      summary: 'Sign out',
      duringPasswordChange: true,
      status: 204,
      handler: async ({ session, reply }) => {
        await accounts.signOut(session.token);
        cookie(reply, null);
        return undefined;
      },
    }),
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
      body: S.PasswordChange,
      status: 204,
      handler: async ({ session, body, req, reply }) => {
        const r = await accounts.changePassword(session, body.current, body.next, req.ip);
        if (r !== 'changed') throw reauthProblem(r, reply, 'The current password is wrong.');
        return undefined;
      },
    }),
    route({
      method: 'POST',
      url: '/api/session/totp/enroll',
      tag: 'session',
      summary: 'Start enrolling an authenticator app: answers {secret, uri} (nothing changes until confirmed)',
      response: S.AnyObject,
      handler: async ({ session }) => accounts.totpEnroll(session.practice, session.member, `${session.member}@${session.practice}`),
    }),
    route({
      method: 'POST',
      url: '/api/session/totp/confirm',
      tag: 'session',
      summary: 'Confirm enrolment with a code from the new app and one’s password; replacing a second factor also needs a current code of the one in use',
      description:
        '400 `invalid_input` when the new app’s code does not match; 403 `forbidden` on a wrong password or a missing, wrong or already used `currentCode` (those count like a wrong password of the password change: the 3rd ends the session).',
      body: S.TotpConfirm,
      status: 204,
      handler: async ({ session, body, req, reply }) => {
        const r = await accounts.totpConfirm(session, body, req.ip);
        if (r !== 'changed') throw reauthProblem(r, reply);
        return undefined;
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/session/totp',
      tag: 'session',
      summary: 'Turn the second factor off (needs a current, unused code and one’s password)',
      body: S.TotpDisable,
      status: 204,
      handler: async ({ session, body, req, reply }) => {
        const r = await accounts.totpDisable(session, body, req.ip);
        if (r !== 'changed') throw reauthProblem(r, reply);
        return undefined;
      },
    }),
    route({
      method: 'POST',
      url: '/api/session/recovery-codes',
      tag: 'session',
      summary: 'The account owner: new one-time recovery codes (with one’s password), replacing the old ones: answers {recoveryCodes}, shown this once',
      description:
        'A recovery code signs the owner in with the password in place of the authenticator app’s code, and past the username’s sign-in backoff window (which it lifts). Only the account owner has recovery codes: the others’ throttle is lifted by the owner or a practice administrator.',
      body: S.PasswordAgain,
      response: S.AnyObject,
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
      summary: 'Who I am and my practice-level permissions',
      response: S.MeOut,
      handler: async ({ session }) => {
        const [ctx, profile] = await Promise.all([ctxOf(session), practiceProfile(cg, session.practice)]);
        const me = profile!.members.get(session.member)!;
        return {
          member: session.member,
          name: me.name,
          roles: me.roles,
          permissions: Object.fromEntries(PRACTICE_PERMISSIONS.map((p) => [p, canInPractice(ctx, session.member, p)])),
        };
      },
    }),

    // ---------------------------------------------------------------- team
    route({
      method: 'GET',
      url: '/api/team',
      tag: 'team',
      summary: 'Team members, their roles, and who supervises whom',
      response: S.AnyObject,
      handler: async ({ session }) => {
        const [team, profile] = await Promise.all([cg.team(session.practice), practiceProfile(cg, session.practice)]);
        const supervision = [...team.supervisorsOf].flatMap(([supervisee, sups]) => [...sups].map((supervisor) => ({ supervisor, supervisee })));
        supervision.sort((a, b) => a.supervisor.localeCompare(b.supervisor) || a.supervisee.localeCompare(b.supervisee));
        return { members: [...profile!.members.values()].map((m) => ({ id: m.id, name: m.name, roles: m.roles })), supervision };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/team/:member/roles',
      tag: 'team',
      summary: 'Replace a member’s roles (assign_roles)',
      params: S.MemberParam,
      body: S.RolesBody,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => run(session, { type: 'assign_roles', member: params.member, roles: body.roles }, reply),
    }),
    route({
      method: 'POST',
      url: '/api/team/supervision',
      tag: 'team',
      summary: 'Start a supervision (set_supervisor)',
      body: S.SupervisionBody,
      response: S.CommandOk,
      handler: async ({ session, body, reply }) => run(session, { type: 'set_supervisor', supervisor: body.supervisor, supervisee: body.supervisee }, reply),
    }),
    route({
      method: 'DELETE',
      url: '/api/team/supervision/:supervisor/:supervisee',
      tag: 'team',
      summary: 'End a supervision (end_supervision)',
      params: S.SupervisionParams,
      response: S.CommandOk,
      handler: async ({ session, params, reply }) => run(session, { type: 'end_supervision', supervisor: params.supervisor, supervisee: params.supervisee }, reply),
    }),
    route({
      method: 'POST',
      url: '/api/team/:member/password-reset',
      tag: 'team',
      summary: 'Reset a member’s password (team.manage; the account owner’s only by the owner; a member who can access restricted clients the actor cannot, only by the owner: only_account_owner): answers {temporaryPassword}; ends all their sessions, lifts their sign-in throttle, and until they choose a new password their sessions answer only the password change',
      params: S.MemberParam,
      response: S.AnyObject,
      handler: async ({ session, params }) => {
        const d = await cg.checkPasswordReset(session.practice, session.member, params.member);
        if (!d.allowed) throw refusal(d.code, d.reasons);
        const temporaryPassword = await accounts.resetPassword(session.practice, session.member, params.member);
        if (temporaryPassword === null) throw new Problem('not_found', 'That team member has no sign-in account.');
        return { temporaryPassword };
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/team/:member/sign-in-throttle',
      tag: 'team',
      summary: 'Lift a member’s sign-in throttle (team.manage; the account owner’s only by the owner): answers {failures} (how many there were); logged',
      params: S.MemberParam,
      response: S.AnyObject,
      handler: async ({ session, params }) => {
        const d = await cg.checkThrottleLift(session.practice, session.member, params.member);
        if (!d.allowed) throw refusal(d.code, d.reasons);
        const lifted = await accounts.liftThrottle(session.practice, session.member, params.member);
        if (lifted === null) throw new Problem('not_found', 'That team member has no sign-in account.');
        return lifted;
      },
    }),

    // ------------------------------------------------------------- clients
    route({
      method: 'GET',
      url: '/api/clients',
      tag: 'clients',
      summary: 'The clients I may view (client.view_profile), with my access to each: a page by name, the total, and the next page’s cursor',
      query: S.ClientPageQuery,
      response: S.ClientPageOut,
      handler: async ({ session, query }) => {
        const page = await clientPage(cg, session.practice, session.member, { limit: query.limit ?? 50, after: query.after ?? null });
        return {
          items: page.items.map((c) => ({ id: c.id, client: c.id, name: c.name, primary: c.primary, restricted: c.restricted, access: c.access })),
          total: page.total,
          next: page.next && S.encodeCursor(page.next),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/directory',
      tag: 'clients',
      summary: 'The client directory: names and contact details I may see (client.view_contact)',
      response: S.AnyObject,
      handler: async ({ session }) => items(await cg.list(session.practice, session.member, 'directory')),
    }),
    route({
      method: 'POST',
      url: '/api/clients',
      tag: 'clients',
      summary: 'Add a client (create_client); the server picks the id',
      body: S.CreateClient,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, body, reply }) =>
        run(
          session,
          { type: 'create_client', id: randomUUID(), name: body.name, primary: body.primary ?? null, person: body.person ?? null, intakeLink: body.intakeLink ?? null },
          reply,
          true,
        ),
    }),
    route({
      method: 'GET',
      url: '/api/clients/:id',
      tag: 'clients',
      summary: 'A client’s overview with my permissions on it (audited read)',
      params: S.IdParam,
      response: S.ClientOut,
      audited: true,
      handler: async ({ session, params }) => {
        const { ctx, client } = await visibleClient(session, params.id);
        const profile = await clientProfile(cg, session.practice, session.member, client.id);
        if (!profile) throw notFound('client');
        const a = clientAccess(ctx, session.member, client);
        await read(session, 'view_client', client.id);
        return {
          id: client.id,
          name: profile.name,
          contact: profile.contact,
          primary: client.primary,
          restricted: client.restricted,
          sharedWithAll: client.sharedWithAll,
          person: client.person,
          access: a.clinical ? 'clinical' : 'administrative',
          permissions: clientPermissions(ctx, session.member, client),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/clients/:id/privacy',
      tag: 'access',
      summary: 'The Privacy tab: every member’s clinical and administrative checkboxes, with reasons',
      params: S.IdParam,
      response: S.AnyObject,
      handler: async ({ session, params }) => {
        const tab = await cg.privacyTab(session.practice, session.member, params.id);
        if (!tab) throw notFound('client');
        return tab;
      },
    }),
    route({
      method: 'GET',
      url: '/api/clients/:id/access',
      tag: 'access',
      summary: 'Who can access this client, and why',
      params: S.IdParam,
      response: S.AnyObject,
      handler: async ({ session, params }) => {
        const r = await cg.whoCanAccess(session.practice, session.member, params.id);
        if (!r) throw notFound('client');
        return r;
      },
    }),
    route({
      method: 'POST',
      url: '/api/clients/:id/clinical-access',
      tag: 'access',
      summary: 'Grant clinical access, optionally for a number of days (grant_clinical)',
      params: S.IdParam,
      body: S.ClinicalGrant,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'grant_clinical', client: params.id, member: body.member, untilDays: body.untilDays ?? null }, reply);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/clients/:id/clinical-access/:member',
      tag: 'access',
      summary: 'Revoke clinical access (revoke_clinical)',
      params: S.ClientMemberParams,
      response: S.CommandOk,
      handler: async ({ session, params, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'revoke_clinical', client: params.id, member: params.member }, reply);
      },
    }),
    route({
      method: 'POST',
      url: '/api/clients/:id/administrative-access',
      tag: 'access',
      summary: 'Grant administrative access back (grant_administrative; restricted clients, account owner)',
      params: S.IdParam,
      body: S.MemberBody,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'grant_administrative', client: params.id, member: body.member }, reply);
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/clients/:id/administrative-access/:member',
      tag: 'access',
      summary: 'Revoke administrative access (revoke_administrative; restricted clients, account owner)',
      params: S.ClientMemberParams,
      response: S.CommandOk,
      handler: async ({ session, params, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'revoke_administrative', client: params.id, member: params.member }, reply);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/clients/:id/primary-clinician',
      tag: 'access',
      summary: 'Set the primary clinician (set_primary_clinician)',
      params: S.IdParam,
      body: S.MemberBody,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'set_primary_clinician', client: params.id, member: body.member }, reply);
      },
    }),
    route({
      method: 'POST',
      url: '/api/clients/:id/restriction',
      tag: 'access',
      summary: 'Turn restricted access on ({on: true}) or off ({on: false, acknowledge: true})',
      params: S.IdParam,
      body: S.Restriction,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        const command: Command = body.on ? { type: 'restrict', client: params.id } : { type: 'unrestrict', client: params.id, acknowledge: body.acknowledge };
        return run(session, command, reply);
      },
    }),
    route({
      method: 'PUT',
      url: '/api/clients/:id/share-with-all',
      tag: 'access',
      summary: 'Share the client with all clinicians, or stop (share_with_all)',
      params: S.IdParam,
      body: S.ShareWithAll,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'share_with_all', client: params.id, on: body.on }, reply);
      },
    }),

    // --------------------------------------------------------------- notes
    route({
      method: 'GET',
      url: '/api/clients/:id/notes',
      tag: 'notes',
      summary: 'The client’s notes I may view (audited read)',
      params: S.IdParam,
      response: S.AnyObject,
      audited: true,
      handler: async ({ session, params }) => {
        await visibleClient(session, params.id);
        const list = (await cg.list(session.practice, session.member, 'notes')).filter((n) => n.client === params.id);
        await read(session, 'view_notes', params.id, { notes: list.length });
        return items(list);
      },
    }),
    route({
      method: 'POST',
      url: '/api/clients/:id/notes',
      tag: 'notes',
      summary: 'Write a note, optionally signing it (write_note)',
      params: S.IdParam,
      body: S.WriteNote,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        const kind = body.kind as 'clinical';
        return run(session, { type: 'write_note', id: randomUUID(), client: params.id, kind, body: body.body, sign: body.sign ?? false }, reply, true);
      },
    }),
    route({
      method: 'GET',
      url: '/api/notes/:id',
      tag: 'notes',
      summary: 'A note (audited read); 403 when I see the client but not the note',
      params: S.IdParam,
      response: S.AnyObject,
      audited: true,
      handler: async ({ session, params }) => {
        // One store call, one transaction: the note, the audited read and my decisions on it.
        const opened = await cg.openNote(session.practice, session.member, params.id);
        if (!opened.ok) throw opened.decision.code === 'not_found' ? notFound('note') : refusal(opened.decision.code, opened.decision.reasons);
        return opened.note;
      },
    }),
    ...(['sign', 'cosign'] as const).map((verb) =>
      route({
        method: 'POST',
        url: `/api/notes/:id/${verb}`,
        tag: 'notes',
        summary: verb === 'sign' ? 'Sign my note (sign_note)' : 'Co-sign a supervisee’s signed note (cosign_note)',
        params: S.IdParam,
        body: S.Empty,
        response: S.CommandOk,
        handler: async ({ session, params, reply }) => {
          await noteInVisibleClient(session, params.id);
          return run(session, { type: verb === 'sign' ? 'sign_note' : 'cosign_note', note: params.id }, reply);
        },
      }),
    ),
    route({
      method: 'DELETE',
      url: '/api/notes/:id',
      tag: 'notes',
      summary: 'Delete a note (delete_note; a signed note only by a clinical administrator)',
      params: S.IdParam,
      response: S.CommandOk,
      handler: async ({ session, params, reply }) => {
        await noteInVisibleClient(session, params.id);
        return run(session, { type: 'delete_note', note: params.id }, reply);
      },
    }),

    // ------------------------------------------------------------ calendar, billing
    route({
      method: 'GET',
      url: '/api/calendar',
      tag: 'calendar',
      summary: 'Appointments I may see, by time: a page and the next page’s cursor',
      query: S.AppointmentPageQuery,
      response: S.CalendarPageOut,
      handler: async ({ session, query }) => {
        const page = await appointmentPage(cg, session.practice, session.member, 'calendar', { limit: query.limit ?? 50, from: query.from, after: query.after ?? null });
        return { items: page.items.map((a) => ({ id: a.id, client: a.client, clinician: a.clinician, startsAt: a.startsAt })), next: page.next && S.encodeCursor(page.next) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/appointments',
      tag: 'calendar',
      summary: 'Schedule an appointment; its fee is a charge (schedule_appointment)',
      body: S.Appointment,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, body, reply }) =>
        run(
          session,
          { type: 'schedule_appointment', id: randomUUID(), client: body.client, clinician: body.clinician, fee: body.fee, ...(body.startsAt === undefined ? {} : { startsAt: body.startsAt }) },
          reply,
          true,
        ),
    }),
    route({
      method: 'GET',
      url: '/api/billing',
      tag: 'billing',
      summary: 'Charges I may see, by time: a page and the next page’s cursor (audited read)',
      query: S.AppointmentPageQuery,
      response: S.BillingPageOut,
      audited: true,
      handler: async ({ session, query }) => {
        const page = await appointmentPage(cg, session.practice, session.member, 'billing', { limit: query.limit ?? 50, from: query.from, after: query.after ?? null });
        await read(session, 'view_billing', null, { charges: page.items.length });
        return {
          items: page.items.map((a) => ({ id: a.id, client: a.client, clinician: a.clinician, amount: a.amount, at: a.startsAt })),
          next: page.next && S.encodeCursor(page.next),
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/insurance-payments',
      tag: 'billing',
      summary: 'Insurance payments I may manage (a payment covering a client I may not bill is hidden whole)',
      response: S.AnyObject,
      handler: async ({ session }) => items(await cg.list(session.practice, session.member, 'insurance_payments')),
    }),
    route({
      method: 'POST',
      url: '/api/insurance-payments',
      tag: 'billing',
      summary: 'Record an insurance payment covering clients (record_insurance_payment)',
      body: S.InsurancePayment,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, body, reply }) =>
        run(session, { type: 'record_insurance_payment', id: randomUUID(), covers: body.covers, amount: body.amount }, reply, true),
    }),

    // ------------------------------------------------------- messages, tasks
    route({
      method: 'GET',
      url: '/api/messages',
      tag: 'messages',
      summary: 'Secure messages I may see (audited read)',
      response: S.AnyObject,
      audited: true,
      handler: async ({ session }) => {
        const list = await cg.list(session.practice, session.member, 'messages');
        await read(session, 'view_messages', null, { messages: list.length });
        return items(list);
      },
    }),
    route({
      method: 'GET',
      url: '/api/clients/:id/messages',
      tag: 'messages',
      summary: 'The client’s secure messages I may see (audited read)',
      params: S.IdParam,
      response: S.AnyObject,
      audited: true,
      handler: async ({ session, params }) => {
        await visibleClient(session, params.id);
        const list = (await cg.list(session.practice, session.member, 'messages')).filter((m) => m.client === params.id);
        await read(session, 'view_messages', params.id, { messages: list.length });
        return items(list);
      },
    }),
    route({
      method: 'POST',
      url: '/api/clients/:id/messages',
      tag: 'messages',
      summary: 'Send a secure message to the client (send_message)',
      params: S.IdParam,
      body: S.Message,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, params, body, reply }) => {
        await visibleClient(session, params.id);
        return run(session, { type: 'send_message', id: randomUUID(), client: params.id, body: body.body }, reply, true);
      },
    }),
    route({
      method: 'GET',
      url: '/api/tasks',
      tag: 'tasks',
      summary: 'Tasks I created or am assigned (all, for the account owner) on clients I may view',
      response: S.AnyObject,
      handler: async ({ session }) => items(await cg.list(session.practice, session.member, 'tasks')),
    }),
    route({
      method: 'POST',
      url: '/api/tasks',
      tag: 'tasks',
      summary: 'Create a task about a client (create_task)',
      body: S.Task,
      status: 201,
      response: S.CommandOk,
      handler: async ({ session, body, reply }) =>
        run(session, { type: 'create_task', id: randomUUID(), client: body.client, assignee: body.assignee, title: body.title }, reply, true),
    }),
    route({
      method: 'GET',
      url: '/api/notifications',
      tag: 'tasks',
      summary: 'My in-app notifications',
      response: S.AnyObject,
      handler: async ({ session }) => items(await cg.list(session.practice, session.member, 'notifications')),
    }),

    // ------------------------------------------------- activity log, reports, checks
    route({
      method: 'GET',
      url: '/api/activity-log',
      tag: 'audit',
      summary: 'Activity-log entries I may see (the whole log for activity_log.view, else my own), note and message text left out',
      response: S.AnyObject,
      handler: async ({ session }) => items((await cg.list(session.practice, session.member, 'activity_log')).map(redactBodies)),
    }),
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
        if (!r.ok) throw r.decision.allowed ? new Problem('forbidden') : refusal(r.decision.code, r.decision.reasons);
        return r.report;
      },
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
        const gone =
          what === 'client'
            ? await hidden(session, { clients: [query.client ?? ''] })
            : what === 'note'
              ? await hidden(session, { notes: [query.note ?? ''] })
              : what === 'payment'
                ? notFound('payment') // 001: a payment I may not manage is hidden whole (seesInsurancePayment).
                : null;
        if (gone) return refuse('not_found', gone.message);
        return d;
      },
    }),
    route({
      method: 'GET',
      url: '/api/members/:member/access',
      tag: 'access',
      summary: 'What a member can access, and why (myself; anyone, for team.manage or activity_log.view)',
      params: S.MemberParam,
      response: S.AnyObject,
      handler: async ({ session, params }) => {
        const r = await cg.whatCanAccess(session.practice, session.member, params.member);
        if (r === null) throw new Problem('not_found', 'No such team member.');
        if (r === undefined) throw new Problem('forbidden', 'Only the account owner, practice administrators and practice managers see what others can access.');
        return { member: params.member, items: r };
      },
    }),
  ];
}

