// Unit tests of the row filters, the store (cap, dedupe, pause queue, stats) and alert decisions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowMatches, parseAmount, sortMovers, defaultFilter } from '../../js/filters.js';
import { FeedStore, averagePremium } from '../../js/store.js';
import { alertFor } from '../../js/audio.js';

const flow = (key, sentiment, premium, symbol = 'SPY') => ({ key, feed: 'flow', sentiment, premium, symbol, side: 'buy', event: { channel: 'flow-alerts', data: { id: key } } });

test('flow filter: bullish hides bearish, bearish hides bullish', () => {
  const bull = flow('a', 'bullish', 1000);
  const bear = flow('b', 'bearish', 1000);
  assert.equal(rowMatches(bull, 'flow', { mode: 'bullish' }), true);
  assert.equal(rowMatches(bear, 'flow', { mode: 'bullish' }), false);
  assert.equal(rowMatches(bear, 'flow', { mode: 'bearish' }), true);
  assert.equal(rowMatches(bull, 'flow', { mode: 'bearish' }), false);
  assert.equal(rowMatches(bear, 'flow', defaultFilter()), true);
});

test('symbol search matches symbol prefixes, several terms, member names on congress', () => {
  const r = flow('a', 'bullish', 1000, 'NVDA');
  assert.equal(rowMatches(r, 'flow', { search: 'nv' }), true);
  assert.equal(rowMatches(r, 'flow', { search: 'VDA' }), false);
  assert.equal(rowMatches(r, 'flow', { search: 'spy, nvda' }), true);
  const c = { feed: 'congress', symbol: 'MSFT', name: 'Nancy Pelosi', side: 'buy' };
  assert.equal(rowMatches(c, 'congress', { search: 'pelosi' }), true);
  assert.equal(rowMatches(c, 'flow', { search: 'pelosi' }), false);
});

test('minimum premium/value per feed; a row without the value is hidden by a minimum', () => {
  assert.equal(rowMatches(flow('a', 'bullish', 499999), 'flow', { min: 500000 }), false);
  assert.equal(rowMatches(flow('a', 'bullish', 500000), 'flow', { min: 500000 }), true);
  assert.equal(rowMatches(flow('a', 'bullish', null), 'flow', { min: 1 }), false);
  assert.equal(rowMatches({ value: 2e6, whale: true }, 'darkpool', { min: 1e6, mode: 'whales' }), true);
  assert.equal(rowMatches({ value: 2e6, whale: false }, 'darkpool', { mode: 'whales' }), false);
  assert.equal(rowMatches({ amountLow: 15001, side: 'sell' }, 'congress', { min: 15000, mode: 'sells' }), true);
  assert.equal(rowMatches({ amountLow: 15001, side: 'sell' }, 'congress', { mode: 'buys' }), false);
  assert.equal(rowMatches({ change: -1 }, 'movers', { mode: 'losers' }), true);
  assert.equal(rowMatches({ change: -1 }, 'movers', { mode: 'gainers' }), false);
});

test('parseAmount reads what people type', () => {
  assert.equal(parseAmount('500000'), 500000);
  assert.equal(parseAmount('500k'), 500000);
  assert.equal(parseAmount('$1.5M'), 1500000);
  assert.equal(parseAmount('$2,000,000'), 2000000);
  assert.equal(parseAmount(''), 0);
  assert.equal(parseAmount('lots'), 0);
  assert.equal(parseAmount('-5'), 0);
});

test('sortMovers orders gainers first, losers view biggest fall first', () => {
  const rows = [
    { symbol: 'A', changePct: 1 },
    { symbol: 'B', changePct: -3 },
    { symbol: 'C', changePct: 5 },
  ];
  assert.deepEqual(
    sortMovers(rows, 'all').map((r) => r.symbol),
    ['C', 'A', 'B'],
  );
  assert.deepEqual(
    sortMovers(rows, 'losers').map((r) => r.symbol),
    ['B', 'A', 'C'],
  );
});

