/**
 * Values and how they compare, by field family (see ecs.ts): a `keyword` value is its string
 * form (numbers and booleans included, as Elasticsearch indexes them into keyword fields); a
 * `numeric` value is a number (numeric strings are coerced, as Elasticsearch coerces them at
 * index time); `date` values are epoch milliseconds; `ip` values 128-bit integers; `boolean`
 * values `true`/`false` (also the strings "true"/"false").
 *
 * `Operand` is a query-side constant pre-converted once into every family's form, so that the
 * per-event comparison is a cheap check.
 */
import { cidrContains, parseCidr, parseIp, type Cidr } from './cidr';
import { parseDate, parseDateMath } from './dates';
import type { FieldFamily } from './ecs';

export type Scalar = string | number | boolean;

export function isScalar(v: unknown): v is Scalar {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/** The keyword form of a value (null for objects). */
export function keywordOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return null;
}

/** The numeric form of a value (numeric strings coerced; null otherwise). */
export function numberOf(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') {
    const s = v.trim();
    if (s === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
    const n = Number(s);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function booleanOf(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  return null;
}

export function ipOf(v: unknown): bigint | null {
  return typeof v === 'string' ? parseIp(v) : null;
}

/** The family an event value is matched with when the field is not an ECS field. */
export function dynamicFamily(v: unknown): FieldFamily {
  if (typeof v === 'number') return 'numeric';
  if (typeof v === 'boolean') return 'boolean';
  return 'keyword';
}

/** A constant of a query, in every family's form. */
export interface Operand {
  raw: Scalar | null;
  str: string | null;
  num: number | null;
  bool: boolean | null;
  ip: bigint | null;
  cidr: Cidr | null;
  /** For dates: the value as date math (relative to `now`) when it parses. */
  date: number | null;
}

export function operand(raw: Scalar | null, now: number): Operand {
  const str = raw === null ? null : keywordOf(raw);
  return {
    raw,
    str,
    num: numberOf(raw),
    bool: booleanOf(raw),
    ip: str === null ? null : parseIp(str),
    cidr: str !== null && str.includes('/') ? parseCidr(str) : null,
    date: str === null ? null : typeof raw === 'number' ? raw : parseDateMath(str, now),
  };
}

/** Equality of an event value with an operand, in `family` (`ci`: case-insensitive keyword). */
export function equalsIn(family: FieldFamily, v: unknown, op: Operand, ci = false): boolean {
  switch (family) {
    case 'keyword':
    case 'text':
    case 'other': {
      const s = keywordOf(v);
      if (s === null || op.str === null) return false;
      return ci ? s.toLowerCase() === op.str.toLowerCase() : s === op.str;
    }
    case 'numeric': {
      const n = numberOf(v);
      return n !== null && op.num !== null && n === op.num;
    }
    case 'boolean': {
      const b = booleanOf(v);
      return b !== null && b === op.bool;
    }
    case 'ip': {
      const ip = ipOf(v);
      if (ip === null) return false;
      if (op.cidr) return cidrContains(op.cidr, ip);
      return op.ip !== null && ip === op.ip;
    }
    case 'date': {
      const d = parseDate(v);
      return d !== null && op.date !== null && d === op.date;
    }
    case 'object':
      return false;
  }
}

export type RangeOp = '<' | '<=' | '>' | '>=';

/** Whether a three-way comparison result `c` (negative, zero, positive) satisfies `op`. */
export function compareHolds(op: '==' | '!=' | RangeOp, c: number): boolean {
  switch (op) {
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

function cmp<T extends number | bigint | string>(a: T, b: T, op: RangeOp): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** `v op bound` in `family` (strings compare by code unit, as keyword terms do by bytes for BMP text). */
export function compareIn(family: FieldFamily, v: unknown, op: RangeOp, bound: Operand, dateBound?: number | null): boolean {
  switch (family) {
    case 'numeric': {
      const n = numberOf(v);
      return n !== null && bound.num !== null && cmp(n, bound.num, op);
    }
    case 'date': {
      const d = parseDate(v);
      const b = dateBound !== undefined ? dateBound : bound.date;
      return d !== null && b !== null && b !== undefined && cmp(d, b, op);
    }
    case 'ip': {
      const ip = ipOf(v);
      return ip !== null && bound.ip !== null && cmp(ip, bound.ip, op);
    }
    case 'boolean': {
      const b = booleanOf(v);
      return b !== null && bound.bool !== null && cmp(b ? 1 : 0, bound.bool ? 1 : 0, op);
    }
    case 'keyword':
    case 'text':
    case 'other': {
      const s = keywordOf(v);
      return s !== null && bound.str !== null && cmp(s, bound.str, op);
    }
    case 'object':
      return false;
  }
}

/** A short JSON-ish rendering of a value for traces and messages. */
export function show(v: unknown, max = 80): string {
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
