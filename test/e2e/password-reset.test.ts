/**
 * A password reset by email in Chromium (issue 14, "Email"): the server sends its mail to a
 * real SMTP server started here; the owner resets a member's password on the Team page, the
 * member follows the emailed link, chooses a new password and lands signed in; the link then
 * says it was used, and the old password no longer signs in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.js';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness.js';

const available = haveChromium();
const title = available ? 'a password reset by email in Chromium' : `a password reset by email in Chromium (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;
const NEW_PASSWORD = 'bella chose this one';

describe.skipIf(!available).sequential(title, () => {
  let smtp: TestSmtpServer;
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildWeb();
    smtp = await startSmtpServer();
    server = await startServer({ CHARTGUARD_SMTP_URL: smtp.url, CHARTGUARD_MAIL_FROM: 'ChartGuard <chartguard@example.org>' });
    browser = await launchBrowser();
    browser.page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  it('emails the link, which sets a new password and signs the member in, once', async () => {
    const page = browser.page;
    await signIn(page, server.url, 'olivia', server.password);
    await page.goto(`${server.url}/team`);
    await page.locator('[data-member="bella"]').getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog').getByText('a link to choose a new one goes to bella@example.org', { exact: false }).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('A link to choose a new password was emailed to Bella Brooks.').waitFor();
    expect(await page.locator('.notice code.secret').count()).toBe(0);

    // The sender delivers it in the background (it polls the outbox every few seconds).
    await expect.poll(() => smtp.received.some((m) => m.envelopeTo.includes('bella@example.org')), { timeout: 30_000, interval: 250 }).toBe(true);
    const mail = smtp.received.find((m) => m.envelopeTo.includes('bella@example.org'))!;
    expect(mail.body).toContain('Olivia Owens');
    const link = new RegExp(`${server.url}/reset/[A-Za-z0-9_-]+`).exec(mail.body)?.[0];
    expect(link).toBeDefined();

    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
    await page.getByText('You sign in as bella.').waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('New password again').fill(`${NEW_PASSWORD}!`);
    await page.getByRole('button', { name: 'Set my password' }).click();
    await page.getByText('The two passwords are not the same.').waitFor();
    await page.getByLabel('New password again').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set my password' }).click();

    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/clients');
    await expect.poll(() => page.locator('.who-name').textContent()).toBe('Signed in as Bella Brooks');

    await page.goto(link!);
    await page.getByRole('heading', { level: 1, name: 'This link was already used' }).waitFor();
    const old = await page.evaluate(async (password) => (await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bella', password }) })).status, server.password);
    expect(old).toBe(401);
    await signIn(page, server.url, 'bella', NEW_PASSWORD);
  });
});
