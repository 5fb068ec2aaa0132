/**
 * Running a scenario's steps (FORMAT "Steps"): each kind of step asks the store what the
 * HTTP API would and compares the answer with what the scenario expects.
 */
import {
  AREAS,
  DAY_MS,
  REFUSAL_CODES,
  REPORT_PAGE,
  REPORTS,
  isArea,
  isPermission,
  isRefusalCode,
  isReportName,
  permissionTarget,
  type Decision,
  type Report,
  type ReportName,
  type ReportRow,
} from '../../core/index.js';
import type { ChartGuard, ListItem } from '../../store/chartguard.js';
import { toCommand } from './commands.js';
import { isObj, onlyKeys, reasonsText, str, strList, type Obj } from './yaml.js';

/** What every step runs against: the store, the scenario's practice and its clock. */
export interface Play {
  readonly cg: ChartGuard;
  readonly practice: string;
  readonly clock: { now: number };
}

/** One step: its number, its body, the whole step (for `error:`) and how it fails. */
export interface Step {
  readonly n: number;
  readonly body: Obj;
  readonly step: Obj;
  readonly fail: Fail;
}

type Fail = (what: string) => never;

export const STEPS: { readonly [kind: string]: (play: Play, step: Step) => Promise<void> } = {
  do: doStep,
  check: checkStep,
  panel: panelStep,
  list: listStep,
  report: reportStep,
  notified: notifiedStep,
  state: stateStep,
  advance_time: async ({ clock }, { n, body, fail }) => {
    onlyKeys(`step ${n}`, body, ['days']);
    const days = Number(body.days);
    if (!Number.isFinite(days) || days < 0) fail('days: expected a number, 0 or more');
    clock.now += days * DAY_MS;
  },
};

async function doStep({ cg, practice }: Play, { body, step, fail }: Step) {
  const { actor: issuer, command } = toCommand(body, fail);
  const actor = issuer ?? 'public';
  const expected = step.error === undefined ? null : String(step.error);
  if (expected !== null && !isRefusalCode(expected)) fail(`unknown refusal code ${JSON.stringify(expected)} (known: ${REFUSAL_CODES.join(', ')})`);
  const before = (await cg.activity(practice)).length;
  const result = await cg.execute(practice, issuer, command);
  const after = (await cg.activity(practice)).length;
  if (expected === null) {
    if (!result.ok) fail(`expected ${command.type} by ${actor} to succeed, but it was refused with ${result.code} (${reasonsText(result.reasons)})`);
    if (after !== before + 1) fail(`expected exactly one activity-log entry, found ${after - before}`);
  } else {
    if (result.ok) fail(`expected ${command.type} by ${actor} to be refused with ${expected}, but it succeeded (${result.summary})`);
    if (!result.ok && result.code !== expected) fail(`expected refusal ${expected}, got ${result.code} (${reasonsText(result.reasons)})`);
    if (after !== before) fail('a refused command changed the activity log');
  }
}

async function checkStep({ cg, practice }: Play, step: Step) {
  const { n, body } = step;
  const fail: Fail = step.fail; // declared, so that TypeScript narrows after it
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
}

async function panelStep({ cg, practice }: Play, { n, body, fail }: Step) {
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
}

async function listStep({ cg, practice }: Play, step: Step) {
  const { n, body } = step;
  const fail: Fail = step.fail; // declared, so that TypeScript narrows after it
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
}

/** What a list entry is named by in a scenario (FORMAT "Lists"). */
function listKey(area: string, item: ListItem): string {
  return area === 'insurance_payments' || area === 'notes' || area === 'notifications' ? item.id : String(item.client);
}

async function reportStep(play: Play, { n, body, fail }: Step) {
  onlyKeys(`step ${n}`, body, ['member', 'name', 'rows_include', 'rows_exclude', 'total']);
  const reportName = String(body.name);
  if (!isReportName(reportName)) fail(`unknown report ${JSON.stringify(reportName)} (known: ${REPORTS.join(', ')})`);
  const walked = await everyPage(play, str('member', body.member), reportName as ReportName, fail);
  if (walked === null) return;
  const { report, all } = walked;
  const rows = new Set(all.map((x) => x.client));
  const missing = strList('rows_include', body.rows_include).filter((k) => !rows.has(k));
  const present = strList('rows_exclude', body.rows_exclude).filter((k) => rows.has(k));
  const problems: string[] = [];
  if (missing.length) problems.push(`rows miss ${missing.join(', ')}`);
  if (present.length) problems.push(`rows should not hold ${present.join(', ')}`);
  if (all.length !== report.rowCount) problems.push(`the pages hold ${all.length} rows, the report counts ${report.rowCount}`);
  if (body.total !== undefined && Math.abs(Number(body.total) - report.total) > 0.005) problems.push(`total ${report.total}, expected ${String(body.total)}`);
  if (problems.length) fail(`${reportName} for ${String(body.member)}: ${problems.join('; ')} (rows: ${all.map((x) => `${x.client}=${x.amount}`).join(', ')})`);
}

