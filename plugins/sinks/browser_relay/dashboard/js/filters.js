// Which rows a feed shows: the feed's mode (bullish/bearish, buys/sells, gainers/losers, whales),
// a symbol search and a minimum premium/value (pure).

/** The modes each feed offers, in display order; the first is "show everything". */
export const MODES = Object.freeze({
  flow: ['all', 'bullish', 'bearish'],
  darkpool: ['all', 'whales'],
  congress: ['all', 'buys', 'sells'],
  movers: ['all', 'gainers', 'losers'],
});

/** The row field each feed's minimum applies to, and its label. */
export const MINIMUM = Object.freeze({
  flow: { field: 'premium', label: 'Min premium' },
  darkpool: { field: 'value', label: 'Min value' },
  congress: { field: 'amountLow', label: 'Min amount' },
  movers: { field: 'volume', label: 'Min volume' },
});

export function defaultFilter() {
  return { mode: 'all', search: '', min: 0 };
}

/**
 * Parses a minimum typed by a person: "500000", "500k", "1.5M", "$2,000,000"; 0 when empty or
 * unreadable (no minimum).
 */
export function parseAmount(input) {
  if (typeof input === 'number') return Number.isFinite(input) && input > 0 ? input : 0;
  if (typeof input !== 'string') return 0;
  const match = /^\$?\s*([\d,]*\.?\d+)\s*([kmb])?$/i.exec(input.trim());
  if (!match) return 0;
  const n = Number(match[1].replace(/,/g, ''));
  const scale = { k: 1e3, m: 1e6, b: 1e9 }[(match[2] || '').toLowerCase()] || 1;
  return Number.isFinite(n) && n > 0 ? n * scale : 0;
}

function matchesMode(row, feed, mode) {
  switch (`${feed}:${mode}`) {
    case 'flow:bullish':
      return row.sentiment === 'bullish';
    case 'flow:bearish':
      return row.sentiment === 'bearish';
    case 'darkpool:whales':
      return row.whale === true;
    case 'congress:buys':
      return row.side === 'buy';
    case 'congress:sells':
      return row.side === 'sell';
    case 'movers:gainers':
      return typeof row.change === 'number' && row.change > 0;
    case 'movers:losers':
      return typeof row.change === 'number' && row.change < 0;
    default:
      return true;
  }
}

/**
 * Whether a row passes the feed's filter. The search matches the start of the symbol, or any part
 * of a member's name on the congress feed, ignoring case; several symbols may be given separated
 * by spaces or commas. A row with no value for the minimum's field is hidden when a minimum is set.
 */
export function rowMatches(row, feed, filter) {
  if (!filter) return true;
  if (!matchesMode(row, feed, filter.mode || 'all')) return false;
  const min = Number(filter.min) || 0;
  if (min > 0) {
    const v = row[MINIMUM[feed]?.field];
    if (typeof v !== 'number' || v < min) return false;
  }
  const terms = String(filter.search || '')
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (terms.length === 0) return true;
  const symbol = String(row.symbol || '').toUpperCase();
  const name = String(row.name || '').toUpperCase();
  return terms.some((t) => symbol.startsWith(t) || (feed === 'congress' && name.includes(t)));
}

/** Sorted rows for the movers table: gainers first by change %, losers view the biggest fall first. */
export function sortMovers(rows, mode) {
  const pct = (r) => (typeof r.changePct === 'number' ? r.changePct : typeof r.change === 'number' ? r.change : 0);
  const sorted = [...rows].sort((x, y) => pct(y) - pct(x) || x.symbol.localeCompare(y.symbol));
  return mode === 'losers' ? sorted.reverse() : sorted;
}
