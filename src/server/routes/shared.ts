/**
 * What the handlers of every resource share: who may see a client or note (`hidden`, the
 * one place that decides a not-found answer), running a command (`run`), audited reads,
 * and the three shapes most routes take, written once: a command (`commandRoute`), a page of
 * records (`pageRoute`), and one client's records of an area a page at a time (`clientAreaRoute`).
 *
 * Visibility at the boundary: a client (or note, or payment) the caller may not view at all
 * answers exactly as one that does not exist - the same 404 problem, byte for byte, from
 * reads, checks and commands alike (no existence oracle; the core's `redactRefusal`).
 */
import type { FastifyReply } from 'fastify';
import type { z } from 'zod';
import {
  canOnClient,
  commandNeeds,
  NOT_FOUND_TEXT,
  redactRefusal,
  type Area,
  type ClientFacts,
  type Command,
  type Context,
  type HiddenRecord,
  type NoteKind,
} from '../../core/index.js';
import type { ListItem } from '../../store/chartguard.js';
import { RECORD_PAGE_LIMIT, type TimeCursor, type TimePageOptions } from '../../store/reads/client-records.js';
import type { KeysetPage } from '../../store/reads/keyset.js';
import { Problem, refusal } from '../problem.js';
import { route, type Deps, type Route, type Session } from '../route.js';
import * as S from '../../api/index.js';

export type Shared = ReturnType<typeof shared>;

