// Browser tests of the dashboard in headless Chromium against the real engine: uw-sim + `flowmind run`
// with browser_relay sinks (tests/engine-fixture.mjs).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../engine-fixture.mjs';
import { loadSamples, flowAlert, darkPrint, congressTrade, uid } from '../events.mjs';
import { readFileSync } from 'node:fs';
import { launch, openDashboard, waitLive, rows, rowOf, cells, ARTIFACTS, TIMEOUT } from './helpers.mjs';

const README_IMAGE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../../docs/images/dashboard.png');

const ENDPOINTS = JSON.parse(readFileSync(new URL('../../config.json', import.meta.url), 'utf8')).endpoints;

let browser;
let server;
let samples;

before(async () => {
  samples = await loadSamples();
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * A ticker no other row of this file has (Z + a counter in letters), so the rows of one test are told
 * apart from any other's. Random ones collided now and then (a test waiting for "the" row found two).
 */
let tickersMade = 0;
function ticker() {
  let n = tickersMade;
  tickersMade += 1;
  let letters = '';
  for (let i = 0; i < 4; i += 1) {
    letters = String.fromCharCode(65 + (n % 26)) + letters;
    n = Math.floor(n / 26);
  }
  return `Z${letters}`;
}

test('rows appear in all four feeds with correct formatting', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const flowSym = ticker();
    const darkSym = ticker();
    const congressSym = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: flowSym, occ: `${flowSym}241018C00415000`, premium: 1234567, side: 'buy', size: 2727 }));
    await server.emit('flow-alerts', flowAlert(samples, { ticker: `${flowSym}K`, occ: `${flowSym}K241115P00417500`, premium: 36466, side: 'buy' }));
    await server.emit('flow-alerts', flowAlert(samples, { ticker: `${flowSym}S`, occ: `${flowSym}S241115C00010000`, premium: 950, side: 'sell' }));
    await server.emit('off_lit_trades', darkPrint(samples, { ticker: darkSym }));
    await server.emit('congress-trades', congressTrade(samples, { ticker: congressSym }));
    await server.emit('price:SPY', { close: '562.82', time: Date.now(), vol: 6015555 });
    await server.emit('price:SPY', { close: '570.00', time: Date.now(), vol: '6100000' });

    const flow = rowOf(page, 'flow', flowSym);
    await flow.waitFor({ timeout: TIMEOUT });
    const f = await cells(flow);
    assert.match(f.time, /^\d\d:\d\d:\d\d$/);
    assert.equal(f.sentiment, 'BULL');
    assert.equal(f.strike, '415');
    assert.equal(f.expiry, '2024-10-18');
    assert.equal(f.kind, 'CALL');
    assert.equal(f.side, 'BUY');
    assert.equal(f.size, '2,727');
    assert.equal(f.premium, '$1.2M');
    const k = await cells(rowOf(page, 'flow', `${flowSym}K`));
    assert.equal(k.premium, '$36.5K');
    assert.equal(k.sentiment, 'BEAR'); // buying puts
    assert.equal(k.strike, '417.5');
    assert.equal(k.kind, 'PUT');
    const s = await cells(rowOf(page, 'flow', `${flowSym}S`));
    assert.equal(s.premium, '$950');
    assert.equal(s.side, 'SELL');
    assert.equal(s.sentiment, 'BEAR'); // selling calls

    const dark = rowOf(page, 'darkpool', darkSym);
    await dark.waitFor({ timeout: TIMEOUT });
    const d = await cells(dark);
    assert.match(d.time, /^\d\d:\d\d:\d\d$/);
    assert.equal(d.size, '6,400');
    assert.equal(d.price, '18.9904');
    assert.equal(d.value, '$122K');
    assert.equal(d.exchange, 'L');
    assert.equal(d.flags, '');

    const congress = rowOf(page, 'congress', congressSym);
    await congress.waitFor({ timeout: TIMEOUT });
    const c = await cells(congress);
    assert.match(c.name, /Stephen Cohen/);
    assert.equal(c.side, 'BUY');
    assert.equal(c.amounts, '$15,001 - $50,000');
    assert.equal(c.transactionDate, '2023-02-06');
    assert.equal(c.filedDate, '2023-02-13');
    assert.equal(c.late, '');
    // The party comes from the enrich filter's table (Stephen Cohen is D, house, TN).
    assert.equal(await congress.locator('.badge-dem').textContent(), 'D');

    const spy = rowOf(page, 'movers', 'SPY');
    await page.waitForFunction(() => [...document.querySelectorAll('section[data-feed="movers"] tbody tr')].some((tr) => tr.textContent.includes('570.00')), null, { timeout: TIMEOUT });
    assert.equal(await spy.count(), 1, 'one row per symbol, updated in place');
    const m = await cells(spy);
    assert.equal(m.price, '570.00');
    assert.equal(m.change, '+7.18');
    assert.equal(m.changePct, '▲ +1.28%');
    assert.equal(m.volume, '6.1M');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('events without annotations are derived from the raw UW payload', async () => {
  // The flow feed read from the fixture's pipeline without filters: no annotations at all.
  const { context, page } = await openDashboard(browser, server, { config: { endpoints: { ...ENDPOINTS, flow: '/api/stream/ws/flow-raw' } } });
  try {
    const sym = ticker();
    const raw = flowAlert(samples, { ticker: sym, occ: `${sym}250117P00100000`, premium: 0, side: 'sell' });
    Object.assign(raw, { total_premium: '', total_ask_side_prem: '', total_bid_side_prem: '', ask_vol: 1, bid_vol: 90, price: '2.5', total_size: '40' });
    const delivered = await server.emit('flow-alerts', raw);
    assert.match(await page.evaluate(() => window.flowmindDashboard.feeds.flow.conn.url), /\/api\/stream\/ws\/flow-raw$/);
    const row = rowOf(page, 'flow', sym);
    await row.waitFor({ timeout: TIMEOUT });
    const r = await cells(row);
    assert.equal(r.premium, '$10K'); // 2.5 x 40 x 100
    assert.equal(r.side, 'SELL'); // bid volume dominates
    assert.equal(r.sentiment, 'BULL'); // selling puts
    assert.equal(r.kind, 'PUT');
    assert.equal(r.strike, '100');
    assert.equal(r.expiry, '2025-01-17');
    assert.ok(delivered >= 1);
  } finally {
    await context.close();
  }
});

