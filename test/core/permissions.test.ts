import { describe, expect, it } from 'vitest';
import { allocatePayment, buildReport, compareClientIds, REPORT_PAGE, reportPage, canInPractice, canResetPassword, canOnClient, panelRow, privacyTab, type ClientPermission } from '../../src/core/index.js';
import { client, practice, TEAM } from './fixtures.js';

const ctx = practice(TEAM, { supervision: [['sam', 'ana']] });
const c1 = client({ id: 'c1', primary: 'ana' });
const can = (m: string, p: ClientPermission, c = c1) => canOnClient(ctx, m, p, c).allowed;

describe('client permissions by role', () => {
  it('gives billing to billers, managers and administrative clinicians, not to basic clinicians or supervisors (004, 002)', () => {
    expect(['olivia', 'bill', 'mia', 'eve', 'frank'].filter((m) => can(m, 'client.view_billing'))).toEqual(['olivia', 'bill', 'mia', 'eve', 'frank']);
    expect(['ana', 'ben', 'sky', 'sam', 'pat', 'cora'].filter((m) => can(m, 'client.view_billing'))).toEqual([]);
  });

  it('gives a biller for assigned clients only billing for their own clients (004)', () => {
    const own = client({ id: 'c9', primary: 'bella' });
    expect(can('bella', 'client.view_billing', own)).toBe(true);
    expect(can('bella', 'client.submit_claim', own)).toBe(false);
    expect(can('bella', 'client.view_billing')).toBe(false);
  });

  it('lets only the owner, managers and schedulers remove clients (004 "add, edit, and remove clients")', () => {
    expect(['olivia', 'mia', 'sky', 'ana', 'eve', 'bill', 'cora', 'pat'].filter((m) => can(m, 'client.delete'))).toEqual(['olivia', 'mia', 'sky']);
  });

  it('lets the owner, the primary clinician, entire-practice clinicians, managers and schedulers restrict (001), nobody else', () => {
    expect(Object.keys(TEAM).filter((m) => can(m, 'client.restrict'))).toEqual(['olivia', 'mia', 'sky', 'ana', 'eve']);
  });

  it('lets administrative staff message clients, but not supervisors or the practice administrator', () => {
    expect(Object.keys(TEAM).filter((m) => can(m, 'client.message'))).toEqual(['olivia', 'mia', 'bill', 'sky', 'ana', 'frank', 'eve', 'cora']);
  });

  it('lets the practice administrator manage the team but see no client (004)', () => {
    expect(canInPractice(ctx, 'pat', 'team.manage').allowed).toBe(true);
    expect(can('pat', 'client.view_contact')).toBe(false);
    expect(can('pat', 'client.view_profile')).toBe(false);
  });

  it('lets a practice administrator reset passwords, except the account owner\'s (004, 003)', () => {
    expect(canResetPassword(ctx, 'pat', 'ana').allowed).toBe(true);
    expect(canResetPassword(ctx, 'pat', 'olivia')).toMatchObject({ allowed: false, code: 'account_owner' });
    expect(canResetPassword(ctx, 'olivia', 'olivia').allowed).toBe(true);
    expect(canResetPassword(ctx, 'mia', 'ana')).toMatchObject({ allowed: false, code: 'forbidden' });
  });

  it('hides a restricted client from the all-staff directory for those without access', () => {
    const open = practice(TEAM, { directory: 'all_staff' });
    const restricted = client({ id: 'c2', primary: 'ana', restricted: true });
    expect(canOnClient(open, 'ben', 'client.view_contact', c1).allowed).toBe(true);
    expect(canOnClient(open, 'ben', 'client.view_contact', restricted).allowed).toBe(false);
    expect(canOnClient(open, 'bill', 'client.view_contact', restricted).allowed).toBe(true);
    // ...without saying that it is restricted.
    expect(JSON.stringify(canOnClient(open, 'ben', 'client.view_contact', restricted))).not.toMatch(/restricted/i);
  });

  it('explains an allowed decision by its access path', () => {
    const d = canOnClient(ctx, 'eve', 'client.view_chart', c1);
    expect(d.allowed && d.reasons[0]?.code).toBe('role:clinician_entire_practice');
  });

  it('manages administrative access per client only while restricted, and only as the owner (000)', () => {
    expect(canOnClient(ctx, 'olivia', 'client.manage_administrative_access', c1)).toMatchObject({ allowed: false, code: 'not_restricted' });
    const r = client({ id: 'c2', primary: 'ana', restricted: true });
    expect(canOnClient(ctx, 'olivia', 'client.manage_administrative_access', r).allowed).toBe(true);
    expect(canOnClient(ctx, 'mia', 'client.manage_administrative_access', r)).toMatchObject({ allowed: false, code: 'only_account_owner' });
  });
});

