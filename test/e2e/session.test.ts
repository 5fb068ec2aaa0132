/**
 * Automatic logoff in the browser: a warning before the server's idle timeout, activity
 * (the warning's button) keeps the session, and inactivity ends it on both sides.
 * The server runs with a 9-second idle timeout (CHARTGUARD_IDLE_MINUTES=0.15).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness.js';

const available = haveChromium();
const title = available ? 'automatic logoff in Chromium' : `automatic logoff in Chromium (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;

describe.skipIf(!available).sequential(title, () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildWeb();
    server = await startServer({ CHARTGUARD_IDLE_MINUTES: '0.15' });
    browser = await launchBrowser();
    browser.page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('warns before the idle timeout, and staying keeps the session', async () => {
    const page = browser.page;
    await signIn(page, server.url, 'mia', server.password);
    const warning = page.getByRole('dialog', { name: 'Are you still there?' });
    await warning.waitFor();
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await warning.waitFor({ state: 'detached' });
    const session = await page.evaluate(async () => (await fetch('/api/session')).status);
    expect(session).toBe(200);
  });

  it('signs out after the idle timeout, on the server too', async () => {
    const page = browser.page;
    await page.getByText('You were signed out after a period without activity', { exact: false }).waitFor();
    const session = await page.evaluate(async () => (await fetch('/api/session')).status);
    expect(session).toBe(401);
    await page.reload();
    await page.getByLabel('Username').waitFor();
  });
});
