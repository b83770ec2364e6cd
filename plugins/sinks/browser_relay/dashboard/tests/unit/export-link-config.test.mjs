// Unit tests of CSV escaping and export text, ticker link templates, config merging, socket URLs and storage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvEscape, toCsv, toJson } from '../../js/csv.js';
import { buildLink, isSafeHref } from '../../js/link.js';
import { mergeConfig, socketUrl, DEFAULT_CONFIG } from '../../js/config.js';
import { loadEvents, saveEvents, loadJson, saveJson } from '../../js/persist.js';
import { exportFileName } from '../../js/export.js';

test('csvEscape quotes commas, quotes and line breaks, and neutralises formulas', () => {
  assert.equal(csvEscape('SPY'), 'SPY');
  assert.equal(csvEscape(36466), '36466');
  assert.equal(csvEscape(-8), '-8');
  assert.equal(csvEscape('-8.5'), '-8.5');
  assert.equal(csvEscape(null), '');
  assert.equal(csvEscape(undefined), '');
  assert.equal(csvEscape(true), 'true');
  assert.equal(csvEscape('$15,001 - $50,000'), '"$15,001 - $50,000"');
  assert.equal(csvEscape('say "hi"'), '"say ""hi"""');
  assert.equal(csvEscape('two\nlines'), '"two\nlines"');
  assert.equal(csvEscape(' padded'), '" padded"');
  assert.equal(csvEscape('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvEscape('@SUM(A1)'), "'@SUM(A1)");
});

test('toCsv and toJson write every column of every row', () => {
  const columns = [
    { key: 'symbol', label: 'Ticker', exportValue: (r) => r.symbol },
    { key: 'amounts', label: 'Amount, range', exportValue: (r) => r.amounts },
  ];
  const rows = [{ symbol: 'SPY', amounts: '$1,001 - $15,000', event: { channel: 'c', data: { a: 1 } } }];
  assert.equal(toCsv(columns, rows), 'Ticker,"Amount, range"\r\nSPY,"$1,001 - $15,000"\r\n');
  const parsed = JSON.parse(toJson(columns, rows));
  assert.deepEqual(parsed, [{ symbol: 'SPY', amounts: '$1,001 - $15,000', event: { channel: 'c', data: { a: 1 } } }]);
  assert.equal(exportFileName('flow', 'csv', new Date(Date.UTC(2024, 8, 18, 14, 36, 52, 748))), 'flowmind-flow-2024-09-18T143652Z.csv');
});

test('buildLink fills the template URL-encoded', () => {
  const t = DEFAULT_CONFIG.tickerLink;
  assert.equal(buildLink(t, { symbol: 'DIA', strike: 415, expiry: '2024-10-18', kind: 'call' }), '/builder?symbol=DIA&strike=415&expiry=2024-10-18&type=call');
  assert.equal(buildLink(t, { symbol: 'BRK.B', strike: '', expiry: null }), '/builder?symbol=BRK.B&strike=&expiry=&type=');
  assert.equal(buildLink('/q?s={symbol}', { symbol: 'A&B=C D/E' }), '/q?s=A%26B%3DC%20D%2FE');
  assert.equal(buildLink('https://example.com/{symbol}', { symbol: '../x?y#z' }), 'https://example.com/..%2Fx%3Fy%23z');
  assert.equal(buildLink('/x/{unknown}', { symbol: 'A' }), '/x/');
  assert.equal(buildLink('', { symbol: 'A' }), null);
  assert.equal(buildLink('javascript:alert({symbol})', { symbol: 'A' }), null);
  assert.equal(buildLink('java\tscript:alert(1)', {}), null);
});

test('isSafeHref allows relative and http(s) links only', () => {
  assert.equal(isSafeHref('/builder?s=A'), true);
  assert.equal(isSafeHref('builder.html?s=A'), true);
  assert.equal(isSafeHref('https://x.test/a'), true);
  assert.equal(isSafeHref('//x.test/a'), true);
  assert.equal(isSafeHref(' JavaScript:alert(1)'), false);
  assert.equal(isSafeHref('data:text/html,x'), false);
});

test('mergeConfig keeps defaults, takes valid overrides, ignores the wrong types and clamps sizes', () => {
  assert.deepEqual(mergeConfig(null), { ...DEFAULT_CONFIG, endpoints: { ...DEFAULT_CONFIG.endpoints }, backoff: { ...DEFAULT_CONFIG.backoff } });
  const c = mergeConfig({ maxRows: 1e9, persistRows: 20, tickerLink: '/t/{symbol}', alertThreshold: '5', endpoints: { flow: '/ws/flow', bogus: 1 }, backoff: { maxMs: 10 }, unknown: 1, flowWhaleValue: 250000 });
  assert.equal(c.maxRows, 20000);
  assert.equal(c.persistRows, 20);
  assert.equal(c.tickerLink, '/t/{symbol}');
  assert.equal(c.alertThreshold, 500000);
  assert.equal(c.endpoints.flow, '/ws/flow');
  assert.equal(c.endpoints.darkpool, '/api/stream/ws/dark-pool');
  assert.equal(c.backoff.maxMs, 1000, 'the ceiling is never below the first delay');
  assert.equal(c.flowWhaleValue, 250000);
  assert.equal('unknown' in c, false);
  assert.equal(mergeConfig({ persistRows: 900, maxRows: 100 }).persistRows, 100);
});

test('socketUrl follows the page: ws on http, wss on https, same host, relative paths, token', () => {
  assert.equal(socketUrl('/api/stream/ws/flow', { href: 'http://127.0.0.1:8000/#/flow' }), 'ws://127.0.0.1:8000/api/stream/ws/flow');
  assert.equal(socketUrl('/api/stream/ws/flow', { href: 'https://desk.example.com/' }), 'wss://desk.example.com/api/stream/ws/flow');
  assert.equal(socketUrl('api/ws/flow', { href: 'https://h.test/flowmind/index.html' }), 'wss://h.test/flowmind/api/ws/flow');
  assert.equal(socketUrl('/ws', { href: 'http://h.test/' }, 'a b&c'), 'ws://h.test/ws?access_token=a+b%26c');
});

function memoryStorage(limit = Infinity) {
  const map = new Map();
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => {
      if (v.length > limit) throw new Error('QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => map.delete(k),
    map,
  };
}

test('events persist per feed, bounded, and bad stored data is ignored', () => {
  const s = memoryStorage();
  const events = [1, 2, 3].map((i) => ({ channel: 'flow-alerts', timestamp: 't', data: { id: i } }));
  assert.equal(saveEvents(s, 'flow', events), true);
  assert.deepEqual(
    loadEvents(s, 'flow', 2).map((e) => e.data.id),
    [2, 3],
  );
  s.setItem('flowmind.dashboard.v1.events.darkpool', '{broken');
  assert.deepEqual(loadEvents(s, 'darkpool', 10), []);
  s.setItem('flowmind.dashboard.v1.events.congress', JSON.stringify([null, 5, { channel: 'x' }, { channel: 'c', data: {} }]));
  assert.equal(loadEvents(s, 'congress', 10).length, 1);
  assert.equal(saveJson(memoryStorage(5), 'settings', { muted: true }), false, 'a full storage is reported, not thrown');
  assert.deepEqual(loadJson(null, 'settings', { a: 1 }), { a: 1 });
});
