// Renders one feed's table from its store's pending changes, once per animation frame:
// prepends new rows, removes evicted ones, redraws fully only after a filter change or a clear.

import { rowMatches, sortMovers } from './filters.js';

export class TableView {
  constructor({ feed, columns, tbody, scroller, empty, getFilter, isHeld }) {
    this.feed = feed;
    this.columns = columns;
    this.tbody = tbody;
    this.scroller = scroller;
    this.empty = empty;
    this.getFilter = getFilter;
    this.isHeld = isHeld;
    this.elements = new Map();
    this.needsFull = true;
  }

  invalidate() {
    this.needsFull = true;
  }

  buildRow(row) {
    const tr = document.createElement('tr');
    tr.dataset.key = row.key;
    if (row.sentiment) tr.dataset.sentiment = row.sentiment;
    if (row.whale) tr.classList.add('is-whale');
    if (row.late) tr.classList.add('is-late');
    for (const c of this.columns) {
      const td = document.createElement('td');
      td.className = `col-${c.key}${c.cls ? ` ${c.cls}` : ''}${c.compact ? '' : ' col-extra'}`;
      const content = c.cell(row);
      if (content instanceof Node) td.append(content);
      else td.textContent = content;
      tr.append(td);
    }
    return tr;
  }

  /** The rows the table shows now, in display order (also what the export writes). */
  visibleRows(store) {
    const filter = this.getFilter();
    const rows = store.rows.filter((r) => rowMatches(r, this.feed, filter));
    return this.feed === 'movers' ? sortMovers(rows, filter.mode) : rows;
  }

  /** Applies the store's changes; returns true when the DOM changed. */
  render(store) {
    if (!store.dirty && !this.needsFull) return false;
    const changes = store.takeChanges();
    const scroller = this.scroller;
    const heightBefore = scroller.scrollHeight;
    let incremental = false;
    if (this.needsFull || changes.reset || this.feed === 'movers') {
      // Movers are few and re-sorted on every update: rebuilding them is simpler and cheap.
      this.needsFull = false;
      this.elements.clear();
      const fragment = document.createDocumentFragment();
      for (const row of this.visibleRows(store)) {
        const tr = this.buildRow(row);
        this.elements.set(row.key, tr);
        fragment.append(tr);
      }
      this.tbody.replaceChildren(fragment);
    } else {
      incremental = true;
      for (const row of changes.removed) {
        const tr = this.elements.get(row.key);
        if (tr) {
          tr.remove();
          this.elements.delete(row.key);
        }
      }
      const filter = this.getFilter();
      const fragment = document.createDocumentFragment();
      // `added` is oldest first; the newest goes on top.
      for (let i = changes.added.length - 1; i >= 0; i -= 1) {
        const row = changes.added[i];
        if (store.byKey.get(row.key) !== row || this.elements.has(row.key) || !rowMatches(row, this.feed, filter)) continue;
        const tr = this.buildRow(row);
        this.elements.set(row.key, tr);
        fragment.append(tr);
      }
      this.tbody.prepend(fragment);
    }
    this.empty.hidden = this.tbody.childElementCount > 0;
    if (this.empty.hidden === false) this.empty.textContent = store.rows.length > 0 ? 'No rows match the filter.' : store.paused ? 'Paused.' : 'Waiting for events…';
    // Keep what the reader looks at still while the mouse is over the table or auto-scroll is off.
    if (!this.isHeld()) scroller.scrollTop = 0;
    else if (incremental) scroller.scrollTop += scroller.scrollHeight - heightBefore;
    return true;
  }
}
