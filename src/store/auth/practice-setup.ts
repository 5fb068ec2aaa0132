/**
 * A real practice's first run (issue 14), without the demo. Two ways in:
 * - `chartguard start --no-demo` on an empty database: a setup link for no practice yet;
 *   following it, the owner names the practice, and it is created then;
 * - `chartguard practice create --name --owner-email` (many practices in one database): the
 *   practice and its account owner are created at once, and the link sets up the owner's account.
 * Either way the setup is one transaction: the link is used, the practice and the owner's
 * sign-in account made, the owner's recovery codes issued and the activity log written, or
 * none of it.
 */
import { CLINICIAN_ROLES, validateRoles, type ClinicianRole, type Result, type Role } from '../../core/index.js';
import { isEmailAddress } from '../../core/email-address.js';
import { appendActivities, type TimedEntry } from '../commands/activity-log.js';
import { checkPracticeSpec, insertPractice } from '../commands/create-practice.js';
import type { Store } from '../context.js';
import type { Queryable } from '../db/database.js';
import { ms } from '../facts/facts.js';
import { insertAccount, invalidInput, isUsernameTaken, linkedTransaction, usernameTaken, type AccountFailure, type LinkedFailure } from './new-accounts.js';
import { issueLink, peekLink, redeemLink, type LinkFailure } from './one-time-links.js';
import { SecondFactor } from './second-factor.js';

/** What the owner gives on the setup page (the password already hashed by Accounts). */
export interface SetupInput {
  readonly practiceName: string;
  readonly name: string;
  readonly email: string;
  readonly username: string;
  readonly passwordHash: string;
  /** The clinician role the owner also holds, if they see clients. */
  readonly clinicianRole: ClinicianRole | null;
}

/** What the setup page shows before the form: what is already known of the practice and its owner. */
export interface SetupDetails {
  readonly practiceName: string | null;
  readonly ownerName: string | null;
  readonly ownerEmail: string | null;
}

export interface SetUp {
  readonly practice: string;
  readonly member: string;
  /** The owner's one-time recovery codes: only their hashes are kept, so this is the one time they are shown. */
  readonly recoveryCodes: readonly string[];
}

