// Parses OCC option symbols (root, YYMMDD expiry, C/P, strike x 1000 in 8 digits), as UW sends them.

const OCC = /^([A-Z][A-Z0-9.]{0,5}?)\s*(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/;

/**
 * {root, expiry: "YYYY-MM-DD", kind: "call"|"put", strike} from e.g. "DIA241018C00415000",
 * or null when the text is not a valid OCC symbol (bad month/day included).
 */
export function parseOcc(symbol) {
  if (typeof symbol !== 'string') return null;
  const match = OCC.exec(symbol.trim().toUpperCase());
  if (!match) return null;
  const [, root, yy, mm, dd, cp, strike] = match;
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return {
    root,
    expiry: `20${yy}-${mm}-${dd}`,
    kind: cp === 'C' ? 'call' : 'put',
    strike: Number(strike) / 1000,
  };
}