test('store caps rows, newest first, and reports evictions to the renderer', () => {
  const s = new FeedStore('flow', { maxRows: 3 });
  for (let i = 1; i <= 3; i += 1) s.add(flow(`k${i}`, 'bullish', i * 100));
  s.takeChanges();
  for (let i = 4; i <= 5; i += 1) s.add(flow(`k${i}`, 'bullish', i * 100));
  assert.deepEqual(
    s.rows.map((r) => r.key),
    ['k5', 'k4', 'k3'],
  );
  const c = s.takeChanges();
  assert.equal(c.reset, false);
  assert.deepEqual(
    c.added.map((r) => r.key),
    ['k4', 'k5'],
  );
  assert.deepEqual(
    c.removed.map((r) => r.key),
    ['k1', 'k2'],
  );
  assert.equal(s.stats.total, 5);
  assert.equal(averagePremium(s.stats), 300);
  // More new rows than the cap between two frames (a hidden tab): one full redraw instead of a backlog.
  for (let i = 6; i <= 10; i += 1) s.add(flow(`k${i}`, 'bullish', 1));
  const burst = s.takeChanges();
  assert.equal(burst.reset, true);
  assert.equal(burst.added.length, 0);
  assert.equal(s.rows.length, 3);
});

test('store drops duplicates (relay backlog, restored rows)', () => {
  const s = new FeedStore('flow', { maxRows: 10 });
  assert.equal(s.add(flow('x', 'bullish', 1)), true);
  assert.equal(s.add(flow('x', 'bullish', 1)), false);
  assert.equal(s.rows.length, 1);
  assert.equal(s.stats.total, 1);
});

test('pause queues, resume releases in arrival order; the queue is bounded', () => {
  const s = new FeedStore('flow', { maxRows: 3 });
  s.add(flow('a', 'bullish', 1));
  s.pause();
  s.add(flow('b', 'bearish', 1));
  s.add(flow('c', 'bullish', 1));
  assert.equal(s.rows.length, 1);
  assert.equal(s.queuedCount, 2);
  s.resume();
  assert.deepEqual(
    s.rows.map((r) => r.key),
    ['c', 'b', 'a'],
  );
  assert.equal(s.queuedCount, 0);
  s.pause();
  for (let i = 0; i < 10; i += 1) s.add(flow(`q${i}`, 'bullish', 1));
  assert.equal(s.queuedCount, 10);
  assert.equal(s.queue.length, 3);
  s.resume();
  assert.deepEqual(
    s.rows.map((r) => r.key),
    ['q9', 'q8', 'q7'],
  );
});

test('movers store keeps one row per symbol, updated in place and moved to the top', () => {
  const s = new FeedStore('movers', { maxRows: 10 });
  s.add({ key: 'movers:SPY', symbol: 'SPY', change: 1 });
  s.add({ key: 'movers:QQQ', symbol: 'QQQ', change: 2 });
  const spy = s.rows[1];
  s.add({ key: 'movers:SPY', symbol: 'SPY', change: -1 });
  assert.equal(s.rows.length, 2);
  assert.equal(s.rows[0], spy);
  assert.equal(spy.change, -1);
});

test('clear empties rows, queue and stats; recentEvents returns the newest, oldest first', () => {
  const s = new FeedStore('flow', { maxRows: 10 });
  for (const k of ['a', 'b', 'c']) s.add(flow(k, 'bullish', 1));
  assert.deepEqual(
    s.recentEvents(2).map((e) => e.data.id),
    ['b', 'c'],
  );
  s.clear();
  assert.equal(s.rows.length, 0);
  assert.equal(s.stats.total, 0);
});

test('alerts: flow at or above the threshold by sentiment, and whales', () => {
  assert.equal(alertFor({ feed: 'flow', premium: 500000, sentiment: 'bullish' }, 500000), 'bullish');
  assert.equal(alertFor({ feed: 'flow', premium: 499999, sentiment: 'bullish' }, 500000), null);
  assert.equal(alertFor({ feed: 'darkpool', value: 2e6, whale: true }, 500000), 'whale');
  assert.equal(alertFor({ feed: 'darkpool', value: 2e6, whale: false }, 500000), null);
  assert.equal(alertFor({ feed: 'flow', premium: 1e9, sentiment: 'bearish' }, 0), null);
});
