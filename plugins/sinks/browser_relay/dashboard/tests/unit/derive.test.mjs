// Unit tests of OCC parsing, side and sentiment fallback, and the rows built from the UW sample payloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseOcc } from '../../js/occ.js';
import { rawSide, sentimentOf, deriveSentiment, flowRow, darkPoolRow, congressRow, moverRows, feedOfChannel } from '../../js/derive.js';

const FIXTURES = process.env.UW_FIXTURES || '/work/shared/fixtures/uw';
const read = (name) => JSON.parse(readFileSync(`${FIXTURES}/${name}`, 'utf8'));
const flowAlert = () => structuredClone(read('flow-alerts.json')[1]);
const darkPool = () => structuredClone(read('darkpool-recent.json').data[0]);
const congress = () => structuredClone(read('congress-recent-trades.json').data[0]);
const wire = (channel, data, annotations) => ({ channel, timestamp: '2024-09-18T14:36:52.748Z', data, ...(annotations ? { annotations } : {}) });

test('parseOcc reads root, expiry, call/put and strike', () => {
  assert.deepEqual(parseOcc('DIA241018C00415000'), { root: 'DIA', expiry: '2024-10-18', kind: 'call', strike: 415 });
  assert.deepEqual(parseOcc('SPXW241018P05712500'), { root: 'SPXW', expiry: '2024-10-18', kind: 'put', strike: 5712.5 });
  assert.deepEqual(parseOcc('spy 241018c00550000'), { root: 'SPY', expiry: '2024-10-18', kind: 'call', strike: 550 });
  assert.deepEqual(parseOcc('BRKB1250117C00400000')?.root, 'BRKB1');
  for (const bad of ['', 'DIA', 'DIA241318C00415000', 'DIA241000C00415000', 'DIA241018X00415000', 'DIA241018C0041500', '241018C00415000', null, 42]) assert.equal(parseOcc(bad), null, String(bad));
});

test('rawSide: tags, explicit side, then ask vs bid premium, then volume', () => {
  assert.equal(rawSide({ tags: ['bid_side'] }), 'sell');
  assert.equal(rawSide({ tags: ['ask_side', 'bullish'] }), 'buy');
  assert.equal(rawSide({ side: 'Sell' }), 'sell');
  assert.equal(rawSide({ total_ask_side_prem: 36466, total_bid_side_prem: 0 }), 'buy');
  assert.equal(rawSide({ total_ask_side_prem: '100', total_bid_side_prem: '250' }), 'sell');
  assert.equal(rawSide({ total_ask_side_prem: 120, total_bid_side_prem: 100 }, 1.5), null);
  assert.equal(rawSide({ total_ask_side_prem: 120, total_bid_side_prem: 100 }, 1), 'buy');
  assert.equal(rawSide({ total_ask_side_prem: '', total_bid_side_prem: '', ask_vol: 52, bid_vol: 10 }, 1.5), 'buy');
  assert.equal(rawSide({}), null);
  assert.equal(rawSide(null), null);
});

test('sentimentOf: buying calls or selling puts is bullish', () => {
  assert.equal(sentimentOf('buy', 'call'), 'bullish');
  assert.equal(sentimentOf('sell', 'put'), 'bullish');
  assert.equal(sentimentOf('buy', 'put'), 'bearish');
  assert.equal(sentimentOf('sell', 'call'), 'bearish');
  assert.equal(sentimentOf(null, 'call'), 'neutral');
  assert.equal(sentimentOf('buy', null), 'neutral');
});

test('deriveSentiment prefers the annotation, else applies the filter rule to the raw payload', () => {
  const d = flowAlert();
  assert.equal(deriveSentiment(d, { sentiment: 'bearish' }), 'bearish');
  assert.equal(deriveSentiment(d, {}), 'bullish'); // ask-side call
  d.option_chain = 'DIA241018P00415000';
  assert.equal(deriveSentiment(d, {}), 'bearish'); // ask-side put
  d.total_ask_side_prem = 0;
  d.total_bid_side_prem = 36466;
  assert.equal(deriveSentiment(d, {}), 'bullish'); // bid-side put
  d.total_ask_side_prem = 30000;
  assert.equal(deriveSentiment(d, {}), 'neutral'); // no side dominates 1.5:1
  assert.equal(deriveSentiment({ tags: ['bearish'] }, {}), 'bearish');
  assert.equal(deriveSentiment({ option_type: 'call', tags: ['bid_side'] }, {}), 'bearish');
});

test('flowRow from the raw sample, without annotations', () => {
  const row = flowRow(wire('flow-alerts', flowAlert()));
  assert.equal(row.symbol, 'DIA');
  assert.equal(row.kind, 'call');
  assert.equal(row.strike, 415);
  assert.equal(row.expiry, '2024-10-18');
  assert.equal(row.side, 'buy');
  assert.equal(row.sentiment, 'bullish');
  assert.equal(row.size, 50);
  assert.equal(row.premium, 36466);
  assert.equal(row.sweep, false);
  assert.equal(row.whale, false);
  assert.equal(row.time, 1726670212748);
  assert.equal(row.key, 'flow:29ed5829-e4ce-4934-876b-51985d2f9b70');
});

