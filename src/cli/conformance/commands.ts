/** A `do:` step's command (FORMAT "Commands"): the scenario's words for each command, its arguments and how they become a core Command. */
import { isCommandType, isNoteKind, type Command, type CommandType } from '../../core/index.js';
import { onlyKeys, str, strList, type Obj } from './yaml.js';

/** A `do:` step's arguments, read strictly. */
interface Args {
  readonly raw: Obj;
  s(key: string): string;
  opt(key: string): string | null;
  num(key: string): number;
  fail(what: string): never;
}

type Vocabulary = { readonly [T in CommandType]: { readonly args: readonly string[]; readonly build: (a: Args) => Extract<Command, { type: T }> } };

const clientMember = <T extends 'revoke_clinical' | 'grant_administrative' | 'revoke_administrative' | 'set_primary_clinician'>(type: T) => ({
  args: ['client', 'member'],
  build: (a: Args) => ({ type, client: a.s('client'), member: a.s('member') }) as Extract<Command, { type: T }>,
});
const supervisorPair = <T extends 'set_supervisor' | 'end_supervision'>(type: T) => ({
  args: ['supervisor', 'supervisee'],
  build: (a: Args) => ({ type, supervisor: a.s('supervisor'), supervisee: a.s('supervisee') }) as Extract<Command, { type: T }>,
});
const onNote = <T extends 'sign_note' | 'cosign_note' | 'delete_note'>(type: T) => ({
  args: ['note'],
  build: (a: Args) => ({ type, note: a.s('note') }) as Extract<Command, { type: T }>,
});

/** A record about a client (FORMAT: `key:` names it): its key and client, then its own arguments in order. */
const clientRecord = <T extends 'schedule_appointment' | 'send_message' | 'create_task'>(type: T, more: readonly string[], rest: (a: Args) => object) => ({
  args: ['key', 'client', ...more],
  build: (a: Args) => ({ type, id: a.s('key'), client: a.s('client'), ...rest(a) }) as Extract<Command, { type: T }>,
});

