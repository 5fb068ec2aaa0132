/**
 * `npm run screenshots`: builds the web app, starts the real server with the demo practice
 * and saves screenshots of the main screens into docs/screenshots/.
 * CHARTGUARD_URL (and CHARTGUARD_PASSWORD) reuse a server that is already running.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO, buildWeb, haveChromium, launchBrowser, signIn, startServer, type RunningServer } from '../test/e2e/harness.js';

const OUT = join(REPO, 'docs/screenshots');

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !Array.from(document.querySelectorAll('[role=status]')).some((e) => e.textContent?.startsWith('Loading')));
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`docs/screenshots/${name}.png`);
}

async function openClient(page: Page, url: string, name: string, tab = ''): Promise<void> {
  await page.goto(`${url}/clients`);
  await page.getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  if (tab) {
    await page.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: tab }).click();
  }
}

async function main(): Promise<void> {
  if (!haveChromium()) {
    console.error('screenshots need /usr/bin/chromium (apt-get install -y chromium)');
    process.exitCode = 1;
    return;
  }
  mkdirSync(OUT, { recursive: true });
  let server: RunningServer | null = null;
  let url = process.env.CHARTGUARD_URL;
  let password = process.env.CHARTGUARD_PASSWORD ?? 'chartguard-demo';
  if (!url) {
    await buildWeb();
    server = await startServer();
    url = server.url;
    password = server.password;
  }
  const desk = await launchBrowser({ width: 1280, height: 860 });
  try {
    const page = desk.page;
    await page.goto(`${url}/clients`);
    await page.getByLabel('Username').waitFor();
    await shot(page, 'sign-in');
    await signIn(page, url, 'olivia', password);
    await page.getByRole('list', { name: 'Clients' }).waitFor();
    await shot(page, 'clients');

    // A restricted client's Privacy tab, with the Administrative dialog open.
    await openClient(page, url, 'Harper Novak', 'Privacy');
    const bar = page.locator('.restriction-bar');
    await bar.waitFor();
    if (await page.getByRole('button', { name: 'Turn on' }).isVisible()) {
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByRole('button', { name: 'Turn on restricted access' }).click();
      await page.getByRole('button', { name: /Restricted access on/ }).waitFor();
    }
    // Bill loses access to the restricted client, so his reports leave it out (below).
    await page.locator('section[aria-labelledby="admin-heading"]').getByRole('button', { name: 'Manage' }).click();
    const admin = page.getByRole('dialog');
    await admin.waitFor();
    await admin.getByRole('checkbox', { name: /Bill Baxter/ }).uncheck();
    await shot(page, 'privacy-manage-administrative');
    await admin.getByRole('button', { name: 'Save' }).click();
    await admin.waitFor({ state: 'detached' });
    await shot(page, 'privacy-tab', true);
    await page.locator('section[aria-labelledby="clinical-heading"]').getByRole('button', { name: 'Manage' }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'privacy-manage-clinical');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await openClient(page, url, 'Avery Lindqvist');
    await shot(page, 'client-overview');
    await page.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: 'Notes' }).click();
    await page.getByRole('heading', { level: 2, name: 'Write a note' }).waitFor();
    await shot(page, 'client-notes');
    await page.goto(`${url}/access`);
    await page.getByRole('heading', { level: 1, name: 'Access review' }).waitFor();
    await page.getByLabel('Client').selectOption({ label: 'Harper Novak' });
    await page.getByRole('heading', { level: 2, name: /Who can see Harper Novak/ }).waitFor();
    await shot(page, 'access-review');
    await page.goto(`${url}/activity`);
    await page.getByRole('table', { name: 'Activity log' }).waitFor();
    await shot(page, 'activity-log');

    await page.goto(`${url}/calendar`);
    await page.getByRole('heading', { level: 2, name: 'Appointments' }).waitFor();
    await shot(page, 'calendar');

    await signIn(page, url, 'pat', password);
    await page.goto(`${url}/team`);
    await page.getByRole('heading', { level: 2, name: 'Members' }).waitFor();
    await shot(page, 'team');

    // The biller's reports leave restricted clients out of the rows and say so.
    await signIn(page, url, 'bill', password);
    await page.goto(`${url}/reports`);
    await page.getByRole('heading', { level: 2, name: 'Billing summary' }).waitFor();
    await shot(page, 'reports-billing-summary');
    await page.getByRole('button', { name: 'Income allocation' }).click();
    await page.getByRole('heading', { level: 2, name: 'Income allocation' }).waitFor();
    await shot(page, 'reports-income-allocation');
  } finally {
    await desk.close();
  }

  const phone = await launchBrowser({ width: 390, height: 844 });
  try {
    await signIn(phone.page, url, 'olivia', password);
    await phone.page.getByRole('list', { name: 'Clients' }).waitFor();
    await shot(phone.page, 'phone-clients');
    await openClient(phone.page, url, 'Avery Lindqvist', 'Privacy');
    await phone.page.locator('.restriction-bar').waitFor();
    await shot(phone.page, 'phone-privacy', true);
  } finally {
    await phone.close();
    await server?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
