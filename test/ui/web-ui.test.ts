import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { refreshWorkflowId } from '../../common/workflow-ids';
import { runRefresh } from '../helpers/refresh';
import { startStack, type Stack } from '../helpers/stack';

// Debian's Chromium, driven by playwright-core (no browser download): .ci/run installs it.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshotPath = 'test-results/web-ui-filtered-by-account.png';

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  stack = await startStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // This machine's network is closed: without these Chromium keeps trying to reach Google's hosts.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

test('the Web UI filters refreshes by the account search attribute and shows the completed one', async () => {
  const account = await stack.simulator.createAccount({});
  const result = await runRefresh(stack.client, stack.taskQueue, account.id, 'balance');
  expect(result.outcome).toBe('succeeded');
  const other = await stack.simulator.createAccount({});
  await runRefresh(stack.client, stack.taskQueue, other.id, 'balance');

  const filter = `FcAccountId="${account.id}"`;
  // Visibility is eventually consistent: the page is opened once the server lists the completed refresh under the
  // filter, so what the page shows is the UI's doing, however slowly this machine renders it.
  await expect.poll(async () => (await stack.client.workflow.count(`${filter} AND ExecutionStatus = 'Completed'`)).count, { timeout: 30_000 }).toBe(1);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(45_000);
  await page.goto(`${inject('temporalUiUrl')}/namespaces/default/workflows?query=${encodeURIComponent(filter)}`);
  const workflowId = refreshWorkflowId('balance', account.id);
  await page.getByText(workflowId).first().waitFor();
  expect(await page.getByText(refreshWorkflowId('balance', other.id)).count()).toBe(0);
  expect(await page.getByText('Completed').count()).toBeGreaterThan(0);
  await mkdir('test-results', { recursive: true });
  await page.screenshot({ path: screenshotPath, fullPage: true });
});
