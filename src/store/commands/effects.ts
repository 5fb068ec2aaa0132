/**
 * Applying a decided command's effects. Only this file writes access and record tables,
 * and only effects the core decided reach it.
 */
import { allocatePayment, type Effect, type NotificationEvent } from '../../core/index.js';
import type { Queryable } from '../db/database.js';
import { queueMail } from '../mail/outbox.js';
import { writeSettings } from '../facts/settings.js';

const ts = (param: string) => `to_timestamp(${param}::float8 / 1000)`;

const EMAILS: Record<NotificationEvent, { subject: string; body: string }> = {
  restricted_access_on: {
    subject: 'Restricted access was turned on for a client',
    body: 'Restricted access was turned on for a client of your practice. Sign in to ChartGuard to review who can access it.',
  },
  access_widened: {
    subject: "A team member's access to client data was widened",
    body: "A change to a team member's roles or supervision widened their access to client data. Sign in to ChartGuard and see the activity log for who changed what.",
  },
  settings_changed: {
    subject: "Your practice's settings were changed",
    body: "A practice administrator changed your practice's settings. Sign in to ChartGuard and see the activity log for what changed.",
  },
  intake_submitted: {
    subject: 'A new client sent your intake form',
    body: 'Someone filled in your intake form and is now your client in ChartGuard. Sign in to see who, and their answers.',
  },
};

/** Sets one of a client's access settings. */
async function setClient(tx: Queryable, practice: string, client: string, column: 'primary_clinician' | 'restricted' | 'shared_with_all', value: string | boolean) {
  await tx.query(`update chartguard.clients set ${column} = $3 where practice_id = $1 and id = $2`, [practice, client, value]);
}

