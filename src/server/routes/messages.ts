/** Secure messages: all I may see, one client's, and sending one. */
import { randomUUID } from 'node:crypto';
import { clientMessagesPage } from '../../store/reads/client-records.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { clientAreaRoute, commandRoute, type Shared } from './shared.js';

export function messageRoutes(h: Shared): Route[] {
  const { cg, read, items } = h;

  return [
    route({
      method: 'GET',
      url: '/api/messages',
      tag: 'messages',
      summary: 'Secure messages I may see (audited read)',
      response: S.MessagesOut,
      audited: true,
      handler: async ({ session }) => {
        const list = await cg.list(session.practice, session.member, 'messages');
        await read(session, 'view_messages', null, { messages: list.length });
        return items(list);
      },
    }),
    clientAreaRoute(h, {
      url: '/api/clients/:id/messages',
      tag: 'messages',
      summary: 'The client’s secure messages I may see, oldest first: a page and the next page’s cursor (audited read)',
      area: 'messages',
      action: 'view_messages',
      response: S.ClientMessagesOut,
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