test('the bullish filter hides bearish rows', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const bull = ticker();
    const bear = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: bull, occ: `${bull}241018C00050000`, side: 'buy' }));
    await server.emit('flow-alerts', flowAlert(samples, { ticker: bear, occ: `${bear}241018P00050000`, side: 'buy' }));
    await rowOf(page, 'flow', bear).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'flow', bull).waitFor({ timeout: TIMEOUT });
    const panel = page.locator('section[data-feed="flow"]');
    await panel.getByRole('button', { name: 'Bullish' }).click();
    await rowOf(page, 'flow', bear).waitFor({ state: 'detached', timeout: TIMEOUT });
    assert.equal(await rowOf(page, 'flow', bull).count(), 1);
    assert.equal(await panel.locator('tbody tr[data-sentiment="bearish"]').count(), 0);
    // A bearish row arriving while the filter is on stays hidden; a bullish one shows.
    const bear2 = ticker();
    const bull2 = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: bear2, occ: `${bear2}241018C00050000`, side: 'sell' }));
    await server.emit('flow-alerts', flowAlert(samples, { ticker: bull2, occ: `${bull2}241018P00050000`, side: 'sell' }));
    await rowOf(page, 'flow', bull2).waitFor({ timeout: TIMEOUT });
    assert.equal(await rowOf(page, 'flow', bear2).count(), 0);
    await panel.getByRole('button', { name: 'All' }).click();
    await rowOf(page, 'flow', bear2).waitFor({ timeout: TIMEOUT });
    assert.equal(await panel.getByRole('button', { name: 'Bullish' }).getAttribute('aria-pressed'), 'false');
  } finally {
    await context.close();
  }
});

test('symbol search and minimum premium narrow the rows', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const small = ticker();
    const big = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: small, occ: `${small}241018C00050000`, premium: 20000 }));
    await server.emit('flow-alerts', flowAlert(samples, { ticker: big, occ: `${big}241018C00050000`, premium: 800000 }));
    await rowOf(page, 'flow', big).waitFor({ timeout: TIMEOUT });
    const panel = page.locator('section[data-feed="flow"]');
    await panel.getByLabel('Options flow: min premium').fill('500k');
    await panel.getByLabel('Options flow: min premium').press('Enter');
    await rowOf(page, 'flow', small).waitFor({ state: 'detached', timeout: TIMEOUT });
    assert.equal(await rowOf(page, 'flow', big).count(), 1);
    assert.equal(await panel.getByLabel('Options flow: min premium').inputValue(), '$500K');
    await panel.getByLabel('Options flow: min premium').fill('');
    await panel.getByLabel('Options flow: min premium').press('Enter');
    await panel.getByLabel('Options flow: symbol search').fill(small.toLowerCase());
    await rowOf(page, 'flow', big).waitFor({ state: 'detached', timeout: TIMEOUT });
    assert.equal(await rowOf(page, 'flow', small).count(), 1);
  } finally {
    await context.close();
  }
});

