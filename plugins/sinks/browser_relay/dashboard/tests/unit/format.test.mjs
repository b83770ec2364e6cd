// Unit tests of the number, money, time and date formatting (UW's messy numbers included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toNumber, formatMoney, formatCompact, formatInt, formatPrice, formatStrike, formatPct, formatChange, toEpochMs, formatTime, formatDate, daysBetween, amountLowerBound, MISSING } from '../../js/format.js';

test('toNumber reads numbers and numeric strings, and nothing else', () => {
  assert.equal(toNumber(36466), 36466);
  assert.equal(toNumber('18.9904'), 18.9904);
  assert.equal(toNumber(' 562.82 '), 562.82);
  assert.equal(toNumber('1e3'), 1000);
  assert.equal(toNumber('-2.5'), -2.5);
  for (const bad of ['', '   ', 'abc', '12abc', '0x10', null, undefined, true, [], {}, NaN, Infinity]) assert.equal(toNumber(bad), null, String(bad));
});

test('formatMoney: $950, $500K, $1.2M and the unit boundaries', () => {
  const cases = [
    [950, '$950'],
    [0, '$0'],
    [999.4, '$999'],
    [999.6, '$1K'],
    [1000, '$1K'],
    [36466, '$36.5K'],
    [99950, '$100K'],
    [500000, '$500K'],
    [999999, '$1M'],
    [1.2e6, '$1.2M'],
    [12e6, '$12M'],
    [123456789, '$123M'],
    [3.45e9, '$3.5B'],
    [2550000, '$2.6M'],
    [2450000, '$2.5M'],
    [150, '$150'],
    [-1234567, '-$1.2M'],
    ['121538.56', '$122K'],
    ['', MISSING],
    [null, MISSING],
  ];
  for (const [input, expected] of cases) assert.equal(formatMoney(input), expected, `formatMoney(${input})`);
});

test('formatCompact, formatInt, formatPrice, formatStrike', () => {
  assert.equal(formatCompact(6015555), '6.02M');
  assert.equal(formatCompact(950), '950');
  assert.equal(formatCompact(12500), '12.5K');
  assert.equal(formatInt(6400), '6,400');
  assert.equal(formatInt('2727'), '2,727');
  assert.equal(formatPrice('18.9904'), '18.9904');
  assert.equal(formatPrice(7.3), '7.30');
  assert.equal(formatPrice('19'), '19.00');
  assert.equal(formatPrice(''), MISSING);
  assert.equal(formatStrike(415), '415');
  assert.equal(formatStrike(417.5), '417.5');
});

test('formatPct and formatChange carry the sign', () => {
  assert.equal(formatPct(1.234), '+1.23%');
  assert.equal(formatPct(-0.456), '-0.46%');
  assert.equal(formatPct(0), '0.00%');
  assert.equal(formatPct(''), MISSING);
  assert.equal(formatChange(-8), '-8.00');
  assert.equal(formatChange('5'), '+5.00');
});

test('toEpochMs understands seconds, milliseconds, micro- and nanoseconds, ISO text and dates', () => {
  const ms = 1726670212748;
  assert.equal(toEpochMs(ms), ms);
  assert.equal(toEpochMs(String(ms)), ms);
  assert.equal(toEpochMs(1726670212), 1726670212000);
  assert.equal(toEpochMs(ms * 1000), ms);
  assert.equal(toEpochMs(ms * 1e6), ms);
  assert.equal(toEpochMs('2023-02-16T00:59:44Z'), Date.UTC(2023, 1, 16, 0, 59, 44));
  assert.equal(toEpochMs('2023-02-13'), Date.UTC(2023, 1, 13));
  assert.equal(toEpochMs(''), null);
  assert.equal(toEpochMs('not a time'), null);
});

test('formatTime is HH:MM:SS in 24 h in the given zone', () => {
  assert.equal(formatTime(Date.UTC(2024, 8, 18, 14, 36, 52, 748), 'UTC'), '14:36:52');
  assert.equal(formatTime(Date.UTC(2024, 8, 18, 0, 5, 9), 'UTC'), '00:05:09');
  assert.equal(formatTime(Date.UTC(2024, 8, 18, 14, 36, 52), 'America/New_York'), '10:36:52');
  assert.match(formatTime(Date.now()), /^\d\d:\d\d:\d\d$/);
  assert.equal(formatTime(''), MISSING);
});

test('formatDate, daysBetween and amountLowerBound', () => {
  assert.equal(formatDate('2023-02-13'), '2023-02-13');
  assert.equal(formatDate(Date.UTC(2023, 1, 13, 23)), '2023-02-13');
  assert.equal(daysBetween('2023-02-06', '2023-02-13'), 7);
  assert.equal(daysBetween('2023-01-01', '2023-03-01'), 59);
  assert.equal(daysBetween('2023-03-01', '2023-01-01'), -59);
  assert.equal(daysBetween('', '2023-01-01'), null);
  assert.equal(amountLowerBound('$15,001 - $50,000'), 15001);
  assert.equal(amountLowerBound('Over $50,000,000'), 50000000);
  assert.equal(amountLowerBound(''), null);
});
