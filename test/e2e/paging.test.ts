/**
 * Lists the web app pages through in Chromium, against the real server and the demo
 * practice: the activity log under its filters, my notes, and a client's messages. Each list is read whole first
 * (one page of the API's default size), then again one item a page (the test rewrites
 * `limit` to 1), clicking Show more until it is whole: the same items, each page asked with
 * the previous page's `next` and the list's own query kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildWeb, CHROMIUM, haveChromium, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness.js';

const available = haveChromium();
const title = available ? 'paged lists in Chromium' : `paged lists in Chromium (skipped: ${CHROMIUM} is absent; apt-get install -y chromium)`;

/** Today or another day, as a date field takes it (YYYY-MM-DD, local time like the browser's). */
function day(offset = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * Opens a list one item a page and clicks Show more until it is whole; answers the items'
 * texts and the query strings of the pages asked (GET requests matching `api`).
 */
async function oneByOne(page: Page, api: RegExp, open: () => Promise<void>, items: () => ReturnType<Page['locator']>): Promise<{ texts: string[]; asked: URLSearchParams[] }> {
  const asked: URLSearchParams[] = [];
  await page.route(api, async (route) => {
    const url = new URL(route.request().url());
    if (route.request().method() === 'GET') {
      url.searchParams.set('limit', '1');
      asked.push(new URLSearchParams(url.search));
    }
    await route.continue({ url: url.toString() });
  });
  try {
    await open();
    expect(await items().count()).toBe(1);
    const more = page.getByRole('button', { name: 'Show more' });
    while ((await more.count()) > 0) {
      const shown = await items().count();
      await more.click();
      await expect.poll(() => items().count()).toBeGreaterThan(shown);
      await page.waitForLoadState('networkidle');
    }
    return { texts: await items().allTextContents(), asked };
  } finally {
    await page.unroute(api);
  }
}

describe.skipIf(!available).sequential(title, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const as = (username: string) => signIn(page, server.url, username, server.password);

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

  it('the activity log filtered by a member pages with Show more, keeping the filter', async () => {
    await as('ana'); // her sign-in is one more entry of hers
    await as('olivia');
    const rows = () => page.getByRole('table', { name: 'Activity log' }).locator('tbody tr');
    const who = () => page.getByRole('table', { name: 'Activity log' }).locator('tbody td:nth-child(2)').allTextContents();
    const settle = async () => {
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.getByRole('status').filter({ hasText: /^Loading/ }).count()).toBe(0);
    };
    const filterByAna = async () => {
      await page.goto(`${server.url}/activity`);
      await page.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
      await page.getByRole('combobox', { name: /^Member/ }).selectOption({ label: 'Ana Alvarez' });
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await settle();
    };

    await page.goto(`${server.url}/activity`);
    await settle();
    const everyone = await who();
    await filterByAna();
    const whole = await rows().allTextContents();
    expect(whole.length).toBeGreaterThan(1);
    expect(new Set(await who())).toEqual(new Set(['Ana Alvarez']));
    expect(everyone.some((name) => name !== 'Ana Alvarez')).toBe(true); // the filter left entries out

    const { texts, asked } = await oneByOne(page, /\/api\/activity-log(\?|$)/, filterByAna, rows);
    expect(texts).toEqual(whole);
    const filtered = asked.filter((q) => q.get('member') === 'ana');
    expect(filtered.filter((q) => q.has('after')).length, 'every Show more keeps the filter').toBe(whole.length - 1);
    expect(asked.filter((q) => q.has('after') && q.get('member') !== 'ana')).toEqual([]);
    await page.getByText(`Showing ${whole.length} entries (all).`).waitFor();

    // Dates: today's entries are all of them; up to yesterday, none. Clear filters shows everyone again.
    const dates = page.getByRole('form', { name: 'Filter the activity log' });
    await dates.getByLabel('From', { exact: true }).fill(day());
    await dates.getByLabel('To (included)', { exact: true }).fill(day());
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await settle();
    expect(await rows().allTextContents()).toEqual(whole);
    await dates.getByLabel('From', { exact: true }).fill('');
    await dates.getByLabel('To (included)', { exact: true }).fill(day(-1));
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No entries match these filters.').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await settle();
    expect((await who()).some((name) => name !== 'Ana Alvarez')).toBe(true);
  });

  it("a client's overview links to the activity log filtered by that client, and a reload keeps the filter", async () => {
    await page.goto(`${server.url}/clients`);
    await page.getByRole('list', { name: 'Clients' }).getByRole('link', { name: 'Avery Lindqvist' }).click();
    await page.getByRole('link', { name: 'The activity log about Avery Lindqvist' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity log' }).waitFor();
    const client = new URL(page.url()).searchParams.get('client');
    expect(client).toBeTruthy();
    for (const reload of [false, true]) {
      if (reload) await page.reload();
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.getByRole('combobox', { name: /^Client/ }).inputValue()).toBe(client);
      const about = await page.getByRole('table', { name: 'Activity log' }).locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-client')));
      expect(about.length).toBeGreaterThan(0);
      expect(new Set(about)).toEqual(new Set([client]));
    }
  });

  it('my notes page with Show more, each note linked', async () => {
    await as('ana');
    const panel = page.locator('.panel:has(h2:text-is("My notes"))');
    const items = () => panel.locator('.rows > li');
    const open = async () => {
      await page.goto(`${server.url}/tasks`);
      await page.getByRole('heading', { level: 2, name: 'My notes' }).waitFor();
      await page.waitForLoadState('networkidle');
    };
    await open();
    const whole = await items().allTextContents();
    expect(whole.length).toBeGreaterThan(1);

    const { texts, asked } = await oneByOne(page, /\/api\/notes\?/, open, items);
    expect(texts).toEqual(whole);
    expect(asked.every((q) => q.get('queue') === 'mine')).toBe(true);
    expect(asked.filter((q) => q.has('after')).length).toBe(whole.length - 1);
    await panel.getByText(`Showing ${whole.length} notes (all).`).waitFor();

    const links = await panel.locator('.rows > li a[href^="/notes/"]').all();
    expect(links.length).toBe(whole.length);
    await links[0]!.click();
    await page.getByRole('heading', { level: 1, name: /note by Ana Alvarez$/ }).waitFor();
  });

  it("a client's Messages tab pages with Show more, that client's messages only", async () => {
    await as('olivia');
    const client = 'Blake Okafor';
    for (const body of ['Your appointment moved to Tuesday.', 'Tuesday at 3 pm is confirmed.']) {
      await page.goto(`${server.url}/messages`);
      await page.getByLabel('Client').selectOption({ label: client });
      await page.getByLabel('Message').fill(body);
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText(body).waitFor();
    }
    await page.goto(`${server.url}/clients`);
    await page.getByRole('list', { name: 'Clients' }).getByRole('link', { name: client }).click();
    await page.getByRole('heading', { level: 1, name: client }).waitFor();
    await page.getByRole('navigation', { name: 'Client sections' }).getByRole('link', { name: 'Messages' }).click();
    const tab = new URL(page.url()).pathname;
    expect(tab).toMatch(/^\/clients\/[^/]+\/messages$/);
    const items = () => page.locator('.panel:has(h2:text-is("Messages")) .messages > li');
    const open = async () => {
      await page.goto(`${server.url}${tab}`);
      await page.getByRole('heading', { level: 2, name: 'Messages' }).waitFor();
      await page.waitForLoadState('networkidle');
    };
    await open();
    const whole = await items().allTextContents();
    expect(whole.length).toBeGreaterThan(1);
    expect(new Set(await items().evaluateAll((lis) => lis.map((li) => li.getAttribute('data-client'))))).toEqual(new Set([tab.split('/')[2]]));

    const { texts, asked } = await oneByOne(page, /\/api\/clients\/[^/]+\/messages(\?|$)/, open, items);
    expect(texts).toEqual(whole);
    expect(asked.filter((q) => q.has('after')).length).toBe(whole.length - 1);
    await page.getByText(`Showing ${whole.length} messages (all).`).waitFor();
  });
});
