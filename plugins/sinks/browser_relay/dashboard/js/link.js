// Ticker links from a configurable template such as "/builder?symbol={symbol}&type={kind}" (pure).

const PLACEHOLDER = /\{([a-z_]+)\}/gi;

/**
 * The template with every {name} replaced by the URL-encoded value (unknown or missing names give
 * an empty string). Returns null when the template is empty or the result is not a safe link.
 */
export function buildLink(template, values) {
  if (typeof template !== 'string' || template.trim() === '') return null;
  const url = template.replace(PLACEHOLDER, (_, name) => {
    const v = values[name];
    return v === null || v === undefined ? '' : encodeURIComponent(String(v));
  });
  return isSafeHref(url) ? url : null;
}

/** Relative links and http(s) only: a template must never turn a ticker into a javascript: URL. */
export function isSafeHref(url) {
  // Browsers ignore tabs, newlines and leading blanks in a scheme ("java\tscript:"), so must we.
  // eslint-disable-next-line no-control-regex
  const text = url.replace(/[\u0000-\u0020]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  if (!scheme) return true;
  return ['http', 'https'].includes(scheme[1].toLowerCase());
}
