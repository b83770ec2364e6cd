// Downloads the visible rows of a feed as a CSV or JSON file (a Blob and a temporary link).

import { toCsv, toJson } from './csv.js';

export function exportFileName(feed, kind, now = new Date()) {
  const stamp = now.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `flowmind-${feed}-${stamp}.${kind}`;
}

export function downloadExport(kind, feed, columns, rows) {
  const exportable = columns.filter((c) => c.key !== 'bar');
  const text = kind === 'csv' ? toCsv(exportable, rows) : toJson(exportable, rows);
  const type = kind === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(feed, kind);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