const COMMANDS: Vocabulary = {
  grant_clinical: {
    args: ['client', 'member', 'until_days'],
    build: (a) => ({ type: 'grant_clinical', client: a.s('client'), member: a.s('member'), untilDays: a.raw.until_days === undefined ? null : a.num('until_days') }),
  },
  revoke_clinical: clientMember('revoke_clinical'),
  grant_administrative: clientMember('grant_administrative'),
  revoke_administrative: clientMember('revoke_administrative'),
  set_primary_clinician: clientMember('set_primary_clinician'),
  restrict: { args: ['client'], build: (a) => ({ type: 'restrict', client: a.s('client') }) },
  unrestrict: { args: ['client', 'acknowledge'], build: (a) => ({ type: 'unrestrict', client: a.s('client'), acknowledge: a.raw.acknowledge === true }) },
  share_with_all: {
    args: ['client', 'on'],
    build: (a) => {
      if (typeof a.raw.on !== 'boolean') a.fail('"on": expected true or false');
      return { type: 'share_with_all', client: a.s('client'), on: a.raw.on as boolean };
    },
  },
  assign_roles: { args: ['member', 'roles'], build: (a) => ({ type: 'assign_roles', member: a.s('member'), roles: strList('roles', a.raw.roles) }) },
  set_supervisor: supervisorPair('set_supervisor'),
  end_supervision: supervisorPair('end_supervision'),
  add_member: {
    args: ['key', 'roles', 'name', 'email'],
    build: (a) => ({ type: 'add_member', id: a.s('key'), roles: strList('roles', a.raw.roles), ...(a.opt('name') ? { name: a.s('name') } : {}), email: a.opt('email') }),
  },
  edit_member: {
    args: ['member', 'name', 'email'],
    build: (a) => ({ type: 'edit_member', member: a.s('member'), ...(a.opt('name') ? { name: a.s('name') } : {}), ...(a.raw.email !== undefined ? { email: a.opt('email') } : {}) }),
  },
  deactivate_member: { args: ['member'], build: (a) => ({ type: 'deactivate_member', member: a.s('member') }) },
  reactivate_member: { args: ['member'], build: (a) => ({ type: 'reactivate_member', member: a.s('member') }) },
  transfer_ownership: { args: ['member'], build: (a) => ({ type: 'transfer_ownership', member: a.s('member') }) },
  create_client: {
    args: ['key', 'primary', 'person', 'intake_link'],
    build: (a) => ({ type: 'create_client', id: a.s('key'), primary: a.opt('primary'), person: a.opt('person'), intakeLink: a.opt('intake_link') }),
  },
  write_note: {
    args: ['key', 'client', 'kind', 'sign'],
    build: (a) => {
      const kind = a.s('kind');
      if (!isNoteKind(kind)) return a.fail(`unknown note kind ${JSON.stringify(kind)}`);
      return { type: 'write_note', id: a.s('key'), client: a.s('client'), kind, sign: a.raw.sign === true };
    },
  },
  sign_note: onNote('sign_note'),
  cosign_note: onNote('cosign_note'),
  delete_note: onNote('delete_note'),
  schedule_appointment: clientRecord('schedule_appointment', ['clinician', 'fee', 'bill_as'], (a) => ({
    clinician: a.s('clinician'),
    fee: a.num('fee'),
    ...(a.opt('bill_as') ? { billAs: a.s('bill_as') } : {}),
  })),
  submit_claim: { args: ['key', 'appointment'], build: (a) => ({ type: 'submit_claim', id: a.s('key'), appointment: a.s('appointment') }) },
  record_insurance_payment: {
    args: ['key', 'covers', 'amount'],
    build: (a) => ({ type: 'record_insurance_payment', id: a.s('key'), covers: strList('covers', a.raw.covers), amount: a.num('amount') }),
  },
  send_message: clientRecord('send_message', [], () => ({})),
  create_task: clientRecord('create_task', ['assignee'], (a) => ({ assignee: a.s('assignee') })),
  // Not a FORMAT.md command: the one setting a scenario may change is the client directory.
  change_settings: {
    args: ['client_directory'],
    build: (a) => {
      const d = a.s('client_directory');
      if (d !== 'by_role' && d !== 'all_staff') return a.fail('client_directory: expected by_role or all_staff');
      return { type: 'change_settings', changes: { clientDirectory: d } };
    },
  },
  // FORMAT: `as: public`, `key`, and `form_of: M` or `choice: M`.
  submit_intake: {
    args: ['key', 'form_of', 'choice'],
    build: (a) => ({ type: 'submit_intake', id: a.s('key'), formOf: a.opt('form_of'), choice: a.opt('choice') }),
  },
};

/** FORMAT: `as: public` is someone signed in as nobody (the public intake form). */
export const PUBLIC = 'public';

/** The command and who issues it: a member, or null for `as: public`. */
export function toCommand(body: Obj, fail: (what: string) => never): { actor: string | null; command: Command } {
  const type = String(body.command);
  if (!isCommandType(type)) fail(`unknown command ${JSON.stringify(type)}`);
  const raw = { ...body };
  // YAML 1.1 readers turn a bare `on` key into true; accept both spellings.
  if ('true' in raw && !('on' in raw)) {
    raw.on = raw.true;
    delete raw.true;
  }
  onlyKeys(`${type}`, raw, ['as', 'command', ...COMMANDS[type].args]);
  const as = str('as', raw.as);
  const actor = as === PUBLIC ? null : as;
  const args: Args = {
    raw,
    fail,
    s: (k) => str(k, raw[k]),
    opt: (k) => (raw[k] === undefined || raw[k] === null ? null : str(k, raw[k])),
    num: (k) => {
      const v = Number(raw[k]);
      if (raw[k] === undefined || !Number.isFinite(v)) fail(`${k}: expected a number`);
      return v;
    },
  };
  return { actor, command: COMMANDS[type].build(args) };
}
