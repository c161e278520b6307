/**
 * Dates as Elasticsearch's `date` type reads them (`strict_date_optional_time||epoch_millis`),
 * and date math (`now-1d/d`, `2024-01-01||+1M`) relative to a given `now`.
 *
 * Values are epoch milliseconds (fractions keep sub-millisecond precision for ordering).
 */

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses an ISO-8601 date (UTC unless an offset is given) or epoch milliseconds; null otherwise. */
export function parseDate(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  // Fast path: the common `YYYY-MM-DDTHH:MM:SS.sssZ` form.
  if (v.length === 24 && v.charCodeAt(23) === 90 && v.charCodeAt(10) === 84 && v.charCodeAt(19) === 46) {
    const t = Date.parse(v);
    if (!Number.isNaN(t)) return t;
  }
  const s = v.trim();
  if (/^-?\d+(\.\d+)?$/.test(s) && !/^\d{4}$/.test(s)) return Number(s);
  const m = ISO.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac, tz] = m;
  let ms = Date.UTC(Number(y), Number(mo ?? '1') - 1, Number(d ?? '1'), Number(h ?? '0'), Number(mi ?? '0'), Number(se ?? '0'));
  if (Number.isNaN(ms)) return null;
  if (frac) ms += Number(`0.${frac}`) * 1000;
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    const off = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    ms -= sign * off * 60_000;
  }
  return ms;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 604_800_000 };

function roundDown(ms: number, unit: string): number {
  const d = new Date(ms);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = (d.getUTCDay() + 6) % 7; // Monday = 0
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day);
    }
    case 'd':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'h':
    case 'H':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    case 'm':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
    case 's':
      return Math.floor(ms / 1000) * 1000;
    default:
      return ms;
  }
}

function addUnits(ms: number, n: number, unit: string): number {
  if (unit === 'y' || unit === 'M') {
    const d = new Date(ms);
    const months = unit === 'y' ? n * 12 : n;
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
  }
  const u = UNIT_MS[unit];
  return u === undefined ? NaN : ms + n * u;
}

/**
 * Evaluates date math: `now`, `now-1d`, `now-30d/d`, `2024-01-01||+1M/d`, or a plain date.
 * `roundUp` rounds `/unit` to the end of the unit (range upper bounds `lte`, and `gt`), as
 * Elasticsearch does. Null when the text is not a date.
 */
export function parseDateMath(text: string, now: number, roundUp = false): number | null {
  const s = text.trim();
  let base: number | null;
  let rest: string;
  if (s.startsWith('now')) {
    base = now;
    rest = s.slice(3);
  } else {
    const sep = s.indexOf('||');
    if (sep < 0) return parseDate(s);
    base = parseDate(s.slice(0, sep));
    rest = s.slice(sep + 2);
  }
  if (base === null) return null;
  let ms = base;
  let i = 0;
  while (i < rest.length) {
    const op = rest.charAt(i);
    if (op === '/') {
      const unit = rest.charAt(i + 1);
      if (!'yMwdhHms'.includes(unit) || unit === '') return null;
      ms = roundUp ? addUnits(roundDown(ms, unit), 1, unit) - 1 : roundDown(ms, unit);
      i += 2;
    } else if (op === '+' || op === '-') {
      const m = /^(\d*)([yMwdhHms])/.exec(rest.slice(i + 1));
      if (!m) return null;
      const n = m[1] === '' ? 1 : Number(m[1]);
      ms = addUnits(ms, op === '-' ? -n : n, m[2] as string);
      i += 1 + m[0].length;
    } else return null;
  }
  return Number.isNaN(ms) ? null : ms;
}

/** ISO-8601 text of an epoch-millisecond time. */
export function formatDate(ms: number): string {
  return new Date(Math.floor(ms)).toISOString();
}
