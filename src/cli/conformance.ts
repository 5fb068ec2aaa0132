/**
 * The conformance runner: `chartguard test PATH...` (../shared/conformance/FORMAT.md).
 * Each scenario builds its practice in the real store (PGlite in memory unless a
 * database URL is given) and drives the same application services as the HTTP API.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { parse } from 'yaml';
import {
  AREAS,
  isCommandType,
  DAY_MS,
  REFUSAL_CODES,
  REPORT_PAGE,
  REPORTS,
  isArea,
  isNoteKind,
  isPermission,
  isRefusalCode,
  isReportName,
  isRole,
  permissionTarget,
  type Command,
  type Decision,
  type Reason,
  type Report,
  type ReportName,
  type ReportRow,
  type Role,
} from '../core/index.js';
import { ChartGuard, type ListItem } from '../store/chartguard.js';
import type { Database } from '../store/db/database.js';

export interface ScenarioResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly failure?: string;
}

/** Every *.yaml below the given files and folders, in a stable order. */
export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const f of readdirSync(p).sort()) walk(join(p, f));
    } else if (/\.ya?ml$/.test(p)) out.push(p);
  };
  for (const p of paths) walk(p);
  return out;
}

class ScenarioError extends Error {}

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
let practiceCounter = 0;

