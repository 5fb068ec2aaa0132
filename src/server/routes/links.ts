/**
 * One-time links (issue 14): a new practice's setup link, a team member's invitation and an
 * emailed password reset. No session: the link's token is the authority, once and until it
 * expires. Each answers the web app's page what it shows (GET), then takes the form (POST),
 * which makes the account (or sets the password) and signs its member in. A link unknown, used or expired answers `link_unknown` (404),
 * `link_used` or `link_expired` (410); a username someone has, `username_taken` (409).
 */
import type { FastifyRequest } from 'fastify';
import { acceptInvitation, invitationDetails } from '../../store/auth/invitations.js';
import type { LinkedFailure } from '../../store/auth/new-accounts.js';
import { peekLink, type LinkKind } from '../../store/auth/one-time-links.js';
import { completePasswordReset, passwordResetDetails } from '../../store/auth/password-resets.js';
import { setupDetails, setUpPractice } from '../../store/auth/practice-setup.js';
import { Problem } from '../problem.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { sessionHelpers, type SessionKit } from './session.js';
import type { Shared } from './shared.js';

const LINK_CODES = 'Answers 404 `link_unknown` for a token that is no such link, 410 `link_used` once it was used and 410 `link_expired` after it expired.';

const problemOf = (f: LinkedFailure): Problem => new Problem(f.code, f.detail);

/** A form sent to a link: throttled per address like sign-in (each hashes a password), and the link checked before hashing. */
function acceptor({ deps }: SessionKit) {
  return async (req: FastifyRequest, token: string, kind: LinkKind, password: string): Promise<string> => {
    if (!deps.allowSignIn(req.ip)) throw new Problem('too_many_requests', 'Too many attempts from this address: wait a minute.', [], 429, { 'retry-after': '60' });
    const link = await peekLink(deps.cg.db, token, kind, deps.cg.now());
    if (!link.ok) throw problemOf(link);
    return deps.accounts.hashPassword(password);
  };
}

function setupLinkRoutes(kit: SessionKit): Route[] {
  const { cg, accounts } = kit.deps;
  const { sessionBody, cookie } = kit;
  const accepting = acceptor(kit);
  return [
    route({
      method: 'GET',
      url: '/api/setup/:token',
      tag: 'setup',
      auth: false,
      summary: 'A setup link: what the setup page shows (the practice’s name and owner when `chartguard practice create` gave them)',
      description: `Printed by \`chartguard start --no-demo\` on an empty database, or by \`chartguard practice create\`; valid one hour, once. ${LINK_CODES}`,
      params: S.LinkParam,
      response: S.SetupDetailsOut,
      handler: async ({ params }) => {
        const r = await setupDetails(cg, params.token);
        if (!r.ok) throw problemOf(r);
        return r.details;
      },
    }),
    route({
      method: 'POST',
      url: '/api/setup/:token',
      tag: 'setup',
      auth: false,
      summary: 'Set up the practice: its name, the account owner’s name, email, username and password; signs the owner in',
      description:
        'One transaction: the link is used, the practice created (or, from `practice create`, renamed and its owner completed), the owner’s sign-in account made and their recovery codes issued, all in the activity log; or nothing. ' +
        `Answers 201 with the session (cookie set) and the owner’s one-time recovery codes, shown this once. ${LINK_CODES} 409 \`username_taken\`; 400 \`invalid_input\` for a bad email address, a password under 12 characters, an unknown clinician role.`,
      params: S.LinkParam,
      body: S.PracticeSetup,
      status: 201,
      response: S.SetupDoneOut,
      handler: async ({ params, body, req, reply }) => {
        const passwordHash = await accepting(req, params.token, 'setup', body.password);
        const r = await setUpPractice(cg, params.token, { ...body, clinicianRole: body.clinicianRole ?? null, passwordHash });
        if (!r.ok) throw problemOf(r);
        const signedIn = await accounts.startSession(r.practice, r.member, 'setup', req.ip);
        cookie(reply, signedIn.token);
        return { session: await sessionBody(signedIn.session, signedIn.csrfToken, false), recoveryCodes: [...r.recoveryCodes] };
      },
    }),
  ];
}