test('flowRow prefers annotations and copes with strings, "" and a missing premium', () => {
  const d = flowAlert();
  Object.assign(d, { total_premium: '', total_size: '20', price: '1.5', has_sweep: true, option_chain: 'bogus' });
  const row = flowRow(wire('flow-alerts', d));
  assert.equal(row.premium, 3000); // price x size x 100
  assert.equal(row.sweep, true);
  assert.equal(row.kind, null);
  const annotated = flowRow(wire('flow-alerts', flowAlert(), { symbol: 'DIA', option_kind: 'put', strike: 410, expiry: '2024-11-15', side: 'sell', premium: 1500000, sentiment: 'bullish', sweep: true, whale: true, whale_value: 1500000 }));
  assert.equal(annotated.kind, 'put');
  assert.equal(annotated.strike, 410);
  assert.equal(annotated.side, 'sell');
  assert.equal(annotated.sentiment, 'bullish');
  assert.equal(annotated.premium, 1500000);
  assert.equal(annotated.sweep, true);
  assert.equal(annotated.whale, true);
});

test('flowRow reads option trades and emitted sweeps too', () => {
  const trade = flowRow(wire('option_trades', { underlying_symbol: 'spy', option_symbol: 'SPY241018P00550000', option_type: 'put', price: '1.20', size: 10, tags: ['ask_side', 'sweep'], executed_at: '1726670212000' }));
  assert.equal(trade.symbol, 'SPY');
  assert.equal(trade.premium, 1200);
  assert.equal(trade.sentiment, 'bearish');
  assert.equal(trade.sweep, true);
  const sweep = flowRow(wire('sweeps', { type: 'sweep', symbol: 'SPY', option_symbol: 'SPY241018C00550000', side: 'buy', premium: 6200, size: 50, has_sweep: true }));
  assert.equal(sweep.sweep, true);
  assert.equal(sweep.sentiment, 'bullish');
});

test('darkPoolRow: value, venue and the $1M whale threshold', () => {
  const row = darkPoolRow(wire('off_lit_trades', darkPool()));
  assert.equal(row.symbol, 'QID');
  assert.equal(row.size, 6400);
  assert.equal(row.price, 18.9904);
  assert.equal(row.value, 121538.56);
  assert.equal(row.exchange, 'L');
  assert.equal(row.whale, false);
  assert.equal(row.time, Date.UTC(2023, 1, 16, 0, 59, 44));
  const big = darkPool();
  Object.assign(big, { premium: '', size: '100000', price: '10' });
  const whale = darkPoolRow(wire('off_lit_trades', big));
  assert.equal(whale.value, 1000000);
  assert.equal(whale.whale, true);
  assert.equal(darkPoolRow(wire('off_lit_trades', big), { whaleValue: 2e6 }).whale, false);
  assert.equal(darkPoolRow(wire('off_lit_trades', big, { whale: false })).whale, false);
});

test('congressRow: side from txn_type, party from enrich, LATE past 45 days', () => {
  const row = congressRow(wire('congress-trades', congress()));
  assert.equal(row.name, 'Stephen Cohen');
  assert.equal(row.side, 'buy');
  assert.equal(row.amounts, '$15,001 - $50,000');
  assert.equal(row.delay, 7);
  assert.equal(row.late, false);
  assert.equal(row.party, null);
  const late = congress();
  Object.assign(late, { transaction_date: '2023-01-01', filed_at_date: '2023-03-01', txn_type: 'Sale (Partial)' });
  const lateRow = congressRow(wire('congress-trades', late, { party: 'D', chamber: 'house', state: 'TN' }));
  assert.equal(lateRow.late, true);
  assert.equal(lateRow.delay, 59);
  assert.equal(lateRow.side, 'sell');
  assert.equal(lateRow.party, 'D');
  assert.equal(lateRow.state, 'TN');
  const onDay45 = congress();
  Object.assign(onDay45, { transaction_date: '2023-01-01', filed_at_date: '2023-02-15' });
  assert.equal(congressRow(wire('congress-trades', onDay45)).late, false);
  assert.equal(congressRow(wire('congress-trades', congress(), { late: true, disclosure_delay_days: 80 })).late, true);
});

test('moverRows: annotated updates, raw prices against the first price seen, and snapshots', () => {
  const refs = new Map();
  const [first] = moverRows(wire('price:SPY', { close: '500', time: 1726670327692, vol: 6015555 }), refs);
  assert.equal(first.symbol, 'SPY');
  assert.equal(first.change, 0);
  const [second] = moverRows(wire('price:SPY', { close: '510', time: 1726670328692, vol: '' }), refs);
  assert.equal(second.change, 10);
  assert.equal(second.changePct, 2);
  assert.equal(second.volume, null);
  const [annotated] = moverRows(wire('price:NVDA', { close: '105' }, { symbol: 'NVDA', last: 105, reference: 100, change: 5, change_pct: 5, volume: 1200 }), refs);
  assert.equal(annotated.changePct, 5);
  assert.equal(annotated.reference, 100);
  const snap = moverRows(wire('movers', { type: 'movers', at: 1, gainers: [{ symbol: 'NVDA', last: 105, reference: 100, change: 5, change_pct: 5 }], losers: [{ symbol: 'QQQ', last: 392, reference: 400, change: -8, change_pct: -2, volume: 1200 }] }), refs);
  assert.deepEqual(
    snap.map((r) => [r.symbol, r.changePct]),
    [
      ['NVDA', 5],
      ['QQQ', -2],
    ],
  );
  assert.deepEqual(moverRows(wire('price:', { close: '1' }), refs), []);
});

test('feedOfChannel maps UW channels to the four feeds', () => {
  assert.equal(feedOfChannel('flow-alerts'), 'flow');
  assert.equal(feedOfChannel('option_trades:SPY'), 'flow');
  assert.equal(feedOfChannel('off_lit_trades'), 'darkpool');
  assert.equal(feedOfChannel('congress-trades'), 'congress');
  assert.equal(feedOfChannel('price:SPY'), 'movers');
  assert.equal(feedOfChannel('movers'), 'movers');
  assert.equal(feedOfChannel('news'), null);
});
