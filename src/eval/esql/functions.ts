/**
 * ES|QL scalar functions (the ones the corpus uses, and their close relatives), following the
 * ES|QL function reference: a null argument gives null; single-value functions give null on a
 * multi-valued argument (Elasticsearch adds a warning); the type conversion functions and
 * TO_LOWER / TO_UPPER apply to each value of a multi-value; MV_* functions work on multi-values.
 * KQL(), QSTR(), MATCH() and CASE() are handled by the expression compiler (run.ts).
 */
import { cidrContains, formatIp, parseCidr, parseIp } from '../cidr';
import { parseDate } from '../dates';
import { compileJavaRegex, replaceAll } from './patterns';
import { compareScalars, dateMs, EDate, fromList, listOf, scalarKey, stringOf, type EV, type Scalar } from './value';

export class EsqlRuntimeError extends Error {}

type Fn = (args: EV[], ctx: { now: number }) => EV;

function single(v: EV): Scalar | null {
  return v === null || Array.isArray(v) ? null : v;
}

function str(v: EV): string | null {
  const s = single(v);
  return typeof s === 'string' ? s : s === null ? null : stringOf(s);
}

function num(v: EV): number | null {
  const s = single(v);
  if (typeof s === 'number') return s;
  if (typeof s === 'string' && s.trim() !== '' && Number.isFinite(Number(s))) return Number(s);
  return null;
}

/** Applies `f` to every value (conversion functions). */
function eachValue(v: EV, f: (x: Scalar) => Scalar | null): EV {
  const out: Scalar[] = [];
  for (const x of listOf(v)) {
    const y = f(x);
    if (y !== null) out.push(y);
  }
  return fromList(out);
}

const nullIfAnyNull = (f: (args: EV[], ctx: { now: number }) => EV): Fn => (args, ctx) => (args.some((a) => a === null) ? null : f(args, ctx));

function toNumber(x: Scalar, integer: boolean): Scalar | null {
  let n: number;
  if (typeof x === 'number') n = x;
  else if (typeof x === 'boolean') n = x ? 1 : 0;
  else if (x instanceof EDate) n = x.ms;
  else {
    const t = x.trim();
    if (t === '' || !Number.isFinite(Number(t))) return null;
    n = Number(t);
  }
  return integer ? Math.trunc(n) : n;
}

const UNIT_MS: Record<string, number> = {
  millisecond: 1, milliseconds: 1, ms: 1,
  second: 1000, seconds: 1000, sec: 1000, s: 1000,
  minute: 60_000, minutes: 60_000, min: 60_000, m: 60_000,
  hour: 3_600_000, hours: 3_600_000, h: 3_600_000,
  day: 86_400_000, days: 86_400_000, d: 86_400_000,
  week: 604_800_000, weeks: 604_800_000, w: 604_800_000,
};

/** A time span value: `{ unit, value }` encoded as a string `span:<ms>` or calendar units. */
export class Span {
  constructor(
    readonly value: number,
    readonly unit: string,
  ) {}
  get ms(): number | null {
    const u = UNIT_MS[this.unit];
    return u === undefined ? null : u * this.value;
  }
}

export function addSpan(ms: number, s: Span, sign: 1 | -1): number | null {
  const fixed = s.ms;
  if (fixed !== null) return ms + sign * fixed;
  const d = new Date(ms);
  const months = /^(month|months|mo)$/.test(s.unit) ? s.value : /^(quarter|quarters|q)$/.test(s.unit) ? 3 * s.value : /^(year|years|yr|y)$/.test(s.unit) ? 12 * s.value : null;
  if (months === null) return null;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + sign * months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

function truncDate(ms: number, s: Span): number | null {
  const fixed = s.ms;
  if (fixed !== null) return Math.floor(ms / fixed) * fixed;
  const d = new Date(ms);
  if (/^(month|months|mo)$/.test(s.unit)) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % s.value), 1);
  if (/^(year|years|yr|y)$/.test(s.unit)) return Date.UTC(d.getUTCFullYear() - (d.getUTCFullYear() % s.value), 0, 1);
  if (/^(quarter|quarters|q)$/.test(s.unit)) return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % (3 * s.value)), 1);
  return null;
}

