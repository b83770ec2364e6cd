// Shared set-up of the browser tests: Debian's Chromium through playwright-core, and page helpers.

import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
/** Generous: the machine is shared with C++ builds. Tests poll up to this, they never sleep fixed times to assert. */
export const TIMEOUT = 20000;

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (tests/run.sh does it)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-dev-shm-usage', '--autoplay-policy=no-user-gesture-required'] });
}

/** A fresh page (own storage) on the dashboard, once every feed is live. Page errors fail the test. */
export async function openDashboard(browser, server, { width = 1280, height = 720, hash = '', config = null } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  if (config) {
    // This page only: the served config.json with `config` merged over it.
    await context.route('**/config.json', async (route) => {
      const served = await (await route.fetch()).json();
      await route.fulfill({ json: { ...served, ...config } });
    });
  }
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  await page.goto(server.url + hash);
  await waitLive(page);
  return { context, page };
}

export async function waitLive(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
  await page.waitForFunction(() => document.querySelector('#active-count')?.textContent === '4 of 4 channels active', null, { timeout: TIMEOUT });
}

export const rows = (page, feed) => page.locator(`section[data-feed="${feed}"] tbody tr`);

/** The row of a feed whose ticker cell is `symbol` (tests use symbols of their own). */
export const rowOf = (page, feed, symbol) => page.locator(`section[data-feed="${feed}"] tbody tr`, { has: page.locator('td.col-symbol', { hasText: new RegExp(`^${symbol}$`) }) });

/** Cell texts of a row by column key. */
export async function cells(row) {
  return row.evaluate((tr) => Object.fromEntries([...tr.children].map((td) => [td.className.split(' ')[0].replace(/^col-/, ''), td.textContent.trim()])));
}