const TOP_KEYS = new Set(['scenario', 'source', 'settings', 'members', 'supervision', 'clients', 'steps']);
const STEP_KINDS = new Set(['do', 'check', 'panel', 'list', 'report', 'notified', 'state', 'advance_time']);
const CLIENT_KEYS = new Set(['primary', 'restricted', 'shared_with_all', 'person']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(where: string, o: Obj, allowed: readonly string[]) {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new ScenarioError(`${where}: unknown key ${JSON.stringify(k)}`);
}

function str(where: string, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new ScenarioError(`${where}: expected a name, got ${JSON.stringify(v)}`);
  return v;
}

function strList(where: string, v: unknown): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: expected a list`);
  return v.map((x, i) => str(`${where}[${i}]`, typeof x === 'number' ? String(x) : x));
}

function reasonsText(reasons: readonly Reason[]): string {
  return reasons.map((r) => `${r.code}: ${r.text}`).join('; ');
}

/** Runs one scenario file against the store; never throws for a bad file (it fails). */
export async function runScenario(db: Database, file: string): Promise<ScenarioResult> {
  let name = basename(file);
  try {
    const doc = parse(readFileSync(file, 'utf8')) as unknown;
    if (!isObj(doc)) throw new ScenarioError('the file is not a YAML mapping');
    for (const k of Object.keys(doc)) if (!TOP_KEYS.has(k)) throw new ScenarioError(`unknown top-level key ${JSON.stringify(k)}`);
    name = typeof doc.scenario === 'string' ? doc.scenario : name;
    await play(db, doc);
    return { file, name, passed: true };
  } catch (err) {
    const failure = err instanceof ScenarioError ? err.message : `error: ${(err as Error).stack ?? String(err)}`;
    return { file, name, passed: false, failure };
  }
}

async function play(db: Database, doc: Obj): Promise<void> {
  let now = START;
  const cg = ChartGuard.over(db, () => now);
  const practice = `scenario-${process.pid}-${++practiceCounter}-${Date.now().toString(36)}`;

  const settings = doc.settings === undefined ? {} : doc.settings;
  if (!isObj(settings)) throw new ScenarioError('settings: expected a mapping');
  onlyKeys('settings', settings, ['client_directory']);
  const directory = settings.client_directory ?? 'by_role';
  if (directory !== 'by_role' && directory !== 'all_staff') throw new ScenarioError(`settings.client_directory: unknown value ${JSON.stringify(directory)}`);

  if (!isObj(doc.members)) throw new ScenarioError('members: expected a mapping of member to roles');
  const members = Object.entries(doc.members).map(([id, roles]) => {
    const list = strList(`members.${id}`, roles);
    for (const r of list) if (!isRole(r)) throw new ScenarioError(`members.${id}: unknown role ${JSON.stringify(r)}`);
    return { id, roles: list as Role[] };
  });
  const memberIds = new Set(members.map((m) => m.id));
  const supervision = strictList(doc.supervision, 'supervision').map((s, i) => {
    if (!isObj(s)) throw new ScenarioError(`supervision[${i}]: expected a mapping`);
    onlyKeys(`supervision[${i}]`, s, ['supervisor', 'supervisee']);
    return { supervisor: str(`supervision[${i}].supervisor`, s.supervisor), supervisee: str(`supervision[${i}].supervisee`, s.supervisee) };
  });
  const clientsDoc = doc.clients === undefined ? {} : doc.clients;
  if (!isObj(clientsDoc)) throw new ScenarioError('clients: expected a mapping');
  const clients = Object.entries(clientsDoc).map(([id, props]) => {
    if (!isObj(props)) throw new ScenarioError(`clients.${id}: expected a mapping`);
    for (const k of Object.keys(props)) if (!CLIENT_KEYS.has(k)) throw new ScenarioError(`clients.${id}: unknown property ${JSON.stringify(k)}`);
    const primary = str(`clients.${id}.primary`, props.primary);
    if (!memberIds.has(primary)) throw new ScenarioError(`clients.${id}.primary: unknown member ${JSON.stringify(primary)}`);
    return {
      id,
      primary,
      restricted: bool(`clients.${id}.restricted`, props.restricted, false),
      sharedWithAll: bool(`clients.${id}.shared_with_all`, props.shared_with_all, false),
      person: props.person === undefined ? null : String(props.person),
    };
  });
  for (const s of supervision) {
    for (const m of [s.supervisor, s.supervisee]) if (!memberIds.has(m)) throw new ScenarioError(`supervision: unknown member ${JSON.stringify(m)}`);
  }
  try {
    await cg.createPractice({ id: practice, clientDirectory: directory, members, supervision, clients });
  } catch (err) {
    throw new ScenarioError(`the practice could not be set up: ${(err as Error).message}`);
  }

  const steps = strictList(doc.steps, 'steps');
  for (let i = 0; i < steps.length; i++) {
    const n = i + 1;
    const step = steps[i];
    if (!isObj(step)) throw new ScenarioError(`step ${n}: expected a mapping`);
    const kinds = Object.keys(step).filter((k) => STEP_KINDS.has(k));
    const extra = Object.keys(step).filter((k) => !STEP_KINDS.has(k) && k !== 'error');
    if (kinds.length !== 1 || extra.length > 0) {
      throw new ScenarioError(`step ${n}: expected exactly one of ${[...STEP_KINDS].join(', ')}${extra.length ? `; unknown key ${JSON.stringify(extra[0])}` : ''}`);
    }
    const kind = kinds[0]!;
    const body = step[kind];
    if (!isObj(body)) throw new ScenarioError(`step ${n} (${kind}): expected a mapping`);
    if (step.error !== undefined && kind !== 'do') throw new ScenarioError(`step ${n}: error: belongs to a do step`);
    const fail: (what: string) => never = (what) => {
      throw new ScenarioError(`step ${n} (${kind}): ${what}`);
    };
    switch (kind) {
      case 'do': {
        const { actor, command } = toCommand(body, fail);
        const expected = step.error === undefined ? null : String(step.error);
        if (expected !== null && !isRefusalCode(expected)) fail(`unknown refusal code ${JSON.stringify(expected)} (known: ${REFUSAL_CODES.join(', ')})`);
        const before = (await cg.activity(practice)).length;
        const result = await cg.execute(practice, actor, command);
        const after = (await cg.activity(practice)).length;
        if (expected === null) {
          if (!result.ok) fail(`expected ${command.type} by ${actor} to succeed, but it was refused with ${result.code} (${reasonsText(result.reasons)})`);
          if (after !== before + 1) fail(`expected exactly one activity-log entry, found ${after - before}`);
        } else {
          if (result.ok) fail(`expected ${command.type} by ${actor} to be refused with ${expected}, but it succeeded (${result.summary})`);
          if (!result.ok && result.code !== expected) fail(`expected refusal ${expected}, got ${result.code} (${reasonsText(result.reasons)})`);
          if (after !== before) fail('a refused command changed the activity log');
        }
        break;
      }
      case 'check': {
        onlyKeys(`step ${n}`, body, ['member', 'can', 'cannot', 'client', 'note', 'payment']);
        const member = str('member', body.member);
        const expectAllowed = body.can !== undefined;
        if ((body.can === undefined) === (body.cannot === undefined)) fail('give exactly one of can: or cannot:');
        const permission = String(body.can ?? body.cannot);
        if (!isPermission(permission)) fail(`unknown permission ${JSON.stringify(permission)}`);
        const target = permissionTarget(permission);
        const targetArgs: { client?: string; note?: string; payment?: string } = {};
        if (target !== 'practice') {
          const key = body[target];
          if (key === undefined) fail(`${permission} needs ${target}:`);
          targetArgs[target] = str(target, key);
        }
        for (const t of ['client', 'note', 'payment'] as const) if (t !== target && body[t] !== undefined) fail(`${permission} takes no ${t}:`);
        const d: Decision = await cg.check(practice, member, permission, targetArgs);
        if (!d.allowed && d.code === 'not_found') fail(`not found: ${reasonsText(d.reasons)}`);
        if (d.allowed !== expectAllowed) {
          fail(`expected ${member} ${expectAllowed ? 'can' : 'cannot'} ${permission}${target !== 'practice' ? ` ${targetArgs[target]}` : ''}, but ${d.allowed ? 'allowed' : `refused (${d.code})`}: ${reasonsText(d.reasons)}`);
        }
        break;
      }
      case 'panel': {
        onlyKeys(`step ${n}`, body, ['as', 'client', 'member', 'clinical', 'administrative']);
        const row = await cg.panel(practice, str('as', body.as), str('client', body.client), str('member', body.member));
        if (!row) fail('no such client or member');
        for (const which of ['clinical', 'administrative'] as const) {
          const want = body[which];
          if (want === undefined) continue;
          if (!isObj(want)) fail(`${which}: expected a mapping`);
          const w = want as Obj;
          onlyKeys(`${which}`, w, ['checked', 'enabled', 'reason']);
          const got = row![which];
          const problems: string[] = [];
          if (w.checked !== undefined && w.checked !== got.checked) problems.push(`checked ${got.checked}, expected ${w.checked}`);
          if (w.enabled !== undefined && w.enabled !== got.enabled) problems.push(`enabled ${got.enabled}, expected ${w.enabled}`);
          if (w.reason !== undefined) {
            if (!isRefusalCode(w.reason)) fail(`unknown reason code ${JSON.stringify(w.reason)}`);
            if (w.reason !== got.reason) problems.push(`reason ${got.reason ?? '(none)'}, expected ${w.reason}`);
          }
          if (problems.length) fail(`${which} checkbox of ${String(body.member)}: ${problems.join(', ')} (${reasonsText(got.reasons)})`);
        }
        break;
      }
      case 'list': {
        onlyKeys(`step ${n}`, body, ['member', 'area', 'includes', 'excludes']);
        const area = String(body.area);
        if (!isArea(area)) fail(`unknown area ${JSON.stringify(area)} (known: ${AREAS.join(', ')})`);
        const items = await cg.list(practice, str('member', body.member), area);
        const keys = new Set(items.map((it) => listKey(area, it)));
        const missing = strList('includes', body.includes).filter((k) => !keys.has(k));
        const present = strList('excludes', body.excludes).filter((k) => keys.has(k));
        if (missing.length || present.length) {
          fail(`${String(body.member)}'s ${area} shows [${[...keys].sort().join(', ')}]${missing.length ? `; missing ${missing.join(', ')}` : ''}${present.length ? `; should not show ${present.join(', ')}` : ''}`);
        }
        break;
      }
      case 'report': {
        onlyKeys(`step ${n}`, body, ['member', 'name', 'rows_include', 'rows_exclude', 'total']);
        const reportName = String(body.name);
        if (!isReportName(reportName)) fail(`unknown report ${JSON.stringify(reportName)} (known: ${REPORTS.join(', ')})`);
        // Every page of the report, as a client of the API would walk them.
        const member = str('member', body.member);
        const all: ReportRow[] = [];
        let report: Report | null = null;
        for (let after: string | null = null; report === null || after !== null; after = report.next) {
          const r = await cg.report(practice, member, reportName as ReportName, { limit: REPORT_PAGE.maxLimit, after });
          if (!r.ok) {
            const d = r.decision;
            fail(`the report was refused: ${d.allowed ? '' : d.code} ${reasonsText(d.reasons)}`);
            break;
          }
          report = r.report;
          all.push(...report.rows);
        }
        if (report === null) break;
        const rows = new Set(all.map((x) => x.client));
        const missing = strList('rows_include', body.rows_include).filter((k) => !rows.has(k));
        const present = strList('rows_exclude', body.rows_exclude).filter((k) => rows.has(k));
        const problems: string[] = [];
        if (missing.length) problems.push(`rows miss ${missing.join(', ')}`);
        if (present.length) problems.push(`rows should not hold ${present.join(', ')}`);
        if (all.length !== report.rowCount) problems.push(`the pages hold ${all.length} rows, the report counts ${report.rowCount}`);
        if (body.total !== undefined && Math.abs(Number(body.total) - report.total) > 0.005) problems.push(`total ${report.total}, expected ${String(body.total)}`);
        if (problems.length) fail(`${reportName} for ${String(body.member)}: ${problems.join('; ')} (rows: ${all.map((x) => `${x.client}=${x.amount}`).join(', ')})`);
        break;
      }
      case 'notified': {
        onlyKeys(`step ${n}`, body, ['member', 'event', 'client']);
        const member = str('member', body.member);
        const event = str('event', body.event);
        if (event !== 'restricted_access_on') fail(`unknown event ${JSON.stringify(event)}`);
        const client = str('client', body.client);
        const items = await cg.list(practice, member, 'notifications');
        if (!items.some((it) => it.event === event && it.client === client)) fail(`${member} has no ${event} notification for ${client}`);
        const emails = await cg.within(practice, null, 'system', (tx) =>
          tx.query('select 1 from chartguard.email_outbox where practice_id = $1 and recipient = $2 and client_id = $3', [practice, member, client]),
        );
        if (emails.length === 0) fail(`${member} was sent no email for ${event} on ${client}`);
        break;
      }
      case 'state': {
        if (body.client !== undefined) {
          onlyKeys(`step ${n}`, body, ['client', 'restricted', 'primary', 'shared_with_all']);
          const c = await cg.clientState(practice, str('client', body.client));
          if (!c) fail(`no client ${String(body.client)}`);
          const problems: string[] = [];
          if (body.restricted !== undefined && body.restricted !== c!.restricted) problems.push(`restricted ${c!.restricted}, expected ${String(body.restricted)}`);
          if (body.primary !== undefined && body.primary !== c!.primary) problems.push(`primary ${c!.primary}, expected ${String(body.primary)}`);
          if (body.shared_with_all !== undefined && body.shared_with_all !== c!.sharedWithAll) problems.push(`shared_with_all ${c!.sharedWithAll}, expected ${String(body.shared_with_all)}`);
          if (problems.length) fail(problems.join('; '));
        } else if (body.note !== undefined) {
          onlyKeys(`step ${n}`, body, ['note', 'exists', 'author', 'signed', 'cosigned']);
          const s = await cg.noteState(practice, str('note', body.note));
          const problems: string[] = [];
          if (body.exists !== undefined && body.exists !== s.exists) problems.push(`exists ${s.exists}, expected ${String(body.exists)}`);
          if ('author' in s) {
            if (body.author !== undefined && body.author !== s.author) problems.push(`author ${s.author}, expected ${String(body.author)}`);
            if (body.signed !== undefined && body.signed !== s.signed) problems.push(`signed ${s.signed}, expected ${String(body.signed)}`);
            if (body.cosigned !== undefined && body.cosigned !== s.cosigned) problems.push(`cosigned ${s.cosigned}, expected ${String(body.cosigned)}`);
          } else if (body.author !== undefined || body.signed !== undefined || body.cosigned !== undefined) {
            problems.push('the note does not exist');
          }
          if (problems.length) fail(problems.join('; '));
        } else fail('state: needs client: or note:');
        break;
      }
      case 'advance_time': {
        onlyKeys(`step ${n}`, body, ['days']);
        const days = Number(body.days);
        if (!Number.isFinite(days) || days < 0) fail('days: expected a number, 0 or more');
        now += days * DAY_MS;
        break;
      }
    }
  }
}