describe('the Privacy tab panel', () => {
  it('shows for the owner: checked, fixed, reason account_owner', () => {
    const r = client({ id: 'c2', primary: 'ana', restricted: true });
    const row = panelRow(ctx, 'mia', r, 'olivia');
    expect(row.clinical).toMatchObject({ checked: true, enabled: false, reason: 'account_owner' });
    expect(row.administrative).toMatchObject({ checked: true, enabled: false, reason: 'account_owner' });
  });

  it('prefers what can never change over what the viewer may not do (primary_clinician before only_account_owner)', () => {
    const r = client({ id: 'c2', primary: 'frank', restricted: true });
    expect(panelRow(ctx, 'mia', r, 'frank').administrative.reason).toBe('primary_clinician');
  });

  it('shows a time-limited grant with its end', () => {
    const r = client({ id: 'c2', primary: 'ana', grants: [['ben', { expiresAt: ctx.now + 1000 }]] });
    expect(panelRow(ctx, 'ana', r, 'ben').clinical).toMatchObject({ checked: true, enabled: true, expiresAt: ctx.now + 1000 });
  });

  it('offers as primary clinician only clinicians, and on a restricted client only those with administrative access', () => {
    const r = client({ id: 'c2', primary: 'ana', restricted: true, administrativeRevoked: ['frank'] });
    const tab = privacyTab(ctx, 'olivia', r);
    const opt = (m: string) => tab.primaryOptions.find((o) => o.member === m);
    expect(opt('bill')).toBeUndefined();
    expect(opt('frank')).toMatchObject({ enabled: false, reason: 'administrative_access_required' });
    expect(opt('eve')).toMatchObject({ enabled: true });
    expect(opt('ana')).toMatchObject({ selected: true });
    expect(tab.rows).toHaveLength(Object.keys(TEAM).length);
  });
});

describe('reports (001)', () => {
  const r2 = client({ id: 'c2', primary: 'ana', restricted: true, administrativeRevoked: ['bill'] });
  const amounts = [{ client: c1, amount: 100 }, { client: r2, amount: 250 }];

  it('leaves restricted clients out of rows but not out of the income allocation total', () => {
    const b = buildReport(ctx, 'bill', 'billing_summary', amounts, { total: 350, clients: 2 });
    expect(b.ok && b.report).toMatchObject({ total: 100, omittedClients: 1, rows: [{ client: 'c1', amount: 100 }] });
    const i = buildReport(ctx, 'bill', 'income_allocation', amounts, { total: 350, clients: 2 });
    expect(i.ok && i.report.total).toBe(350);
    // Under row-level security the store passes only the visible amounts: still one left out.
    const rls = buildReport(ctx, 'bill', 'billing_summary', amounts.slice(0, 1), { total: 350, clients: 2 });
    expect(rls.ok && rls.report.omittedClients).toBe(1);
  });

  it('pages its rows by client id, the totals over every row', () => {
    const many = Array.from({ length: 5 }, (_, k) => ({ client: client({ id: `c${5 - k}`, primary: 'ana' }), amount: 0.1 }));
    const first = buildReport(ctx, 'bill', 'billing_summary', many, { total: 0.5, clients: 5 }, { limit: 2 });
    expect(first.ok && first.report).toMatchObject({ rows: [{ client: 'c1' }, { client: 'c2' }], rowCount: 5, total: 0.5, omittedClients: 0, next: 'c2' });
    const last = buildReport(ctx, 'bill', 'billing_summary', many, { total: 0.5, clients: 5 }, { limit: 2, after: 'c4' });
    expect(last.ok && last.report).toMatchObject({ rows: [{ client: 'c5' }], rowCount: 5, total: 0.5, next: null });
    // A cursor between ids, or past the end; limits outside 1..max are clamped.
    const between = buildReport(ctx, 'bill', 'billing_summary', many, { total: 0.5, clients: 5 }, { limit: 0, after: 'c2a' });
    expect(between.ok && between.report.rows.map((r) => r.client)).toEqual(['c3']);
    const past = buildReport(ctx, 'bill', 'billing_summary', many, { total: 0.5, clients: 5 }, { after: 'd' });
    expect(past.ok && past.report).toMatchObject({ rows: [], rowCount: 5, next: null });
    const all = buildReport(ctx, 'bill', 'billing_summary', many, { total: 0.5, clients: 5 }, { limit: REPORT_PAGE.maxLimit + 1 });
    expect(all.ok && all.report.rows).toHaveLength(5);
    expect(reportPage({ limit: Number.NaN })).toEqual({ limit: REPORT_PAGE.defaultLimit, after: null });
    expect(reportPage({ limit: 2.9, after: 'c1' })).toEqual({ limit: 2, after: 'c1' });
  });

  it('orders client ids by code point, as PostgreSQL\'s "C" collation does', () => {
    const ids = ['b', '\u{1F600}', 'a', '\uFF5E', 'ab', ''];
    expect([...ids].sort(compareClientIds)).toEqual(['', 'a', 'ab', 'b', '\uFF5E', '\u{1F600}']);
  });

  it('is refused to members without billing reports (004)', () => {
    expect(buildReport(ctx, 'bella', 'billing_summary', amounts, { total: 350, clients: 2 }).ok).toBe(false);
  });

  it('splits an insurance payment over its clients to the cent', () => {
    expect([...allocatePayment(100, ['a', 'b', 'c']).values()]).toEqual([33.34, 33.33, 33.33]);
  });
});
