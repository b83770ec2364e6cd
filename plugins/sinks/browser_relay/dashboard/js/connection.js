// One feed's WebSocket: connect, parse wire messages, reconnect with backoff forever, report state.

import { backoffDelay } from './backoff.js';

/** Largest frame the page accepts; a bigger one is counted and skipped rather than parsed. */
export const MAX_FRAME_CHARS = 4 * 1024 * 1024;

/**
 * States: offline (switched off), connecting (first attempt), live, reconnecting (waiting or trying
 * again after a drop; `attempt` counts), error (the last attempt failed; a retry is scheduled).
 * `onState(info)` gets {state, attempt, nextRetryAt, lastError}; `onMessage(msg)` each valid message.
 */
export class FeedConnection {
  constructor({ url, backoff, onMessage, onState, WebSocketImpl = globalThis.WebSocket, timers = globalThis, random = Math.random }) {
    this.url = url;
    this.backoff = backoff;
    this.onMessage = onMessage;
    this.onState = onState;
    this.WebSocketImpl = WebSocketImpl;
    this.timers = timers;
    this.random = random;
    this.socket = null;
    this.timer = null;
    this.enabled = false;
    this.attempt = 0;
    this.everLive = false;
    this.info = { state: 'offline', attempt: 0, nextRetryAt: null, lastError: null };
    this.messages = 0;
    this.malformed = 0;
  }

  setState(state, extra = {}) {
    this.info = { state, attempt: this.attempt, nextRetryAt: null, lastError: this.info.lastError, ...extra };
    this.onState?.(this.info);
  }

  start() {
    if (this.enabled) return;
    this.enabled = true;
    this.attempt = 0;
    this.open();
  }

  stop() {
    this.enabled = false;
    this.clearTimer();
    this.closeSocket();
    this.attempt = 0;
    this.setState('offline', { lastError: null });
  }

  /** Try now instead of waiting out the backoff (tab visible again, network back). No-op when live. */
  reconnectNow() {
    if (!this.enabled || this.socket) return;
    this.clearTimer();
    this.open();
  }

  clearTimer() {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
  }

  closeSocket() {
    const s = this.socket;
    this.socket = null;
    if (!s) return;
    s.onopen = s.onmessage = s.onerror = s.onclose = null;
    try {
      s.close(1000, 'client closing');
    } catch {
      /* already closed */
    }
  }

  open() {
    this.setState(this.attempt === 0 && !this.everLive ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new this.WebSocketImpl(this.url);
    } catch (error) {
      this.setState('error', { lastError: String(error?.message || error) });
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.everLive = true;
      this.setState('live', { lastError: null });
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.handleFrame(event.data);
    };
    socket.onerror = () => {
      if (this.socket !== socket) return;
      this.info.lastError = 'connection error';
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (!this.enabled) return;
      const reason = event?.code && event.code !== 1000 ? `closed (${event.code}${event.reason ? `: ${event.reason}` : ''})` : 'closed';
      this.info.lastError = this.info.lastError || reason;
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    if (!this.enabled) return;
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    const nextRetryAt = Date.now() + delay;
    // A failed first connection is an error; a drop of a live feed is a reconnect in progress.
    const state = this.everLive ? 'reconnecting' : 'error';
    this.setState(state, { nextRetryAt });
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      if (this.enabled && !this.socket) this.open();
    }, delay);
  }

  handleFrame(data) {
    if (typeof data !== 'string' || data.length > MAX_FRAME_CHARS) {
      this.malformed += 1;
      return;
    }
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      this.malformed += 1;
      return;
    }
    if (!message || typeof message !== 'object' || typeof message.channel !== 'string' || !message.data || typeof message.data !== 'object') {
      this.malformed += 1;
      return;
    }
    if (message.annotations !== undefined && (typeof message.annotations !== 'object' || message.annotations === null)) message.annotations = {};
    this.messages += 1;
    this.onMessage?.(message);
  }
}
