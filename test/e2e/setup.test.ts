/**
 * A real practice's first run in Chromium (issue 14): `chartguard start --no-demo` on an empty
 * database prints a setup link; the new owner follows it, names the practice, chooses a
 * username and password, is shown the recovery codes once and lands signed in. The link then
 * says it was used. The owner then builds the team: invites a clinician, who accepts, signs in
 * and sees no client until one is assigned; deactivating her ends her open session at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, type Browser, type RunningServer, startServer } from './harness.js';
import type { Page } from 'playwright-core';

const available = haveChromium();
const title = available ? 'first run without the demo in Chromium' : `first run without the demo in Chromium (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;

describe.skipIf(!available).sequential(title, () => {
  let server: RunningServer;
  let browser: Browser;
  const violations: string[] = [];

  beforeAll(async () => {
    await buildWeb();
    server = await startServer({}, ['--no-demo']);
    browser = await launchBrowser();
    browser.page.setDefaultTimeout(20_000);
    browser.page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('prints a setup link and no demo sign-ins', () => {
    expect(server.setupLink).toMatch(new RegExp(`^${server.url}/setup/[A-Za-z0-9_-]{40,}$`));
    expect(server.password).toBe('');
  });

  it('sets up the practice from the link, shows the recovery codes once, and lands signed in', async () => {
    const page = browser.page;
    await page.goto(server.setupLink!);
    await page.getByRole('heading', { level: 1, name: 'Set up your practice' }).waitFor();
    await page.getByLabel('Practice name').fill('Juniper Counseling');
    await page.getByLabel('Your name').fill('Jo Juniper');
    await page.getByLabel('Your email').fill('jo@juniper.example');
    await page.getByLabel('Do you also see clients?').selectOption('clinician_basic');
    await page.getByLabel('Username').fill('jo.juniper');
    await page.getByLabel('Password', { exact: true }).fill('juniper counseling 2026');
    await page.getByLabel('Password again').fill('juniper counseling 2027');
    await page.getByRole('button', { name: 'Set up the practice' }).click();
    await page.getByText('The two passwords are not the same.').waitFor();
    await page.getByLabel('Password again').fill('juniper counseling 2026');
    await page.getByRole('button', { name: 'Set up the practice' }).click();

    await page.getByRole('heading', { level: 1, name: 'Juniper Counseling is ready' }).waitFor();
    const codes = page.getByTestId('recovery-codes').getByRole('listitem');
    expect(await codes.count()).toBe(10);
    const proceed = page.getByRole('button', { name: 'Continue to ChartGuard' });
    expect(await proceed.isDisabled()).toBe(true);
    await page.getByLabel('I have kept these codes somewhere safe').check();
    await proceed.click();

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/clients');
    await expect.poll(() => page.locator('.who-name').textContent()).toBe('Signed in as Jo Juniper');
    const session = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(session).toMatchObject({ member: 'jo', practiceName: 'Juniper Counseling', roles: ['account_owner', 'clinician_basic'] });
  });

  it('answers the used link with a clear page, and the owner signs in with the new password', async () => {
    const page = browser.page;
    await page.goto(server.setupLink!);
    await page.getByRole('heading', { level: 1, name: 'This link was already used' }).waitFor();
    await page.getByRole('link', { name: 'Go to sign-in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('jo.juniper');
    await page.getByLabel('Password').fill('juniper counseling 2026');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(violations).toEqual([]);
  });

  describe('the owner builds the team', () => {
    let invited: Browser;
    let link = '';

    afterAll(async () => {
      await invited?.close();
    });

    it('adds a clinician, whose invitation link is shown once', async () => {
      const page = browser.page;
      await page.getByRole('link', { name: 'Team' }).click();
      await page.getByRole('button', { name: 'Add a team member' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add a team member' });
      await dialog.getByLabel('Name').fill('Kim Kerr');
      await dialog.getByLabel('Email').fill('not an address');
      await dialog.getByLabel('Clinician, basic access').check();
      await dialog.getByRole('button', { name: 'Add and invite' }).click();
      // Refused: the dialog stays, with what was typed.
      await dialog.getByRole('alert').waitFor();
      expect(await dialog.getByLabel('Name').inputValue()).toBe('Kim Kerr');
      await dialog.getByLabel('Email').fill('kim@juniper.example');
      await dialog.getByRole('button', { name: 'Add and invite' }).click();
      await dialog.waitFor({ state: 'detached' });
      link = (await page.locator('[data-invitation-link]').textContent())!.trim();
      expect(link).toMatch(new RegExp(`^${server.url}/invite/[A-Za-z0-9_-]{40,}$`));
      await page.locator('[data-member]', { hasText: 'Kim Kerr' }).getByText('Invited').waitFor();
    });

    it('a refused role change keeps the dialog and its edits, with the core’s reasons', async () => {
      const page = browser.page;
      const row = page.locator('[data-member]', { hasText: 'Kim Kerr' });
      await row.getByRole('button', { name: 'Edit roles' }).click();
      const dialog = page.getByRole('dialog', { name: 'Roles of Kim Kerr' });
      await dialog.getByLabel('Clinician with billing for own clients').check();
      await dialog.getByRole('button', { name: 'Save roles' }).click();
      await dialog.getByRole('alert').getByText(/at most one clinician role/).waitFor();
      expect(await dialog.getByLabel('Clinician with billing for own clients').isChecked()).toBe(true);
      expect(await dialog.getByLabel('Clinician, basic access').isChecked()).toBe(true);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    });

    it('the clinician accepts, signs in, and sees no client until one is assigned to her', async () => {
      invited = await launchBrowser();
      const kim = invited.page;
      kim.setDefaultTimeout(20_000);
      await kim.goto(link);
      await kim.getByRole('heading', { level: 1, name: 'Join Juniper Counseling' }).waitFor();
      await kim.getByLabel('Username').fill('kim.kerr');
      await kim.getByLabel('Password', { exact: true }).fill('kim kerr chooses this');
      await kim.getByLabel('Password again').fill('kim kerr chooses this');
      await kim.getByRole('button', { name: 'Join the team' }).click();
      await kim.getByRole('button', { name: 'Sign out' }).waitFor();
      await kim.getByText('No clients to show.').waitFor();

      const kimId = String(((await kim.evaluate(async () => (await fetch('/api/session')).json())) as { member: string }).member);
      await api(browser.page, 'POST', '/api/clients', { name: 'Lee Lambert', primary: kimId });
      await api(browser.page, 'POST', '/api/clients', { name: 'Max Moreau' });
      await kim.reload();
      await kim.getByRole('link', { name: 'Lee Lambert' }).waitFor();
      expect(await kim.getByText('Max Moreau').count()).toBe(0);
    });

    it('deactivating her ends her open session at once', async () => {
      const page = browser.page;
      // A primary clinician is not deactivated: the owner takes her client over first.
      await api(page, 'PUT', `/api/clients/${await clientId(page, 'Lee Lambert')}/primary-clinician`, { member: 'jo' });
      await page.reload();
      const row = page.locator('[data-member]', { hasText: 'Kim Kerr' });
      await row.getByRole('button', { name: 'Deactivate' }).click();
      await page.getByRole('dialog', { name: 'Deactivate Kim Kerr?' }).getByRole('button', { name: 'Deactivate' }).click();
      await row.getByText('Deactivated').waitFor();
      const kim = invited.page;
      await kim.reload();
      await kim.getByLabel('Username').waitFor();
      expect(await kim.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    });
  });
});

/** A call of the API as the page's signed-in member (with the session's CSRF token). */
async function api(page: Page, method: string, url: string, body?: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ method, url, body }) => {
      const s = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const r = await fetch(url, { method, headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${await r.text()}`);
      return r.status === 204 ? null : r.json();
    },
    { method, url, body },
  );
}

async function clientId(page: Page, name: string): Promise<string> {
  const list = (await page.evaluate(async () => (await fetch('/api/clients')).json())) as { items: { id: string; name: string }[] };
  return list.items.find((c) => c.name === name)!.id;
}