const DIFF_UNITS: Record<string, number> = {
  millisecond: 1, milliseconds: 1, ms: 1,
  second: 1000, seconds: 1000, ss: 1000, s: 1000,
  minute: 60_000, minutes: 60_000, mi: 60_000, n: 60_000,
  hour: 3_600_000, hours: 3_600_000, hh: 3_600_000,
  day: 86_400_000, days: 86_400_000, dd: 86_400_000, d: 86_400_000,
  week: 604_800_000, weeks: 604_800_000, wk: 604_800_000, ww: 604_800_000,
};

function jsonPath(obj: unknown, path: string): unknown {
  let p = path.trim();
  if (p.startsWith('$')) p = p.slice(1);
  const segs: string[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]|^([^.[\]]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(p)) !== null) {
    if (m.index !== consumed) return undefined;
    segs.push((m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]) as string);
    consumed = re.lastIndex;
  }
  if (consumed !== p.length) return undefined;
  let cur: unknown = obj;
  for (const s of segs) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, s)) return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

function geoPoint(s: string): [number, number] | null {
  const m = /^\s*POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)\s*$/i.exec(s);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function base64Decode(s: string): string | null {
  try {
    const bin = atob(s.replace(/\s+/g, ''));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  } catch {
    return null;
  }
}

