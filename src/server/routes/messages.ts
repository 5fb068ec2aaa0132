/** Secure messages: all I may see, one client's, and sending one. */
import { randomUUID } from 'node:crypto';
import { clientMessagesPage, RECORD_PAGE_LIMIT } from '../../store/reads/client-records.js';
import { inboxPage } from '../../store/reads/inbox-page.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { clientAreaRoute, commandRoute, type Shared } from './shared.js';

export function messageRoutes(h: Shared): Route[] {
  const { cg, read } = h;

  return [
    route({
      method: 'GET',
      url: '/api/messages',
      tag: 'messages',
      summary: 'Secure messages I may see, oldest first: a page and the next page’s cursor (audited read)',
      query: S.RecordPageQuery,
      response: S.MessagesOut,
      audited: true,
      handler: async ({ session, query }) => {
        const page = await inboxPage(cg, session.practice, session.member, { limit: query.limit ?? RECORD_PAGE_LIMIT, after: query.after ?? null });
        await read(session, 'view_messages', null, { messages: page.items.length });
        return { items: page.items, next: page.next && S.encodeCursor(page.next) };
      },
    }),
    clientAreaRoute(h, {
      url: '/api/clients/:id/messages',
      tag: 'messages',
      summary: 'The client’s secure messages I may see, oldest first: a page and the next page’s cursor (audited read)',
      area: 'messages',
      action: 'view_messages',
      response: S.MessagesOut,
      page: clientMessagesPage,
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/clients/:id/messages',
      tag: 'messages',
      summary: 'Send a secure message to the client (send_message)',
      on: 'client',
      params: S.IdParam,
      body: S.Message,
      created: true,
      command: ({ params, body }) => ({ type: 'send_message', id: randomUUID(), client: params.id, body: body.body }),
    }),
  ];
}
