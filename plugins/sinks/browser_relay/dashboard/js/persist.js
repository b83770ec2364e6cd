// localStorage of the recent events per feed and of the user's settings; storage errors never break the page.

const PREFIX = 'flowmind.dashboard.v1.';

export function loadJson(storage, name, fallback) {
  try {
    const text = storage?.getItem(PREFIX + name);
    if (text === null || text === undefined) return fallback;
    const value = JSON.parse(text);
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

/** Returns false when the browser refused (quota, private mode): the page goes on without saving. */
export function saveJson(storage, name, value) {
  try {
    storage?.setItem(PREFIX + name, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function removeKey(storage, name) {
  try {
    storage?.removeItem(PREFIX + name);
  } catch {
    /* storage unavailable: nothing to remove */
  }
}

/** Saved events of a feed, only well-formed wire messages, at most `limit` (the newest). */
export function loadEvents(storage, feed, limit) {
  const events = loadJson(storage, `events.${feed}`, []);
  if (!Array.isArray(events)) return [];
  const ok = events.filter((e) => e && typeof e === 'object' && typeof e.channel === 'string' && e.data && typeof e.data === 'object');
  return limit >= 0 ? ok.slice(Math.max(0, ok.length - limit)) : ok;
}

export function saveEvents(storage, feed, events) {
  return saveJson(storage, `events.${feed}`, events);
}
