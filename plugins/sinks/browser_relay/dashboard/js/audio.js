// Alert sounds made in the page with Web Audio (no sound files), rate-limited, muted on request.

/** Tone patterns: [frequency Hz, start s, duration s]. Rising for bullish, falling for bearish, low triple for whales. */
export const PATTERNS = Object.freeze({
  bullish: [
    [660, 0, 0.09],
    [990, 0.1, 0.12],
  ],
  bearish: [
    [880, 0, 0.09],
    [520, 0.1, 0.12],
  ],
  neutral: [[740, 0, 0.12]],
  whale: [
    [330, 0, 0.1],
    [330, 0.14, 0.1],
    [440, 0.28, 0.16],
  ],
});

/**
 * Decides whether an event should sound and which pattern: options flow at or above the premium
 * threshold (by sentiment), any whale (flow or dark pool). Null when it should stay silent (pure).
 */
export function alertFor(row, threshold) {
  if (!row) return null;
  if (row.whale) return 'whale';
  if (row.feed === 'flow' && typeof row.premium === 'number' && threshold > 0 && row.premium >= threshold) return row.sentiment || 'neutral';
  return null;
}

export class AlertPlayer {
  constructor({ minIntervalMs = 400, AudioContextImpl = globalThis.AudioContext || globalThis.webkitAudioContext } = {}) {
    this.minIntervalMs = minIntervalMs;
    this.AudioContextImpl = AudioContextImpl;
    this.context = null;
    this.muted = false;
    this.lastAt = -Infinity;
    this.played = 0;
    this.skipped = 0;
  }

  /** Browsers only let audio start after a user gesture: call this from one (click, key). */
  unlock() {
    if (!this.AudioContextImpl) return;
    try {
      if (!this.context) this.context = new this.AudioContextImpl();
      if (this.context.state === 'suspended') this.context.resume().catch(() => {});
    } catch {
      this.context = null;
    }
  }

  /** Plays a pattern unless muted or too soon after the previous sound; returns whether it counted as played. */
  play(pattern, now = performance.now()) {
    if (this.muted || !PATTERNS[pattern]) return false;
    if (now - this.lastAt < this.minIntervalMs) {
      this.skipped += 1;
      return false;
    }
    this.lastAt = now;
    this.played += 1;
    const ctx = this.context;
    if (!ctx || ctx.state !== 'running') return true;
    const t0 = ctx.currentTime + 0.01;
    for (const [freq, start, duration] of PATTERNS[pattern]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      // Short attack and exponential release: no clicks, and quiet enough for an all-day tab.
      gain.gain.setValueAtTime(0.0001, t0 + start);
      gain.gain.exponentialRampToValueAtTime(0.15, t0 + start + 0.015);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + duration);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + start);
      osc.stop(t0 + start + duration + 0.02);
    }
    return true;
  }
}
