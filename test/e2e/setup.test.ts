/**
 * A real practice's first run in Chromium (issue 14): `chartguard start --no-demo` on an empty
 * database prints a setup link; the new owner follows it, names the practice, chooses a
 * username and password, is shown the recovery codes once and lands signed in. The link then
 * says it was used.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, type Browser, type RunningServer, startServer } from './harness.js';

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
    await expect.poll(() => page.locator('.who-name').textContent()).toBe('Jo Juniper');
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
});
