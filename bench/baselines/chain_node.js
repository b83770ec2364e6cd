#!/usr/bin/env node
// Node.js baseline of the benchmark chain: flow alert -> normalize -> sentiment -> sweep -> whale -> envelope.
//
// Written the way a Node user would: JSON.parse each line, read the fields tolerantly (numbers or
// numeric strings, "" = missing), derive option kind, strike and expiry from the OCC symbol and
// the side from ask- vs bid-side premium, then JSON.stringify the envelope a sink writes
// ({channel, timestamp, data, annotations}). Same input file and same work as
// flowmind_bench_chain. Usage: node chain_node.js INPUT.jsonl [PASSES]
'use strict';
const fs = require('fs');

const DOMINANCE = 1.5;
const OPTIONS_MIN_VALUE = 250000;

function number(value) {
  if (value === null || value === undefined || value === '' || typeof value === 'boolean') return null;
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  const result = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(result) || result < 0) return null;
  return result;
}

function parseOcc(symbol) {
  if (typeof symbol !== 'string' || symbol.length < 16 || symbol.length > 21) return null;
  const root = symbol.slice(0, -15).trimEnd();
  const tail = symbol.slice(-15);
  const kind = tail[6] === 'C' ? 'call' : tail[6] === 'P' ? 'put' : null;
  if (!root || kind === null || !/^\d{6}$/.test(tail.slice(0, 6)) || !/^\d{8}$/.test(tail.slice(7))) return null;
  return {root, expiry: `20${tail.slice(0, 2)}-${tail.slice(2, 4)}-${tail.slice(4, 6)}`, kind,
          strike: Number(tail.slice(7)) / 1000};
}

function sideFrom(ask, bid, ratio) {
  if (ask === null || bid === null) return 'unknown';
  if (ask > bid && ask >= ratio * bid) return 'buy';
  if (bid > ask && bid >= ratio * ask) return 'sell';
  return 'unknown';
}

function processLine(line) {
  const payload = JSON.parse(line);
  const annotations = {};
  // uw_normalize
  const symbol = payload.ticker || payload.underlying_symbol || payload.symbol;
  if (typeof symbol === 'string' && symbol) annotations.symbol = symbol.toUpperCase();
  const occSymbol = payload.option_chain || payload.option_symbol;
  const occ = parseOcc(occSymbol);
  if (occ) {
    annotations.option_kind = occ.kind;
    annotations.strike = occ.strike;
    annotations.expiry = occ.expiry;
  }
  const ask = number(payload.total_ask_side_prem);
  const bid = number(payload.total_bid_side_prem);
  const size = number(payload.size !== undefined ? payload.size : payload.total_size);
  const price = number(payload.price);
  let premium = number(payload.premium !== undefined ? payload.premium : payload.total_premium);
  if (premium === null && price !== null && size !== null) {
    premium = price * size * 100;
    annotations.premium_computed = true;
  }
  const side = sideFrom(ask, bid, 1.0);
  if (side !== 'unknown' || size !== null || premium !== null) annotations.side = side;
  if (size !== null) annotations.size = size;
  if (price !== null) annotations.price = price;
  if (premium !== null) annotations.premium = premium;
  if (typeof payload.executed_at === 'number') annotations.executed_at = Math.trunc(payload.executed_at);
  // sentiment
  const kind = occ ? occ.kind : null;
  const dominant = sideFrom(ask, bid, DOMINANCE);
  annotations.sentiment = dominant === 'unknown' || kind === null ? 'neutral'
      : ((dominant === 'buy') === (kind === 'call') ? 'bullish' : 'bearish');
  // sweep
  if (typeof payload.has_sweep === 'boolean') annotations.sweep = payload.has_sweep;
  // whale (options threshold)
  if (premium !== null) {
    annotations.whale = premium >= OPTIONS_MIN_VALUE;
    if (premium >= OPTIONS_MIN_VALUE) annotations.whale_value = premium;
  }
  // the envelope a sink writes
  return JSON.stringify({channel: 'flow-alerts', timestamp: new Date().toISOString(), data: payload, annotations});
}

function main() {
  const path = process.argv[2];
  const passes = process.argv[3] ? Number(process.argv[3]) : 5;
  const lines = fs.readFileSync(path, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const inBytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  let best = Infinity;
  let outBytes = 0;
  for (let pass = 0; pass < passes; ++pass) {
    const start = process.hrtime.bigint();
    outBytes = 0;
    for (const line of lines) outBytes += processLine(line).length;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  console.log(`node ${process.version}: ${lines.length} events x ${passes} passes, best pass ${best.toFixed(4)} s: ` +
              `${Math.round(lines.length / best)} events/s, ${(inBytes / best / 1e6).toFixed(1)} MB/s in, ` +
              `${(outBytes / lines.length).toFixed(1)} bytes out/event`);
}

main();