function strictList(v: unknown, where: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${where}: expected a list`);
  return v;
}

function bool(where: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ScenarioError(`${where}: expected true or false`);
  return v;
}

/** What a list entry is named by in a scenario (FORMAT "Lists"). */
function listKey(area: string, item: ListItem): string {
  return area === 'insurance_payments' || area === 'notes' || area === 'notifications' ? item.id : String(item.client);
}

const COMMAND_ARGS: Record<string, readonly string[]> = {
  grant_clinical: ['client', 'member', 'until_days'],
  revoke_clinical: ['client', 'member'],
  grant_administrative: ['client', 'member'],
  revoke_administrative: ['client', 'member'],
  set_primary_clinician: ['client', 'member'],
  restrict: ['client'],
  unrestrict: ['client', 'acknowledge'],
  share_with_all: ['client', 'on'],
  assign_roles: ['member', 'roles'],
  set_supervisor: ['supervisor', 'supervisee'],
  end_supervision: ['supervisor', 'supervisee'],
  create_client: ['key', 'primary', 'person', 'intake_link'],
  write_note: ['key', 'client', 'kind', 'sign'],
  sign_note: ['note'],
  cosign_note: ['note'],
  delete_note: ['note'],
  schedule_appointment: ['key', 'client', 'clinician', 'fee'],
  record_insurance_payment: ['key', 'covers', 'amount'],
  send_message: ['key', 'client'],
  create_task: ['key', 'client', 'assignee'],
};

function toCommand(body: Obj, fail: (what: string) => never): { actor: string; command: Command } {
  const type = String(body.command);
  if (!isCommandType(type)) fail(`unknown command ${JSON.stringify(type)}`);
  const args = { ...body };
  // YAML 1.1 readers turn a bare `on` key into true; accept both spellings.
  if ('true' in args && !('on' in args)) {
    args.on = args.true;
    delete args.true;
  }
  onlyKeys(`${type}`, args, ['as', 'command', ...COMMAND_ARGS[type]!]);
  const actor = str('as', args.as);
  const s = (k: string) => str(k, args[k]);
  const opt = (k: string) => (args[k] === undefined || args[k] === null ? null : str(k, args[k]));
  const num = (k: string) => {
    const v = Number(args[k]);
    if (args[k] === undefined || !Number.isFinite(v)) fail(`${k}: expected a number`);
    return v;
  };
  let command: Command;
  switch (type) {
    case 'grant_clinical':
      command = { type, client: s('client'), member: s('member'), untilDays: args.until_days === undefined ? null : num('until_days') };
      break;
    case 'revoke_clinical':
    case 'grant_administrative':
    case 'revoke_administrative':
    case 'set_primary_clinician':
      command = { type, client: s('client'), member: s('member') };
      break;
    case 'restrict':
      command = { type, client: s('client') };
      break;
    case 'unrestrict':
      command = { type, client: s('client'), acknowledge: args.acknowledge === true };
      break;
    case 'share_with_all':
      if (typeof args.on !== 'boolean') fail('"on": expected true or false');
      command = { type, client: s('client'), on: args.on as boolean };
      break;
    case 'assign_roles':
      command = { type, member: s('member'), roles: strList('roles', args.roles) };
      break;
    case 'set_supervisor':
    case 'end_supervision':
      command = { type, supervisor: s('supervisor'), supervisee: s('supervisee') };
      break;
    case 'create_client':
      command = { type, id: s('key'), primary: opt('primary'), person: opt('person'), intakeLink: opt('intake_link') };
      break;
    case 'write_note': {
      const kind = s('kind');
      if (!isNoteKind(kind)) return fail(`unknown note kind ${JSON.stringify(kind)}`);
      command = { type, id: s('key'), client: s('client'), kind, sign: args.sign === true };
      break;
    }
    case 'sign_note':
    case 'cosign_note':
    case 'delete_note':
      command = { type, note: s('note') };
      break;
    case 'schedule_appointment':
      command = { type, id: s('key'), client: s('client'), clinician: s('clinician'), fee: num('fee') };
      break;
    case 'record_insurance_payment':
      command = { type, id: s('key'), covers: strList('covers', args.covers), amount: num('amount') };
      break;
    case 'send_message':
      command = { type, id: s('key'), client: s('client') };
      break;
    case 'create_task':
      command = { type, id: s('key'), client: s('client'), assignee: s('assignee') };
      break;
    default:
      return fail(`unknown command ${JSON.stringify(type)}`);
  }
  return { actor, command };
}

/** Runs every scenario below `paths`, printing one line each and the closing count. */
export async function runConformance(db: Database, paths: readonly string[], out: (line: string) => void): Promise<{ passed: number; failed: number }> {
  let files: string[];
  try {
    files = scenarioFiles(paths);
  } catch (err) {
    out(`FAIL ${paths.join(' ')}`);
    out(`  ${(err as Error).message}`);
    out('0 passed, 1 failed');
    return { passed: 0, failed: 1 };
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const r = await runScenario(db, file);
    if (r.passed) {
      passed++;
      out(`PASS ${r.name}`);
    } else {
      failed++;
      out(`FAIL ${r.name}`);
      out(`  ${file}: ${r.failure}`);
    }
  }
  if (files.length === 0) {
    out(`FAIL no scenarios found in ${paths.join(' ')}`);
    failed++;
  }
  out(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