test('pause queues events with a count and resume releases them', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const panel = page.locator('section[data-feed="flow"]');
    const pause = panel.locator('button.pause');
    await pause.click();
    assert.equal(await pause.getAttribute('aria-pressed'), 'true');
    const syms = [ticker(), ticker(), ticker()];
    for (const s of syms) await server.emit('flow-alerts', flowAlert(samples, { ticker: s, occ: `${s}241018C00050000` }));
    await page.waitForFunction(() => document.querySelector('section[data-feed="flow"] button.pause').textContent === 'Resume (3 queued)', null, { timeout: TIMEOUT });
    for (const s of syms) assert.equal(await rowOf(page, 'flow', s).count(), 0, `${s} is held while paused`);
    await pause.click();
    for (const s of syms) await rowOf(page, 'flow', s).waitFor({ timeout: TIMEOUT });
    assert.equal(await pause.textContent(), 'Pause');
    // Released in arrival order: the last one is on top.
    const order = await panel.locator('tbody tr td.col-symbol').allTextContents();
    assert.deepEqual(
      order.filter((t) => syms.includes(t)),
      [...syms].reverse(),
    );
    await panel.getByRole('button', { name: 'Clear' }).click();
    await page.waitForFunction(() => document.querySelectorAll('section[data-feed="flow"] tbody tr').length === 0, null, { timeout: TIMEOUT });
  } finally {
    await context.close();
  }
});

test('sweep, whale and LATE badges', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const sweep = ticker();
    const whale = ticker();
    const member = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: sweep, occ: `${sweep}241018C00050000`, sweep: true }));
    await server.emit('off_lit_trades', darkPrint(samples, { ticker: whale, size: 100000, price: '25.5', premium: '2550000' }));
    await server.emit('congress-trades', congressTrade(samples, { ticker: member, name: 'Tommy Tuberville', txn_type: 'Sale (Full)', transaction_date: '2023-01-01', filed_at_date: '2023-03-01' }));
    const sweepRow = rowOf(page, 'flow', sweep);
    await sweepRow.waitFor({ timeout: TIMEOUT });
    assert.equal(await sweepRow.locator('.badge-sweep').textContent(), 'SWEEP');
    const whaleRow = rowOf(page, 'darkpool', whale);
    await whaleRow.waitFor({ timeout: TIMEOUT });
    assert.equal(await whaleRow.locator('.badge-whale').textContent(), 'WHALE');
    assert.equal((await cells(whaleRow)).value, '$2.6M');
    const lateRow = rowOf(page, 'congress', member);
    await lateRow.waitFor({ timeout: TIMEOUT });
    assert.equal(await lateRow.locator('.badge-late').textContent(), 'LATE +14d'); // 59 days, 14 past 45
    assert.equal(await lateRow.locator('.badge-rep').textContent(), 'R');
    assert.equal((await cells(lateRow)).side, 'SELL');
    // A plain alert, a small print and an on-time filing carry none.
    const plain = ticker();
    const small = ticker();
    const onTime = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: plain, occ: `${plain}241018C00050000`, sweep: false }));
    await server.emit('off_lit_trades', darkPrint(samples, { ticker: small, size: 100, price: '9.99', premium: '999' }));
    await server.emit('congress-trades', congressTrade(samples, { ticker: onTime, transaction_date: '2023-01-01', filed_at_date: '2023-02-15' }));
    await rowOf(page, 'flow', plain).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'darkpool', small).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'congress', onTime).waitFor({ timeout: TIMEOUT });
    assert.equal(await rowOf(page, 'flow', plain).locator('.badge-sweep').count(), 0);
    assert.equal(await rowOf(page, 'darkpool', small).locator('.badge-whale').count(), 0);
    assert.equal(await rowOf(page, 'congress', onTime).locator('.badge-late').count(), 0);
  } finally {
    await context.close();
  }
});

