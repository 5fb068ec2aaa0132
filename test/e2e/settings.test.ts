/**
 * Practice settings and the notifications bell in Chromium: the account owner changes a
 * setting (a bad time zone is refused with the core's reason, the form keeps it), a practice
 * administrator's change leaves the owner an unread notification that the bell shows, with
 * who acted, and marking it read clears the count. A clinician sees no Settings area; once
 * two-step sign-in is required, a clinician without it sets it up before anything else.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness.js';

const available = haveChromium();
const title = available ? 'settings and notifications in Chromium' : `settings and notifications in Chromium (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;

/** Signs in over HTTP (outside the browser) and changes settings as that member. */
async function changeSettingsAs(url: string, username: string, password: string, changes: object): Promise<number> {
  const signIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = /cg_session=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  const r = await fetch(`${url}/api/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(changes) });
  return r.status;
}

describe.skipIf(!available).sequential(title, () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildWeb();
    server = await startServer();
    browser = await launchBrowser();
    browser.page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the owner changes a setting; a bad value is refused with its reason', async () => {
    const page = browser.page;
    await signIn(page, server.url, 'olivia', server.password);
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Practice settings' }).waitFor();
    const zone = page.getByLabel('Time zone');
    await zone.fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('is not a known time zone').waitFor();
    expect(await zone.inputValue()).toBe('Mars/Olympus_Mons');
    await zone.fill('America/Chicago');
    await page.getByLabel('Automatic sign-out after inactivity (minutes)').fill('30');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('The settings are saved.').waitFor();
    const me = await page.evaluate(async () => (await (await fetch('/api/me')).json()) as { timeZone: string });
    expect(me.timeZone).toBe('America/Chicago');
    const session = await page.evaluate(async () => (await (await fetch('/api/session')).json()) as { idleTimeoutSeconds: number });
    expect(session.idleTimeoutSeconds).toBe(30 * 60);
  });

  it("shows a practice administrator's change in the owner's bell, with who acted, until it is marked read", async () => {
    const page = browser.page;
    // Whatever the demo left unread goes first, so the count below is this change's alone.
    await page.evaluate(async () => {
      const csrf = ((await (await fetch('/api/session')).json()) as { csrfToken: string }).csrfToken;
      await fetch('/api/notifications/read-all', { method: 'POST', headers: { 'x-csrf-token': csrf } });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();

    expect(await changeSettingsAs(server.url, 'pat', server.password, { clientDirectory: 'all_staff' })).toBe(200);
    await page.reload();
    const bell = page.getByRole('button', { name: 'Notifications, 1 unread' });
    await bell.click();
    const list = page.getByRole('region', { name: 'Notifications' });
    const item = list.locator('.bell-unread');
    await item.getByText("The practice's settings were changed").waitFor();
    await item.getByText('By Pat Adler').waitFor();
    await item.getByRole('button', { name: 'Mark read' }).click();
    await page.getByRole('button', { name: 'Notifications, none unread' }).waitFor();
    expect(await list.locator('.bell-unread').count()).toBe(0);
    // Escape closes the list and puts focus back on the bell.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Notifications, none unread');
  });

  it('offers no Settings area to a clinician', async () => {
    const page = browser.page;
    await signIn(page, server.url, 'ana', server.password);
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Clients' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
  });

  it('once two-step sign-in is required, a clinician without it sets it up before anything else', async () => {
    const page = browser.page;
    expect(await changeSettingsAs(server.url, 'pat', server.password, { requireSecondFactor: true })).toBe(200);
    await signIn(page, server.url, 'ana', server.password);
    await page.getByText('Your practice requires two-step sign-in. Set up an authenticator app to continue.').waitFor();
    expect(await page.getByRole('navigation', { name: 'Areas' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByLabel('Your password').fill(server.password);
    await page.getByRole('button', { name: 'Turn on' }).click();
    // Enrolled: the app opens, areas and all.
    await page.getByRole('navigation', { name: 'Areas' }).getByRole('link', { name: 'Clients' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/clients')).status)).toBe(200);
  });
});