/** How each effect is written: one entry per kind, so a new kind is a compile error until it is stored. `actor`: whose command it is. */
const APPLY: { readonly [K in Effect['kind']]: (tx: Queryable, P: string, now: number, e: Extract<Effect, { kind: K }>, actor: string | null) => Promise<void> } = {
  async put_clinical_grant(tx, P, now, e) {
    await tx.query(
      `insert into chartguard.clinical_grants (practice_id, client_id, member_id, expires_at, granted_at)
       values ($1, $2, $3, case when $4::float8 is null then null else ${ts('$4')} end, ${ts('$5')})
       on conflict (practice_id, client_id, member_id) do update set expires_at = excluded.expires_at, granted_at = excluded.granted_at`,
      [P, e.client, e.member, e.expiresAt, now],
    );
  },
  async delete_clinical_grant(tx, P, now, e) {
    await tx.query('delete from chartguard.clinical_grants where practice_id = $1 and client_id = $2 and member_id = $3', [P, e.client, e.member]);
  },
  async revoke_administrative(tx, P, now, e) {
    await tx.query(
      `insert into chartguard.administrative_revocations (practice_id, client_id, member_id, revoked_at) values ($1, $2, $3, ${ts('$4')})
       on conflict do nothing`,
      [P, e.client, e.member, now],
    );
  },
  async restore_administrative(tx, P, now, e) {
    await tx.query('delete from chartguard.administrative_revocations where practice_id = $1 and client_id = $2 and member_id = $3', [P, e.client, e.member]);
  },
  async clear_administrative_revocations(tx, P, now, e) {
    await tx.query('delete from chartguard.administrative_revocations where practice_id = $1 and client_id = $2', [P, e.client]);
  },
  set_primary: (tx, P, _now, e) => setClient(tx, P, e.client, 'primary_clinician', e.member),
  set_restricted: (tx, P, _now, e) => setClient(tx, P, e.client, 'restricted', e.restricted),
  set_shared_with_all: (tx, P, _now, e) => setClient(tx, P, e.client, 'shared_with_all', e.on),
  async set_roles(tx, P, now, e) {
    await tx.query('update chartguard.members set roles = $3::text[] where practice_id = $1 and id = $2', [P, e.member, [...e.roles]]);
  },
  async add_member(tx, P, now, e) {
    await tx.query(`insert into chartguard.members (practice_id, id, display_name, email, roles, created_at) values ($1, $2, $3, $4, $5::text[], ${ts('$6')})`, [
      P,
      e.member,
      e.name,
      e.email,
      [...e.roles],
      now,
    ]);
  },
  async set_member_details(tx, P, now, e) {
    if (e.name !== undefined) await tx.query('update chartguard.members set display_name = $3 where practice_id = $1 and id = $2', [P, e.member, e.name]);
    if (e.email !== undefined) await tx.query('update chartguard.members set email = $3 where practice_id = $1 and id = $2', [P, e.member, e.email]);
  },
  /** Deactivating ends the member's sessions in this transaction (migration 050's trigger). */
  async set_member_active(tx, P, now, e) {
    await tx.query(`update chartguard.members set active = $3, deactivated_at = case when $3 then null else ${ts('$4')} end where practice_id = $1 and id = $2`, [
      P,
      e.member,
      e.active,
      now,
    ]);
  },
  async delete_member_grants(tx, P, now, e) {
    await tx.query('delete from chartguard.clinical_grants where practice_id = $1 and member_id = $2', [P, e.member]);
  },
  async add_supervision(tx, P, now, e) {
    await tx.query('insert into chartguard.supervisions (practice_id, supervisor, supervisee) values ($1, $2, $3) on conflict do nothing', [P, e.supervisor, e.supervisee]);
  },
  async end_supervision(tx, P, now, e) {
    await tx.query('delete from chartguard.supervisions where practice_id = $1 and supervisor = $2 and supervisee = $3', [P, e.supervisor, e.supervisee]);
  },
  async notify(tx, P, now, e, actor) {
    await tx.query(`insert into chartguard.notifications (practice_id, recipient, event, client_id, created_at, actor) values ($1, $2, $3, $4, ${ts('$5')}, $6)`, [
      P,
      e.member,
      e.event,
      e.client,
      now,
      actor,
    ]);
    if (e.email) {
      // The email names no client and no member: it asks the owner to sign in (minimum necessary).
      const { subject, body } = EMAILS[e.event];
      await queueMail(tx, { practice: P, recipient: e.member, subject, body, client: e.client, at: now });
    }
  },
  async create_client(tx, P, now, e) {
    await tx.query(
      `insert into chartguard.clients (practice_id, id, name, primary_clinician, person, created_at) values ($1, $2, $3, $4, $5, ${ts('$6')})`,
      [P, e.client, e.name, e.primary, e.person, now],
    );
  },
  async create_note(tx, P, now, e) {
    await tx.query(
      `insert into chartguard.notes (practice_id, id, client_id, author, kind, body, signed_at, created_at)
       values ($1, $2, $3, $4, $5, $6, case when $7::boolean then ${ts('$8')} end, ${ts('$8')})`,
      [P, e.note, e.client, e.author, e.noteKind, e.body, e.signed, now],
    );
  },
  async sign_note(tx, P, now, e) {
    await tx.query(`update chartguard.notes set signed_at = ${ts('$3')} where practice_id = $1 and id = $2`, [P, e.note, now]);
  },
  async cosign_note(tx, P, now, e) {
    await tx.query(`update chartguard.notes set cosigned_by = $3, cosigned_at = ${ts('$4')} where practice_id = $1 and id = $2`, [P, e.note, e.by, now]);
  },
  async delete_note(tx, P, now, e) {
    await tx.query(`update chartguard.notes set deleted_at = ${ts('$3')} where practice_id = $1 and id = $2`, [P, e.note, now]);
  },
  async create_appointment(tx, P, now, e) {
    await tx.query(
      `insert into chartguard.appointments (practice_id, id, client_id, clinician, fee, starts_at, bill_as) values ($1, $2, $3, $4, $5, ${ts('$6')}, $7)`,
      [P, e.appointment, e.client, e.clinician, e.fee, e.startsAt, e.billAs ?? null],
    );
  },
  /** Submitted at once: a draft is a claim not yet sent (migration 056). */
  async create_claim(tx, P, now, e, actor) {
    await tx.query(
      `insert into chartguard.claims (practice_id, id, appointment_id, client_id, rendering, status, amount, created_by, created_at, submitted_at)
       values ($1, $2, $3, $4, $5, 'submitted', $6, $7, ${ts('$8')}, ${ts('$8')})`,
      [P, e.claim, e.appointment, e.client, e.rendering, e.amount, actor, now],
    );
  },
  async create_insurance_payment(tx, P, now, e) {
    await tx.query(`insert into chartguard.insurance_payments (practice_id, id, amount, created_at) values ($1, $2, $3, ${ts('$4')})`, [P, e.payment, e.amount, now]);
    for (const [client, share] of allocatePayment(e.amount, e.covers)) {
      await tx.query('insert into chartguard.insurance_payment_clients (practice_id, payment_id, client_id, share) values ($1, $2, $3, $4)', [P, e.payment, client, share]);
    }
  },
  async create_message(tx, P, now, e) {
    await tx.query(`insert into chartguard.messages (practice_id, id, client_id, author, body, created_at) values ($1, $2, $3, $4, $5, ${ts('$6')})`, [P, e.message, e.client, e.author, e.body, now]);
  },
  async create_task(tx, P, now, e) {
    await tx.query(
      `insert into chartguard.tasks (practice_id, id, client_id, assignee, creator, title, created_at) values ($1, $2, $3, $4, $5, $6, ${ts('$7')})`,
      [P, e.task, e.client, e.assignee, e.creator, e.title, now],
    );
  },
  set_settings: (tx, P, _now, e) => writeSettings(tx, P, e.after),
  async keep_intake_answers(tx, P, now, e) {
    await tx.query(`insert into chartguard.intake_submissions (practice_id, client_id, form_member, answers, submitted_at) values ($1, $2, $3, $4::jsonb, ${ts('$5')})`, [
      P,
      e.client,
      e.form,
      JSON.stringify(e.answers),
      now,
    ]);
  },
};

/** `actor`: null for a command of someone signed in as nobody (the public intake form). */
export async function applyEffect(tx: Queryable, practice: string, now: number, e: Effect, actor: string | null): Promise<void> {
  // The entry of e's own kind (TypeScript does not correlate APPLY[e.kind] with e).
  const apply = APPLY[e.kind] as (tx: Queryable, P: string, now: number, e: Effect, actor: string | null) => Promise<void>;
  await apply(tx, practice, now, e, actor);
}
