/**
 * The demo practice: every role of FORMAT.md held by someone, supervision, a dozen
 * clients (two restricted, one shared with all), notes in every state, appointments,
 * an insurance payment covering a restricted and an unrestricted client, messages and
 * tasks. Built through createPractice and execute(), so every step is decided by the
 * core and written to the activity log like any real change.
 */
import { randomUUID } from 'node:crypto';
import { DAY_MS, type Command, type Role } from '../core/index.js';
import type { Accounts } from './auth/accounts.js';
import type { ChartGuard } from './chartguard.js';

const DEMO_PRACTICE_ID = 'demo';
export const DEMO_PASSWORD = 'chartguard-demo';

export const DEMO_MEMBERS: readonly { id: string; name: string; roles: readonly Role[]; what: string }[] = [
  { id: 'olivia', name: 'Olivia Owens', roles: ['account_owner', 'clinician_entire_practice'], what: 'account owner, clinician' },
  { id: 'pat', name: 'Pat Adler', roles: ['practice_administrator'], what: 'practice administrator (team, no client data)' },
  { id: 'mia', name: 'Mia Moreno', roles: ['practice_manager'], what: 'practice manager' },
  { id: 'bill', name: 'Bill Baxter', roles: ['practice_biller'], what: 'practice biller' },
  { id: 'sky', name: 'Sky Santos', roles: ['practice_scheduler'], what: 'practice scheduler (front desk)' },
  { id: 'ana', name: 'Ana Alvarez', roles: ['clinician_basic'], what: 'clinician, basic access (supervised by sam)' },
  { id: 'bella', name: 'Bella Brooks', roles: ['clinician_billing'], what: 'clinician with billing for own clients (supervised by sam)' },
  { id: 'frank', name: 'Frank Fischer', roles: ['clinician_full_client_list'], what: 'clinician, full client list' },
  { id: 'eve', name: 'Eve Evans', roles: ['clinician_entire_practice'], what: 'clinician, entire practice access' },
  { id: 'cora', name: 'Cora Chen', roles: ['clinician_basic', 'clinical_administrator'], what: 'clinical administrator' },
  { id: 'sam', name: 'Sam Silva', roles: ['clinician_basic', 'supervisor'], what: 'clinician and supervisor' },
];

interface DemoClient {
  key: string;
  name: string;
  contact: string;
  primary: string;
}

const CLIENTS: readonly DemoClient[] = [
  { key: 'avery', name: 'Avery Lindqvist', contact: 'avery.l@example.org · (555) 010-1101', primary: 'ana' },
  { key: 'blake', name: 'Blake Okafor', contact: 'blake.o@example.org · (555) 010-1102', primary: 'ana' },
  { key: 'casey', name: 'Casey Dubois', contact: 'casey.d@example.org · (555) 010-1103', primary: 'bella' },
  { key: 'devon', name: 'Devon Nakamura', contact: 'devon.n@example.org · (555) 010-1104', primary: 'bella' },
  { key: 'emery', name: 'Emery Castillo', contact: 'emery.c@example.org · (555) 010-1105', primary: 'frank' },
  { key: 'finley', name: 'Finley Adeyemi', contact: 'finley.a@example.org · (555) 010-1106', primary: 'frank' },
  { key: 'gray', name: 'Gray Whitfield', contact: 'gray.w@example.org · (555) 010-1107', primary: 'eve' },
  { key: 'harper', name: 'Harper Novak', contact: 'harper.n@example.org · (555) 010-1108', primary: 'eve' },
  { key: 'indigo', name: 'Indigo Marsh', contact: 'indigo.m@example.org · (555) 010-1109', primary: 'sam' },
  { key: 'jules', name: 'Jules Petrov', contact: 'jules.p@example.org · (555) 010-1110', primary: 'olivia' },
];

export interface DemoResult {
  readonly practice: string;
  readonly created: boolean;
  readonly password: string;
  readonly logins: readonly { username: string; member: string; what: string }[];
  /** The account owner's one-time recovery codes, when the accounts were made now (shown this once; only hashes are kept). */
  readonly recoveryCodes: readonly string[];
}

const OWNER = DEMO_MEMBERS.find((m) => m.roles.includes('account_owner'))!.id;