function invitationRoutes(kit: SessionKit): Route[] {
  const { cg, accounts } = kit.deps;
  const { sessionBody, cookie } = kit;
  const accepting = acceptor(kit);
  return [
    route({
      method: 'GET',
      url: '/api/invitations/:token',
      tag: 'setup',
      auth: false,
      summary: 'An invitation: the practice’s name and the invited member’s (what the invitation page shows)',
      description: `Valid seven days, once; a new invitation of the same member ends the earlier ones. ${LINK_CODES}`,
      params: S.LinkParam,
      response: S.InvitationDetailsOut,
      handler: async ({ params }) => {
        const r = await invitationDetails(cg, params.token);
        if (!r.ok) throw problemOf(r);
        return r.details;
      },
    }),
    route({
      method: 'POST',
      url: '/api/invitations/:token',
      tag: 'setup',
      auth: false,
      summary: 'Accept an invitation: choose a username and password; signs the member in',
      description: `One transaction: the link is used and the member’s sign-in account made, in the activity log; or nothing. Answers 201 with the session (cookie set). ${LINK_CODES} 409 \`username_taken\`.`,
      params: S.LinkParam,
      body: S.InvitationAcceptance,
      status: 201,
      response: S.SessionOut,
      handler: async ({ params, body, req, reply }) => {
        const passwordHash = await accepting(req, params.token, 'invitation', body.password);
        const r = await acceptInvitation(cg, params.token, { username: body.username, passwordHash });
        if (!r.ok) throw problemOf(r);
        const signedIn = await accounts.startSession(r.practice, r.member, 'invitation', req.ip);
        cookie(reply, signedIn.token);
        return sessionBody(signedIn.session, signedIn.csrfToken, false);
      },
    }),
  ];
}

function passwordResetRoutes(kit: SessionKit): Route[] {
  const { cg, accounts } = kit.deps;
  const { sessionBody, cookie } = kit;
  const accepting = acceptor(kit);
  return [
    route({
      method: 'GET',
      url: '/api/password-resets/:token',
      tag: 'setup',
      auth: false,
      summary: 'A password-reset link: the practice’s name, the member’s and their username (what the reset page shows)',
      description: `Emailed by \`POST /api/team/{member}/password-reset\` when mail is configured; valid one hour, once; a new reset ends the earlier links, and a member deactivated since finds theirs expired. ${LINK_CODES}`,
      params: S.LinkParam,
      response: S.PasswordResetDetailsOut,
      handler: async ({ params }) => {
        const r = await passwordResetDetails(cg, params.token);
        if (!r.ok) throw problemOf(r);
        return r.details;
      },
    }),
    route({
      method: 'POST',
      url: '/api/password-resets/:token',
      tag: 'setup',
      auth: false,
      summary: 'Choose a new password through a reset link; signs the member in unless they have a second factor',
      description:
        'One transaction: the link is used and the new password set (no change asked at the next sign-in), in the activity log; or nothing. ' +
        `Answers {session} with the session (cookie set), or {session: null} when the member has a second factor: they then sign in with the new password and a code. ${LINK_CODES} 400 \`invalid_input\` for a password under 12 characters.`,
      params: S.LinkParam,
      body: S.PasswordResetCompletion,
      response: S.PasswordResetDoneOut,
      handler: async ({ params, body, req, reply }) => {
        const passwordHash = await accepting(req, params.token, 'password_reset', body.password);
        const r = await completePasswordReset(cg, params.token, passwordHash);
        if (!r.ok) throw problemOf(r);
        // The link proves the mailbox, not the second factor: a member who has one signs in with it.
        if (r.secondFactor) return { session: null };
        const signedIn = await accounts.startSession(r.practice, r.member, 'password_reset', req.ip);
        cookie(reply, signedIn.token);
        return { session: await sessionBody(signedIn.session, signedIn.csrfToken, false) };
      },
    }),
  ];
}

export function setupRoutes(h: Shared): Route[] {
  const kit = sessionHelpers(h.deps);
  return [...setupLinkRoutes(kit), ...invitationRoutes(kit), ...passwordResetRoutes(kit)];
}
