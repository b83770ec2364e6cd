// Baseline for the relay fan-out benchmark: one UW upstream connection, each event's envelope
// {"channel","timestamp","data"} serialized once and broadcast to every client with the npm `ws` package.
//   RELAY_BENCH_UPSTREAM_URL=ws://127.0.0.1:8765/socket RELAY_BENCH_RELAY_PORT=8000 node node_relay.mjs
import { WebSocket, WebSocketServer } from 'ws';

const upstreamUrl = process.env.RELAY_BENCH_UPSTREAM_URL;
const port = Number(process.env.RELAY_BENCH_RELAY_PORT || 8000);
const path = process.env.RELAY_BENCH_PATH || '/api/stream/ws/flow';
const token = process.env.RELAY_BENCH_TOKEN || 'bench-dummy-token';
const channel = 'flow-alerts';
if (!upstreamUrl) {
  console.error('node_relay: set RELAY_BENCH_UPSTREAM_URL');
  process.exit(2);
}

const server = new WebSocketServer({ host: '127.0.0.1', port, path, perMessageDeflate: false, maxPayload: 4096, backlog: 1024 });
server.on('connection', (client) => {
  client.on('message', () => {});  // clients have nothing to say; anything they send is ignored
  client.on('error', () => {});
});
server.on('listening', () => console.error(`node_relay: listening on 127.0.0.1:${port}${path}`));

// Encoded to bytes once: ws then writes the same Buffer to every client (a string would be encoded per send).
const sendOptions = { binary: false };
let delivered = 0;

function broadcast(channelName, payload) {
  const envelope = JSON.stringify({ channel: channelName, timestamp: new Date().toISOString(), data: payload });
  const bytes = Buffer.from(envelope);
  for (const client of server.clients) {
    if (client.readyState === WebSocket.OPEN) {
      client.send(bytes, sendOptions);
      delivered += 1;
    }
  }
}

function connectUpstream() {
  const upstream = new WebSocket(`${upstreamUrl}?token=${encodeURIComponent(token)}`, { perMessageDeflate: false, maxPayload: 4 * 1024 * 1024 });
  upstream.on('open', () => {
    console.error(`node_relay: upstream open, joining ${channel}`);
    upstream.send(JSON.stringify({ channel, msg_type: 'join' }));
  });
  upstream.on('message', (data, isBinary) => {
    if (isBinary) return;
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!Array.isArray(message) || message.length !== 2) return;
    const [channelName, payload] = message;
    if (payload && typeof payload === 'object' && 'status' in payload && 'response' in payload) return;  // join ack
    broadcast(channelName, payload);
  });
  upstream.on('close', () => {
    console.error('node_relay: upstream closed, reconnecting in 1 s');
    setTimeout(connectUpstream, 1000);
  });
  upstream.on('error', (error) => console.error(`node_relay: upstream: ${error.message}`));
}

connectUpstream();
const shutdown = () => {
  console.error(`node_relay: ${delivered} messages sent to clients`);
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
