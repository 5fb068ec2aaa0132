/** Clients: the paged list, the paged directory, adding one, and one client's overview. */
import { randomUUID } from 'node:crypto';
import { CLIENT_PERMISSIONS, canOnClient, clientAccess, type ClientFacts, type Context, type Decision } from '../../core/index.js';
import { clientPage } from '../../store/reads/client-page.js';
import { directoryEntries, directoryPage } from '../../store/reads/reach-pages.js';
import { clientProfile } from '../../store/facts/profiles.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { commandRoute, pageRoute, type Shared } from './shared.js';

const clientPermissions = (ctx: Context, member: string, client: ClientFacts) =>
  Object.fromEntries(CLIENT_PERMISSIONS.map((p) => [p, canOnClient(ctx, member, p, client)])) as Record<string, Decision>;

export function clientRoutes(h: Shared): Route[] {
  const { cg, visibleClient, notFound, read } = h;

  return [
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
    pageRoute({
      url: '/api/directory',
      tag: 'clients',
      summary: 'The client directory: names and contact details I may see (client.view_contact), a page by name and the next page’s cursor',
      query: S.DirectoryQuery,
      response: S.DirectoryOut,
      page: (session, options) => directoryPage(cg, session.practice, session.member, options),
    }),
    route({
      method: 'GET',
      url: '/api/directory/entries',
      tag: 'clients',
      summary: 'The directory entries of the clients named (ids=a,b,...; up to 100): those I may see (client.view_contact), in the order asked',
      query: S.DirectoryIdsQuery,
      response: S.DirectoryEntriesOut,
      handler: ({ session, query }) => directoryEntries(cg, session.practice, session.member, query.ids),
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/clients',
      tag: 'clients',
      summary: 'Add a client (create_client); the server picks the id',
      body: S.CreateClient,
      created: true,
      command: ({ body }) => ({ type: 'create_client', id: randomUUID(), name: body.name, primary: body.primary ?? null, person: body.person ?? null, intakeLink: body.intakeLink ?? null }),
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
  ];
}