test('alerts sound for big flow, mute and threshold persist across a reload', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const count = async () => Number((await page.locator('#alert-count').textContent()).replace(/\D/g, ''));
    const before0 = await count();
    const big = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: big, occ: `${big}241018C00050000`, premium: 750000 }));
    await rowOf(page, 'flow', big).waitFor({ timeout: TIMEOUT });
    await page.waitForFunction((n) => Number(document.querySelector('#alert-count').textContent.replace(/\D/g, '')) > n, before0, { timeout: TIMEOUT });
    await page.locator('#threshold').fill('1M');
    await page.locator('#threshold').press('Enter');
    assert.equal(await page.locator('#threshold').inputValue(), '$1M');
    await page.locator('#mute').click();
    assert.equal(await page.locator('#mute').getAttribute('aria-pressed'), 'true');
    const muted = await count();
    const big2 = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: big2, occ: `${big2}241018C00050000`, premium: 5000000 }));
    await rowOf(page, 'flow', big2).waitFor({ timeout: TIMEOUT });
    assert.equal(await count(), muted, 'muted: no alert');
    await page.reload();
    await waitLive(page);
    assert.equal(await page.locator('#threshold').inputValue(), '$1M');
    assert.equal(await page.locator('#mute').getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('#mute').textContent(), 'Sound: off');
  } finally {
    await context.close();
  }
});

test('auto-scroll keeps the newest in view; hovering or turning it off holds the rows still', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const panel = page.locator('section[data-feed="flow"]');
    const wrap = panel.locator('.table-wrap');
    const emitSome = async (n) => {
      let last;
      for (let i = 0; i < n; i += 1) {
        last = ticker();
        await server.emit('flow-alerts', flowAlert(samples, { ticker: last, occ: `${last}241018C00050000` }));
      }
      await rowOf(page, 'flow', last).waitFor({ timeout: TIMEOUT });
      return last;
    };
    await emitSome(40);
    assert.equal(await wrap.evaluate((el) => el.scrollTop), 0);
    await wrap.hover();
    assert.ok(await panel.locator('.held').isVisible(), 'the held indicator shows');
    const topRow = await panel.locator('tbody tr').first().getAttribute('data-key');
    // Two batches, so two frames prepend while held.
    await emitSome(3);
    await emitSome(3);
    assert.ok((await wrap.evaluate((el) => el.scrollTop)) > 0, 'the rows under the mouse did not move away');
    // The row that was on top is still where the reader saw it.
    const box = await wrap.evaluate((el, key) => el.querySelector(`tr[data-key="${CSS.escape(key)}"]`).getBoundingClientRect().top - el.getBoundingClientRect().top, topRow);
    assert.ok(box >= 0 && box < 40, `held row at ${box}px from the top`);
    await page.mouse.move(1, 1);
    await emitSome(1);
    assert.equal(await wrap.evaluate((el) => el.scrollTop), 0, 'back to the newest once the mouse leaves');
    await panel.locator('button.autoscroll').click();
    assert.equal(await panel.locator('button.autoscroll').getAttribute('aria-pressed'), 'false');
    await emitSome(3);
    assert.ok((await wrap.evaluate((el) => el.scrollTop)) > 0, 'auto-scroll off holds too');
  } finally {
    await context.close();
  }
});

test('stopping and restarting the server shows reconnecting, then live again', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    await server.stop();
    await page.waitForFunction(() => document.querySelector('#overall').dataset.state === 'reconnecting', null, { timeout: TIMEOUT });
    // Waiting between attempts, a dropped live feed says reconnecting (not error), with its attempt count.
    await page.waitForFunction(() => /^Flow: reconnecting \(attempt \d+, retry/.test(document.querySelector('.chip[data-feed="flow"]').textContent), null, { timeout: TIMEOUT });
    assert.equal(await page.locator('#active-count').textContent(), '0 of 4 channels active');
    assert.match(await page.locator('section[data-feed="darkpool"] .state').textContent(), /reconnecting/);
    await server.start();
    // Backoff is at most a few seconds this early; unlimited attempts bring every feed back.
    await page.waitForFunction(() => document.querySelector('#overall').dataset.state === 'live', null, { timeout: 45000 });
    assert.equal(await page.locator('#active-count').textContent(), '4 of 4 channels active');
    assert.equal(await page.locator('.chip[data-feed="flow"]').textContent(), 'Flow: live');
    const after0 = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: after0, occ: `${after0}241018C00050000` }));
    await rowOf(page, 'flow', after0).waitFor({ timeout: TIMEOUT });
  } finally {
    await context.close();
  }
});

