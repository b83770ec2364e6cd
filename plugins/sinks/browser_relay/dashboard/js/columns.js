// Column definitions of the four feeds: label, cell content, export value, and whether the compact
// Live Stream grid shows it (every column shows on the feed's own page).

import { formatTime, formatMoney, formatInt, formatPrice, formatStrike, formatPct, formatChange, formatCompact, MISSING } from './format.js';
import { buildLink } from './link.js';

function el(tag, className, textContent) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (textContent !== undefined) node.textContent = textContent;
  return node;
}

/** A badge: colour plus a text label, so the meaning never rests on colour alone. */
export function badge(text, kind, title) {
  const node = el('span', `badge badge-${kind}`, text);
  if (title) node.title = title;
  return node;
}

function isoTime(ms) {
  return typeof ms === 'number' ? new Date(ms).toISOString() : null;
}

function tickerCell(row, ctx) {
  if (!row.symbol) return MISSING;
  const href = buildLink(ctx.config.tickerLink, {
    symbol: row.symbol,
    strike: row.strike ?? '',
    expiry: row.expiry ?? '',
    kind: row.kind ?? '',
    side: row.side ?? '',
    option_symbol: row.optionSymbol ?? '',
    feed: row.feed,
  });
  if (!href) return el('span', 'ticker', row.symbol);
  const a = el('a', 'ticker', row.symbol);
  a.href = href;
  if (ctx.config.tickerLinkTarget) {
    a.target = ctx.config.tickerLinkTarget;
    a.rel = 'noopener noreferrer';
  }
  return a;
}

const SENTIMENT = { bullish: ['BULL', 'bull'], bearish: ['BEAR', 'bear'], neutral: ['NEUT', 'neutral'] };

function sideBadge(side) {
  if (side === 'buy') return badge('BUY', 'buy');
  if (side === 'sell') return badge('SELL', 'sell');
  return MISSING;
}

const time = (ctx) => ({ key: 'time', label: 'Time', compact: true, cls: 'num', cell: (r) => formatTime(r.time, ctx.config.timeZone), exportValue: (r) => isoTime(r.time) });
const ticker = (ctx) => ({ key: 'symbol', label: 'Ticker', compact: true, cell: (r) => tickerCell(r, ctx), exportValue: (r) => r.symbol || null });

function flowColumns(ctx) {
  return [
    time(ctx),
    ticker(ctx),
    {
      key: 'sentiment',
      label: 'Sentiment',
      compact: true,
      cell: (r) => {
        const [text, kind] = SENTIMENT[r.sentiment] || SENTIMENT.neutral;
        return badge(text, kind, r.sentiment);
      },
      exportValue: (r) => r.sentiment,
    },
    { key: 'strike', label: 'Strike', compact: true, cls: 'num', cell: (r) => formatStrike(r.strike), exportValue: (r) => r.strike },
    { key: 'expiry', label: 'Expiry', compact: true, cls: 'num', cell: (r) => r.expiry || MISSING, exportValue: (r) => r.expiry },
    {
      key: 'kind',
      label: 'C/P',
      compact: true,
      cell: (r) => (r.kind ? el('span', `kind kind-${r.kind}`, r.kind.toUpperCase()) : MISSING),
      exportValue: (r) => (r.kind ? r.kind.toUpperCase() : null),
    },
    { key: 'side', label: 'Side', compact: true, cell: (r) => sideBadge(r.side), exportValue: (r) => (r.side === 'unknown' ? null : r.side.toUpperCase()) },
    { key: 'size', label: 'Size', compact: true, cls: 'num', cell: (r) => formatInt(r.size), exportValue: (r) => r.size },
    {
      key: 'premium',
      label: 'Premium',
      compact: true,
      cls: 'num',
      cell: (r) => el('span', r.premium >= ctx.alertThreshold() ? 'premium big' : 'premium', formatMoney(r.premium)),
      exportValue: (r) => r.premium,
    },
    {
      key: 'flags',
      label: 'Flags',
      compact: true,
      cell: (r) => {
        const box = el('span', 'flags');
        if (r.sweep) box.append(badge('SWEEP', 'sweep', 'Filled across several exchanges at once'));
        if (r.whale) box.append(badge('WHALE', 'whale', 'Premium at or above the whale threshold'));
        if (r.floor) box.append(badge('FLOOR', 'muted'));
        if (r.multileg) box.append(badge('MULTI', 'muted', 'Multi-leg'));
        return box;
      },
      exportValue: (r) => [r.sweep && 'sweep', r.whale && 'whale', r.floor && 'floor', r.multileg && 'multileg'].filter(Boolean).join(' ') || null,
    },
    { key: 'price', label: 'Price', cls: 'num', cell: (r) => formatPrice(r.price), exportValue: (r) => r.price },
    { key: 'bidAsk', label: 'Bid / Ask', cls: 'num', cell: (r) => `${formatPrice(r.bid)} / ${formatPrice(r.ask)}`, exportValue: (r) => (r.bid === null && r.ask === null ? null : `${r.bid ?? ''}/${r.ask ?? ''}`) },
    { key: 'underlying', label: 'Spot', cls: 'num', cell: (r) => formatPrice(r.underlying), exportValue: (r) => r.underlying },
    { key: 'volume', label: 'Volume', cls: 'num', cell: (r) => formatInt(r.volume), exportValue: (r) => r.volume },
    { key: 'openInterest', label: 'OI', cls: 'num', cell: (r) => formatInt(r.openInterest), exportValue: (r) => r.openInterest },
    { key: 'tradeCount', label: 'Trades', cls: 'num', cell: (r) => formatInt(r.tradeCount), exportValue: (r) => r.tradeCount },
    { key: 'rule', label: 'Rule', cell: (r) => r.rule || MISSING, exportValue: (r) => r.rule || null },
    { key: 'exchanges', label: 'Exchanges', cell: (r) => r.exchanges.join(' ') || MISSING, exportValue: (r) => r.exchanges.join(' ') || null },
    { key: 'optionSymbol', label: 'Contract', cls: 'mono', cell: (r) => r.optionSymbol || MISSING, exportValue: (r) => r.optionSymbol || null },
  ];
}

