/** Notes: a client's notes, writing, reading, signing, co-signing and deleting one. */
import { randomUUID } from 'node:crypto';
import { clientNotesPage } from '../../store/reads/client-records.js';
import { noteQueuePage } from '../../store/reads/note-queues.js';
import { refusal } from '../problem.js';
import { route, type Route } from '../route.js';
import * as S from '../../api/index.js';
import { clientAreaRoute, commandRoute, pageRoute, type Shared } from './shared.js';

export function noteRoutes(h: Shared): Route[] {
  const { cg, notFound } = h;

  return [
    clientAreaRoute(h, {
      url: '/api/clients/:id/notes',
      tag: 'notes',
      summary: 'The client’s notes I may view, oldest first: a page and the next page’s cursor (audited read)',
      area: 'notes',
      action: 'view_notes',
      response: S.NotesOut,
      page: clientNotesPage,
    }),
    commandRoute(h, {
      method: 'POST',
      url: '/api/clients/:id/notes',
      tag: 'notes',
      summary: 'Write a note, optionally signing it (write_note)',
      on: 'client',
      params: S.IdParam,
      body: S.WriteNote,
      created: true,
      command: ({ params, body }) => ({ type: 'write_note', id: randomUUID(), client: params.id, kind: body.kind as 'clinical', body: body.body, sign: body.sign ?? false }),
    }),
    pageRoute({
      url: '/api/notes',
      tag: 'notes',
      summary: 'My note queues, oldest first: notes I wrote (`mine`) or signed notes of members I supervise that I may co-sign (`cosign`); a page and the next page’s cursor',
      query: S.NoteQueueQuery,
      response: S.NotesOut,
      page: (session, options, query) => noteQueuePage(cg, session.practice, session.member, query.queue, options),
    }),
    route({
      method: 'GET',
      url: '/api/notes/:id',
      tag: 'notes',
      summary: 'A note (audited read); 403 when I see the client but not the note',
      params: S.IdParam,
      response: S.OpenedNoteOut,
      audited: true,
      handler: async ({ session, params }) => {
        // One store call, one transaction: the note, the audited read and my decisions on it.
        const opened = await cg.openNote(session.practice, session.member, params.id);
        if (!opened.ok) throw opened.code === 'not_found' ? notFound('note') : refusal(opened.code, opened.reasons);
        return opened.note;
      },
    }),
    ...(['sign', 'cosign'] as const).map((verb) =>
      commandRoute(h, {
        method: 'POST',
        url: `/api/notes/:id/${verb}`,
        tag: 'notes',
        summary: verb === 'sign' ? 'Sign my note (sign_note)' : 'Co-sign a supervisee’s signed note (cosign_note)',
        on: 'note',
        params: S.IdParam,
        body: S.Empty,
        command: ({ params }) => ({ type: verb === 'sign' ? 'sign_note' : 'cosign_note', note: params.id }),
      }),
    ),
    commandRoute(h, {
      method: 'DELETE',
      url: '/api/notes/:id',
      tag: 'notes',
      summary: 'Delete a note (delete_note; a signed note only by a clinical administrator), with an optional reason kept in the activity log',
      on: 'note',
      params: S.IdParam,
      body: S.DeleteNote,
      command: ({ params, body }) => ({ type: 'delete_note', note: params.id, ...(body?.reason ? { reason: body.reason } : {}) }),
    }),
  ];
}
