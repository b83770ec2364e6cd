// Tolerant parsing and display formatting of UW numbers, money, times and dates (pure, no DOM).

/** A number from a JSON number, a numeric string ("18.99", " 1e3 ") or nothing: null when absent or unreadable. */
export function toNumber(value) {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // UW sends "" routinely; Number("") would be 0, which is a wrong price, not a missing one.
  if (text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** The first readable number among the candidates (annotations first, then raw fields). */
export function firstNumber(...candidates) {
  for (const c of candidates) {
    const n = toNumber(c);
    if (n !== null) return n;
  }
  return null;
}

export const MISSING = '—';

function trimZeros(text) {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Compact dollars: $950, $36.5K, $500K, $1.2M, $3.4B. One decimal at most, none from 100 of a unit
 * up, so a column of premiums stays narrow; rounding that reaches the next unit moves to it ($1M, not $1000K).
 */
export function formatMoney(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const sign = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  if (Math.round(abs) < 1000) return `${sign}$${Math.round(abs)}`;
  const units = [
    [1e3, 'K'],
    [1e6, 'M'],
    [1e9, 'B'],
    [1e12, 'T'],
  ];
  for (const [scale, suffix] of units) {
    // Rounded in tenths of the unit from the integer side: 2,550,000 / 100,000 is exactly 25.5 -> $2.6M,
    // where (2.55).toFixed(1) would give 2.5.
    const tenths = Math.round(abs / (scale / 10));
    const text = tenths >= 1000 ? String(Math.round(abs / scale)) : (tenths / 10).toFixed(1);
    if (Number(text) < 1000 || suffix === 'T') return `${sign}$${trimZeros(text)}${suffix}`;
  }
  return MISSING;
}

/** Compact count without a currency sign: 950, 12.5K, 6.02M. */
export function formatCompact(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const abs = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}${trimZeros((abs / 1e9).toFixed(2))}B`;
  if (abs >= 1e6) return `${sign}${trimZeros((abs / 1e6).toFixed(2))}M`;
  if (abs >= 1e4) return `${sign}${trimZeros((abs / 1e3).toFixed(1))}K`;
  return `${sign}${Math.round(abs).toLocaleString('en-US')}`;
}

/** Whole numbers with thousands separators: 6,400. */
export function formatInt(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  return Math.round(n).toLocaleString('en-US');
}

/** Prices: at least 2 decimals, up to 4 when the print has them (dark-pool prints like 18.9904). */
export function formatPrice(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  return n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
}

/** Strikes: no trailing zeros (415, 417.5). */
export function formatStrike(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  return n.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** Signed percent: +1.23%, -0.45%. */
export function formatPct(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const sign = n > 0 ? '+' : n < 0 ? '-' : '';
  return `${sign}${Math.abs(n).toFixed(2)}%`;
}

/** Signed change with price precision: +5.00, -8.12. */
export function formatChange(value) {
  const n = toNumber(value);
  if (n === null) return MISSING;
  const sign = n > 0 ? '+' : n < 0 ? '-' : '';
  return `${sign}${formatPrice(Math.abs(n))}`;
}

/**
 * Epoch milliseconds from what UW sends: epoch s/ms/us/ns as numbers or strings, or ISO-8601 text.
 * Null when unreadable.
 */
export function toEpochMs(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = toNumber(value);
  if (n !== null) {
    const abs = Math.abs(n);
    // The magnitude tells the unit: seconds now are ~1.7e9, milliseconds ~1.7e12, and so on.
    if (abs < 1e11) return Math.round(n * 1000);
    if (abs < 1e14) return Math.round(n);
    if (abs < 1e17) return Math.round(n / 1000);
    return Math.round(n / 1e6);
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const t = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(t) ? null : t;
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

const timeFormatters = new Map();

/** HH:MM:SS (24 h) in the given IANA zone, or the browser's zone when none is given. */
export function formatTime(value, timeZone) {
  const ms = toEpochMs(value);
  if (ms === null) return MISSING;
  const key = timeZone || '';
  let formatter = timeFormatters.get(key);
  if (!formatter) {
    const options = { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' };
    if (timeZone) options.timeZone = timeZone;
    formatter = new Intl.DateTimeFormat('en-GB', options);
    timeFormatters.set(key, formatter);
  }
  return formatter.format(new Date(ms));
}

/** YYYY-MM-DD of a date or time (UTC day), as-is when it already is one. */
export function formatDate(value) {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return value.trim();
  const ms = toEpochMs(value);
  if (ms === null) return MISSING;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Whole calendar days from one YYYY-MM-DD (or time) to another; null when either is unreadable. */
export function daysBetween(from, to) {
  const a = toEpochMs(typeof from === 'string' ? from.trim().slice(0, 10) : from);
  const b = toEpochMs(typeof to === 'string' ? to.trim().slice(0, 10) : to);
  if (a === null || b === null) return null;
  const day = 86400000;
  return Math.round((Math.floor(b / day) * day - Math.floor(a / day) * day) / day);
}

/** Lower bound of a reported amount range ("$15,001 - $50,000" -> 15001); null when none. */
export function amountLowerBound(text) {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const match = text.replace(/,/g, '').match(/\d+(\.\d+)?/);
  return match ? Number(match[0]) : null;
}