export function shared(deps: Deps) {
  const { cg } = deps;

  const ctxOf = async (s: Session): Promise<Context> => ({ team: await cg.team(s.practice), now: cg.now() });

  /**
   * No existence oracle: a record the caller may not see answers as one that does not
   * exist. These problems are the only not-found answers about clients, notes and
   * payments, and name no id, so a hidden record and a missing one answer the same bytes.
   */
  const notFound = (what: HiddenRecord) => new Problem('not_found', NOT_FOUND_TEXT[what]);

  /** Whether the caller may see the client at all (the core's seesClient); false for a client that does not exist. */
  const seesClient = async (s: Session, client: string) => (await cg.check(s.practice, s.member, 'client.view_profile', { client })).allowed;

  /**
   * The first target missing or hidden from the caller, else null. A client is hidden
   * unless the caller may view its profile; a note, unless it exists and its client is seen
   * (a note of a client one sees is in that client's activity log, so refusing it with 403
   * tells nothing new). (A payment is hidden whole when the caller may not manage it: 001,
   * the core's redactRefusal; see /api/check.)
   */
  const hidden = async (s: Session, target: { clients?: readonly string[]; notes?: readonly string[] }): Promise<HiddenRecord | null> => {
    for (const client of target.clients ?? []) if (!(await seesClient(s, client))) return 'client';
    for (const note of target.notes ?? []) {
      const state = await cg.noteState(s.practice, note);
      if (!state.exists || state.client === undefined || !(await seesClient(s, state.client))) return 'note';
    }
    return null;
  };

  /** The client's facts, when the caller may view it at all; otherwise 404. */
  const visibleClient = async (s: Session, id: string): Promise<{ ctx: Context; client: ClientFacts }> => {
    // The cached facts single checks read (kept fresh by change notifications): no round trip
    // when warm. The record itself is then read under row-level security, on the database's facts.
    const [ctx, client] = await Promise.all([ctxOf(s), cg.facts.client(s.practice, id)]);
    if (!client || !canOnClient(ctx, s.member, 'client.view_profile', client).allowed) throw notFound('client');
    return { ctx, client };
  };

  /** The note and its client, when the caller may view the client at all; otherwise 404. */
  const noteInVisibleClient = async (s: Session, id: string) => {
    const state = await cg.noteState(s.practice, id);
    if (!state.exists || state.client === undefined) throw notFound('note');
    const note = state as { client: string; author: string; kind: NoteKind; signed: boolean; cosigned: boolean };
    // A client the caller may not see makes the note missing too; a fault (the database away) stays a fault.
    const { ctx, client } = await visibleClient(s, note.client).catch((e: unknown) => {
      throw e instanceof Problem && e.code === 'not_found' ? notFound('note') : e;
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
      const gone = await hidden(s, { clients: needs.clients, notes: needs.notes });
      const d = redactRefusal({ allowed: false, code: r.code, reasons: r.reasons }, gone, gone === null);
      throw refusal(d.code, d.reasons);
    }
    if (created) reply.code(201);
    const id = created && 'id' in command ? { id: command.id } : {};
    return { ok: true as const, summary: r.summary, reasons: r.reasons, ...id };
  };

  const read = (s: Session, action: string, client: string | null, detail: Record<string, unknown> = {}) =>
    cg.audit(s.practice, { actor: s.member, action, client, outcome: 'read', detail });

  return { deps, cg, ctxOf, notFound, seesClient, hidden, visibleClient, noteInVisibleClient, run, read };
}

/** A route that runs one command; `on` the `:id` client or note, which must be visible first (else 404). */
export interface CommandRoute<B, P> extends Omit<Route<B, Record<string, never>, P>, 'handler' | 'response' | 'status'> {
  readonly on?: P extends { readonly id: string } ? 'client' | 'note' : never;
  /** 201 with the new record's id. */
  readonly created?: boolean;
  readonly command: (input: { readonly params: P; readonly body: B }) => Command;
}

/**
 * @example
 * commandRoute(h, {
 *   method: 'PUT', url: '/api/clients/:id/share-with-all', tag: 'access', summary: 'Share with all clinicians',
 *   on: 'client', params: S.IdParam, body: S.ShareWithAll,
 *   command: ({ params, body }) => ({ type: 'share_with_all', client: params.id, on: body.on }),
 * });
 */
export function commandRoute<B = undefined, P = Record<string, never>>(h: Shared, r: CommandRoute<B, P>): Route {
  const { on, created, command, ...rest } = r;
  return route<B, Record<string, never>, P>({
    ...rest,
    ...(created ? { status: 201 } : {}),
    response: S.CommandOk,
    handler: async ({ session, params, body, reply }) => {
      const id = (params as { id?: string }).id ?? '';
      if (on === 'client') await h.visibleClient(session, id);
      if (on === 'note') await h.noteInVisibleClient(session, id);
      return h.run(session, command({ params, body }), reply, created);
    },
  });
}

interface ListRoute {
  readonly url: string;
  readonly tag: string;
  readonly summary: string;
  readonly area: Area;
  readonly response: z.ZodType;
}

/** One client's records a page at a time: a store read of reads/client-records.ts. */
type ClientRecordsPage = (store: Deps['cg'], practice: string, member: string, client: string, options: TimePageOptions) => Promise<KeysetPage<ListItem, TimeCursor>>;

/**
 * GET a page of one visible client's records of an area (`limit`, `after`: the `next` of
 * the previous page), and write the read to the activity log as `action` with the count.
 */
export function clientAreaRoute(h: Shared, r: ListRoute & { readonly action: string; readonly page: ClientRecordsPage }): Route {
  const { area, action, page, ...rest } = r;
  return route({
    method: 'GET',
    ...rest,
    params: S.IdParam,
    query: S.RecordPageQuery,
    audited: true,
    handler: async ({ session, params, query }) => {
      await h.visibleClient(session, params.id);
      const got = await page(h.cg, session.practice, session.member, params.id, { limit: query.limit ?? RECORD_PAGE_LIMIT, after: query.after ?? null });
      await h.read(session, action, params.id, { [area]: got.items.length });
      return { items: got.items, next: got.next && S.encodeCursor(got.next) };
    },
  });
}

/**
 * A GET route answering one page of records: `limit` (default RECORD_PAGE_LIMIT) and `after`
 * in (with the query's other fields, such as a queue, given to `page` too); the page, with the
 * next page's cursor, out.
 */
export function pageRoute<Q extends { limit?: number; after?: unknown }, T extends { readonly next: NonNullable<Q['after']> | null }>(r: {
  readonly url: string;
  readonly tag: string;
  readonly summary: string;
  readonly query: z.ZodType<Q>;
  readonly response: z.ZodType;
  readonly page: (session: Session, options: { readonly limit: number; readonly after: NonNullable<Q['after']> | null }, query: Q) => Promise<T>;
}): Route {
  return route({
    method: 'GET',
    url: r.url,
    tag: r.tag,
    summary: r.summary,
    query: r.query,
    response: r.response,
    handler: async ({ session, query }) => {
      const { next, ...page } = await r.page(session, { limit: query.limit ?? RECORD_PAGE_LIMIT, after: query.after ?? null }, query);
      return { ...page, next: next && S.encodeCursor(next) };
    },
  });
}