test('coming back online or to the tab retries at once instead of waiting out the backoff', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    await server.stop();
    // Every feed is between two attempts: no socket open, a retry timer running.
    await page.waitForFunction(() => Object.values(window.flowmindDashboard.feeds).every((f) => f.conn.socket === null && f.conn.timer !== null), null, { timeout: TIMEOUT });
    const opened = await page.evaluate(() => {
      const feeds = Object.values(window.flowmindDashboard.feeds);
      const before = feeds.map((f) => f.conn.socket);
      window.dispatchEvent(new Event('online'));
      return feeds.filter((f, i) => f.conn.socket !== null && f.conn.socket !== before[i]).length;
    });
    assert.equal(opened, 4, 'the online event opened a socket per feed right away');
    await page.waitForFunction(() => Object.values(window.flowmindDashboard.feeds).every((f) => f.conn.socket === null && f.conn.timer !== null), null, { timeout: TIMEOUT });
    const reopened = await page.evaluate(() => {
      const feeds = Object.values(window.flowmindDashboard.feeds);
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
      document.dispatchEvent(new Event('visibilitychange'));
      return feeds.filter((f) => f.conn.socket !== null).length;
    });
    assert.equal(reopened, 4, 'the tab becoming visible opened a socket per feed right away');
    await server.start();
    await page.waitForFunction(() => document.querySelector('#overall').dataset.state === 'live', null, { timeout: 45000 });
  } finally {
    await context.close();
  }
});

test('the master switch disconnects every feed and connects them again', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const master = page.getByRole('switch');
    await master.click();
    assert.equal(await master.getAttribute('aria-checked'), 'false');
    await page.waitForFunction(() => document.querySelector('#overall').dataset.state === 'offline', null, { timeout: TIMEOUT });
    assert.equal(await page.locator('.chip[data-feed="movers"]').textContent(), 'Movers: offline');
    await master.click();
    await waitLive(page);
  } finally {
    await context.close();
  }
});

test('the ticker link follows the template, URL-encoded', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const sym = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: sym, occ: `${sym}241018C00415000` }));
    const link = rowOf(page, 'flow', sym).locator('a.ticker');
    await link.waitFor({ timeout: TIMEOUT });
    assert.equal(await link.getAttribute('href'), `/builder?symbol=${sym}&strike=415&expiry=2024-10-18&type=call`);
    assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
    const [popup] = await Promise.all([page.waitForEvent('popup', { timeout: TIMEOUT }), link.click()]);
    assert.equal(new URL(popup.url()).pathname + new URL(popup.url()).search, `/builder?symbol=${sym}&strike=415&expiry=2024-10-18&type=call`);
    await popup.close();
  } finally {
    await context.close();
  }
});

test('a reload keeps the recent rows of every feed', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const flowSym = ticker();
    const darkSym = ticker();
    const congressSym = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: flowSym, occ: `${flowSym}241018C00050000` }));
    await server.emit('off_lit_trades', darkPrint(samples, { ticker: darkSym }));
    await server.emit('congress-trades', congressTrade(samples, { ticker: congressSym }));
    await server.emit('price:QQQ', { close: '478.35', time: Date.now(), vol: 1000 });
    await rowOf(page, 'flow', flowSym).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'darkpool', darkSym).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'congress', congressSym).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'movers', 'QQQ').waitFor({ timeout: TIMEOUT });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    // Present right away, before any new event: they come from localStorage.
    await rowOf(page, 'flow', flowSym).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'darkpool', darkSym).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'congress', congressSym).waitFor({ timeout: TIMEOUT });
    await rowOf(page, 'movers', 'QQQ').waitFor({ timeout: TIMEOUT });
    assert.equal(await rowOf(page, 'flow', flowSym).count(), 1, 'no duplicate after the reload');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('flowmind.dashboard.v1.events.flow')).length);
    assert.ok(stored >= 1);
  } finally {
    await context.close();
  }
});