/** Every page of the report, as a client of the API would walk them: the last page and all the rows. */
async function everyPage({ cg, practice }: Play, member: string, reportName: ReportName, fail: (what: string) => never) {
  const all: ReportRow[] = [];
  let report: Report | null = null;
  for (let after: string | null = null; report === null || after !== null; after = report.next) {
    const r = await cg.report(practice, member, reportName, { limit: REPORT_PAGE.maxLimit, after });
    if (!r.ok) fail(`the report was refused: ${r.code} ${reasonsText(r.reasons)}`);
    report = r.report;
    all.push(...report.rows);
  }
  return report === null ? null : { report, all };
}

async function notifiedStep({ cg, practice }: Play, { n, body, fail }: Step) {
  onlyKeys(`step ${n}`, body, ['member', 'event', 'client']);
  const member = str('member', body.member);
  const event = str('event', body.event);
  if (event !== 'restricted_access_on' && event !== 'intake_submitted') fail(`unknown event ${JSON.stringify(event)}`);
  const client = str('client', body.client);
  const items = await cg.list(practice, member, 'notifications');
  if (!items.some((it) => it.event === event && it.client === client)) fail(`${member} has no ${event} notification for ${client}`);
  const emails = await cg.within(practice, null, 'system', (tx) =>
    tx.query('select 1 from chartguard.email_outbox where practice_id = $1 and recipient = $2 and client_id = $3', [practice, member, client]),
  );
  if (emails.length === 0) fail(`${member} was sent no email for ${event} on ${client}`);
}

async function stateStep(play: Play, step: Step) {
  if (step.body.client !== undefined) await clientState(play, step);
  else if (step.body.note !== undefined) await noteState(play, step);
  else if (step.body.member !== undefined) await memberState(play, step);
  else if (step.body.claim !== undefined) await claimState(play, step);
  else step.fail('state: needs client:, note:, member: or claim:');
}

/** FORMAT (second part): `state: { claim: K, rendering: M }`. */
async function claimState({ cg, practice }: Play, { n, body, fail }: Step) {
  onlyKeys(`step ${n}`, body, ['claim', 'rendering']);
  const k = await cg.claimState(practice, str('claim', body.claim));
  if (!k) fail(`no claim ${String(body.claim)}`);
  if (body.rendering !== undefined && body.rendering !== k!.rendering) fail(`rendering ${k!.rendering}, expected ${String(body.rendering)}`);
}

/** FORMAT: `state: { member: M, active: BOOL, roles: [...] }` (roles compared as a set). */
async function memberState({ cg, practice }: Play, { n, body, fail }: Step) {
  onlyKeys(`step ${n}`, body, ['member', 'active', 'roles']);
  const id = str('member', body.member);
  const team = await cg.team(practice);
  const m = team.members.get(id) ?? team.inactive.get(id);
  if (!m) fail(`no team member ${id}`);
  const active = team.members.has(id);
  const problems: string[] = [];
  if (body.active !== undefined && body.active !== active) problems.push(`active ${active}, expected ${String(body.active)}`);
  if (body.roles !== undefined) {
    const want = [...strList('roles', body.roles)].sort();
    const have = [...m!.roles].sort();
    if (want.join() !== have.join()) problems.push(`roles [${have.join(', ')}], expected [${want.join(', ')}]`);
  }
  if (problems.length) fail(problems.join('; '));
}

async function clientState({ cg, practice }: Play, { n, body, fail }: Step) {
  onlyKeys(`step ${n}`, body, ['client', 'restricted', 'primary', 'shared_with_all']);
  const c = await cg.clientState(practice, str('client', body.client));
  if (!c) fail(`no client ${String(body.client)}`);
  const problems: string[] = [];
  if (body.restricted !== undefined && body.restricted !== c!.restricted) problems.push(`restricted ${c!.restricted}, expected ${String(body.restricted)}`);
  if (body.primary !== undefined && body.primary !== c!.primary) problems.push(`primary ${c!.primary}, expected ${String(body.primary)}`);
  if (body.shared_with_all !== undefined && body.shared_with_all !== c!.sharedWithAll) problems.push(`shared_with_all ${c!.sharedWithAll}, expected ${String(body.shared_with_all)}`);
  if (problems.length) fail(problems.join('; '));
}

async function noteState({ cg, practice }: Play, { n, body, fail }: Step) {
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
}