/** One sign-in per member, and the account owner's recovery codes (setup). */
async function createAccounts(accounts: Accounts, practice: string, logins: readonly { username: string; member: string }[], password: string): Promise<string[]> {
  for (const l of logins) await accounts.createUser(practice, l.member, l.username, password);
  return accounts.issueRecoveryCodes(practice, OWNER);
}

/**
 * Creates the demo practice (when absent) and one sign-in per member, username = member id,
 * with the account owner's recovery codes. Idempotent: a second call changes nothing.
 */
export async function createDemoPractice(cg: ChartGuard, accounts: Accounts, options: { practice?: string; password?: string } = {}): Promise<DemoResult> {
  const practice = options.practice ?? DEMO_PRACTICE_ID;
  const password = options.password ?? DEMO_PASSWORD;
  const logins = DEMO_MEMBERS.map((m) => ({ username: practice === DEMO_PRACTICE_ID ? m.id : `${m.id}@${practice}`, member: m.id, what: m.what }));
  if (await cg.practiceExists(practice)) {
    const recoveryCodes = (await accounts.hasUsers(practice)) ? [] : await createAccounts(accounts, practice, logins, password);
    return { practice, created: false, password, logins, recoveryCodes };
  }

  const ids = Object.fromEntries(CLIENTS.map((c) => [c.key, randomUUID()]));
  await cg.createPractice({
    id: practice,
    name: 'Riverside Counseling Group (demo)',
    members: DEMO_MEMBERS.map((m) => ({ id: m.id, name: m.name, roles: m.roles })),
    supervision: [
      { supervisor: 'sam', supervisee: 'ana' },
      { supervisor: 'sam', supervisee: 'bella' },
    ],
    clients: CLIENTS.map((c) => ({ id: ids[c.key]!, name: c.name, contact: c.contact, primary: c.primary })),
  });
  // Addresses (example.org, like the clients'), so the owner's notices reach the outbox's
  // sender as a real practice's do: written to the server log when no SMTP server is set.
  await cg.within(practice, null, 'system', (tx) => tx.query(`update chartguard.members set email = id || '@example.org' where practice_id = $1`, [practice]));

  const run = async (actor: string, command: Command) => {
    const r = await cg.execute(practice, actor, command);
    if (!r.ok) throw new Error(`demo: ${actor} ${command.type} refused: ${r.code} ${r.reasons.map((x) => x.text).join(' ')}`);
  };
  const c = (key: string) => ids[key]!;
  const start = new Date(cg.now());
  start.setUTCHours(15, 0, 0, 0);
  const day = (n: number, hour = 0) => start.getTime() + n * DAY_MS + hour * 3_600_000;

  await demoAccess(run, c, ids);
  await demoNotes(run, c);
  await demoWork(run, c, day);

  const recoveryCodes = await createAccounts(accounts, practice, logins, password);
  return { practice, created: true, password, logins, recoveryCodes };
}

type Run = (actor: string, command: Command) => Promise<void>;

/** New clients (003), grants, coverage and sharing (002), restricted clients and revocations (001). */
async function demoAccess(run: Run, c: (key: string) => string, ids: Record<string, string>): Promise<void> {
  // Two more clients through the front desk and a clinician's intake link (003).
  ids.kai = randomUUID();
  ids.lane = randomUUID();
  await run('sky', { type: 'create_client', id: c('kai'), name: 'Kai Oyelaran', primary: 'sam' });
  await run('sky', { type: 'create_client', id: c('lane'), name: 'Lane Moreau', intakeLink: 'frank' });

  // Access: a standing grant, a two-week coverage grant, and one client shared with all (002, 003).
  await run('ana', { type: 'grant_clinical', client: c('avery'), member: 'sam' });
  await run('mia', { type: 'grant_clinical', client: c('casey'), member: 'ana', untilDays: 14 });
  await run('eve', { type: 'share_with_all', client: c('harper'), on: true });

  // Two restricted clients (001): the owner then revokes the biller and the scheduler from one.
  await run('olivia', { type: 'restrict', client: c('jules') });
  await run('olivia', { type: 'revoke_administrative', client: c('jules'), member: 'bill' });
  await run('olivia', { type: 'revoke_administrative', client: c('jules'), member: 'sky' });
  await run('frank', { type: 'restrict', client: c('emery') });
  await run('olivia', { type: 'revoke_administrative', client: c('emery'), member: 'mia' });
}

