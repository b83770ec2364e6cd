// UW events for the browser tests, built from the UW sample payloads kept in the repository; they
// only go through `server.emit(channel, payload)` of the engine fixture.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The UW samples kept in the repository (copies of the documented payloads).
export const UW_FIXTURES = process.env.UW_FIXTURES || fileURLToPath(new URL('../../../../common/uw/tests/fixtures', import.meta.url));

/** The UW sample payloads: {flowAlert, darkPool, congress, price} (fresh copies). */
export async function loadSamples(dir = UW_FIXTURES) {
  const read = async (name) => JSON.parse(await readFile(path.join(dir, name), 'utf8'));
  const [, flowAlert] = await read('flow-alerts.json');
  const darkPool = (await read('darkpool-recent.json')).data[0];
  const congress = (await read('congress-recent-trades.json')).data[0];
  const [, price] = await read('price.json');
  return { flowAlert, darkPool, congress, price };
}

let serial = 0;
/** A unique id per call, so events of one test never collide with another's (or with a relay backlog). */
export function uid(prefix = 'test') {
  serial += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${serial}`;
}

/** A flow alert: the sample with its contract, premium and ask/bid split replaced. */
export function flowAlert(samples, { ticker = 'DIA', occ = 'DIA241018C00415000', premium = 36466, side = 'buy', sweep = false, size = 50 } = {}) {
  const ask = side === 'buy' ? premium : side === 'sell' ? 0 : premium / 2;
  return { ...structuredClone(samples.flowAlert), id: uid('flow'), ticker, option_chain: occ, total_premium: premium, total_ask_side_prem: ask, total_bid_side_prem: premium - ask, total_size: size, has_sweep: sweep, executed_at: Date.now(), start_time: Date.now() - 100, end_time: Date.now() };
}

export function darkPrint(samples, overrides = {}) {
  return { ...structuredClone(samples.darkPool), tracking_id: Math.floor(Math.random() * 9e13) + 1e13, executed_at: new Date().toISOString(), ...overrides };
}

export function congressTrade(samples, overrides = {}) {
  return { ...structuredClone(samples.congress), politician_id: uid('pol'), ...overrides };
}