export const ESQL_FUNCTIONS: Record<string, Fn> = {
  COALESCE: (args) => args.find((a) => a !== null) ?? null,
  CONCAT: nullIfAnyNull((args) => {
    let out = '';
    for (const a of args) {
      const s = str(a);
      if (s === null) return null;
      out += s;
    }
    return out;
  }),
  LENGTH: nullIfAnyNull(([a]) => {
    const s = str(a ?? null);
    return s === null ? null : Array.from(s).length;
  }),
  TO_LOWER: (args) => eachValue(args[0] ?? null, (x) => (typeof x === 'string' ? x.toLowerCase() : x)),
  TO_UPPER: (args) => eachValue(args[0] ?? null, (x) => (typeof x === 'string' ? x.toUpperCase() : x)),
  TO_STRING: (args) => eachValue(args[0] ?? null, (x) => stringOf(x)),
  TO_DOUBLE: (args) => eachValue(args[0] ?? null, (x) => toNumber(x, false)),
  TO_LONG: (args) => eachValue(args[0] ?? null, (x) => toNumber(x, true)),
  TO_INTEGER: (args) => eachValue(args[0] ?? null, (x) => toNumber(x, true)),
  TO_BOOLEAN: (args) => eachValue(args[0] ?? null, (x) => (typeof x === 'boolean' ? x : typeof x === 'number' ? x !== 0 : typeof x === 'string' ? x.toLowerCase() === 'true' : null)),
  TO_IP: (args) => eachValue(args[0] ?? null, (x) => {
    const v = typeof x === 'string' ? parseIp(x) : null;
    return v === null ? null : formatIp(v);
  }),
  TO_DATETIME: (args) => eachValue(args[0] ?? null, (x) => {
    const d = x instanceof EDate ? x.ms : parseDate(x);
    return d === null ? null : new EDate(d);
  }),
  TO_GEOPOINT: (args) => eachValue(args[0] ?? null, (x) => (typeof x === 'string' && geoPoint(x) ? x : null)),
  ST_X: nullIfAnyNull(([a]) => {
    const p = geoPoint(str(a ?? null) ?? '');
    return p ? p[0] : null;
  }),
  ST_Y: nullIfAnyNull(([a]) => {
    const p = geoPoint(str(a ?? null) ?? '');
    return p ? p[1] : null;
  }),
  ST_DISTANCE: nullIfAnyNull(([a, b]) => {
    const p = geoPoint(str(a ?? null) ?? '');
    const q = geoPoint(str(b ?? null) ?? '');
    if (!p || !q) return null;
    const rad = Math.PI / 180;
    const dLat = (q[1] - p[1]) * rad;
    const dLon = (q[0] - p[0]) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(p[1] * rad) * Math.cos(q[1] * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * 6_371_008.7714 * Math.asin(Math.sqrt(h));
  }),
  STARTS_WITH: nullIfAnyNull(([a, b]) => {
    const s = str(a ?? null);
    const p = str(b ?? null);
    return s === null || p === null ? null : s.startsWith(p);
  }),
  ENDS_WITH: nullIfAnyNull(([a, b]) => {
    const s = str(a ?? null);
    const p = str(b ?? null);
    return s === null || p === null ? null : s.endsWith(p);
  }),
  CONTAINS: nullIfAnyNull(([a, b]) => {
    const s = str(a ?? null);
    const p = str(b ?? null);
    return s === null || p === null ? null : s.includes(p);
  }),
  LOCATE: nullIfAnyNull(([a, b, c]) => {
    const s = str(a ?? null);
    const p = str(b ?? null);
    if (s === null || p === null) return null;
    const start = c === undefined ? 1 : num(c);
    if (start === null) return null;
    const cps = Array.from(s);
    const from = Math.max(0, start - 1);
    const idx = cps.slice(from).join('').indexOf(p);
    return idx < 0 ? 0 : Array.from(cps.slice(from).join('').slice(0, idx)).length + from + 1;
  }),
  TRIM: nullIfAnyNull(([a]) => str(a ?? null)?.trim() ?? null),
  LTRIM: nullIfAnyNull(([a]) => str(a ?? null)?.trimStart() ?? null),
  RTRIM: nullIfAnyNull(([a]) => str(a ?? null)?.trimEnd() ?? null),
  SPACE: nullIfAnyNull(([a]) => {
    const n = num(a ?? null);
    return n === null || n < 0 || n > 1_000_000 ? null : ' '.repeat(n);
  }),
  SUBSTRING: nullIfAnyNull(([a, b, c]) => {
    const s = str(a ?? null);
    const start = num(b ?? null);
    if (s === null || start === null) return null;
    const cps = Array.from(s);
    const from = start < 0 ? Math.max(0, cps.length + start) : Math.max(0, start - 1);
    const len = c === undefined ? cps.length : num(c);
    if (len === null) return null;
    return cps.slice(from, from + len).join('');
  }),
  SPLIT: nullIfAnyNull(([a, b]) => {
    const s = str(a ?? null);
    const d = str(b ?? null);
    if (s === null || d === null || d.length !== 1) return null;
    return fromList(s.split(d));
  }),
  REPLACE: nullIfAnyNull(([a, b, c]) => {
    const s = str(a ?? null);
    const p = str(b ?? null);
    const r = str(c ?? null);
    if (s === null || p === null || r === null) return null;
    const re = compileJavaRegex(p);
    if (!re.ok) throw new EsqlRuntimeError(`REPLACE: ${re.error}`);
    return replaceAll(re, s, r);
  }),
  URL_DECODE: nullIfAnyNull(([a]) => {
    const s = str(a ?? null);
    if (s === null) return null;
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }),
  FROM_BASE64: nullIfAnyNull(([a]) => {
    const s = str(a ?? null);
    return s === null ? null : base64Decode(s);
  }),
  TO_BASE64: nullIfAnyNull(([a]) => {
    const s = str(a ?? null);
    if (s === null) return null;
    const bytes = new TextEncoder().encode(s);
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  }),
  JSON_EXTRACT: nullIfAnyNull(([a, b]) => {
    const s = str(a ?? null);
    const p = str(b ?? null);
    if (s === null || p === null) return null;
    let obj: unknown;
    try {
      obj = JSON.parse(s);
    } catch {
      return null;
    }
    const v = jsonPath(obj, p);
    if (v === undefined || v === null) return null;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return JSON.stringify(v);
  }),
  CIDR_MATCH: (args) => {
    const ipv = single(args[0] ?? null);
    if (ipv === null) return null;
    const ip = typeof ipv === 'string' ? parseIp(ipv) : null;
    if (ip === null) return null;
    for (const a of args.slice(1)) {
      for (const c of listOf(a)) {
        const block = typeof c === 'string' ? parseCidr(c) : null;
        if (block && cidrContains(block, ip)) return true;
      }
    }
    return false;
  },
  ROUND: nullIfAnyNull(([a, b]) => {
    const x = num(a ?? null);
    if (x === null) return null;
    const d = b === undefined ? 0 : num(b);
    if (d === null) return null;
    const f = 10 ** d;
    return Math.sign(x) * Math.round(Math.abs(x) * f) / f;
  }),
  ABS: nullIfAnyNull(([a]) => {
    const x = num(a ?? null);
    return x === null ? null : Math.abs(x);
  }),
  NOW: (_args, ctx) => new EDate(ctx.now),
  DATE_TRUNC: nullIfAnyNull(([a, b]) => {
    const span = a as unknown;
    const d = single(b ?? null);
    if (!(span instanceof Span) || d === null) return null;
    const ms = dateMs(d);
    if (ms === null) return null;
    const t = truncDate(ms, span);
    return t === null ? null : new EDate(t);
  }),
  DATE_DIFF: nullIfAnyNull(([u, a, b]) => {
    const unit = str(u ?? null);
    const x = single(a ?? null);
    const y = single(b ?? null);
    if (unit === null || x === null || y === null) return null;
    const p = dateMs(x);
    const q = dateMs(y);
    if (p === null || q === null) return null;
    const mult = DIFF_UNITS[unit.toLowerCase()];
    if (mult === undefined) {
      const pd = new Date(p);
      const qd = new Date(q);
      const months = (qd.getUTCFullYear() - pd.getUTCFullYear()) * 12 + (qd.getUTCMonth() - pd.getUTCMonth());
      if (/^(month|months|mm|m)$/i.test(unit)) return months;
      if (/^(year|years|yyyy|yy)$/i.test(unit)) return Math.trunc(months / 12);
      if (/^(quarter|quarters|qq|q)$/i.test(unit)) return Math.trunc(months / 3);
      throw new EsqlRuntimeError(`DATE_DIFF: unknown unit ${JSON.stringify(unit)}`);
    }
    return Math.trunc((q - p) / mult);
  }),
  DATE_EXTRACT: nullIfAnyNull(([u, a]) => {
    const unit = str(u ?? null)?.toUpperCase();
    const x = single(a ?? null);
    const ms = x === null ? null : dateMs(x);
    if (!unit || ms === null) return null;
    const d = new Date(ms);
    const parts: Record<string, number> = {
      YEAR: d.getUTCFullYear(),
      MONTH_OF_YEAR: d.getUTCMonth() + 1,
      DAY_OF_MONTH: d.getUTCDate(),
      HOUR_OF_DAY: d.getUTCHours(),
      MINUTE_OF_HOUR: d.getUTCMinutes(),
      SECOND_OF_MINUTE: d.getUTCSeconds(),
      DAY_OF_WEEK: ((d.getUTCDay() + 6) % 7) + 1,
    };
    return parts[unit] ?? null;
  }),
  MV_FIRST: ([a]) => listOf(a ?? null)[0] ?? null,
  MV_LAST: ([a]) => {
    const l = listOf(a ?? null);
    return l[l.length - 1] ?? null;
  },
  MV_COUNT: ([a]) => (a === null || a === undefined ? null : listOf(a).length),
  MV_MIN: ([a]) => {
    const l = listOf(a ?? null);
    return l.length === 0 ? null : l.reduce((m, x) => ((compareScalars(x, m) ?? 0) < 0 ? x : m));
  },
  MV_MAX: ([a]) => {
    const l = listOf(a ?? null);
    return l.length === 0 ? null : l.reduce((m, x) => ((compareScalars(x, m) ?? 0) > 0 ? x : m));
  },
  MV_SUM: ([a]) => {
    const l = listOf(a ?? null);
    if (l.length === 0) return null;
    let s = 0;
    for (const x of l) {
      if (typeof x !== 'number') return null;
      s += x;
    }
    return s;
  },
  MV_AVG: ([a]) => {
    const l = listOf(a ?? null).filter((x): x is number => typeof x === 'number');
    return l.length === 0 ? null : l.reduce((p, q) => p + q, 0) / l.length;
  },
  MV_CONCAT: nullIfAnyNull(([a, d]) => {
    const delim = str(d ?? null);
    if (delim === null) return null;
    return listOf(a ?? null).map(stringOf).join(delim);
  }),
  MV_DEDUPE: ([a]) => {
    const seen = new Set<string>();
    const out: Scalar[] = [];
    for (const x of listOf(a ?? null)) {
      const k = scalarKey(x);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return fromList(out);
  },
  MV_SORT: ([a, o]) => {
    const desc = str(o ?? null)?.toUpperCase() === 'DESC';
    const l = listOf(a ?? null).slice().sort((x, y) => (compareScalars(x, y) ?? 0) * (desc ? -1 : 1));
    return fromList(l);
  },
  MV_SLICE: ([a, s, e]) => {
    const l = listOf(a ?? null);
    const start = num(s ?? null);
    if (l.length === 0 || start === null) return null;
    const end = e === undefined ? start : num(e);
    if (end === null) return null;
    const norm = (i: number): number => (i < 0 ? l.length + i : i);
    const from = norm(start);
    const to = norm(end);
    if (from > to || from >= l.length) return null;
    return fromList(l.slice(Math.max(0, from), Math.min(l.length, to + 1)));
  },
  MV_CONTAINS: ([a, b]) => {
    if (b === null || b === undefined) return true;
    if (a === null || a === undefined) return false;
    const set = new Set(listOf(a).map(scalarKey));
    return listOf(b).every((x) => set.has(scalarKey(x)));
  },
  MV_INTERSECTION: ([a, b]) => {
    if (a === null || a === undefined || b === null || b === undefined) return null;
    const set = new Set(listOf(b).map(scalarKey));
    const seen = new Set<string>();
    const out: Scalar[] = [];
    for (const x of listOf(a)) {
      const k = scalarKey(x);
      if (set.has(k) && !seen.has(k)) {
        seen.add(k);
        out.push(x);
      }
    }
    return fromList(out);
  },
  GREATEST: (args) => {
    const l = args.flatMap((a) => listOf(a));
    return args.some((a) => a === null) || l.length === 0 ? null : l.reduce((m, x) => ((compareScalars(x, m) ?? 0) > 0 ? x : m));
  },
  LEAST: (args) => {
    const l = args.flatMap((a) => listOf(a));
    return args.some((a) => a === null) || l.length === 0 ? null : l.reduce((m, x) => ((compareScalars(x, m) ?? 0) < 0 ? x : m));
  },
  MD5: () => {
    throw new EsqlRuntimeError('MD5 is not evaluable in the browser');
  },
};

/** Functions that take multi-valued arguments (the others give null on them). */
export const MV_AWARE = new Set([
  'COALESCE', 'TO_LOWER', 'TO_UPPER', 'TO_STRING', 'TO_DOUBLE', 'TO_LONG', 'TO_INTEGER', 'TO_BOOLEAN', 'TO_IP', 'TO_DATETIME', 'TO_GEOPOINT',
  'MV_FIRST', 'MV_LAST', 'MV_COUNT', 'MV_MIN', 'MV_MAX', 'MV_SUM', 'MV_AVG', 'MV_CONCAT', 'MV_DEDUPE', 'MV_SORT', 'MV_SLICE', 'MV_CONTAINS',
  'MV_INTERSECTION', 'CIDR_MATCH', 'GREATEST', 'LEAST', 'NOW',
]);

/** Aggregate functions (STATS / INLINE STATS). */
export const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'VALUES', 'MIN', 'MAX', 'SUM', 'AVG', 'TOP', 'MEDIAN', 'FIRST', 'LAST']);

