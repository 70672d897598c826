/**
 * End to end in a real headless Chromium (Debian's, driven by playwright-core) against the local
 * stack `recon dev` runs: GCS emulator + GCS backend + dispatcher service, with the UI mounted.
 * Screenshots land in test-artifacts/ui/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  externalRequests,
  findChromium,
  launchChromium,
  openPage,
  screenshot,
} from './support/browser.ts';
import { eventually, startTestStack, type TestStack } from './support/stack.ts';

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.warn('SKIPPED ui e2e: chromium is not installed (apt-get install -y chromium)');
}

describe.skipIf(!chromiumPath)('the UI in Chromium against the local stack', () => {
  let stack: TestStack;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  let pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack(2);
    for (const key of ['fail/a', 'fail/b', 'fail/c']) await stack.enqueue(key);
    for (const key of ['ok/1', 'ok/2', 'ok/3']) await stack.enqueue(key);
    await eventually(
      async () => (await stack.queue.stats()).deadLettered === 3,
      15_000,
      'dead letters',
    );
    await eventually(() => stack.processed.length === 3, 10_000, 'ok keys');
    for (const key of ['hold/1', 'hold/2']) await stack.enqueue(key);
    await eventually(async () => (await stack.queue.stats()).inProgress === 2, 10_000, 'holds');
    for (const key of ['work/1', 'work/2', 'work/3']) await stack.enqueue(key);
    await stack.enqueue('later/1', { delayMs: 3_600_000 });
    await stack.enqueue('later/2', { delayMs: 90_000, priority: 5 });
    browser = await launchChromium(chromiumPath as string);
    const opened = await openPage(browser);
    page = opened.page;
    page.on('request', (r) => requests.push(r.url()));
    // Uncaught exceptions and console errors (a CSP violation would be one).
    pageErrors = opened.errors;
  }, 60_000);

  afterAll(async () => {
    stack?.release();
    await browser?.close();
    await stack?.close();
  }, 30_000);

  const card = (name: string) => page.getByRole('region', { name, exact: true }).locator('.count');
  const dialog = () => page.getByRole('dialog');

  it('the overview shows the counts the store holds', async () => {
    await page.goto(stack.ui.url);
    await expect
      .poll(() => page.getByRole('status', { name: 'Live updates' }).textContent())
      .toBe('Live');
    const stats = await stack.queue.stats();
    expect(stats).toMatchObject({ queued: 5, waiting: 2, inProgress: 2, deadLettered: 3 });
    const shown = async () => ({
      queued: Number(await card('Queued').textContent()),
      waiting: Number(await card('Waiting on notBefore').textContent()),
      inProgress: Number(await card('In progress').textContent()),
      deadLettered: Number(await card('Dead-lettered').textContent()),
    });
    await expect.poll(shown).toEqual({
      queued: stats.queued,
      waiting: stats.waiting,
      inProgress: stats.inProgress,
      deadLettered: stats.deadLettered,
    });
    await expect
      .poll(() => page.getByRole('region', { name: 'In progress', exact: true }).textContent())
      .toContain('2 of 2 slots busy (full)');
    // Waiting soonest first with a countdown; leases with their owner.
    const waiting = page.getByRole('region', { name: 'Waiting (soonest first)' });
    await expect
      .poll(() => waiting.locator('tbody tr').first().textContent())
      .toMatch(/later\/2in 1m \d+s5/);
    const leases = page.getByRole('region', { name: 'Leases held (in progress)' });
    await expect.poll(() => leases.textContent()).toContain('ui-test-dispatcher');
    // The chart plots rates from the dispatcher's counters once it has two samples.
    await expect
      .poll(() => page.locator('svg.chart polyline').count(), { timeout: 10_000 })
      .toBe(3);
    expect(await page.getByRole('img').getAttribute('aria-label')).toMatch(
      /^Rates over time: Added/,
    );
    await screenshot(page, 'overview');
  }, 30_000);

  it('a key page says why the key is not running', async () => {
    const why = () => page.getByRole('region', { name: 'Why isn’t it running?' }).textContent();
    await page.goto(`${stack.ui.url}#/key/${encodeURIComponent('work/1')}`);
    await expect.poll(why).toContain('all 2 dispatch slots are busy');
    await screenshot(page, 'key-concurrency-full');
    await page.goto(`${stack.ui.url}#/key/${encodeURIComponent('hold/1')}`);
    await expect.poll(why).toContain('a live lease held by ui-test-dispatcher until');
    await page.goto(`${stack.ui.url}#/key/${encodeURIComponent('later/1')}`);
    await expect.poll(why).toContain('Waiting on notBefore until');
    await screenshot(page, 'key-waiting');
    await page.goto(`${stack.ui.url}#/key/${encodeURIComponent('fail/a')}`);
    await expect.poll(why).toContain('Dead-lettered');
    await expect
      .poll(() => page.getByRole('region', { name: 'Dead-letter copy' }).textContent())
      .toContain('upstream answered 500 for fail/a');
  }, 30_000);

  it('bumps a priority and runs a waiting key now, after confirmation', async () => {
    await page.goto(`${stack.ui.url}#/key/${encodeURIComponent('later/1')}`);
    await page.getByLabel('New priority').fill('50');
    await page.getByRole('button', { name: 'Bump priority' }).click();
    await expect.poll(() => dialog().textContent()).toContain('higher priorities start first');
    await dialog().getByRole('button', { name: 'Bump priority' }).click();
    await eventually(
      async () => (await stack.queue.getKeyState('later/1'))?.priority === 50,
      5000,
      'bump',
    );

    await page.getByRole('button', { name: 'Run now' }).click();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    expect((await stack.queue.getKeyState('later/1'))?.notBefore).toBeGreaterThan(Date.now());
    await page.getByRole('button', { name: 'Run now' }).click();
    await dialog().getByRole('button', { name: 'Run now' }).click();
    await eventually(
      async () => ((await stack.queue.getKeyState('later/1'))?.notBefore ?? Infinity) <= Date.now(),
      5000,
      'run now',
    );
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'is due now' }).count())
      .toBe(1);
  }, 30_000);

  it('the enqueue form shows the server refusing a bad key, naming the field', async () => {
    const before = await stack.queue.stats();
    await page.goto(stack.ui.url);
    await page.getByLabel('Key', { exact: true }).fill('x'.repeat(1001));
    await page.getByRole('button', { name: 'Enqueue', exact: true }).click();
    await dialog().getByRole('button', { name: 'Enqueue' }).click();
    const error = page.locator('#enqueue-key-error');
    await expect
      .poll(() => error.textContent())
      .toBe('key: is 1001 UTF-8 bytes; the limit is 1000');
    expect(await page.getByLabel('Key', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'enqueue-rejected');
    expect((await stack.queue.stats()).queued).toBe(before.queued);

    await page.getByLabel('Key', { exact: true }).fill('from-the-ui');
    await page.getByLabel('Priority').fill('3');
    await page.getByRole('button', { name: 'Enqueue', exact: true }).click();
    await dialog().getByRole('button', { name: 'Enqueue' }).click();
    await eventually(
      async () => (await stack.queue.getKeyState('from-the-ui'))?.priority === 3,
      5000,
      'enqueue',
    );
  }, 30_000);

  it('a dead-lettered key re-enqueued from the UI is processed', async () => {
    stack.release(); // the held keys finish, the slots free up
    stack.heal('fail/a');
    await page.goto(`${stack.ui.url}#/keys?state=dead-letter`);
    const table = page.getByRole('tabpanel');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await page.getByLabel('Select fail/a').check();
    await screenshot(page, 'dead-letter-queue');
    await page.getByRole('button', { name: 'Re-enqueue selected (1)' }).click();
    await expect.poll(() => dialog().textContent()).toContain('attempts reset');
    await dialog().getByRole('button', { name: 'Re-enqueue' }).click();
    await eventually(() => stack.processed.includes('fail/a'), 15_000, 'fail/a processed');
    await eventually(
      async () => (await stack.queue.getKeyState('fail/a')) === undefined,
      5000,
      'fail/a gone',
    );
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);

    stack.heal('fail/b');
    stack.heal('fail/c');
    await page.getByRole('button', { name: 'Re-enqueue all' }).click();
    await dialog().getByRole('button', { name: 'Re-enqueue all' }).click();
    await eventually(
      () => stack.processed.includes('fail/b') && stack.processed.includes('fail/c'),
      15_000,
      'all processed',
    );
    await expect.poll(() => page.getByText('No keys in this state match.').count()).toBe(1);
    // Only later/2 is left, waiting on its notBefore; the page agrees with the store.
    await expect
      .poll(async () => stack.queue.stats(), { timeout: 15_000 })
      .toMatchObject({ queued: 1, waiting: 1, inProgress: 0, deadLettered: 0 });
    await page.goto(stack.ui.url);
    await expect.poll(() => card('Dead-lettered').textContent(), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => card('In progress').textContent(), { timeout: 10_000 }).toBe('0');
    await expect.poll(() => card('Queued').textContent()).toBe('1');
    await screenshot(page, 'overview-drained');
  }, 60_000);

  it('read-only mode shows no actions and the server refuses writes', async () => {
    const readOnly = await stack.startUi({ readOnly: true });
    await stack.enqueue('fail/ro');
    await eventually(
      async () => (await stack.queue.stats()).deadLettered === 1,
      15_000,
      'dead letter',
    );
    const { page: ro, errors: roErrors } = await openPage(browser);
    ro.on('request', (r) => requests.push(r.url()));
    await ro.goto(readOnly.url);
    await expect.poll(() => ro.getByRole('note').textContent()).toContain('Read-only mode');
    await expect
      .poll(() =>
        ro
          .getByRole('region', { name: 'Dead-lettered', exact: true })
          .locator('.count')
          .textContent(),
      )
      .toBe('1');
    expect(await ro.getByRole('button', { name: /Enqueue|Re-enqueue|Run now/ }).count()).toBe(0);
    await ro.goto(`${readOnly.url}#/keys?state=dead-letter`);
    await expect.poll(() => ro.getByRole('tabpanel').textContent()).toContain('fail/ro');
    expect(await ro.getByRole('checkbox').count()).toBe(0);
    expect(await ro.getByRole('button', { name: /Re-enqueue/ }).count()).toBe(0);
    await screenshot(ro, 'read-only');
    const status = await ro.evaluate(async () => {
      const res = await fetch('api/reenqueue', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-recon-ui': '1' },
        body: JSON.stringify({ all: true }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect((await stack.queue.stats()).deadLettered).toBe(1);
    expect(roErrors).toEqual([]);
  }, 30_000);

  it('the page made no request off this machine and threw no errors', () => {
    expect(requests.length).toBeGreaterThan(10);
    expect(externalRequests(requests)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
