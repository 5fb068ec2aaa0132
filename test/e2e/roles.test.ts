/**
 * An app that fits the role, in Chromium against the real server and the demo practice:
 * each demo member's navigation shows exactly their areas (the core's appAreas, through
 * /api/me), and the fixes found by trying it as each of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness.js';
import { DEMO_AREAS, NAV_LABEL } from '../support/demo-areas.js';

const available = haveChromium();
const title = available ? 'an app that fits the role, in Chromium' : `an app that fits the role (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;

describe.skipIf(!available).sequential(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const as = (username: string) => signIn(page, server.url, username, server.password);
  const focused = (l: Locator) => l.evaluate((el) => el === document.activeElement);

  async function openClient(name: string, tab?: string) {
    await page.goto(`${server.url}/clients`);
    await page.getByRole('list', { name: 'Clients' }).getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    if (tab) await page.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: tab }).click();
  }

  beforeAll(async () => {
    await buildWeb();
    server = await startServer();
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("each demo member's navigation shows exactly their areas", async () => {
    for (const [member, areas] of Object.entries(DEMO_AREAS)) {
      await as(member);
      const nav = page.getByRole('navigation', { name: 'Areas' });
      const expected = areas.flatMap((a) => (NAV_LABEL[a] ? [NAV_LABEL[a]] : []));
      expect(await nav.getByRole('link').allTextContents(), member).toEqual(expected);
    }
  });

  it('an area outside the role, opened by its address, says so; the start page is the first area of the role', async () => {
    await as('pat');
    await page.goto(`${server.url}/billing`);
    await page.getByText("This area is not part of your role. Billing is not part of this member's role.").waitFor();
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/activity`);
    await page.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
  });

  it('a task for someone who cannot see its client is refused, with the reason in words', async () => {
    await as('sky');
    await page.goto(`${server.url}/tasks`);
    await page.getByLabel('Title').fill('Call Avery about the intake forms');
    await page.getByLabel('Client').selectOption({ label: 'Avery Lindqvist' });
    // Bella is not Avery's clinician and has no grant: she cannot see Avery.
    await page.getByLabel('Assign to').selectOption({ label: 'Bella Brooks' });
    await page.getByRole('button', { name: 'Create task' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The task cannot be assigned to this team member: they cannot see this client.');
    await page.getByLabel('Assign to').selectOption({ label: 'Ana Alvarez' });
    await page.getByRole('button', { name: 'Create task' }).click();
    await page.getByText('Call Avery about the intake forms').waitFor();
  });

  it('deleting a note asks in an in-app dialog that names it and asks why, then confirms; Cancel gives the focus back', async () => {
    await as('ana');
    await openClient('Blake Okafor', 'Notes');
    await page.getByLabel('Kind').selectOption('clinical');
    await page.getByLabel('Note', { exact: true }).fill('Draft written in the wrong chart.');
    await page.getByRole('button', { name: 'Save note' }).click();
    await page.getByRole('link', { name: 'Open the note' }).click();
    await page.getByRole('heading', { level: 1, name: 'Clinical note by Ana Alvarez' }).waitFor();

    const remove = page.getByRole('button', { name: 'Delete…' });
    await remove.click();
    const dialog = page.getByRole('dialog', { name: 'Delete this note?' });
    await expect.poll(() => dialog.textContent()).toContain('Clinical note by Ana Alvarez about Blake Okafor');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(remove)).toBe(true);

    await remove.click();
    const confirm = dialog.getByRole('button', { name: 'Delete the note' });
    expect(await confirm.isDisabled()).toBe(true); // a reason first
    await dialog.getByLabel('Why is it deleted?').fill('Written in the wrong chart.');
    await confirm.click();
    await page.getByRole('heading', { level: 1, name: 'Note deleted' }).waitFor();
    await page.getByText('Deleted: Clinical note by Ana Alvarez about Blake Okafor', { exact: false }).waitFor();
    await page.getByText('“Written in the wrong chart.”', { exact: false }).waitFor();
    expect(await focused(page.getByRole('heading', { level: 1, name: 'Note deleted' }))).toBe(true);
  });

  it('the Manage dialog shows a newly chosen primary clinician before saving; Cancel gives the focus back', async () => {
    await as('olivia');
    await openClient('Devon Nakamura', 'Privacy');
    const manage = page.getByRole('region', { name: 'Clinical' }).getByRole('button', { name: 'Manage' });
    await manage.click();
    const dialog = page.getByRole('dialog', { name: 'Clinical access for Devon Nakamura' });
    const ana = dialog.getByRole('checkbox', { name: /Ana Alvarez/ });
    expect(await ana.isChecked()).toBe(false);
    await dialog.getByLabel('Primary clinician').selectOption({ label: 'Ana Alvarez' });
    expect(await ana.isChecked()).toBe(true);
    expect(await ana.isDisabled()).toBe(true);
    await expect.poll(() => dialog.locator('[data-member="ana"]').textContent()).toContain('The new primary clinician');
    await expect.poll(() => dialog.locator('[data-member="bella"]').textContent()).toContain('Primary clinician until you save.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(manage)).toBe(true);
  });

  it('sharing a client with all clinicians asks first, naming who gains access', async () => {
    const share = page.getByRole('button', { name: 'Share with all clinicians…' });
    await share.click();
    const dialog = page.getByRole('dialog', { name: 'Share Devon Nakamura with all clinicians?' });
    // Devon's clinician is Bella: Ana, Frank (full client list: limited capacity for others' clients) and Sam (Bella's supervisor, no chart) gain it.
    expect(await dialog.getByRole('list', { name: 'Who gains access' }).getByRole('listitem').allTextContents()).toEqual(['Ana Alvarez', 'Frank Fischer', 'Sam Silva']);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(share)).toBe(true);
    expect(await page.getByText('Not shared with all clinicians').count()).toBe(1);

    await share.click();
    await dialog.getByRole('button', { name: 'Share with all clinicians' }).click();
    await page.getByText('Shared with all clinicians: every clinician of the practice has clinical access.').waitFor();
  });

  it('restricting says nobody loses access until the owner revokes them; "Turn off" waits for the acknowledgement; the focus comes back', async () => {
    await openClient('Avery Lindqvist', 'Privacy');
    const turnOn = page.getByRole('button', { name: 'Turn on', exact: true });
    await turnOn.click();
    const on = page.getByRole('dialog', { name: 'Restrict access to Avery Lindqvist?' });
    await expect.poll(() => on.textContent()).toContain('Nobody loses access when you turn this on');
    await on.getByRole('button', { name: 'Turn on restricted access' }).click();
    const badge = page.getByRole('button', { name: /Restricted access on/ });
    await badge.waitFor();
    // The Turn on button is gone: the focus is on the bar's new button, not lost on the page.
    await expect.poll(() => focused(badge)).toBe(true);

    await badge.click();
    await page.getByRole('button', { name: /Turn off restricted access/ }).click();
    const off = page.getByRole('dialog', { name: 'Lift the restrictions on Avery Lindqvist?' });
    const turnOff = off.getByRole('button', { name: 'Turn off', exact: true });
    expect(await turnOff.isDisabled()).toBe(true);
    await off.getByRole('checkbox').check();
    expect(await turnOff.isDisabled()).toBe(false);
    await off.getByRole('checkbox').uncheck();
    expect(await turnOff.isDisabled()).toBe(true);
    await off.getByRole('button', { name: 'Keep restricted' }).click();
    await off.waitFor({ state: 'detached' });
    // Opened from a menu item that closed: the focus returns to the menu's button.
    await expect.poll(() => focused(badge)).toBe(true);
  });

  it('on a phone, the header says who is signed in and tables keep their key columns', async () => {
    const phone = await launchBrowser({ width: 375, height: 740 });
    try {
      const p = phone.page;
      p.setDefaultTimeout(30_000);
      await signIn(p, server.url, 'bill', server.password);
      const onScreen = async (l: Locator) => {
        const box = await l.boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= 375;
      };
      const who = p.getByRole('banner').getByRole('link', { name: 'Signed in as Bill Baxter' });
      expect(await who.isVisible()).toBe(true);
      expect(await onScreen(who.getByText('Bill Baxter', { exact: true }))).toBe(true);
      await p.goto(`${server.url}/billing`);
      const charges = p.getByRole('table', { name: 'Charges' });
      await charges.locator('tbody tr').first().waitFor();
      for (const key of ['Client', 'Amount']) expect(await onScreen(charges.getByRole('columnheader', { name: key })), key).toBe(true);
      expect(await charges.getByRole('columnheader', { name: 'Clinician' }).isVisible()).toBe(false);
      expect(await onScreen(charges.locator('tbody tr').first().locator('td.num'))).toBe(true);

      await p.goto(`${server.url}/activity`);
      const log = p.getByRole('table', { name: 'Activity log' });
      await log.locator('tbody tr').first().waitFor();
      for (const key of ['What', 'Client']) expect(await onScreen(log.getByRole('columnheader', { name: key })), key).toBe(true);
      // Who and when fold into the What cell's second line.
      expect(await log.getByRole('columnheader', { name: 'Who' }).isVisible()).toBe(false);
      expect(await log.locator('tbody tr').first().locator('.phone-only').isVisible()).toBe(true);
    } finally {
      await phone.close();
    }
  });
});