test('visible rows export to CSV and JSON', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const sym = ticker();
    await server.emit('congress-trades', congressTrade(samples, { ticker: sym, notes: 'has, "quotes"' }));
    await rowOf(page, 'congress', sym).waitFor({ timeout: TIMEOUT });
    const panel = page.locator('section[data-feed="congress"]');
    await panel.getByLabel('Congress trades: symbol search').fill(sym);
    await page.waitForFunction(() => document.querySelectorAll('section[data-feed="congress"] tbody tr').length === 1, null, { timeout: TIMEOUT });
    const [csv] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'CSV' }).click()]);
    const csvText = await (await import('node:fs/promises')).readFile(await csv.path(), 'utf8');
    const lines = csvText.trim().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0], /^Member,Party,Chamber,State,Ticker,Side,Amount,Traded,Filed,Late,/);
    assert.ok(lines[1].includes(`${sym},Buy,"$15,001 - $50,000",2023-02-06,2023-02-13,false`), lines[1]);
    assert.ok(lines[1].includes('"has, ""quotes"""'));
    const [json] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'JSON' }).click()]);
    const data = JSON.parse(await (await import('node:fs/promises')).readFile(await json.path(), 'utf8'));
    assert.equal(data.length, 1);
    assert.equal(data[0].symbol, sym);
    assert.equal(data[0].event.data.ticker, sym);
    assert.match(json.suggestedFilename(), /^flowmind-congress-.*\.json$/);
  } finally {
    await context.close();
  }
});

test('every control is reachable with the keyboard and works with it', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const seen = new Set();
    for (let i = 0; i < 150; i += 1) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const a = document.activeElement;
        if (!a || a === document.body) return null;
        const panel = a.closest('section[data-feed]')?.dataset.feed || 'top';
        return `${panel}:${a.id || a.className || a.tagName}:${a.getAttribute('aria-label') || a.textContent.trim().slice(0, 20)}`;
      });
      if (id) seen.add(id);
    }
    const list = [...seen].join('\n');
    for (const needle of ['top:master', 'top:mute', 'top:threshold', 'top:whale-alerts', 'Live Stream', 'Options flow']) assert.ok(list.includes(needle), `${needle} reachable:\n${list}`);
    for (const feed of ['flow', 'darkpool', 'congress', 'movers']) {
      for (const cls of ['pause', 'clear', 'autoscroll', 'export-csv', 'export-json', 'search', 'min', 'seg seg-all', 'table-wrap']) assert.ok(list.includes(`${feed}:${cls}`), `${feed} ${cls} reachable:\n${list}`);
    }
    // Operated from the keyboard: focus the Bearish filter and press Space.
    await page.locator('section[data-feed="flow"] button[data-mode="bearish"]').focus();
    await page.keyboard.press('Space');
    assert.equal(await page.locator('section[data-feed="flow"] button[data-mode="bearish"]').getAttribute('aria-pressed'), 'true');
    await page.locator('#master').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#master').getAttribute('aria-checked'), 'false');
  } finally {
    await context.close();
  }
});

test('feed pages show every column; phone width has no horizontal overflow', async () => {
  const { context, page } = await openDashboard(browser, server, { width: 390, height: 844 });
  try {
    const sym = ticker();
    await server.emit('flow-alerts', flowAlert(samples, { ticker: sym, occ: `${sym}241018C00050000`, premium: 2500000, sweep: true }));
    await rowOf(page, 'flow', sym).waitFor({ timeout: TIMEOUT });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, `page wider than the phone by ${await overflow()}px`);
    assert.ok(await rowOf(page, 'flow', sym).isVisible());
    await page.getByRole('link', { name: 'Options flow', exact: true }).first().click();
    await page.waitForFunction(() => document.querySelector('#feeds').dataset.view === 'flow');
    assert.equal(await page.locator('section[data-feed="darkpool"]').isVisible(), false);
    assert.ok(await rowOf(page, 'flow', sym).locator('td.col-rule').isVisible(), 'extra columns on the feed page');
    assert.ok((await overflow()) <= 0);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${server.url}#/live`);
    await waitLive(page);
    assert.equal(await page.locator('section[data-feed="flow"] th.col-rule').isVisible(), false, 'compact in the grid');
    assert.ok((await overflow()) <= 0);
  } finally {
    await context.close();
  }
});

