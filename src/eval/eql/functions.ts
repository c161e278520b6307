/**
 * The EQL functions of Elasticsearch, with the null and type rules of the function reference
 * (docs/reference/query-languages/eql/eql-function-ref.md). Each takes evaluated arguments
 * (a scalar or null) and returns a scalar or null; `ci` is the `~` suffix.
 *
 * Numbers carry an "integer" flag through arithmetic so that `divide(4, 3)` is 1 (both integers)
 * while `divide(4, 3.0)` is 1.333…, as the reference says.
 */
import { cidrContains, parseCidr, parseIp } from '../cidr';
import type { Scalar } from '../values';

/** A number that remembers whether Elasticsearch would hold it as an integer. */
export class Num {
  constructor(
    readonly value: number,
    readonly integer: boolean,
  ) {}
}

export type FnValue = Scalar | Num | null;

export function plain(v: FnValue): Scalar | null {
  return v instanceof Num ? v.value : v;
}

function num(v: FnValue): Num | null {
  if (v instanceof Num) return v;
  if (typeof v === 'number') return new Num(v, Number.isInteger(v));
  return null;
}

function str(v: FnValue): string | null {
  return typeof v === 'string' ? v : null;
}

/** Java's `String.valueOf` for the value kinds EQL has. */
export function stringOf(v: FnValue): string | null {
  if (v === null) return null;
  if (v instanceof Num) return v.integer || !Number.isInteger(v.value) ? String(v.value) : `${v.value}.0`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v;
}

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

export class EqlFunctionError extends Error {}

type Impl = (args: FnValue[], ci: boolean) => FnValue;

function arith(op: (a: number, b: number, int: boolean) => number | null): Impl {
  return (args) => {
    const a = num(args[0] ?? null);
    const b = num(args[1] ?? null);
    if (a === null || b === null) return null;
    const int = a.integer && b.integer;
    const r = op(a.value, b.value, int);
    return r === null ? null : new Num(r, int);
  };
}

export const EQL_IMPLS: Record<string, Impl> = {
  add: arith((a, b) => a + b),
  subtract: arith((a, b) => a - b),
  multiply: arith((a, b) => a * b),
  divide: arith((a, b, int) => (b === 0 ? null : int ? Math.trunc(a / b) : a / b)),
  modulo: arith((a, b) => (b === 0 ? null : a % b)),
  between(args, ci) {
    const source = str(args[0] ?? null);
    const left = str(args[1] ?? null);
    const right = str(args[2] ?? null);
    if (source === null || left === null || right === null) return null;
    const greedy = args[3] === true;
    if (source === '') return '';
    const s = fold(source, ci);
    const l = fold(left, ci);
    const r = fold(right, ci);
    const i = s.indexOf(l);
    if (i < 0) return '';
    const start = i + l.length;
    const end = greedy ? s.lastIndexOf(r) : s.indexOf(r, start);
    if (end < start) return '';
    return source.slice(start, end);
  },
  cidrMatch(args) {
    const ip = str(args[0] ?? null);
    if (ip === null) return null;
    const v = parseIp(ip);
    let any = false;
    for (const a of args.slice(1)) {
      const c = str(a);
      if (c === null) return null;
      const block = parseCidr(c);
      if (block === null) throw new EqlFunctionError(`cidrMatch: invalid CIDR block ${JSON.stringify(c)}`);
      if (v !== null && cidrContains(block, v)) any = true;
    }
    return any;
  },
  concat(args) {
    let out = '';
    for (const a of args) {
      const s = stringOf(a);
      if (s === null) return null;
      out += s;
    }
    return out;
  },
  endsWith(args, ci) {
    const s = str(args[0] ?? null);
    const sub = str(args[1] ?? null);
    if (s === null || sub === null) return null;
    return fold(s, ci).endsWith(fold(sub, ci));
  },
  startsWith(args, ci) {
    const s = str(args[0] ?? null);
    const sub = str(args[1] ?? null);
    if (s === null || sub === null) return null;
    return fold(s, ci).startsWith(fold(sub, ci));
  },
  stringContains(args, ci) {
    const s = str(args[0] ?? null);
    const sub = str(args[1] ?? null);
    if (s === null || sub === null) return null;
    // The reference: an empty source or substring gives false.
    if (s === '' || sub === '') return false;
    return fold(s, ci).includes(fold(sub, ci));
  },
  indexOf(args, ci) {
    const s = str(args[0] ?? null);
    const sub = str(args[1] ?? null);
    if (s === null || sub === null) return null;
    let start = 0;
    if (args.length > 2) {
      const p = num(args[2] ?? null);
      if (p === null) return null;
      start = Math.max(0, Math.trunc(p.value));
    }
    if (start > s.length) return null;
    const i = fold(s, ci).indexOf(fold(sub, ci), start);
    return i < 0 ? null : new Num(i, true);
  },
  length(args) {
    const s = str(args[0] ?? null);
    return s === null ? null : new Num(s.length, true);
  },
  number(args) {
    const s = str(args[0] ?? null);
    if (s === null) return null;
    let base: number | null = null;
    if (args.length > 1 && args[1] !== null) {
      const b = num(args[1] ?? null);
      if (b === null) return null;
      base = b.value;
    }
    let t = s.trim();
    let sign = 1;
    if (t.startsWith('+') || t.startsWith('-')) {
      if (t.startsWith('-')) sign = -1;
      t = t.slice(1);
    }
    if (/^0[xX]/.test(t)) {
      if (base !== null && base !== 16) throw new EqlFunctionError(`number: ${JSON.stringify(s)} is hexadecimal, base ${base} given`);
      base = 16;
      t = t.slice(2);
    }
    if (t === '') throw new EqlFunctionError('number: empty string');
    if (base === null || base === 10) {
      if (!/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw new EqlFunctionError(`number: cannot convert ${JSON.stringify(s)}`);
      const n = Number(t) * sign;
      return new Num(n, /^\d+$/.test(t));
    }
    if (base < 2 || base > 36) throw new EqlFunctionError(`number: invalid base ${base}`);
    const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base);
    if (![...t.toLowerCase()].every((c) => digits.includes(c))) throw new EqlFunctionError(`number: cannot convert ${JSON.stringify(s)} in base ${base}`);
    return new Num(parseInt(t, base) * sign, true);
  },
  string(args) {
    return stringOf(args[0] ?? null);
  },
  substring(args) {
    const s = str(args[0] ?? null);
    if (s === null) return null;
    const a = num(args[1] ?? null);
    if (a === null) return null;
    const len = s.length;
    const clamp = (i: number): number => (i < 0 ? Math.max(0, len + i) : Math.min(len, i));
    const start = clamp(Math.trunc(a.value));
    let end = len;
    if (args.length > 2 && args[2] !== null) {
      const b = num(args[2] ?? null);
      if (b === null) return null;
      end = clamp(Math.trunc(b.value));
    }
    return start >= end ? '' : s.slice(start, end);
  },
};

/** Elasticsearch EQL functions whose null argument gives null for the whole call. */
export function implFor(canonical: string): Impl | undefined {
  return Object.prototype.hasOwnProperty.call(EQL_IMPLS, canonical) ? EQL_IMPLS[canonical] : undefined;
}