function darkPoolColumns(ctx) {
  return [
    time(ctx),
    ticker(ctx),
    { key: 'size', label: 'Size', compact: true, cls: 'num', cell: (r) => formatInt(r.size), exportValue: (r) => r.size },
    { key: 'price', label: 'Price', compact: true, cls: 'num', cell: (r) => formatPrice(r.price), exportValue: (r) => r.price },
    { key: 'value', label: 'Value', compact: true, cls: 'num', cell: (r) => el('span', r.whale ? 'premium big' : 'premium', formatMoney(r.value)), exportValue: (r) => r.value },
    { key: 'exchange', label: 'Venue', compact: true, cell: (r) => r.exchange || MISSING, exportValue: (r) => r.exchange },
    {
      key: 'flags',
      label: 'Flags',
      compact: true,
      cell: (r) => {
        const box = el('span', 'flags');
        if (r.whale) box.append(badge('WHALE', 'whale', `Worth ${formatMoney(ctx.config.whaleValue)} or more`));
        if (r.canceled) box.append(badge('CXL', 'muted', 'Canceled'));
        return box;
      },
      exportValue: (r) => [r.whale && 'whale', r.canceled && 'canceled'].filter(Boolean).join(' ') || null,
    },
    { key: 'nbbo', label: 'NBBO', cls: 'num', cell: (r) => `${formatPrice(r.nbboBid)} / ${formatPrice(r.nbboAsk)}`, exportValue: (r) => (r.nbboBid === null && r.nbboAsk === null ? null : `${r.nbboBid ?? ''}/${r.nbboAsk ?? ''}`) },
    { key: 'volume', label: 'Day volume', cls: 'num', cell: (r) => formatCompact(r.volume), exportValue: (r) => r.volume },
    { key: 'conditions', label: 'Conditions', cell: (r) => r.conditions || MISSING, exportValue: (r) => r.conditions || null },
    { key: 'settlement', label: 'Settlement', cell: (r) => (r.settlement ? r.settlement.replace(/_/g, ' ') : MISSING), exportValue: (r) => r.settlement || null },
  ];
}

const PARTY = { D: ['D', 'dem', 'Democrat'], R: ['R', 'rep', 'Republican'], I: ['I', 'ind', 'Independent'] };