test('a burst of thousands of events stays within the row cap and the page keeps up', async () => {
  const { context, page } = await openDashboard(browser, server);
  try {
    const maxRows = await page.evaluate(() => window.flowmindDashboard.config.maxRows);
    const before0 = await page.evaluate(() => window.flowmindDashboard.feeds.flow.store.stats.total);
    const burst = 3000;
    const last = ticker();
    for (let i = 0; i < burst; i += 1) {
      const sym = i === burst - 1 ? last : 'BRST';
      await server.emit('flow-alerts', flowAlert(samples, { ticker: sym, occ: `${sym}241018C00050000`, premium: 1000 + i }));
    }
    await page.waitForFunction((n) => window.flowmindDashboard.feeds.flow.store.stats.total >= n, before0 + burst, { timeout: 60000 });
    await rowOf(page, 'flow', last).waitFor({ timeout: TIMEOUT });
    const counts = await page.evaluate(() => ({ dom: document.querySelectorAll('section[data-feed="flow"] tbody tr').length, store: window.flowmindDashboard.feeds.flow.store.rows.length }));
    assert.equal(counts.store, maxRows);
    assert.equal(counts.dom, maxRows);
    // The newest is on top.
    assert.equal(await page.locator('section[data-feed="flow"] tbody tr').first().locator('td.col-symbol').textContent(), last);
  } finally {
    await context.close();
  }
});

test('screenshot of the Live Stream page', async () => {
  // A server of its own, so the movers' reference prices are not those of the tests before.
  const server = await startServer();
  const { context, page } = await openDashboard(browser, server);
  try {
    const tickers = ['SPY', 'QQQ', 'NVDA', 'TSLA', 'AAPL', 'MSFT', 'AMD', 'META', 'AMZN', 'IWM', 'PLTR', 'DIA'];
    for (let i = 0; i < 24; i += 1) {
      const t = tickers[i % tickers.length];
      const call = i % 3 !== 1;
      const strike = String(100 + ((i * 37) % 400)).padStart(5, '0');
      await server.emit('flow-alerts', flowAlert(samples, { ticker: t, occ: `${t}2412${String(10 + (i % 18)).padStart(2, '0')}${call ? 'C' : 'P'}${strike}000`, premium: Math.round(12000 * 1.45 ** (i % 14)), side: i % 4 === 0 ? 'sell' : 'buy', sweep: i % 5 === 0, size: 20 + i * 13 }));
      await server.emit('off_lit_trades', darkPrint(samples, { ticker: t, size: 100 + ((i * 7919) % 9000), price: (15 + i * 6.31).toFixed(4), premium: ((100 + ((i * 7919) % 9000)) * (15 + i * 6.31)).toFixed(2), market_center: ['L', 'D', 'U', 'Q'][i % 4] }));
    }
    const members = ['Nancy Pelosi', 'Dan Crenshaw', 'Tommy Tuberville', 'Stephen Cohen'];
    for (let i = 0; i < 12; i += 1) {
      await server.emit('congress-trades', congressTrade(samples, { name: members[i % 4], ticker: tickers[(i * 5) % tickers.length], txn_type: i % 3 === 0 ? 'Sale (Full)' : 'Buy', transaction_date: `2024-0${1 + (i % 6)}-1${i % 9}`, filed_at_date: `2024-0${1 + (i % 6) + (i % 4 === 0 ? 2 : 1)}-0${1 + (i % 8)}`, amounts: ['$1,001 - $15,000', '$15,001 - $50,000', '$50,001 - $100,000', '$250,001 - $500,000'][i % 4] }));
    }
    const watch = ['SPY', 'QQQ', 'AAPL', 'NVDA', 'TSLA', 'MSFT'];
    for (const [i, s] of watch.entries()) {
      await server.emit(`price:${s}`, { close: String(100 + i * 50), time: Date.now(), vol: 1e6 * (i + 1) });
      await server.emit(`price:${s}`, { close: String((100 + i * 50) * (1 + (i - 2.5) / 100)), time: Date.now(), vol: 1.3e6 * (i + 1) });
    }
    await page.waitForFunction(() => document.querySelectorAll('section[data-feed="movers"] tbody tr').length >= 6, null, { timeout: TIMEOUT });
    await page.waitForFunction(() => document.querySelectorAll('section[data-feed="congress"] tbody tr').length >= 12, null, { timeout: TIMEOUT });
    await page.mouse.move(0, 0);
    mkdirSync(path.dirname(README_IMAGE), { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-stream.png') });
    await page.screenshot({ path: README_IMAGE });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'live-stream-phone.png'), fullPage: false });
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});
