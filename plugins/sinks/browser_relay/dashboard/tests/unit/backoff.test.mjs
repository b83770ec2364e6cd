// Unit tests of the reconnect schedule and of FeedConnection's states, with a fake WebSocket and fake timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, backoffSchedule } from '../../js/backoff.js';
import { FeedConnection } from '../../js/connection.js';

test('backoff doubles from 1 s to a 30 s ceiling', () => {
  assert.deepEqual(backoffSchedule(8), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  assert.equal(backoffDelay(1000, { jitter: 0 }), 30000); // unlimited attempts stay at the ceiling
  assert.equal(backoffDelay(0, { jitter: 0 }), 1000);
});

test('jitter spreads each delay by +/-20% and never passes the ceiling', () => {
  assert.equal(backoffDelay(1, {}, () => 0), 800);
  assert.equal(backoffDelay(1, {}, () => 0.5), 1000);
  assert.equal(backoffDelay(1, {}, () => 0.999999), 1200);
  assert.equal(backoffDelay(3, {}, () => 0), 3200);
  assert.equal(backoffDelay(10, {}, () => 0.999999), 30000);
  assert.equal(backoffDelay(10, {}, () => 0), 24000);
  for (let i = 0; i < 200; i += 1) {
    const d = backoffDelay(1 + (i % 8));
    assert.ok(d >= 800 && d <= 30000, String(d));
  }
});

class FakeSocket {
  static all = [];
  constructor(url) {
    this.url = url;
    this.closed = false;
    FakeSocket.all.push(this);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.onopen?.({});
  }
  message(data) {
    this.onmessage?.({ data });
  }
  drop(code = 1006) {
    this.onerror?.({});
    this.onclose?.({ code, reason: '' });
  }
}

function fakeTimers() {
  const pending = new Map();
  let id = 0;
  return {
    pending,
    setTimeout(fn, ms) {
      id += 1;
      pending.set(id, { fn, ms });
      return id;
    },
    clearTimeout(i) {
      pending.delete(i);
    },
    fire() {
      const [[i, t]] = pending;
      pending.delete(i);
      t.fn();
      return t.ms;
    },
  };
}

function connection() {
  FakeSocket.all = [];
  const timers = fakeTimers();
  const states = [];
  const messages = [];
  const conn = new FeedConnection({ url: 'ws://x/api/stream/ws/flow', backoff: { initialMs: 1000, maxMs: 30000, jitter: 0 }, WebSocketImpl: FakeSocket, timers, onState: (i) => states.push(`${i.state}:${i.attempt}`), onMessage: (m) => messages.push(m) });
  return { conn, timers, states, messages };
}

test('connection: connecting, live, then reconnecting with growing delays and live again', () => {
  const { conn, timers, states } = connection();
  conn.start();
  assert.deepEqual(states, ['connecting:0']);
  FakeSocket.all[0].open();
  assert.equal(conn.info.state, 'live');
  FakeSocket.all[0].drop();
  assert.equal(conn.info.state, 'reconnecting');
  assert.equal(conn.info.attempt, 1);
  const delays = [];
  for (let i = 1; i <= 7; i += 1) {
    delays.push(timers.fire());
    FakeSocket.all.at(-1).drop();
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.equal(conn.info.attempt, 8);
  timers.fire();
  FakeSocket.all.at(-1).open();
  assert.equal(conn.info.state, 'live');
  assert.equal(conn.info.attempt, 0);
  FakeSocket.all.at(-1).drop();
  assert.equal(timers.pending.values().next().value.ms, 1000, 'a successful connection resets the backoff');
});

test('connection: a first connection that fails is an error, retried', () => {
  const { conn, timers } = connection();
  conn.start();
  FakeSocket.all[0].drop();
  assert.equal(conn.info.state, 'error');
  assert.equal(timers.pending.size, 1);
  timers.fire();
  assert.equal(conn.info.state, 'reconnecting');
});

test('connection: reconnectNow skips the wait; stop goes offline and cancels the retry', () => {
  const { conn, timers } = connection();
  conn.start();
  FakeSocket.all[0].open();
  FakeSocket.all[0].drop();
  assert.equal(timers.pending.size, 1);
  conn.reconnectNow();
  assert.equal(timers.pending.size, 0);
  assert.equal(FakeSocket.all.length, 2);
  conn.reconnectNow(); // already trying: no second socket
  assert.equal(FakeSocket.all.length, 2);
  conn.stop();
  assert.equal(conn.info.state, 'offline');
  assert.equal(FakeSocket.all[1].closed, true);
  FakeSocket.all[1].drop();
  assert.equal(timers.pending.size, 0, 'no retry after stop');
});

test('connection: only well-formed wire messages reach the page', () => {
  const { conn, messages } = connection();
  conn.start();
  const s = FakeSocket.all[0];
  s.open();
  s.message('{"channel":"flow-alerts","timestamp":"2024-09-18T14:36:52.748Z","data":{"ticker":"DIA"},"annotations":{"sentiment":"bullish"}}');
  s.message('{"channel":"flow-alerts","timestamp":"t","data":{"ticker":"SPY"}}');
  s.message('not json');
  s.message('["flow-alerts",{"ticker":"DIA"}]');
  s.message('{"channel":"flow-alerts","data":"text"}');
  s.message('{"channel":"flow-alerts","data":{},"annotations":"bad"}');
  assert.equal(messages.length, 3);
  assert.equal(messages[0].annotations.sentiment, 'bullish');
  assert.deepEqual(messages[2].annotations, {});
  assert.equal(conn.malformed, 3);
  assert.equal(conn.messages, 3);
});
