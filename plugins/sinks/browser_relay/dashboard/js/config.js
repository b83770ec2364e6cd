// Dashboard settings: defaults in code, overridden by an optional config.json served next to index.html.

export const DEFAULT_CONFIG = Object.freeze({
  title: 'FlowMind Stream',
  // WebSocket paths on the page's own origin (the relay's defaults, issue #5).
  endpoints: Object.freeze({
    flow: '/api/stream/ws/flow',
    darkpool: '/api/stream/ws/dark-pool',
    congress: '/api/stream/ws/congress',
    movers: '/api/stream/ws/market-movers',
  }),
  // Optional bearer token for a relay that requires one (sent as ?access_token=; browsers cannot set headers on WebSockets).
  accessToken: '',
  maxRows: 500,
  persistRows: 50,
  tickerLink: '/builder?symbol={symbol}&strike={strike}&expiry={expiry}&type={kind}',
  tickerLinkTarget: '_blank',
  alertThreshold: 500000,
  whaleValue: 1000000,
  flowWhaleValue: null,
  lateDays: 45,
  dominance: 1.5,
  timeZone: '',
  backoff: Object.freeze({ initialMs: 1000, maxMs: 30000, jitter: 0.2 }),
  alertMinIntervalMs: 400,
});

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clampInt(value, fallback, min, max) {
  const n = Number(value);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, Math.round(n)));
}

/**
 * Defaults merged with the user's settings, one level deep for endpoints and backoff; values of the
 * wrong type are ignored and sizes clamped so a typo cannot make the page unbounded.
 */
export function mergeConfig(user) {
  const out = { ...DEFAULT_CONFIG, endpoints: { ...DEFAULT_CONFIG.endpoints }, backoff: { ...DEFAULT_CONFIG.backoff } };
  if (!isPlainObject(user)) return out;
  for (const [key, value] of Object.entries(user)) {
    if (!(key in DEFAULT_CONFIG)) continue;
    const base = DEFAULT_CONFIG[key];
    if (isPlainObject(base)) {
      if (!isPlainObject(value)) continue;
      for (const [k, v] of Object.entries(value)) if (k in base && typeof v === typeof base[k]) out[key][k] = v;
    } else if (base === null) {
      if (value === null || typeof value === 'number') out[key] = value;
    } else if (typeof value === typeof base) {
      out[key] = value;
    }
  }
  out.maxRows = clampInt(out.maxRows, DEFAULT_CONFIG.maxRows, 10, 20000);
  out.persistRows = clampInt(out.persistRows, DEFAULT_CONFIG.persistRows, 0, out.maxRows);
  out.backoff.initialMs = clampInt(out.backoff.initialMs, 1000, 50, 600000);
  out.backoff.maxMs = clampInt(out.backoff.maxMs, 30000, out.backoff.initialMs, 3600000);
  out.backoff.jitter = Math.min(1, Math.max(0, Number(out.backoff.jitter) || 0));
  return out;
}

/** Loads config.json relative to the page; a missing or broken file leaves the defaults (logged). */
export async function loadConfig(fetchImpl = fetch) {
  try {
    const response = await fetchImpl('config.json', { cache: 'no-store' });
    if (!response.ok) return mergeConfig(null);
    return mergeConfig(await response.json());
  } catch (error) {
    console.warn('config.json unreadable, using defaults:', error);
    return mergeConfig(null);
  }
}

/**
 * ws:// or wss:// URL of an endpoint, resolved against the page's own URL (so a page behind a
 * reverse-proxy prefix can use relative paths in config.json), with the token when one is set.
 */
export function socketUrl(path, location, accessToken = '') {
  const url = new URL(path, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  if (accessToken) url.searchParams.set('access_token', accessToken);
  return url.toString();
}
