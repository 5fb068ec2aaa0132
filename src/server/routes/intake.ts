/**
 * Public intake forms (003; store/auth/intake-forms.ts, core/intake.ts). No session: the form
 * link's token is the authority. GET answers what the page shows, POST sends the form: the
 * core's submit_intake, run as nobody. Throttled per address, a honeypot field, size limits
 * at the boundary (api/intake.ts). A submission's answer names no client and no member; a
 * practitioner the form cannot route to is one `forbidden` sentence, whoever they are.
 *
 * Staff routes manage the links: a practitioner their own, whoever manages the team any
 * practitioner's and the practice form's. A link's address is shown only when issued.
 */
import type { FastifyRequest } from 'fastify';
import { canManageIntakeLink, takesIntake } from '../../core/index.js';
import { findForm, formDetails, issueFormLink, linkState, setFormEnabled, submitForm, type IntakeLinkFailure } from '../../store/auth/intake-forms.js';
import { Problem, refusal } from '../problem.js';
import { route, type Route, type Session } from '../route.js';
import * as S from '../../api/index.js';
import type { Shared } from './shared.js';
import { linkBase } from './team.js';

const LINK_CODES = 'Answers 404 `link_unknown` for a token that is no form link, 410 `link_disabled` for a link turned off (or whose practitioner takes no intake now).';
const problemOf = (f: IntakeLinkFailure) => new Problem(f.code, f.detail);

export function intakeRoutes(h: Shared): Route[] {
  return [...publicRoutes(h), ...linkRoutes(h, 'member'), ...linkRoutes(h, 'practice')];
}

function publicRoutes(h: Shared): Route[] {
  const { cg, allowIntake } = h.deps;
  return [
    route({
      method: 'GET',
      url: '/api/intake/:token',
      tag: 'intake',
      auth: false,
      summary: 'An intake form: the practice’s name, and whose form it is or (the practice form) the practitioners it offers, by display name',
      description: LINK_CODES,
      params: S.IntakeParam,
      response: S.IntakeFormOut,
      handler: async ({ params }) => {
        const r = await formDetails(cg, params.token);
        if (!r.ok) throw problemOf(r);
        return r.details;
      },
    }),
    route({
      method: 'POST',
      url: '/api/intake/:token',
      tag: 'intake',
      auth: false,
      summary: 'Send an intake form: creates the client with the form’s practitioner (or the one chosen) as primary, keeps the answers in the chart and notifies the practitioner',
      description:
        `Answers 201 \`{ received: true }\`, naming nothing. ${LINK_CODES} 403 \`forbidden\` for a choice that is none of the form’s; 429 \`too_many_requests\` past a few submissions a minute from one address; ` +
        '400 `invalid_input` for a field too long, too many answers or a bad date. A form whose hidden `website` field is filled is answered as received and nothing is kept.',
      params: S.IntakeParam,
      body: S.IntakeForm,
      status: 201,
      response: S.IntakeReceivedOut,
      handler: async ({ params, body, req }) => {
        if (!allowIntake(req.ip)) throw new Problem('too_many_requests', 'Too many forms from this address: wait a minute.', [], 429, { 'retry-after': '60' });
        if (body.website) {
          // A robot filled the field people never see: answered as received, nothing kept (an unknown link still says so).
          if (!(await findForm(cg.db, params.token))) throw problemOf({ ok: false, code: 'link_unknown', detail: 'This form link is not valid.' });
          return { received: true as const };
        }
        const answers = Object.fromEntries((body.answers ?? []).map((a) => [a.question, a.answer]));
        const r = await submitForm(cg, params.token, { ...body, answers });
        if (!r.ok) throw problemOf(r);
        if (!r.result.ok) throw refusal(r.result.code, r.result.reasons);
        return { received: true as const };
      },
    }),
  ];
}

/** The routes of one kind of link: a practitioner's own (/api/team/:member/intake-link) or the practice form's (/api/intake-link). */
function linkRoutes(h: Shared, kind: 'member' | 'practice'): Route[] {
  const { cg } = h.deps;
  const url = kind === 'member' ? '/api/team/:member/intake-link' : '/api/intake-link';
  const whose = kind === 'member' ? 'a practitioner’s intake form link (the practitioner’s own, or anyone’s for who manages the team)' : 'the practice intake form link (who manages the team)';
  const params = kind === 'member' ? S.MemberParam : undefined;
  /** The member whose link (null: the practice form), once the caller may manage it. */
  const allowed = async (session: Session, p: unknown): Promise<string | null> => {
    const member = kind === 'member' ? (p as { member: string }).member : null;
    const ctx = { team: await cg.team(session.practice), now: cg.now() };
    const d = canManageIntakeLink(ctx, session.member, member);
    if (!d.allowed) throw refusal(d.code, d.reasons);
    if (member !== null && !takesIntake(ctx, member)) throw new Problem('not_applicable', 'Intake form links are for active team members with a clinician role.');
    return member;
  };
  const state = async (session: Session, member: string | null) => {
    const s = await linkState(cg.db, session.practice, member);
    return { issued: s !== null, enabled: s?.enabled ?? false, rotatedAt: s ? new Date(s.rotatedAt).toISOString() : null, offers: s?.offers ? [...s.offers] : null };
  };
  const address = (req: FastifyRequest, token: string) => `${linkBase(h, req).replace(/\/+$/, '')}/intake/${token}`;
  return [
    route({
      method: 'GET',
      url,
      tag: 'intake',
      summary: `The state of ${whose}: issued, enabled, when last rotated (never its address: only its hash is kept)`,
      ...(params ? { params } : {}),
      response: S.IntakeLinkOut,
      handler: async ({ session, params: p }) => state(session, await allowed(session, p)),
    }),
    route({
      method: 'POST',
      url,
      tag: 'intake',
      summary: `Issue or rotate ${whose}: the earlier address stops working; the new one is answered this once`,
      ...(params ? { params } : { body: S.PracticeFormLink }),
      response: S.IntakeLinkIssuedOut,
      handler: async ({ session, params: p, body, req }) => {
        const member = await allowed(session, p);
        const offers = member === null ? ((body as { offers?: string[] | null } | undefined)?.offers ?? null) : null;
        const token = await issueFormLink(cg, session.practice, session.member, member, offers);
        return { link: address(req, token) };
      },
    }),
    route({
      method: 'DELETE',
      url,
      tag: 'intake',
      summary: `Turn off ${whose} (issuing a new one turns it on again)`,
      ...(params ? { params } : {}),
      response: S.IntakeLinkOut,
      handler: async ({ session, params: p }) => {
        const member = await allowed(session, p);
        if (!(await setFormEnabled(cg, session.practice, session.member, member, false))) throw new Problem('not_found', 'No intake form link was issued.');
        return state(session, member);
      },
    }),
  ];
}
