/**
 * Public intake form links (003, migration 054): each practitioner's own link and the
 * practice form, whose rules offer the practitioners the practice chose. A link is stable
 * until rotated and works while enabled; only the SHA-256 of its token is stored, so the
 * token is shown once, when issued (like one-time links). Sending the form is the core's
 * `submit_intake` (core/intake.ts), run as nobody.
 *
 * What a form shows names nobody the practice did not choose to show: the practitioner whose
 * link it is, or the practice form's offered practitioners by display name, each behind an
 * opaque key derived from the link's token (no member id leaves the server).
 */
import { randomUUID } from 'node:crypto';
import { takesIntake, type CommandResult, type Result } from '../../core/index.js';
import { randomToken, tokenHash } from './secrets.js';
import type { Queryable } from '../db/database.js';
import type { Store } from '../context.js';
import { execute } from '../commands/execute.js';
import { appendActivity } from '../commands/activity-log.js';
import { ms, ts } from '../facts/facts.js';

export interface IntakeForm {
  readonly practice: string;
  /** Whose own link; null for the practice form. */
  readonly member: string | null;
  readonly enabled: boolean;
  /** The practice form's practitioners (null: every active clinician). */
  readonly offers: readonly string[] | null;
}

export interface IntakeLinkState {
  readonly enabled: boolean;
  readonly rotatedAt: number;
  readonly offers: readonly string[] | null;
}

/** Why a form opens nothing: no such link, or one that is off (disabled, or its practitioner takes no intake). */
export type IntakeLinkFailure = { readonly ok: false; readonly code: 'link_unknown' | 'link_disabled'; readonly detail: string };

const FAILURE: Readonly<Record<IntakeLinkFailure['code'], string>> = {
  link_unknown: 'This form link is not valid: check that it was copied whole, or ask the practice for its link.',
  link_disabled: 'This form is not taking submissions. Please contact the practice directly.',
};
const failure = (code: IntakeLinkFailure['code']): IntakeLinkFailure => ({ ok: false, code, detail: FAILURE[code] });

/** The form a token opens, enabled or not; null for no such link. */
export async function findForm(db: Queryable, token: string): Promise<IntakeForm | null> {
  const [row] = await db.query<{ practice_id: string; member_id: string | null; enabled: boolean; offers: string[] | null }>(
    'select practice_id, member_id, enabled, offers from chartguard_auth.intake_forms where token_hash = $1',
    [tokenHash(token)],
  );
  return row ? { practice: row.practice_id, member: row.member_id, enabled: row.enabled, offers: row.offers } : null;
}

/** A form link's state for the staff page (never its token: only its hash is kept); null when none was issued. */
export async function linkState(db: Queryable, practice: string, member: string | null): Promise<IntakeLinkState | null> {
  const [row] = await db.query<{ enabled: boolean; rotated_at: number; offers: string[] | null }>(
    `select enabled, ${ms('rotated_at')} as rotated_at, offers from chartguard_auth.intake_forms where practice_id = $1 and member_id is not distinct from $2`,
    [practice, member],
  );
  return row ? { enabled: row.enabled, rotatedAt: Number(row.rotated_at), offers: row.offers } : null;
}

async function logged(store: Store, practice: string, actor: string, action: string, detail: Record<string, unknown>, change: (tx: Queryable, now: number) => Promise<void>) {
  const now = store.now();
  await store.db.transaction(async (tx) => {
    await tx.query('select 1 from chartguard.practices where id = $1 for update', [practice]);
    await change(tx, now);
    await appendActivity(tx, practice, now, { actor, action, client: null, outcome: 'changed', detail });
  });
}

/**
 * A new token for the form (the first, or a rotation: the old link stops working), enabled;
 * for the practice form, `offers` sets who it offers. Returns the token, shown this once.
 */
export async function issueFormLink(store: Store, practice: string, actor: string, member: string | null, offers: readonly string[] | null = null): Promise<string> {
  const token = randomToken();
  await logged(store, practice, actor, 'intake_link_issued', { member, ...(member === null ? { offers } : {}), summary: member === null ? 'Issued the practice intake form link' : `Issued the intake form link of ${member}` }, (tx, now) =>
    tx
      .query(
        `insert into chartguard_auth.intake_forms (practice_id, member_id, token_hash, enabled, offers, created_at, rotated_at)
         values ($1, $2, $3, true, $4::text[], ${ts('$5')}, ${ts('$5')})
         on conflict (practice_id, coalesce(member_id, '')) do update set token_hash = excluded.token_hash, enabled = true, offers = excluded.offers, rotated_at = excluded.rotated_at`,
        [practice, member, tokenHash(token), offers === null ? null : [...offers], now],
      )
      .then(() => undefined),
  );
  return token;
}