async function demoNotes(run: Run, c: (key: string) => string): Promise<void> {
  // Notes: signed and co-signed, signed awaiting co-signature, unsigned draft, administrative (004).
  const notes = {
    cosigned: randomUUID(),
    awaiting: randomUUID(),
    draft: randomUUID(),
    missed: randomUUID(),
    restricted: randomUUID(),
    frank: randomUUID(),
  };
  await run('ana', { type: 'write_note', id: notes.cosigned, client: c('avery'), kind: 'clinical', sign: true, body: 'Intake assessment. Reports low mood and poor sleep for six weeks; PHQ-9 of 14. Plan: weekly CBT.' });
  await run('sam', { type: 'cosign_note', note: notes.cosigned });
  await run('bella', { type: 'write_note', id: notes.awaiting, client: c('casey'), kind: 'clinical', sign: true, body: 'Session 4. Practiced grounding skills; panic episodes down from daily to twice a week.' });
  await run('ana', { type: 'write_note', id: notes.draft, client: c('blake'), kind: 'clinical', body: 'Draft: session 2. Discussed work stressors and boundaries.' });
  await run('sky', { type: 'write_note', id: notes.missed, client: c('blake'), kind: 'missed_appointment', body: 'No-show for the Tuesday 3 pm appointment; left a voicemail.' });
  await run('olivia', { type: 'write_note', id: notes.restricted, client: c('jules'), kind: 'clinical', sign: true, body: 'Confidential: session notes protected under restricted access.' });
  await run('frank', { type: 'write_note', id: notes.frank, client: c('emery'), kind: 'clinical', sign: true, body: 'Family session; safety plan reviewed and updated.' });
}

/** A week of appointments, insurance payments, messages and tasks. */
async function demoWork(run: Run, c: (key: string) => string, day: (n: number, hour?: number) => number): Promise<void> {
  // Appointments (fees are charges) over the coming week.
  const appointments: [string, string, number, number][] = [
    ['avery', 'ana', 150, day(1)],
    ['blake', 'ana', 150, day(1, 2)],
    ['casey', 'bella', 140, day(2)],
    ['devon', 'bella', 140, day(2, 1)],
    ['emery', 'frank', 180, day(3)],
    ['finley', 'frank', 160, day(3, 2)],
    ['gray', 'eve', 170, day(4)],
    ['harper', 'eve', 170, day(4, 1)],
    ['indigo', 'sam', 150, day(5)],
    ['jules', 'olivia', 200, day(5, 2)],
    ['kai', 'sam', 150, day(6)],
  ];
  for (const [client, clinician, fee, startsAt] of appointments) {
    // The scheduler's access to the restricted client was revoked: its clinician books it.
    await run(client === 'jules' ? clinician : 'sky', { type: 'schedule_appointment', id: randomUUID(), client: c(client), clinician, fee, startsAt });
  }

  // An insurance payment covering a restricted and an unrestricted client: the biller, revoked
  // from the restricted one, does not see it (001); one the biller records for two clients.
  await run('olivia', { type: 'record_insurance_payment', id: randomUUID(), covers: [c('jules'), c('gray')], amount: 280 });
  await run('bill', { type: 'record_insurance_payment', id: randomUUID(), covers: [c('avery'), c('casey')], amount: 210 });

  await run('ana', { type: 'send_message', id: randomUUID(), client: c('avery'), body: 'Hi Avery, a reminder of our session tomorrow at 3 pm.' });
  await run('sky', { type: 'send_message', id: randomUUID(), client: c('blake'), body: 'Hello Blake, please call us to reschedule your missed appointment.' });
  await run('olivia', { type: 'send_message', id: randomUUID(), client: c('jules'), body: 'Jules, your updated care plan is ready to review.' });

  await run('sky', { type: 'create_task', id: randomUUID(), client: c('blake'), assignee: 'ana', title: 'Call Blake about the missed appointment' });
  await run('bill', { type: 'create_task', id: randomUUID(), client: c('devon'), assignee: 'bella', title: 'Confirm Devon’s insurance details' });
  await run('olivia', { type: 'create_task', id: randomUUID(), client: c('jules'), assignee: 'olivia', title: 'Review Jules’ release-of-information form' });
}
