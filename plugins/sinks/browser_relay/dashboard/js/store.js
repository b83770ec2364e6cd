// Bounded per-feed row store: newest first, de-duplicated, with pause queue, running stats and the
// list of changes the renderer applies at the next animation frame (pure, no DOM).

function emptyStats() {
  return { total: 0, bullish: 0, bearish: 0, premiumSum: 0, premiumCount: 0, whales: 0, valueSum: 0, buys: 0, sells: 0, late: 0 };
}

export class FeedStore {
  /**
   * @param {string} feed flow | darkpool | congress | movers
   * @param {{maxRows:number}} options maxRows bounds the rows, the pause queue and the symbols kept
   */
  constructor(feed, { maxRows = 500 } = {}) {
    this.feed = feed;
    this.maxRows = maxRows;
    this.keyed = feed === 'movers';
    this.rows = [];
    this.byKey = new Map();
    // Keys seen recently, bounded, so a relay backlog or a restored page does not show a row twice.
    this.seen = new Map();
    this.seenLimit = maxRows * 4;
    this.paused = false;
    this.queue = [];
    this.queuedCount = 0;
    this.queueDropped = 0;
    this.stats = emptyStats();
    this.changes = { added: [], removed: [], updated: new Set(), reset: true };
  }

  /** Takes the renderer's pending changes and starts a new list. */
  takeChanges() {
    const c = this.changes;
    this.changes = { added: [], removed: [], updated: new Set(), reset: false };
    return c;
  }

  get dirty() {
    const c = this.changes;
    return c.reset || c.added.length > 0 || c.removed.length > 0 || c.updated.size > 0;
  }

  /** Adds one row; returns false for a duplicate. While paused the row waits in the queue. */
  add(row) {
    if (!this.keyed) {
      if (this.seen.has(row.key)) return false;
      this.seen.set(row.key, true);
      if (this.seen.size > this.seenLimit) this.seen.delete(this.seen.keys().next().value);
    }
    this.count(row);
    if (this.paused) {
      this.queue.push(row);
      this.queuedCount += 1;
      if (this.queue.length > this.maxRows) {
        // Past the cap, releasing them all would only push them straight out again.
        this.queue.shift();
        this.queueDropped += 1;
      }
      return true;
    }
    this.insert(row);
    return true;
  }

  count(row) {
    const s = this.stats;
    s.total += 1;
    if (row.sentiment === 'bullish') s.bullish += 1;
    if (row.sentiment === 'bearish') s.bearish += 1;
    if (typeof row.premium === 'number') {
      s.premiumSum += row.premium;
      s.premiumCount += 1;
    }
    if (row.whale) s.whales += 1;
    if (typeof row.value === 'number') s.valueSum += row.value;
    if (row.side === 'buy') s.buys += 1;
    if (row.side === 'sell') s.sells += 1;
    if (row.late) s.late += 1;
  }

  insert(row) {
    if (this.keyed) {
      const existing = this.byKey.get(row.key);
      if (existing) {
        // One row per symbol, updated in place; the row object is reused so the renderer keeps its element.
        Object.assign(existing, row);
        this.rows.splice(this.rows.indexOf(existing), 1);
        this.rows.unshift(existing);
        if (!this.changes.reset) this.changes.updated.add(existing.key);
        return;
      }
    }
    this.rows.unshift(row);
    this.byKey.set(row.key, row);
    // A hidden tab gets no animation frames: past the cap a full redraw is cheaper than the backlog.
    if (!this.changes.reset) this.changes.added.push(row);
    if (this.changes.added.length > this.maxRows) this.changes = { added: [], removed: [], updated: new Set(), reset: true };
    while (this.rows.length > this.maxRows) {
      const old = this.rows.pop();
      this.byKey.delete(old.key);
      if (!this.changes.reset) this.changes.removed.push(old);
    }
  }

  pause() {
    this.paused = true;
  }

  /** Releases the queued rows in arrival order. */
  resume() {
    this.paused = false;
    const queued = this.queue;
    this.queue = [];
    this.queuedCount = 0;
    this.queueDropped = 0;
    for (const row of queued) this.insert(row);
  }

  /** Empties the table, the queue and the stats (the de-duplication memory stays). */
  clear() {
    this.rows = [];
    this.byKey.clear();
    this.queue = [];
    this.queuedCount = 0;
    this.queueDropped = 0;
    this.stats = emptyStats();
    this.changes = { added: [], removed: [], updated: new Set(), reset: true };
  }

  /** The newest `n` events, oldest first, to persist and replay after a reload. */
  recentEvents(n) {
    return this.rows
      .slice(0, n)
      .map((r) => r.event)
      .reverse();
  }
}

/** Average premium of a flow store's rows counted so far (null before any). */
export function averagePremium(stats) {
  return stats.premiumCount > 0 ? stats.premiumSum / stats.premiumCount : null;
}
