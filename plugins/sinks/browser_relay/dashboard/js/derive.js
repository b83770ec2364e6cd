// Turns one wire message {channel, timestamp, data, annotations} into a table row per feed,
// preferring the filters' annotations and deriving from the raw UW payload when they are absent (pure).

import { parseOcc } from './occ.js';
import { toNumber, firstNumber, toEpochMs, daysBetween, amountLowerBound } from './format.js';

export const FEEDS = ['flow', 'darkpool', 'congress', 'movers'];

/** Sentiment dominance used when the sentiment filter did not label the event (its default). */
export const DEFAULT_DOMINANCE = 1.5;

function text(value) {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function bool(value) {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return null;
}

function tagsOf(data) {
  return Array.isArray(data?.tags) ? data.tags.filter((t) => typeof t === 'string').map((t) => t.toLowerCase()) : [];
}

function kindOf(value) {
  const t = text(value).toLowerCase();
  if (t === 'call' || t === 'c') return 'call';
  if (t === 'put' || t === 'p') return 'put';
  return null;
}

function sideOf(value) {
  const t = text(value).toLowerCase();
  if (t === 'buy' || t.startsWith('purchase') || t === 'b') return 'buy';
  if (t === 'sell' || t.startsWith('sale') || t.startsWith('sell') || t === 's') return 'sell';
  return null;
}

/**
 * Buy or sell of a flow alert or option trade from the raw payload: tags (ask_side/bid_side), an
 * explicit side, then ask-side vs bid-side premium (one must be `dominance` times the other), then
 * ask vs bid volume by the same ratio. Null when undecided.
 */
export function rawSide(data, dominance = 1) {
  if (!data || typeof data !== 'object') return null;
  const tags = tagsOf(data);
  if (tags.includes('ask_side')) return 'buy';
  if (tags.includes('bid_side')) return 'sell';
  const explicit = sideOf(data.side);
  if (explicit) return explicit;
  const pairs = [
    [toNumber(data.total_ask_side_prem), toNumber(data.total_bid_side_prem)],
    [toNumber(data.ask_vol), toNumber(data.bid_vol)],
  ];
  for (const [ask, bid] of pairs) {
    if (ask === null || bid === null || (ask === 0 && bid === 0)) continue;
    if (ask > bid && ask >= dominance * bid) return 'buy';
    if (bid > ask && bid >= dominance * ask) return 'sell';
    return null;
  }
  return null;
}

/** bullish / bearish / neutral from a side and call/put: buying calls or selling puts is bullish. */
export function sentimentOf(side, kind) {
  if (!side || !kind) return 'neutral';
  if ((side === 'buy' && kind === 'call') || (side === 'sell' && kind === 'put')) return 'bullish';
  if ((side === 'buy' && kind === 'put') || (side === 'sell' && kind === 'call')) return 'bearish';
  return 'neutral';
}

/**
 * The sentiment annotation when present, else the sentiment filter's rule applied to the raw
 * payload (dominance ratio on ask/bid premium), else a lone bullish/bearish tag.
 */
export function deriveSentiment(data, annotations = {}, kind = null, dominance = DEFAULT_DOMINANCE) {
  const given = text(annotations.sentiment).toLowerCase();
  if (given === 'bullish' || given === 'bearish' || given === 'neutral') return given;
  const k = kind || kindOf(data?.option_type) || parseOcc(data?.option_chain || data?.option_symbol)?.kind || null;
  const derived = sentimentOf(rawSide(data, dominance), k);
  if (derived !== 'neutral') return derived;
  const tags = tagsOf(data);
  const bull = tags.includes('bullish');
  const bear = tags.includes('bearish');
  if (bull !== bear) return bull ? 'bullish' : 'bearish';
  return 'neutral';
}

function eventTime(message, annotations, ...raw) {
  return toEpochMs(annotations.executed_at) ?? raw.map(toEpochMs).find((t) => t !== null) ?? toEpochMs(message.timestamp) ?? Date.now();
}

/** Options flow row (flow alerts, option trades, detected sweeps). */
export function flowRow(message, options = {}) {
  const d = message.data && typeof message.data === 'object' ? message.data : {};
  const a = message.annotations || {};
  const occ = parseOcc(a.option_symbol || d.option_chain || d.option_symbol);
  const kind = kindOf(a.option_kind) || kindOf(d.option_kind) || kindOf(d.option_type) || occ?.kind || null;
  const side = sideOf(a.side) || rawSide(d) || null;
  const size = firstNumber(a.size, d.total_size, d.size);
  const price = firstNumber(a.price, d.price);
  let premium = firstNumber(a.premium, d.total_premium, d.premium);
  if (premium === null && price !== null && size !== null) premium = price * size * 100;
  const tags = tagsOf(d);
  const sweep = bool(a.sweep) ?? bool(d.has_sweep) ?? (tags.includes('sweep') || d.type === 'sweep');
  const symbol = text(a.symbol || d.ticker || d.underlying_symbol || d.symbol || occ?.root).toUpperCase();
  const exchanges = Array.isArray(d.exchanges) ? d.exchanges.filter((x) => typeof x === 'string') : d.exchange ? [text(d.exchange)] : [];
  const whaleThreshold = options.flowWhaleValue ?? null;
  const whale = bool(a.whale) ?? (whaleThreshold !== null && premium !== null ? premium >= whaleThreshold : false);
  return {
    key: `flow:${text(d.id) || `${message.channel}:${message.timestamp}:${symbol}:${premium}`}`,
    feed: 'flow',
    event: message,
    time: eventTime(message, a, d.executed_at, d.end_time, d.start_time),
    symbol,
    optionSymbol: text(d.option_chain || d.option_symbol || a.option_symbol),
    kind,
    strike: firstNumber(a.strike, d.strike, occ?.strike),
    expiry: text(a.expiry || d.expiry || d.expiration_date || occ?.expiry) || null,
    side: side || 'unknown',
    sentiment: deriveSentiment(d, a, kind, options.dominance ?? DEFAULT_DOMINANCE),
    size,
    price,
    premium,
    sweep: Boolean(sweep),
    whale: Boolean(whale),
    rule: text(d.rule_name) || (d.type === 'sweep' ? 'Sweep' : ''),
    underlying: firstNumber(d.underlying_price),
    volume: firstNumber(d.volume),
    openInterest: firstNumber(d.open_interest),
    tradeCount: firstNumber(d.trade_count, d.fills),
    bid: firstNumber(d.bid, d.nbbo_bid),
    ask: firstNumber(d.ask, d.nbbo_ask),
    floor: bool(d.has_floor) ?? false,
    multileg: bool(d.has_multileg) ?? false,
    exchanges,
  };
}

/** Dark-pool (off-lit) print row; a whale is worth at least options.whaleValue (default $1M). */
export function darkPoolRow(message, options = {}) {
  const d = message.data && typeof message.data === 'object' ? message.data : {};
  const a = message.annotations || {};
  const size = firstNumber(a.size, d.size);
  const price = firstNumber(a.price, d.price);
  let value = firstNumber(a.premium, d.premium);
  if (value === null && price !== null && size !== null) value = price * size;
  const threshold = options.whaleValue ?? 1e6;
  const whale = bool(a.whale) ?? (value !== null && value >= threshold);
  const symbol = text(a.symbol || d.ticker || d.symbol || d.underlying_symbol).toUpperCase();
  const conditions = [d.sale_cond_codes, d.ext_hour_sold_codes, d.trade_code].map(text).filter(Boolean);
  return {
    key: `darkpool:${text(d.tracking_id) || `${message.timestamp}:${symbol}:${size}:${price}`}`,
    feed: 'darkpool',
    event: message,
    time: eventTime(message, a, d.executed_at, d.time),
    symbol,
    size,
    price,
    value,
    whale: Boolean(whale),
    exchange: text(a.exchange || d.market_center || d.exchange) || null,
    nbboBid: firstNumber(d.nbbo_bid),
    nbboAsk: firstNumber(d.nbbo_ask),
    volume: firstNumber(d.volume),
    conditions: conditions.join(' '),
    settlement: text(d.trade_settlement),
    canceled: bool(d.canceled) ?? false,
  };
}

/** Congress trade row; LATE when filed more than options.lateDays (45) after the trade. */
export function congressRow(message, options = {}) {
  const d = message.data && typeof message.data === 'object' ? message.data : {};
  const a = message.annotations || {};
  const lateDays = options.lateDays ?? 45;
  const delay = firstNumber(a.disclosure_delay_days) ?? daysBetween(d.transaction_date, d.filed_at_date);
  const late = bool(a.late) ?? (delay !== null && delay > lateDays);
  const txn = text(d.txn_type);
  const side = sideOf(a.side) || sideOf(txn);
  const party = text(a.party).toUpperCase().slice(0, 1) || null;
  const name = text(d.name || d.reporter);
  return {
    key: `congress:${[d.politician_id, d.name, d.ticker, d.txn_type, d.amounts, d.transaction_date, d.filed_at_date].map(text).join('|')}`,
    feed: 'congress',
    event: message,
    time: toEpochMs(d.filed_at_date) ?? toEpochMs(message.timestamp) ?? Date.now(),
    name,
    reporter: text(d.reporter),
    party,
    chamber: text(a.chamber || d.member_type).toLowerCase() || null,
    state: text(a.state) || null,
    symbol: text(d.ticker).toUpperCase(),
    side: side || 'other',
    txnType: txn,
    amounts: text(d.amounts),
    amountLow: amountLowerBound(d.amounts),
    transactionDate: text(d.transaction_date) || null,
    filedDate: text(d.filed_at_date) || null,
    late: Boolean(late),
    delay,
    issuer: text(d.issuer),
    notes: text(d.notes),
  };
}

/**
 * Market-mover rows from one message: one update for a price:TICKER event (annotated by the movers
 * filter, or raw, then the change is against `references`, the first price this page saw), or one
 * per symbol of a movers snapshot. `references` is a Map the caller keeps between calls.
 */
export function moverRows(message, references = new Map()) {
  const d = message.data && typeof message.data === 'object' ? message.data : {};
  const a = message.annotations || {};
  const channel = text(message.channel);
  if (d.type === 'movers' || channel === 'movers') {
    const entries = [...(Array.isArray(d.gainers) ? d.gainers : []), ...(Array.isArray(d.losers) ? d.losers : [])];
    return entries
      .filter((e) => e && typeof e === 'object' && text(e.symbol))
      .map((e) => moverFrom(message, text(e.symbol).toUpperCase(), e.last, e.reference, e.change, e.change_pct, e.volume, e.time ?? d.at, references));
  }
  const symbol = text(a.symbol || d.symbol || d.ticker || (channel.includes(':') ? channel.slice(channel.indexOf(':') + 1) : '')).toUpperCase();
  if (!symbol) return [];
  return [moverFrom(message, symbol, a.last ?? d.close ?? d.price, a.reference, a.change, a.change_pct, a.volume ?? d.vol ?? d.volume, d.time ?? a.executed_at, references)];
}

function moverFrom(message, symbol, lastRaw, referenceRaw, changeRaw, pctRaw, volumeRaw, timeRaw, references) {
  const last = toNumber(lastRaw);
  let reference = toNumber(referenceRaw);
  if (reference === null) {
    if (!references.has(symbol) && last !== null) references.set(symbol, last);
    reference = references.get(symbol) ?? null;
  } else {
    references.set(symbol, reference);
  }
  let change = toNumber(changeRaw);
  if (change === null && last !== null && reference !== null) change = last - reference;
  let changePct = toNumber(pctRaw);
  if (changePct === null && change !== null && reference) changePct = (change / reference) * 100;
  return {
    key: `movers:${symbol}`,
    feed: 'movers',
    event: message,
    time: toEpochMs(timeRaw) ?? toEpochMs(message.timestamp) ?? Date.now(),
    symbol,
    price: last,
    reference,
    change,
    changePct,
    volume: toNumber(volumeRaw),
  };
}

/** Which feed a message belongs to, from the endpoint it came on (primary) or its channel. */
export function feedOfChannel(channel) {
  const c = text(channel);
  if (c === 'flow-alerts' || c === 'sweeps' || c.startsWith('option_trades')) return 'flow';
  if (c === 'off_lit_trades' || c === 'lit_trades' || c.startsWith('darkpool')) return 'darkpool';
  if (c.startsWith('congress')) return 'congress';
  if (c === 'movers' || c.startsWith('price:')) return 'movers';
  return null;
}
