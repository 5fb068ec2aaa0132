/**
 * Reading a practice back from the database for the property tests: all of its rows in
 * system mode, as the core's facts, and a snapshot of every table to prove that a refused
 * command changed nothing.
 */
import type { NoteKind } from '../../src/core/index.js';
import type { ChartGuard } from '../../src/store/chartguard.js';
import { loadClients, loadTeam } from '../../src/store/facts/facts.js';
import type { PracticeRows } from './invariants.js';

/** Every table that holds a practice's data (the activity log included). */
export const PRACTICE_TABLES = [
  'members',
  'supervisions',
  'clients',
  'clinical_grants',
  'administrative_revocations',
  'notes',
  'appointments',
  'insurance_payments',
  'insurance_payment_clients',
  'messages',
  'tasks',
  'notifications',
  'email_outbox',
  'activity_log',
] as const;

/** Every row of the practice as text, in a stable order, and the log's length. */
export async function snapshot(cg: ChartGuard, practice: string): Promise<{ log: number; text: string }> {
  const parts = PRACTICE_TABLES.map((t) => `'${t}', (select coalesce(string_agg(x::text, E'\\n' order by x::text), '') from chartguard.${t} x where practice_id = $1)`);
  const [row] = await cg.within(practice, null, 'system', (tx) =>
    tx.query<{ log: number; text: string }>(
      `select (select count(*)::int from chartguard.activity_log where practice_id = $1) as log,
              json_build_object('practice', (select p::text from chartguard.practices p where id = $1), ${parts.join(', ')})::text as text`,
      [practice],
    ),
  );
  return { log: Number(row!.log), text: row!.text };
}

/** The practice's team, clients and every listed row, loaded in system mode. */
export async function loadAll(cg: ChartGuard, practice: string) {
  return cg.within(practice, null, 'system', async (tx) => {
    const P = [practice];
    const team = await loadTeam(tx, practice);
    const clients = await loadClients(tx, practice, null);
    const appointments = await tx.query<{ id: string; client_id: string; clinician: string }>('select id, client_id, clinician from chartguard.appointments where practice_id = $1', P);
    const payments = await tx.query<{ id: string; covers: string[] }>(
      `select p.id, array(select c.client_id from chartguard.insurance_payment_clients c where c.practice_id = p.practice_id and c.payment_id = p.id order by c.client_id) as covers
         from chartguard.insurance_payments p where p.practice_id = $1`,
      P,
    );
    const messages = await tx.query<{ id: string; client_id: string; author: string }>('select id, client_id, author from chartguard.messages where practice_id = $1', P);
    const tasks = await tx.query<{ id: string; client_id: string; assignee: string; creator: string }>('select id, client_id, assignee, creator from chartguard.tasks where practice_id = $1', P);
    const notes = await tx.query<{ id: string; client_id: string; author: string; kind: NoteKind; signed: boolean; cosigned: boolean; deleted: boolean }>(
      `select id, client_id, author, kind, signed_at is not null as signed, cosigned_at is not null as cosigned, deleted_at is not null as deleted
         from chartguard.notes where practice_id = $1`,
      P,
    );
    const activity = await tx.query<{ seq: string | number; actor: string | null; action: string; clients: string[] }>(
      'select seq, actor, action, clients from chartguard.activity_log where practice_id = $1 order by seq',
      P,
    );
    const notifications = await tx.query<{ id: string | number; recipient: string; client_id: string | null }>('select id, recipient, client_id from chartguard.notifications where practice_id = $1', P);
    const rows: PracticeRows = {
      clients,
      appointments: appointments.map((a) => ({ id: a.id, client: a.client_id, clinician: a.clinician })),
      payments: payments.map((p) => ({ id: p.id, covers: p.covers })),
      messages: messages.map((m) => ({ id: m.id, client: m.client_id })),
      tasks: tasks.map((t) => ({ id: t.id, client: t.client_id, assignee: t.assignee, creator: t.creator })),
      notes: notes.filter((n) => !n.deleted).map((n) => ({ id: n.id, client: n.client_id, author: n.author, kind: n.kind, signed: n.signed, cosigned: n.cosigned, deleted: false })),
      activity: activity.map((e) => ({ id: String(e.seq), actor: e.actor, clients: e.clients })),
      notifications: notifications.map((n) => ({ id: String(n.id), recipient: n.recipient, client: n.client_id })),
    };
    return {
      team,
      rows,
      allNotes: notes.map((n) => ({ id: n.id, client: n.client_id, author: n.author, kind: n.kind, signed: n.signed, cosigned: n.cosigned, deleted: n.deleted })),
      activity: activity.map((e) => ({ seq: Number(e.seq), actor: e.actor, action: e.action, clients: e.clients })),
    };
  });
}