function congressColumns(ctx) {
  return [
    {
      key: 'name',
      label: 'Member',
      compact: true,
      cell: (r) => {
        const box = el('span', 'member');
        if (r.party) {
          const [text, kind, title] = PARTY[r.party] || [r.party, 'muted', r.party];
          box.append(badge(text, kind, title));
        }
        const name = el('span', 'member-name', r.name || MISSING);
        if (r.name) name.title = r.reporter && r.reporter !== r.name ? `${r.name} (${r.reporter})` : r.name;
        box.append(name);
        return box;
      },
      exportValue: (r) => r.name || null,
    },
    { key: 'party', label: 'Party', cell: (r) => r.party || MISSING, exportValue: (r) => r.party },
    { key: 'chamber', label: 'Chamber', cell: (r) => (r.chamber ? r.chamber[0].toUpperCase() + r.chamber.slice(1) : MISSING), exportValue: (r) => r.chamber },
    { key: 'state', label: 'State', cell: (r) => r.state || MISSING, exportValue: (r) => r.state },
    ticker(ctx),
    {
      key: 'side',
      label: 'Side',
      compact: true,
      cell: (r) => (r.side === 'buy' || r.side === 'sell' ? sideBadge(r.side) : r.txnType || MISSING),
      exportValue: (r) => r.txnType || null,
    },
    { key: 'amounts', label: 'Amount', compact: true, cls: 'num', cell: (r) => r.amounts || MISSING, exportValue: (r) => r.amounts || null },
    { key: 'transactionDate', label: 'Traded', compact: true, cls: 'num', cell: (r) => r.transactionDate || MISSING, exportValue: (r) => r.transactionDate },
    { key: 'filedDate', label: 'Filed', compact: true, cls: 'num', cell: (r) => r.filedDate || MISSING, exportValue: (r) => r.filedDate },
    {
      key: 'late',
      label: 'Late',
      compact: true,
      cell: (r) => {
        if (!r.late) return '';
        const past = typeof r.delay === 'number' ? r.delay - ctx.config.lateDays : null;
        const text = past !== null ? `LATE +${past}d` : 'LATE';
        return badge(text, 'late', typeof r.delay === 'number' ? `Filed ${r.delay} days after the trade, ${past} past the ${ctx.config.lateDays}-day limit` : 'Filed late');
      },
      exportValue: (r) => r.late,
    },
    { key: 'delay', label: 'Delay (days)', cls: 'num', cell: (r) => (typeof r.delay === 'number' ? String(r.delay) : MISSING), exportValue: (r) => r.delay },
    { key: 'reporter', label: 'Reporter', cell: (r) => r.reporter || MISSING, exportValue: (r) => r.reporter || null },
    { key: 'issuer', label: 'Issuer', cell: (r) => r.issuer || MISSING, exportValue: (r) => r.issuer || null },
    {
      key: 'notes',
      label: 'Notes',
      cls: 'notes',
      cell: (r) => {
        // One line keeps the rows compact; the whole text is in the tooltip and the exports.
        const span = el('span', '', r.notes || MISSING);
        if (r.notes) span.title = r.notes;
        return span;
      },
      exportValue: (r) => r.notes || null,
    },
  ];
}

function moverColumns(ctx) {
  const tone = (r) => (r.change > 0 ? 'up' : r.change < 0 ? 'down' : 'flat');
  return [
    ticker(ctx),
    { key: 'price', label: 'Price', compact: true, cls: 'num', cell: (r) => formatPrice(r.price), exportValue: (r) => r.price },
    { key: 'change', label: 'Change', compact: true, cls: 'num', cell: (r) => el('span', tone(r), formatChange(r.change)), exportValue: (r) => r.change },
    {
      key: 'changePct',
      label: 'Change %',
      compact: true,
      cls: 'num',
      cell: (r) => el('span', tone(r), `${r.change > 0 ? '▲' : r.change < 0 ? '▼' : '•'} ${formatPct(r.changePct)}`),
      exportValue: (r) => r.changePct,
    },
    { key: 'volume', label: 'Volume', compact: true, cls: 'num', cell: (r) => formatCompact(r.volume), exportValue: (r) => r.volume },
    {
      key: 'bar',
      label: 'Move',
      compact: true,
      cls: 'barcell',
      cell: (r) => {
        const bar = el('span', 'bar');
        bar.setAttribute('aria-hidden', 'true');
        const fill = el('span', `bar-fill ${tone(r)}`);
        const scale = ctx.moverScale();
        const pct = typeof r.changePct === 'number' ? Math.min(1, Math.abs(r.changePct) / scale) : 0;
        fill.style.width = `${(pct * 50).toFixed(1)}%`;
        bar.append(fill);
        return bar;
      },
      exportValue: () => null,
    },
    { key: 'reference', label: 'Reference', cls: 'num', cell: (r) => formatPrice(r.reference), exportValue: (r) => r.reference },
    { key: 'time', label: 'Updated', cls: 'num', cell: (r) => formatTime(r.time, ctx.config.timeZone), exportValue: (r) => isoTime(r.time) },
  ];
}

/** Columns of a feed; ctx = {config, alertThreshold(), moverScale()}. */
export function columnsFor(feed, ctx) {
  switch (feed) {
    case 'flow':
      return flowColumns(ctx);
    case 'darkpool':
      return darkPoolColumns(ctx);
    case 'congress':
      return congressColumns(ctx);
    default:
      return moverColumns(ctx);
  }
}
