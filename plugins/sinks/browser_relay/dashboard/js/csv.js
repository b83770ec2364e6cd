// CSV and JSON export text of table rows (pure; the download itself is in export.js).

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
// A cell starting with one of these is run as a formula by spreadsheet programs.
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** One CSV field (RFC 4180): quoted when needed, quotes doubled, formula-like text neutralised. */
export function csvEscape(value) {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !NUMERIC.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document: a header line of column labels, then one line per row, CRLF line ends. */
export function toCsv(columns, rows) {
  const lines = [columns.map((c) => csvEscape(c.label)).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvEscape(c.exportValue(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON array of rows: each column's export value under its key, and the event as received. */
export function toJson(columns, rows) {
  const out = rows.map((row) => {
    const item = {};
    for (const c of columns) item[c.key] = c.exportValue(row) ?? null;
    item.event = row.event ?? null;
    return item;
  });
  return `${JSON.stringify(out, null, 2)}\n`;
}