export interface PracticeRow {
  readonly id: string;
  readonly name: string;
  readonly members: number;
  readonly createdAt: number;
  /** Whether the account owner has signed up (followed the setup link). */
  readonly ownerSignedUp: boolean;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Why a practice name cannot be used, or null. */
export function practiceNameProblem(name: string): string | null {
  if (name.trim() === '') return 'The practice needs a name.';
  if (name.length > 200) return 'The practice name is longer than 200 characters.';
  if (CONTROL.test(name) || /\p{Cs}/u.test(name)) return 'The practice name holds control characters.';
  return null;
}

/** "Riverside Counseling, LLC" → "riverside-counseling-llc"; `fallback` when nothing is left. */
export function slugOf(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || fallback;
}

/** A practice id from its name, unique: "riverside", else "riverside-2", ... (one chooser at a time). */
async function newPracticeId(tx: Queryable, name: string): Promise<string> {
  await tx.query('select pg_advisory_xact_lock(7317051)');
  const base = slugOf(name, 'practice');
  const taken = new Set(
    (await tx.query<{ id: string }>(`select id from chartguard.practices where id = $1 or id like $2`, [base, `${base.replace(/[\\%_]/g, '\\$&')}-%`])).map((r) => r.id),
  );
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The owner's member id, from the local part of their email address. */
const ownerIdOf = (email: string) => slugOf(email.split('@')[0] ?? '', 'owner');

/** A setup link for a practice still to be named (`chartguard start --no-demo`); valid one hour. */
export async function issueSetupLink(store: Store): Promise<string> {
  return store.db.transaction((tx) => issueLink(tx, { kind: 'setup', practice: null, member: null }, store.now()));
}

/**
 * `chartguard practice create`: the practice (id from its name, unique) and its account owner,
 * who has no sign-in yet, and the setup link that makes one. Logged like any new practice.
 */
export async function createPracticeForOwner(store: Store, input: { name: string; ownerEmail: string }): Promise<Result<{ practice: string; owner: string; token: string }, AccountFailure>> {
  const name = input.name.trim();
  const email = input.ownerEmail.trim();
  const nameProblem = practiceNameProblem(name);
  if (nameProblem) return invalidInput(nameProblem);
  if (!isEmailAddress(email)) return invalidInput(`"${email}" is not an email address.`);
  const now = store.now();
  const owner = ownerIdOf(email);
  const made = await store.db.transaction(async (tx) => {
    const practice = await newPracticeId(tx, name);
    const spec = { id: practice, name, members: [{ id: owner, name: email, roles: ['account_owner'] as Role[], email }] };
    checkPracticeSpec(spec);
    await insertPractice(tx, spec, now);
    return { practice, owner, token: await issueLink(tx, { kind: 'setup', practice, member: null }, now) };
  });
  store.facts.forget(made.practice);
  return { ok: true, ...made };
}

/** A new setup link for a practice whose owner has not signed up yet (the earlier one stops working). */
export async function renewSetupLink(store: Store, practice: string): Promise<Result<{ token: string }, AccountFailure>> {
  const [row] = await practiceRows(store.db, practice);
  if (!row) return invalidInput(`There is no practice "${practice}".`);
  if (row.ownerSignedUp) return invalidInput(`The account owner of "${practice}" has signed up already: they sign in, and reset others' passwords themselves.`);
  return { ok: true, token: await store.db.transaction((tx) => issueLink(tx, { kind: 'setup', practice, member: null }, store.now())) };
}

/** What the setup page shows; the link's failure when it is unknown, used or expired. */
export async function setupDetails(store: Store, token: string): Promise<Result<{ details: SetupDetails }, LinkFailure>> {
  const peek = await peekLink(store.db, token, 'setup', store.now());
  if (!peek.ok) return peek;
  if (peek.link.practice === null) return { ok: true, details: { practiceName: null, ownerName: null, ownerEmail: null } };
  const [row] = await store.db.query<{ name: string; owner_name: string; email: string | null }>(
    `select p.name, m.display_name as owner_name, m.email from chartguard.practices p
       join chartguard.members m on m.practice_id = p.id and 'account_owner' = any(m.roles) where p.id = $1`,
    [peek.link.practice],
  );
  return { ok: true, details: { practiceName: row?.name ?? null, ownerName: row && row.owner_name !== row.email ? row.owner_name : null, ownerEmail: row?.email ?? null } };
}

/** Follows a setup link: the practice (named now, or renamed), the owner's account and recovery codes, logged; or nothing. */
export async function setUpPractice(store: Store, token: string, input: SetupInput): Promise<Result<SetUp, LinkedFailure>> {
  const problem = setupProblem(input);
  if (problem) return invalidInput(problem);
  const now = store.now();
  const done = await linkedTransaction<SetUp>(store.db, input.username, async (tx) => {
    const redeemed = await redeemLink(tx, token, 'setup', now);
    if (!redeemed.ok) return redeemed;
    if (await isUsernameTaken(tx, input.username)) return usernameTaken(input.username);
    const roles: Role[] = ['account_owner', ...(input.clinicianRole ? [input.clinicianRole] : [])];
    const { practice, member, entry } =
      redeemed.link.practice === null ? await namePractice(tx, input, roles, now) : await completePractice(tx, redeemed.link.practice, input, roles);
    await insertAccount(tx, practice, member, input.username, input.passwordHash);
    const recoveryCodes = await new SecondFactor(tx, () => now).issueRecoveryCodes(practice, member);
    const log: TimedEntry[] = [
      { at: now, entry: { actor: member, action: 'practice_setup', client: null, outcome: 'changed', detail: { ...entry, member, username: input.username } } },
      { at: now, entry: { actor: member, action: 'recovery_codes_issued', client: null, outcome: 'changed', detail: { member, count: recoveryCodes.length } } },
    ];
    await appendActivities(tx, practice, log);
    return { ok: true, practice, member, recoveryCodes };
  });
  if (done.ok) store.facts.forget(done.practice);
  return done;
}

function setupProblem(input: SetupInput): string | null {
  const nameProblem = practiceNameProblem(input.practiceName);
  if (nameProblem) return nameProblem;
  if (input.name.trim() === '') return 'Your name is needed: it is how the team sees you.';
  if (!isEmailAddress(input.email)) return `"${input.email}" is not an email address.`;
  if (input.clinicianRole !== null && !(CLINICIAN_ROLES as readonly string[]).includes(input.clinicianRole)) return `"${input.clinicianRole}" is not a clinician role.`;
  return null;
}

type Made = { practice: string; member: string; entry: Record<string, unknown> };

/** A setup link of `start --no-demo`: the practice is created now, with its owner. */
async function namePractice(tx: Queryable, input: SetupInput, roles: Role[], now: number): Promise<Made> {
  const practice = await newPracticeId(tx, input.practiceName);
  const member = ownerIdOf(input.email);
  const spec = { id: practice, name: input.practiceName.trim(), members: [{ id: member, name: input.name.trim(), roles, email: input.email.trim() }] };
  checkPracticeSpec(spec);
  await insertPractice(tx, spec, now);
  return { practice, member, entry: { summary: `Set up the practice ${spec.name} and the account owner's sign-in` } };
}

/** A setup link of `practice create`: the practice exists; its name and the owner's name, email and roles are set now. */
async function completePractice(tx: Queryable, practice: string, input: SetupInput, roles: Role[]): Promise<Made> {
  const [before] = await tx.query<{ name: string; member: string; display_name: string; email: string | null; roles: Role[] }>(
    `select p.name, m.id as member, m.display_name, m.email, m.roles from chartguard.practices p
       join chartguard.members m on m.practice_id = p.id and 'account_owner' = any(m.roles) where p.id = $1 for update of p, m`,
    [practice],
  );
  if (!before) throw new Error(`practice ${practice} has no account owner`);
  const check = validateRoles(roles, true);
  if (!check.ok) throw new Error(check.reasons.map((r) => r.text).join(' '));
  const after = { name: input.practiceName.trim(), displayName: input.name.trim(), email: input.email.trim(), roles: check.roles };
  await tx.query('update chartguard.practices set name = $2 where id = $1', [practice, after.name]);
  await tx.query('update chartguard.members set display_name = $3, email = $4, roles = $5::text[] where practice_id = $1 and id = $2', [
    practice,
    before.member,
    after.displayName,
    after.email,
    [...after.roles],
  ]);
  return {
    practice,
    member: before.member,
    entry: {
      summary: `Set up the practice ${after.name} and the account owner's sign-in`,
      before: { name: before.name, displayName: before.display_name, email: before.email, roles: before.roles },
      after,
    },
  };
}

/** Every practice (or one), oldest first: `chartguard practice list`. */
export async function practiceRows(db: Queryable, practice?: string): Promise<PracticeRow[]> {
  const rows = await db.query<{ id: string; name: string; members: number; created_at: number; owner_signed_up: boolean }>(
    `select p.id, p.name, ${ms('p.created_at')} as created_at,
            (select count(*)::int from chartguard.members m where m.practice_id = p.id) as members,
            exists (select 1 from chartguard_auth.users u join chartguard.members m on m.practice_id = u.practice_id and m.id = u.member_id
                     where u.practice_id = p.id and 'account_owner' = any(m.roles)) as owner_signed_up
       from chartguard.practices p ${practice === undefined ? '' : 'where p.id = $1'} order by p.created_at, p.id`,
    practice === undefined ? [] : [practice],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, members: Number(r.members), createdAt: Number(r.created_at), ownerSignedUp: r.owner_signed_up }));
}