/**
 * The number of distinct values (as `scalarKey` tells them apart: a number and its string are
 * different, a date is its instant): a set per type instead of a key string per value.
 */
function countDistinct(values: readonly Scalar[][]): number {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const dates = new Set<number>();
  let sawTrue = false;
  let sawFalse = false;
  let others: Set<string> | null = null;
  for (const vs of values) {
    for (const v of vs) {
      if (v instanceof EDate) dates.add(v.ms);
      else if (typeof v === 'string') strings.add(v);
      else if (typeof v === 'number') numbers.add(v);
      else if (v === true) sawTrue = true;
      else if (v === false) sawFalse = true;
      else (others ??= new Set()).add(scalarKey(v));
    }
  }
  return strings.size + numbers.size + dates.size + (sawTrue ? 1 : 0) + (sawFalse ? 1 : 0) + (others?.size ?? 0);
}

/** Computes an aggregate over the values of its argument in a group's rows. */
export function aggregate(name: string, values: Scalar[][], rowsCount: number, extra: EV[]): EV {
  // The two counts go through the values without flattening them (STATS over a thousand
  // repeated events runs them again for every count the example synthesiser tries).
  if (name === 'COUNT') {
    let n = 0;
    for (const vs of values) n += vs.length;
    return n;
  }
  if (name === 'COUNT_DISTINCT') return countDistinct(values);
  const flat = values.flat();
  switch (name) {
    case 'VALUES': {
      const seen = new Map<string, Scalar>();
      for (const v of flat) seen.set(scalarKey(v), v);
      return fromList([...seen.values()].sort((a, b) => compareScalars(a, b) ?? 0));
    }
    case 'MIN':
      return flat.length === 0 ? null : flat.reduce((m, x) => ((compareScalars(x, m) ?? 0) < 0 ? x : m));
    case 'MAX':
      return flat.length === 0 ? null : flat.reduce((m, x) => ((compareScalars(x, m) ?? 0) > 0 ? x : m));
    case 'SUM': {
      const nums = flat.filter((x): x is number => typeof x === 'number');
      return nums.length === 0 ? null : nums.reduce((a, b) => a + b, 0);
    }
    case 'AVG': {
      const nums = flat.filter((x): x is number => typeof x === 'number');
      return nums.length === 0 ? null : nums.reduce((a, b) => a + b, 0) / nums.length;
    }
    case 'MEDIAN': {
      const nums = flat.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
      if (nums.length === 0) return null;
      const mid = nums.length >> 1;
      return nums.length % 2 ? (nums[mid] as number) : ((nums[mid - 1] as number) + (nums[mid] as number)) / 2;
    }
    case 'TOP': {
      const limit = typeof extra[0] === 'number' ? extra[0] : 1;
      const desc = typeof extra[1] === 'string' ? extra[1].toUpperCase() === 'DESC' : false;
      const sorted = flat.slice().sort((a, b) => (compareScalars(a, b) ?? 0) * (desc ? -1 : 1));
      return fromList(sorted.slice(0, limit));
    }
    default:
      void rowsCount;
      throw new EsqlRuntimeError(`aggregate ${name} is not supported`);
  }
}
