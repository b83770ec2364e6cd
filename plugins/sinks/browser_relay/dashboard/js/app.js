// The dashboard page: builds the four feed panels, wires the WebSockets, filters, pause, alerts,
// persistence and routing, and draws everything once per animation frame.

import { loadConfig, socketUrl } from './config.js';
import { FEEDS, flowRow, darkPoolRow, congressRow, moverRows } from './derive.js';
import { FeedStore, averagePremium } from './store.js';
import { TableView } from './view.js';
import { columnsFor } from './columns.js';
import { MODES, MINIMUM, defaultFilter, parseAmount } from './filters.js';
import { FeedConnection } from './connection.js';
import { AlertPlayer, alertFor } from './audio.js';
import { loadJson, saveJson, loadEvents, saveEvents, removeKey } from './persist.js';
import { formatMoney, formatInt } from './format.js';
import { downloadExport } from './export.js';

const INFO = {
  flow: { title: 'Options flow', route: 'flow', short: 'Flow' },
  darkpool: { title: 'Dark pool', route: 'dark-pool', short: 'Dark pool' },
  congress: { title: 'Congress trades', route: 'congress', short: 'Congress' },
  movers: { title: 'Market movers', route: 'movers', short: 'Movers' },
};
const ROUTES = { live: 'live', ...Object.fromEntries(FEEDS.map((f) => [INFO[f].route, f])) };
const MODE_LABELS = { all: 'All', bullish: 'Bullish', bearish: 'Bearish', whales: 'Whales', buys: 'Buys', sells: 'Sells', gainers: 'Gainers', losers: 'Losers' };
const STATE_LABELS = { live: 'live', connecting: 'connecting', reconnecting: 'reconnecting', error: 'error', offline: 'offline' };
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function rowsOf(feed, message, config, references) {
  switch (feed) {
    case 'flow':
      return [flowRow(message, config)];
    case 'darkpool':
      return [darkPoolRow(message, config)];
    case 'congress':
      return [congressRow(message, config)];
    default:
      return moverRows(message, references);
  }
}

class Dashboard {
  constructor(config) {
    this.config = config;
    const saved = loadJson(storage, 'settings', {});
    this.settings = {
      muted: saved.muted === true,
      threshold: typeof saved.threshold === 'number' && saved.threshold >= 0 ? saved.threshold : config.alertThreshold,
      whaleAlerts: saved.whaleAlerts !== false,
      filters: {},
      autoScroll: {},
    };
    for (const feed of FEEDS) {
      const f = saved.filters?.[feed];
      this.settings.filters[feed] = {
        ...defaultFilter(),
        ...(f && typeof f === 'object' ? { mode: MODES[feed].includes(f.mode) ? f.mode : 'all', search: typeof f.search === 'string' ? f.search : '', min: Number(f.min) > 0 ? Number(f.min) : 0 } : {}),
      };
      this.settings.autoScroll[feed] = saved.autoScroll?.[feed] !== false;
    }
    this.references = new Map();
    this.player = new AlertPlayer({ minIntervalMs: config.alertMinIntervalMs });
    this.player.muted = this.settings.muted;
    this.alerts = 0;
    this.feeds = {};
    this.master = true;
    this.framePending = false;
    this.moverScale = 1;
    this.lastRateAt = performance.now();
    this.lastRateCount = 0;
    this.rate = 0;
  }

  saveSettings() {
    saveJson(storage, 'settings', this.settings);
  }

