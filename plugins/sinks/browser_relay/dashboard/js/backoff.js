// Reconnect delays: exponential from 1 s doubling to a 30 s ceiling, with jitter (pure).

export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 1000, maxMs: 30000, jitter: 0.2 });

/**
 * Delay before reconnect attempt `attempt` (1-based). The base doubles from initialMs up to maxMs;
 * jitter spreads it by +/- jitter x base so many tabs do not reconnect in lock-step after a restart,
 * and the result never exceeds maxMs. `random` returns [0, 1) (injected for tests).
 */
export function backoffDelay(attempt, options = {}, random = Math.random) {
  const { initialMs, maxMs, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n-1) overflows to Infinity for huge n, which Math.min handles.
  const base = Math.min(maxMs, initialMs * 2 ** (n - 1));
  const spread = base * jitter * (2 * random() - 1);
  return Math.round(Math.max(0, Math.min(maxMs, base + spread)));
}

/** The base delays without jitter, for display and tests: [1000, 2000, 4000, ...]. */
export function backoffSchedule(count, options = {}) {
  return Array.from({ length: count }, (_, i) => backoffDelay(i + 1, { ...options, jitter: 0 }));
}
