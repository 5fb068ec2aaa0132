/**
 * The web app end to end: Chromium against the real server and the demo practice.
 * The steps build on each other (one practice, one browser), so they run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generate } from 'otplib';
import { REFUSAL_TEXT } from '../../src/core/decision.js';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness.js';

const available = haveChromium();
if (!available) console.warn(`browser tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);
const title = available ? 'web app in Chromium' : `web app in Chromium (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;

const CLIENT = 'Avery Lindqvist'; // primary clinician Ana (supervised by Sam); unrestricted in the demo
const OTHER = 'Blake Okafor'; // stays visible to everyone, so "loaded" is never confused with "hidden"

describe.skipIf(!available).sequential(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let noteUrl = '';
  /** Console lines about the Content-Security-Policy (a refused script, style, image or request), over every step. */
  const violations: string[] = [];

  const as = (username: string) => signIn(page, server.url, username, server.password);

  async function openClient(name: string, tab?: string) {
    await page.goto(`${server.url}/clients`);
    await page.getByRole('list', { name: 'Clients' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    if (tab) await page.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: tab }).click();
  }

  /** Waits until the page has no loading line left. */
  async function loaded(heading: string) {
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^Loading/ }).count()).toBe(0);
  }

  /** The client names the signed-in member finds in clients, calendar and billing. */
  async function areas(): Promise<{ clients: string[]; calendar: string[]; billing: string[] }> {
    await page.goto(`${server.url}/clients`);
    await loaded('Clients');
    const clients = await page.getByRole('list', { name: 'Clients' }).locator('.client-name').allTextContents();
    await page.goto(`${server.url}/calendar`);
    await loaded('Calendar');
    const calendar = await page.locator('.appointment-who strong').allTextContents();
    await page.goto(`${server.url}/billing`);
    await loaded('Billing');
    const billing = await page.getByRole('table', { name: 'Charges' }).locator('tbody td:nth-child(2)').allTextContents();
    return { clients, calendar, billing };
  }

  function section(name: 'Clinical' | 'Administrative') {
    return page.getByRole('region', { name });
  }

  beforeAll(async () => {
    await buildWeb();
    server = await startServer();
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => {
      if (/Content[- ]Security[- ]Policy/i.test(m.text())) violations.push(`${m.type()}: ${m.text()}`);
    });
    // The page reports each violation as an event too (also those the console would not show).
    await browser.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('before any restriction, the biller and the scheduler see the client', async () => {
    await as('bill');
    const bill = await areas();
    expect(bill.clients).toContain(CLIENT);
    expect(bill.billing).toContain(CLIENT);
    await as('sky');
    const sky = await areas();
    expect(sky.clients).toContain(CLIENT);
    expect(sky.calendar).toContain(CLIENT);
  });

  it('administrative access is explained, not editable, while restricted access is off', async () => {
    await as('olivia');
    await openClient(CLIENT, 'Privacy');
    const manage = section('Administrative').getByRole('button', { name: 'Manage' });
    await expect.poll(() => manage.isDisabled()).toBe(true);
    await expect.poll(() => section('Administrative').textContent()).toContain(REFUSAL_TEXT.not_restricted);
  });

  it('the owner restricts the client after a review step, and revokes the biller', async () => {
    await page.getByRole('button', { name: 'Turn on', exact: true }).click();
    const review = page.getByRole('dialog');
    await expect.poll(() => review.textContent()).toContain('calendar');
    await review.getByRole('button', { name: 'Turn on restricted access' }).click();
    await page.getByRole('button', { name: /Restricted access on/ }).waitFor();

    await section('Administrative').getByRole('button', { name: 'Manage' }).click();
    const dialog = page.getByRole('dialog', { name: `Administrative access for ${CLIENT}` });
    await dialog.getByRole('checkbox', { name: /Bill Baxter/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /Sky Santos/ }).uncheck();
    await dialog.getByRole('checkbox', { name: /Frank Fischer/ }).uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => section('Administrative').textContent()).not.toContain('Bill Baxter');
  });

  it('a checkbox that cannot change is disabled and says why', async () => {
    await section('Administrative').getByRole('button', { name: 'Manage' }).click();
    const admin = page.getByRole('dialog', { name: `Administrative access for ${CLIENT}` });
    const owner = admin.getByRole('checkbox', { name: /Olivia Owens/ });
    expect(await owner.isChecked()).toBe(true);
    expect(await owner.isDisabled()).toBe(true);
    const about = await owner.getAttribute('aria-describedby');
    expect(about).toBeTruthy();
    await expect.poll(() => admin.locator(`#${about}`).textContent()).toContain(REFUSAL_TEXT.account_owner);
    await admin.getByRole('button', { name: 'Cancel' }).click();

    // Frank lost administrative access, so clinical access can't be granted to him.
    await section('Clinical').getByRole('button', { name: 'Manage' }).click();
    const clinical = page.getByRole('dialog', { name: `Clinical access for ${CLIENT}` });
    const frank = clinical.getByRole('checkbox', { name: /Frank Fischer/ });
    expect(await frank.isDisabled()).toBe(true);
    await expect.poll(() => clinical.locator('#clinical-frank-about').textContent()).toContain(REFUSAL_TEXT.administrative_access_required);
    await clinical.getByRole('button', { name: 'Cancel' }).click();
  });

  it('the biller (and the scheduler) no longer find the restricted client in clients, calendar or billing', async () => {
    await as('bill');
    const bill = await areas();
    expect(bill.clients).toContain(OTHER);
    expect(bill.billing).toContain(OTHER);
    expect(bill.clients).not.toContain(CLIENT);
    expect(bill.calendar).not.toContain(CLIENT);
    expect(bill.billing).not.toContain(CLIENT);
    await as('sky');
    const sky = await areas();
    expect(sky.calendar).toContain(OTHER);
    expect(sky.clients).not.toContain(CLIENT);
    expect(sky.calendar).not.toContain(CLIENT);
  });

  it('granted administrative access back, the client reappears for the biller', async () => {
    await as('olivia');
    await openClient(CLIENT, 'Privacy');
    await section('Administrative').getByRole('button', { name: 'Manage' }).click();
    const dialog = page.getByRole('dialog', { name: `Administrative access for ${CLIENT}` });
    await dialog.getByRole('checkbox', { name: /Bill Baxter/ }).check();
    await dialog.getByRole('checkbox', { name: /Sky Santos/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => section('Administrative').textContent()).toContain('Bill Baxter');

    await as('bill');
    const bill = await areas();
    expect(bill.clients).toContain(CLIENT);
    expect(bill.billing).toContain(CLIENT);
    await as('sky');
    const sky = await areas();
    expect(sky.clients).toContain(CLIENT);
    expect(sky.calendar).toContain(CLIENT);
  });

  it('turning restricted access off needs the acknowledgement', async () => {
    await as('olivia');
    await openClient(CLIENT, 'Privacy');
    await page.getByRole('button', { name: /Restricted access on/ }).click();
    await page.getByRole('button', { name: /Turn off restricted access/ }).click();
    const dialog = page.getByRole('dialog');
    // "Turn off" waits for the acknowledgement; the server refuses without it all the same.
    expect(await dialog.getByRole('button', { name: 'Turn off', exact: true }).isDisabled()).toBe(true);
    const refused = await page.evaluate(async (id) => {
      const session = await (await fetch('/api/session')).json();
      const r = await fetch(`/api/clients/${id}/restriction`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({ on: false, acknowledge: false }),
      });
      return (await r.json()).code;
    }, new URL(page.url()).pathname.split('/')[2]);
    expect(refused).toBe('acknowledgement_required');

    // Still restricted, as the server says after a fresh load.
    await page.reload();
    await page.getByRole('button', { name: /Restricted access on/ }).click();
    await page.getByRole('button', { name: /Turn off restricted access/ }).click();
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: 'Turn off', exact: true }).click();
    await page.getByRole('button', { name: 'Turn on', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /Restricted access on/ }).count()).toBe(0);
  });

  it("a supervisor co-signs a supervisee's note", async () => {
    await as('ana');
    await openClient(CLIENT, 'Notes');
    await page.getByLabel('Kind').selectOption('clinical');
    await page.getByLabel('Note', { exact: true }).fill('Session 4: sleep improving; continue CBT-I.');
    await page.getByLabel('Sign now').check();
    await page.getByRole('button', { name: 'Save note' }).click();
    const link = page.getByRole('link', { name: 'Open the note' });
    await link.waitFor();
    noteUrl = new URL((await link.getAttribute('href'))!, server.url).pathname;

    await as('sam');
    // The signed note waits in my "To co-sign" panel (GET /api/notes?queue=cosign), linked.
    await page.goto(`${server.url}/tasks`);
    const queued = page.locator(`.panel:has(h2:text-is("To co-sign")) a[href="${noteUrl}"]`);
    await queued.waitFor();
    // Opening a note is one HTTP request: the note carries the viewer's decisions on it, no /api/check.
    const asked: string[] = [];
    const record = (r: { url(): string; method(): string }) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/api/notes/') || path === '/api/check') asked.push(`${r.method()} ${path}`);
    };
    page.on('request', record);
    await page.goto(`${server.url}${noteUrl}`);
    await page.getByRole('heading', { level: 1, name: 'Clinical note by Ana Alvarez' }).waitFor();
    await page.waitForLoadState('networkidle');
    page.off('request', record);
    expect(asked).toEqual([`GET /api${noteUrl}`]);
    expect(await page.getByText('Co-signed', { exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Co-sign' }).click();
    await page.getByText('Co-signed', { exact: true }).first().waitFor();
    await page.reload();
    await page.getByText('Co-signed by Sam Silva.').waitFor();
    // Co-signed, it leaves the panel.
    await page.goto(`${server.url}/tasks`);
    await page.getByRole('heading', { level: 2, name: 'To co-sign' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await queued.count()).toBe(0);
  });

  it('a scheduler cannot open a clinical note', async () => {
    await as('sky');
    await page.goto(`${server.url}${noteUrl}`);
    await page.getByRole('heading', { level: 1, name: 'Note unavailable' }).waitFor();
    expect(await page.getByText('Session 4: sleep improving').count()).toBe(0);

    // Nor is it listed, and writing one is refused with the reason in words.
    await openClient(CLIENT, 'Notes');
    await page.getByRole('heading', { level: 2, name: 'Notes' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByRole('link', { name: /Clinical note by/ }).count()).toBe(0);
    const option = page.getByLabel('Kind').locator('option[value="clinical"]');
    expect(await option.isDisabled()).toBe(true);
  });

  it("a client's notes and my tasks page through the API's next: Show more until the list is whole", async () => {
    await as('ana');
    // A task for herself, so she has more than one.
    await page.goto(`${server.url}/tasks`);
    await page.getByLabel('Title').fill('Call Avery back');
    await page.getByLabel('Client').selectOption({ label: CLIENT });
    await page.getByRole('button', { name: 'Create task' }).click();
    await page.getByText('Call Avery back').waitFor();
    for (const [tab, list, what] of [
      [`/clients`, '.note-list > li', 'notes'],
      ['/tasks', '.panel:has(h2:text-is("Tasks")) .rows > li', 'tasks'],
    ] as const) {
      const open = async () => {
        if (tab === '/clients') await openClient(CLIENT, 'Notes');
        else await page.goto(`${server.url}${tab}`);
        await page.getByRole('heading', { level: 2, name: what === 'notes' ? 'Notes' : 'Tasks' }).waitFor();
        await page.waitForLoadState('networkidle');
      };
      await open();
      const whole = await page.locator(list).allTextContents();
      expect(whole.length, what).toBeGreaterThan(1);
      // One item a page: the list asks the API page by page, following `next`.
      const asked: string[] = [];
      await page.route(/\/api\/(clients\/[^/]+\/notes|tasks)(\?|$)/, async (route) => {
        const url = new URL(route.request().url());
        if (route.request().method() === 'GET') {
          url.searchParams.set('limit', '1');
          asked.push(url.search);
        }
        await route.continue({ url: url.toString() });
      });
      await open();
      expect(await page.locator(list).count()).toBe(1);
      const more = page.getByRole('button', { name: 'Show more' });
      while ((await more.count()) > 0) {
        const shown = await page.locator(list).count();
        await more.click();
        await expect.poll(() => page.locator(list).count()).toBeGreaterThan(shown);
        await page.waitForLoadState('networkidle');
      }
      expect(await page.locator(list).allTextContents()).toEqual(whole);
      expect(asked.filter((q) => q.includes('after=')).length).toBe(whole.length - 1);
      await page.getByText(`Showing ${whole.length} ${what} (all).`).waitFor();
      await page.unroute(/\/api\/(clients\/[^/]+\/notes|tasks)(\?|$)/);
    }
  });

  it('a time-limited clinical grant shows when it ends', async () => {
    await as('olivia');
    await openClient(OTHER, 'Privacy');
    await section('Clinical').getByRole('button', { name: 'Manage' }).click();
    const dialog = page.getByRole('dialog', { name: `Clinical access for ${OTHER}` });
    await dialog.getByRole('checkbox', { name: /Frank Fischer/ }).check();
    await dialog.getByRole('spinbutton', { name: /Days of access for Frank Fischer/ }).fill('7');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const granted = page.getByRole('list', { name: 'Clinicians with access' }).getByRole('listitem').filter({ hasText: 'Frank Fischer' });
    const badge = await granted.locator('.badge').textContent();
    const day = (n: number) => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' }).format(new Date(Date.now() + n * 86_400_000));
    expect([`Until ${day(7)}`, `Until ${day(8)}`]).toContain(badge);
  });

  it('the Manage dialog works from the keyboard, and Escape leaves without saving', async () => {
    const manage = section('Clinical').getByRole('button', { name: 'Manage' });
    await manage.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Clinical access for ${OTHER}` });
    await dialog.waitFor();
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    const sam = dialog.getByRole('checkbox', { name: /Sam Silva/ });
    await sam.focus();
    await page.keyboard.press('Space');
    expect(await sam.isChecked()).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await manage.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await page.getByRole('list', { name: 'Clinicians with access' }).textContent()).not.toContain('Sam Silva');
  });

  it('a report shows its totals on every page, and pages from the keyboard', async () => {
    await as('olivia');
    await page.goto(`${server.url}/reports`);
    await loaded('Reports');
    const table = page.getByRole('table', { name: 'Billing summary' });
    const total = await table.locator('td.total').textContent();
    const pager = page.getByRole('navigation', { name: 'Report pages' });
    await page.getByLabel('Rows per page').selectOption('10');
    await pager.getByText(/^Rows 1–10 of \d+$/).waitFor();
    const count = Number(/of (\d+)/.exec((await pager.getByRole('status').textContent())!)![1]);
    expect(count).toBeGreaterThan(10);
    expect(await table.locator('tbody tr').count()).toBe(10);
    const next = pager.getByRole('button', { name: 'Next' });
    await next.focus();
    await page.keyboard.press('Enter');
    await pager.getByText(`Rows 11–${count} of ${count}`).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(count - 10);
    expect(await table.locator('td.total').textContent()).toBe(total);
    // The focus stayed on Next, now the last page's (disabled) Next; Previous is one Shift+Tab away.
    expect(await next.evaluate((b) => b === document.activeElement)).toBe(true);
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await pager.getByText(`Rows 1–10 of ${count}`).waitFor();
  });

  it('two-step sign-in: set up in my account, then asked for at sign-in', async () => {
    await as('eve');
    await page.getByRole('link', { name: 'Eve Evans' }).click();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('Code from the app').fill(await generate({ secret }));
    await page.getByLabel('Your password').fill(server.password);
    await page.getByRole('button', { name: 'Turn on', exact: true }).click();
    const usedStep = Math.floor(Date.now() / 30_000);
    await page.getByText('Two-step sign-in is on.').waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').fill('eve');
    await page.getByLabel('Password').fill(server.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByLabel('Six-digit code');
    await code.waitFor();
    await code.fill('000000' === (await generate({ secret })) ? '111111' : '000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    // Each code works once: the one that turned it on does not sign in; the app's next one does.
    while (Math.floor(Date.now() / 30_000) <= usedStep) await page.waitForTimeout(500);
    await code.fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('after a password reset, only the password change is offered until a new password is chosen', async () => {
    // Frank reaches restricted clients the practice administrator cannot: only the owner resets his password.
    await as('pat');
    await page.goto(`${server.url}/team`);
    const frank = page.locator('[data-member="frank"]');
    await frank.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
    await page.getByText('only the account owner resets their password', { exact: false }).waitFor();
    await as('olivia');
    await page.goto(`${server.url}/team`);
    await frank.getByRole('button', { name: 'Reset password' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Reset password' }).click();
    const temporary = (await page.locator('.notice code.secret').first().textContent())!.trim();
    expect(temporary).toMatch(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);

    await signIn(page, server.url, 'frank', temporary);
    await page.getByText('Your password was reset.', { exact: false }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Areas' }).count()).toBe(0);
    expect(await page.evaluate(async () => (await fetch('/api/clients')).status)).toBe(403);
    await page.getByLabel('Current password').fill(temporary);
    const fresh = page.locator('input[autocomplete="new-password"]');
    await fresh.nth(0).fill(server.password);
    await fresh.nth(1).fill(server.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('navigation', { name: 'Areas' }).waitFor();
    expect(await page.evaluate(async () => (await fetch('/api/clients')).status)).toBe(200);
  });

  it('the web app runs under its Content-Security-Policy: no violation in any step above', async () => {
    expect(violations, violations.join('\n')).toEqual([]);
    const res = await page.goto(`${server.url}/clients`);
    const csp = res!.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(violations, violations.join('\n')).toEqual([]);
    // The test has power: an inline script is refused, and the refusal is seen.
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.appendChild(s);
    });
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __inline?: number }).__inline)).toBeUndefined();
    expect(violations.every((v) => /script-src|inline/i.test(v)), violations.join('\n')).toBe(true);
  });
});
