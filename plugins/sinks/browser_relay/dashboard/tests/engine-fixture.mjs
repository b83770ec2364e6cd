// The server under test of the browser tests: the real uw-sim and a real `flowmind run` whose
// pipelines (UW WebSocket / REST -> the demo filters -> browser_relay) serve this dashboard.
//
//   const server = await startServer({ config })     // config: merged into the served config.json
//   server.url                                       // "http://127.0.0.1:PORT/" of the page
//   await server.emit(channel, payload)              // a UW event at the simulator: POST /_sim/emit
//                                                    // ("flow-alerts", "off_lit_trades", "price:SPY"),
//                                                    // or for "congress-trades" a REST record
//                                                    // (POST /_sim/rest) that the uw_rest source polls
//   await server.stop(); await server.start()        // stop the engine (port closed) and start it again
//   await server.clientCount()                       // browser WebSockets open now (relay /status)
//   await server.close()                             // final teardown
//
// Binaries come from FLOWMIND_BUILD_DIR (default: build/default of this checkout).

import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const DASHBOARD_DIR = path.resolve(HERE, '..');
const REPO = path.resolve(DASHBOARD_DIR, '../../../..');
const BUILD = process.env.FLOWMIND_BUILD_DIR || path.join(REPO, 'build', 'default');
const FLOWMIND = path.join(BUILD, 'bin', 'flowmind');
const UW_SIM = path.join(BUILD, 'bin', 'uw-sim');
const MEMBERS_CSV = path.join(REPO, 'pipelines', 'examples', 'congress-members.csv');
// Every generated channel off: the tests see only what they emit.
const QUIET = ['flow-alerts', 'option_trades', 'off_lit_trades', 'lit_trades', 'price', 'gex', 'gex_strike', 'gex_strike_expiry', 'news', 'market_tide', 'congress', 'darkpool'];
const PRICE_TICKERS = ['SPY', 'QQQ', 'AAPL', 'NVDA', 'TSLA', 'MSFT', 'AMD', 'META', 'AMZN', 'IWM', 'PLTR', 'DIA'];
const TOKEN = 'dashboard-test-token';

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a truthy value; throws `what` (with the process logs) after `ms`. */
async function waitFor(check, what, ms, logs = () => '') {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch {
      // not up yet
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${logs()}`);
    await sleep(100);
  }
}

/** A child process whose output is kept (bounded) for error messages. */
function launch(file, args, env = {}) {
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, exited, output: () => output };
}

async function terminate(proc) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const done = await Promise.race([proc.exited, sleep(15000).then(() => null)]);
  if (!done) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

function pipelines(simPort, relayPort, staticDir) {
  const relay = (path) => `
  - type: browser_relay
    listen: 127.0.0.1:${relayPort}
    static_dir: ${staticDir}
    path: ${path}`;
  const ws = (channels) => `
source:
  type: uw_websocket
  url: ws://127.0.0.1:${simPort}/socket
  token: ${TOKEN}
  channels: [${channels.map((c) => `"${c}"`).join(', ')}]`;
  return `pipeline: dash-flow${ws(['flow-alerts'])}
filters:
  - type: uw_normalize
  - type: sentiment
  - type: sweep
  - type: whale
    min_value: 1000000
    options_min_value: 500000
sinks:${relay('/api/stream/ws/flow')}
---
pipeline: dash-flow-raw${ws(['flow-alerts'])}
sinks:${relay('/api/stream/ws/flow-raw')}
---
pipeline: dash-dark-pool${ws(['off_lit_trades'])}
filters:
  - type: uw_normalize
  - type: whale
    min_value: 1000000
sinks:${relay('/api/stream/ws/dark-pool')}
---
pipeline: dash-movers${ws(PRICE_TICKERS.map((t) => `price:${t}`))}
filters:
  - type: movers
sinks:${relay('/api/stream/ws/market-movers')}
---
pipeline: dash-congress
source:
  type: uw_rest
  base_url: http://127.0.0.1:${simPort}
  path: /api/congress/recent-trades
  token: ${TOKEN}
  channel: congress-trades
  interval: 1s
  key_fields: [politician_id+ticker+transaction_date]
filters:
  - type: enrich
    table: ${MEMBERS_CSV}
    field: name
    columns: [party, chamber, state]
  - type: late_disclosure
    max_days: 45
sinks:${relay('/api/stream/ws/congress')}
`;
}

export async function startServer({ config = null } = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'flowmind-dashboard-'));
  const staticDir = path.join(dir, 'static');
  // The page's own files only (never tests or packages), with the test's config.json.
  for (const entry of ['index.html', 'favicon.svg', 'css', 'js']) {
    await cp(path.join(DASHBOARD_DIR, entry), path.join(staticDir, entry), { recursive: true });
  }
  const shipped = JSON.parse(await readFile(path.join(DASHBOARD_DIR, 'config.json'), 'utf8'));
  await writeFile(path.join(staticDir, 'config.json'), JSON.stringify({ ...shipped, ...(config || {}) }));

  const simPort = await freePort();
  const sim = launch(UW_SIM, ['--listen', `127.0.0.1:${simPort}`, '--token', TOKEN, ...QUIET.flatMap((c) => ['--rate', `${c}=0`])]);
  await waitFor(() => /uw-sim listening on/.test(sim.output()), 'uw-sim to listen', 20000, sim.output);
  const simUrl = `http://127.0.0.1:${simPort}`;

  const relayPort = await freePort();
  const pipelineFile = path.join(dir, 'dashboard.yaml');
  await writeFile(pipelineFile, pipelines(simPort, relayPort, staticDir));
  const url = `http://127.0.0.1:${relayPort}/`;
  let engine = null;

  const logs = () => `--- flowmind ---\n${engine?.output() ?? ''}\n--- uw-sim ---\n${sim.output()}`;

  async function status() {
    const response = await fetch(`${url}api/stream/status`);
    return response.ok ? response.json() : null;
  }

  async function start() {
    if (engine) return;
    engine = launch(FLOWMIND, ['run', pipelineFile, '--admin-listen', 'off', '--log-level', 'info', '--grace-period', '2s']);
    const proc = engine;
    proc.exited.then(({ code, signal }) => {
      if (engine === proc && code !== 0 && signal === null) console.error(`flowmind exited with ${code}\n${proc.output()}`);
    });
    await waitFor(async () => (await fetch(`${url}api/stream/health`)).ok, 'the relay to answer', 30000, logs);
    // Every WebSocket channel joined upstream, so an emitted event has somewhere to go.
    await waitFor(async () => {
      const log = await (await fetch(`${simUrl}/_sim/log`)).json();
      const open = log.connections.filter((c) => c.closed_at_ms === null);
      const joined = new Set(open.flatMap((c) => c.active_channels));
      return joined.size >= 2 + PRICE_TICKERS.length && open.length >= 1;
    }, 'the upstream joins', 30000, logs);
  }

  async function stop() {
    const proc = engine;
    engine = null;
    await terminate(proc);
  }

  async function emit(channel, payload) {
    if (channel.startsWith('congress')) {
      const response = await fetch(`${simUrl}/_sim/rest`, { method: 'POST', body: JSON.stringify({ endpoint: 'congress', record: payload }) });
      if (!response.ok) throw new Error(`uw-sim refused the congress record: ${await response.text()}`);
      return 1;
    }
    const response = await fetch(`${simUrl}/_sim/emit`, { method: 'POST', body: JSON.stringify({ channel, payload }) });
    if (!response.ok) throw new Error(`uw-sim refused the event: ${await response.text()}`);
    return (await response.json()).delivered;
  }

  async function close() {
    await stop();
    await terminate(sim);
    await rm(dir, { recursive: true, force: true });
  }

  try {
    await start();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url,
    emit,
    start,
    stop,
    close,
    logs,
    clientCount: async () => (await status())?.client_connections?.total_connections ?? 0,
  };
}