/** Turns a form link off (or on again); false when none was issued. */
export async function setFormEnabled(store: Store, practice: string, actor: string, member: string | null, enabled: boolean): Promise<boolean> {
  if (!(await linkState(store.db, practice, member))) return false;
  await logged(store, practice, actor, enabled ? 'intake_link_enabled' : 'intake_link_disabled', { member, summary: `${enabled ? 'Enabled' : 'Disabled'} ${member === null ? 'the practice intake form link' : `the intake form link of ${member}`}` }, (tx) =>
    tx.query('update chartguard_auth.intake_forms set enabled = $3 where practice_id = $1 and member_id is not distinct from $2', [practice, member, enabled]).then(() => undefined),
  );
  return true;
}

/** A practitioner offered on the practice form: an opaque key (of this link alone) and their display name. */
export interface IntakeChoice {
  readonly key: string;
  readonly name: string;
}

export interface IntakeFormDetails {
  readonly practiceName: string;
  /** The practitioner of a practitioner's own link; null for the practice form. */
  readonly practitionerName: string | null;
  /** The practice form's choices (empty for a practitioner's own link). */
  readonly choices: readonly IntakeChoice[];
}

const choiceKey = (token: string, member: string) => tokenHash(`${token}\n${member}`).slice(0, 20);

/** The form a token opens, if it takes submissions, with the practitioners it may route to (member ids, server side only). */
async function openForm(store: Store, token: string): Promise<Result<{ form: IntakeForm; names: Map<string, string>; practiceName: string }, IntakeLinkFailure>> {
  const form = await findForm(store.db, token);
  if (!form) return failure('link_unknown');
  if (!form.enabled) return failure('link_disabled');
  const ctx = { team: await store.facts.team(form.practice), now: store.now() };
  const rows = await store.db.query<{ id: string; display_name: string; practice_name: string }>(
    `select m.id, m.display_name, p.name as practice_name from chartguard.members m join chartguard.practices p on p.id = m.practice_id where m.practice_id = $1 order by m.display_name, m.id`,
    [form.practice],
  );
  const practiceName = rows[0]?.practice_name ?? '';
  const candidates = form.member !== null ? [form.member] : rows.map((r) => r.id).filter((id) => form.offers === null || form.offers.includes(id));
  const names = new Map(rows.filter((r) => candidates.includes(r.id) && takesIntake(ctx, r.id)).map((r) => [r.id, r.display_name]));
  // A practitioner's own link is off while they take no intake (deactivated, no clinician role): said as a disabled link.
  if (names.size === 0) return failure('link_disabled');
  return { ok: true, form, names, practiceName };
}

/** What the public page shows; the link's failure otherwise. */
export async function formDetails(store: Store, token: string): Promise<Result<{ details: IntakeFormDetails }, IntakeLinkFailure>> {
  const open = await openForm(store, token);
  if (!open.ok) return open;
  const { form, names, practiceName } = open;
  return {
    ok: true,
    details: {
      practiceName,
      practitionerName: form.member === null ? null : names.get(form.member)!,
      choices: form.member === null ? [...names].map(([id, name]) => ({ key: choiceKey(token, id), name })) : [],
    },
  };
}

export interface IntakeSubmission {
  readonly name: string;
  readonly contact?: string;
  readonly dateOfBirth?: string;
  readonly answers?: Readonly<Record<string, string>>;
  /** The practice form: the key of the chosen practitioner (IntakeChoice.key). */
  readonly choice?: string;
}

/**
 * Sends the form: the core's submit_intake as nobody. A choice that is no key of this form's
 * offered practitioners is refused as the core refuses one it does not route to (forbidden,
 * one sentence), so keys reveal nobody.
 */
export async function submitForm(store: Store, token: string, s: IntakeSubmission): Promise<Result<{ result: CommandResult }, IntakeLinkFailure>> {
  const open = await openForm(store, token);
  if (!open.ok) return open;
  const { form, names } = open;
  const chosen = form.member === null ? ([...names.keys()].find((id) => s.choice !== undefined && choiceKey(token, id) === s.choice) ?? '') : null;
  const answers: Record<string, string> = { ...(s.answers ?? {}), name: s.name, ...(s.contact ? { contact: s.contact } : {}), ...(s.dateOfBirth ? { dateOfBirth: s.dateOfBirth } : {}) };
  const result = await execute(store, form.practice, null, {
    type: 'submit_intake',
    id: randomUUID(),
    name: s.name,
    answers,
    ...(form.member !== null ? { formOf: form.member } : { choice: chosen, offered: [...names.keys()] }),
  });
  return { ok: true, result };
}