  init() {
    document.title = this.config.title;
    document.querySelector('#brand-title').textContent = this.config.title;
    const grid = document.querySelector('#feeds');
    const chips = document.querySelector('#feed-states');
    for (const feed of FEEDS) {
      const f = this.buildFeed(feed);
      this.feeds[feed] = f;
      grid.append(f.panel);
      chips.append(f.chip);
    }
    this.wireHeader();
    this.restore();
    for (const feed of FEEDS) this.connect(feed);
    window.addEventListener('hashchange', () => this.route());
    this.route();
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.reconnectAll();
      else this.persist(true);
    });
    window.addEventListener('online', () => this.reconnectAll());
    window.addEventListener('pagehide', () => this.persist(true));
    // Audio may only start after a gesture; any first click or key unlocks it.
    const unlock = () => this.player.unlock();
    window.addEventListener('pointerdown', unlock, { capture: true });
    window.addEventListener('keydown', unlock, { capture: true });
    setInterval(() => this.persist(false), 2000);
    setInterval(() => this.tick(), 1000);
    this.schedule();
    window.flowmindDashboard = this;
    document.body.dataset.ready = 'true';
  }

  buildFeed(feed) {
    const info = INFO[feed];
    const ctx = { config: this.config, alertThreshold: () => this.settings.threshold || Infinity, moverScale: () => this.moverScale };
    const columns = columnsFor(feed, ctx);
    const store = new FeedStore(feed, { maxRows: this.config.maxRows });
    const filter = this.settings.filters[feed];
    const id = `feed-${info.route}`;

    const modeGroup = h('div', { class: 'segmented', role: 'group', 'aria-label': `${info.title} filter` });
    const modeButtons = MODES[feed].map((mode) => {
      const b = h('button', { type: 'button', class: `seg seg-${mode}`, 'data-mode': mode, 'aria-pressed': String(filter.mode === mode), text: MODE_LABELS[mode] });
      b.addEventListener('click', () => {
        filter.mode = mode;
        for (const other of modeButtons) other.setAttribute('aria-pressed', String(other === b));
        this.filterChanged(feed);
      });
      modeGroup.append(b);
      return b;
    });
    const search = h('input', { type: 'search', class: 'search', placeholder: 'Symbol', 'aria-label': `${info.title}: symbol search`, autocomplete: 'off', spellcheck: 'false', value: filter.search });
    search.addEventListener('input', () => {
      filter.search = search.value;
      this.filterChanged(feed);
    });
    const minInput = h('input', {
      type: 'text',
      class: 'min',
      inputmode: 'decimal',
      placeholder: MINIMUM[feed].label,
      'aria-label': `${info.title}: ${MINIMUM[feed].label.toLowerCase()}`,
      title: `${MINIMUM[feed].label}: e.g. 250K, 1.5M`,
      value: filter.min ? String(filter.min) : '',
    });
    minInput.addEventListener('change', () => {
      filter.min = parseAmount(minInput.value);
      minInput.value = filter.min ? (feed === 'movers' ? String(filter.min) : formatMoney(filter.min)) : '';
      this.filterChanged(feed);
    });
    const pause = h('button', { type: 'button', class: 'pause', 'aria-pressed': 'false', text: 'Pause' });
    pause.addEventListener('click', () => {
      if (store.paused) store.resume();
      else store.pause();
      this.schedule();
      this.updatePause(feed);
    });
    const clear = h('button', { type: 'button', class: 'clear', text: 'Clear' });
    clear.addEventListener('click', () => {
      store.clear();
      if (feed === 'movers') this.references.clear();
      removeKey(storage, `events.${feed}`);
      f.view.invalidate();
      this.updatePause(feed);
      this.schedule();
    });
    const auto = h('button', { type: 'button', class: 'autoscroll', 'aria-pressed': String(this.settings.autoScroll[feed]), title: 'Keep the newest rows in view (held while the mouse is over the table)', text: 'Auto-scroll' });
    auto.addEventListener('click', () => {
      this.settings.autoScroll[feed] = !this.settings.autoScroll[feed];
      auto.setAttribute('aria-pressed', String(this.settings.autoScroll[feed]));
      this.saveSettings();
    });
    const csv = h('button', { type: 'button', class: 'export-csv', title: 'Download the visible rows as CSV', text: 'CSV' });
    const json = h('button', { type: 'button', class: 'export-json', title: 'Download the visible rows as JSON', text: 'JSON' });
    csv.addEventListener('click', () => downloadExport('csv', feed, columns, f.view.visibleRows(store)));
    json.addEventListener('click', () => downloadExport('json', feed, columns, f.view.visibleRows(store)));

    const stateBadge = h('span', { class: 'state state-offline', text: 'offline' });
    const stats = h('div', { class: 'stats', 'aria-label': `${info.title} statistics` });
    const headRow = h('tr', {}, ...columns.map((c) => h('th', { scope: 'col', class: `col-${c.key}${c.cls ? ` ${c.cls}` : ''}${c.compact ? '' : ' col-extra'}`, text: c.label })));
    const tbody = h('tbody');
    const table = h('table', { class: 'rows' }, h('caption', { class: 'visually-hidden', text: `${info.title}, newest first` }), h('thead', {}, headRow), tbody);
    const empty = h('p', { class: 'empty', text: 'Waiting for events…' });
    const scroller = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': `${info.title} rows` }, table, empty);
    const held = h('span', { class: 'held', hidden: true, text: 'Scroll held' });
    const panel = h(
      'section',
      { class: 'panel', id, 'data-feed': feed, 'aria-labelledby': `${id}-title` },
      h('header', { class: 'panel-head' }, h('h2', { id: `${id}-title` }, h('a', { href: `#/${info.route}`, text: info.title })), stateBadge, stats),
      h('div', { class: 'toolbar' }, modeGroup, search, minInput, h('span', { class: 'spacer' }), held, pause, clear, auto, csv, json),
      scroller,
    );

    let hovered = false;
    scroller.addEventListener('mouseenter', () => {
      hovered = true;
      held.hidden = false;
    });
    scroller.addEventListener('mouseleave', () => {
      hovered = false;
      held.hidden = true;
    });

    const chipText = h('span', { class: 'chip-text', text: `${info.short}: offline` });
    const chip = h('a', { class: 'chip state-offline', href: `#/${info.route}`, 'data-feed': feed }, h('span', { class: 'dot', 'aria-hidden': 'true' }), chipText);

    const f = {
      feed,
      info,
      store,
      filter,
      columns,
      panel,
      chip,
      chipText,
      stateBadge,
      stats,
      pause,
      dirtySinceSave: false,
      conn: null,
      view: new TableView({
        feed,
        columns,
        tbody,
        scroller,
        empty,
        getFilter: () => filter,
        isHeld: () => hovered || !this.settings.autoScroll[feed],
      }),
    };
    return f;
  }

  filterChanged(feed) {
    this.feeds[feed].view.invalidate();
    this.saveSettings();
    this.schedule();
  }

  wireHeader() {
    const master = document.querySelector('#master');
    master.addEventListener('click', () => this.setMaster(!this.master));
    const mute = document.querySelector('#mute');
    const showMute = () => {
      mute.setAttribute('aria-pressed', String(this.settings.muted));
      mute.textContent = this.settings.muted ? 'Sound: off' : 'Sound: on';
    };
    showMute();
    mute.addEventListener('click', () => {
      this.settings.muted = !this.settings.muted;
      this.player.muted = this.settings.muted;
      showMute();
      this.saveSettings();
    });
    const threshold = document.querySelector('#threshold');
    threshold.value = formatMoney(this.settings.threshold);
    threshold.addEventListener('change', () => {
      const text = threshold.value.trim();
      const value = parseAmount(text);
      if (value > 0 || text === '0') {
        this.settings.threshold = value;
        this.saveSettings();
        this.feeds.flow.view.invalidate();
        this.schedule();
      }
      threshold.value = formatMoney(this.settings.threshold);
    });
    const whales = document.querySelector('#whale-alerts');
    whales.checked = this.settings.whaleAlerts;
    whales.addEventListener('change', () => {
      this.settings.whaleAlerts = whales.checked;
      this.saveSettings();
    });
  }

  setMaster(on) {
    this.master = on;
    const master = document.querySelector('#master');
    master.setAttribute('aria-checked', String(on));
    master.querySelector('.switch-text').textContent = on ? 'Streaming: on' : 'Streaming: off';
    for (const feed of FEEDS) {
      if (on) this.feeds[feed].conn.start();
      else this.feeds[feed].conn.stop();
    }
    this.updateStatus();
  }

  reconnectAll() {
    if (!this.master) return;
    for (const feed of FEEDS) this.feeds[feed].conn.reconnectNow();
  }

  connect(feed) {
    const f = this.feeds[feed];
    f.conn = new FeedConnection({
      url: socketUrl(this.config.endpoints[feed], window.location, this.config.accessToken),
      backoff: this.config.backoff,
      onMessage: (message) => this.receive(feed, message, true),
      onState: () => this.updateStatus(),
    });
    f.conn.start();
  }

  receive(feed, message, live) {
    const f = this.feeds[feed];
    let rows;
    try {
      rows = rowsOf(feed, message, this.config, this.references);
    } catch (error) {
      // One odd payload must not stop the feed.
      console.warn('unreadable event', error);
      return;
    }
    for (const row of rows) {
      if (!f.store.add(row)) continue;
      f.dirtySinceSave = true;
      if (live) this.maybeAlert(row);
    }
    this.schedule();
  }

  maybeAlert(row) {
    const pattern = alertFor(row, this.settings.threshold);
    if (!pattern || (pattern === 'whale' && !this.settings.whaleAlerts)) return;
    if (this.player.play(pattern)) {
      this.alerts += 1;
      document.querySelector('#alert-count').textContent = `Alerts: ${formatInt(this.alerts)}`;
    }
  }

  restore() {
    for (const feed of FEEDS) {
      for (const message of loadEvents(storage, feed, this.config.persistRows)) this.receive(feed, message, false);
      this.feeds[feed].dirtySinceSave = false;
    }
  }

  persist(force) {
    if (this.config.persistRows <= 0) return;
    for (const feed of FEEDS) {
      const f = this.feeds[feed];
      if (!f.dirtySinceSave && !force) continue;
      f.dirtySinceSave = false;
      saveEvents(storage, feed, f.store.recentEvents(this.config.persistRows));
    }
  }

  route() {
    const hash = window.location.hash.replace(/^#\/?/, '');
    const view = ROUTES[hash] || 'live';
    const grid = document.querySelector('#feeds');
    grid.dataset.view = view;
    for (const a of document.querySelectorAll('#nav a')) {
      if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = view === 'live' ? this.config.title : `${INFO[view].title} · ${this.config.title}`;
    for (const feed of FEEDS) this.feeds[feed].view.invalidate();
    this.schedule();
  }

  schedule() {
    if (this.framePending) return;
    this.framePending = true;
    requestAnimationFrame(() => {
      this.framePending = false;
      this.frame();
    });
  }

  frame() {
    const movers = this.feeds.movers.store.rows;
    let scale = 1;
    for (const r of movers) if (typeof r.changePct === 'number') scale = Math.max(scale, Math.abs(r.changePct));
    this.moverScale = scale;
    for (const feed of FEEDS) {
      const f = this.feeds[feed];
      const drawn = f.view.render(f.store);
      // While paused the table stays still but the queued count and the stats move on.
      if (drawn || f.store.stats.total !== f.statsShown || f.store.paused) {
        f.statsShown = f.store.stats.total;
        this.renderStats(feed);
        this.updatePause(feed);
      }
    }
    this.updateCounters();
  }

  renderStats(feed) {
    const f = this.feeds[feed];
    const s = f.store.stats;
    let items;
    if (feed === 'flow') {
      items = [
        ['Total', formatInt(s.total)],
        ['Bullish', formatInt(s.bullish), 'bull'],
        ['Bearish', formatInt(s.bearish), 'bear'],
        ['Avg premium', formatMoney(averagePremium(s))],
      ];
    } else if (feed === 'darkpool') {
      items = [
        ['Total', formatInt(s.total)],
        ['Whales', formatInt(s.whales), 'whale'],
        ['Value', formatMoney(s.valueSum)],
      ];
    } else if (feed === 'congress') {
      items = [
        ['Total', formatInt(s.total)],
        ['Buys', formatInt(s.buys), 'buy'],
        ['Sells', formatInt(s.sells), 'sell'],
        ['Late', formatInt(s.late), 'late'],
      ];
    } else {
      const rows = f.store.rows;
      items = [
        ['Symbols', formatInt(rows.length)],
        ['Gainers', formatInt(rows.filter((r) => r.change > 0).length), 'bull'],
        ['Losers', formatInt(rows.filter((r) => r.change < 0).length), 'bear'],
      ];
    }
    f.stats.replaceChildren(
      ...items.map(([label, value, tone]) => h('span', { class: `stat${tone ? ` stat-${tone}` : ''}`, 'data-stat': label.toLowerCase().replace(/\s+/g, '-') }, h('span', { class: 'stat-label', text: label }), h('span', { class: 'stat-value', text: value }))),
    );
  }

  updatePause(feed) {
    const f = this.feeds[feed];
    const store = f.store;
    f.pause.setAttribute('aria-pressed', String(store.paused));
    f.pause.textContent = store.paused ? `Resume (${formatInt(store.queuedCount)} queued)` : 'Pause';
    f.panel.classList.toggle('is-paused', store.paused);
  }

  stateText(info) {
    const label = STATE_LABELS[info.state] || info.state;
    const wait = info.nextRetryAt ? Math.max(0, Math.ceil((info.nextRetryAt - Date.now()) / 1000)) : null;
    if (info.state === 'reconnecting' || info.state === 'error') {
      const parts = [];
      if (info.attempt > 0) parts.push(`attempt ${info.attempt}`);
      if (wait !== null) parts.push(wait > 0 ? `retry in ${wait}s` : 'retrying');
      return parts.length ? `${label} (${parts.join(', ')})` : label;
    }
    return label;
  }

  updateStatus() {
    let live = 0;
    let trouble = 0;
    for (const feed of FEEDS) {
      const f = this.feeds[feed];
      if (!f.conn) continue;
      const info = f.conn.info;
      const text = this.stateText(info);
      f.chip.className = `chip state-${info.state}`;
      f.chipText.textContent = `${f.info.short}: ${text}`;
      f.chip.title = info.lastError ? `${f.info.title}: ${text} (${info.lastError})` : `${f.info.title}: ${text}`;
      f.stateBadge.className = `state state-${info.state}`;
      f.stateBadge.textContent = text;
      if (info.state === 'live') live += 1;
      if (info.state === 'reconnecting' || info.state === 'error') trouble += 1;
    }
    const overall = !this.master ? ['offline', 'Offline'] : live === FEEDS.length ? ['live', 'Live'] : live > 0 ? ['degraded', 'Degraded'] : trouble > 0 ? ['reconnecting', 'Reconnecting'] : ['connecting', 'Connecting'];
    const pill = document.querySelector('#overall');
    pill.className = `pill state-${overall[0]}`;
    pill.dataset.state = overall[0];
    pill.querySelector('.pill-text').textContent = overall[1];
    document.querySelector('#active-count').textContent = `${live} of ${FEEDS.length} channels active`;
  }

  updateCounters() {
    let total = 0;
    for (const feed of FEEDS) total += this.feeds[feed].conn?.messages ?? 0;
    const now = performance.now();
    if (now - this.lastRateAt >= 1000) {
      this.rate = ((total - this.lastRateCount) * 1000) / (now - this.lastRateAt);
      this.lastRateAt = now;
      this.lastRateCount = total;
    }
    document.querySelector('#msg-count').textContent = `Messages: ${formatInt(total)} (${this.rate.toFixed(this.rate < 10 ? 1 : 0)}/s)`;
  }

  tick() {
    // Countdown to the next retry, and the rate figure while the feeds are quiet.
    this.updateStatus();
    this.updateCounters();
  }
}

async function main() {
  const config = await loadConfig();
  new Dashboard(config).init();
}

main().catch((error) => {
  console.error(error);
  const box = document.querySelector('#fatal');
  if (box) {
    box.hidden = false;
    box.textContent = `The dashboard failed to start: ${error?.message || error}`;
  }
});
