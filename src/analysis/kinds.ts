/**
 * Value kinds: how a matched value is classified, from the pattern's wildcards.
 *
 * A pattern with `*` wildcards only splits into literal parts; by where the `*`s sit it is
 * `eq` (none), `starts_with` (`abc*` → `abc`), `ends_with` (`*abc` → `abc`), `contains`
 * (`*abc*` → `abc`), `exists` (`*` alone), else `wildcard` (shown as written). A single-character
 * wildcard `?` anywhere makes it `wildcard`. Values under exact operators (`==`, `in`, quoted KQL)
 * never get here: they are `eq` even when they contain `*` (census §8.13).
 */
import type { PredicateValue, RowKind, ValueKind } from './types';

/** A pattern split on its unescaped `*`s, with escapes resolved; `question`: an unescaped `?` occurs. */
export interface SplitPattern {
  parts: string[];
  question: boolean;
}

/**
 * Splits a wildcard pattern. `escape`: `\x` stands for a literal `x` (Elasticsearch wildcard
 * queries, ES|QL LIKE, Lucene); `question`: `?` is a single-character wildcard.
 */
export function splitPattern(pattern: string, opts: { escape: boolean; question: boolean }): SplitPattern {
  const parts: string[] = [];
  let cur = '';
  let question = false;
  let from = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 92 /* \ */ && opts.escape && i + 1 < pattern.length) {
      cur += pattern.slice(from, i) + pattern.charAt(i + 1);
      i++;
      from = i + 1;
    } else if (c === 42 /* * */) {
      cur += pattern.slice(from, i);
      parts.push(cur);
      cur = '';
      from = i + 1;
    } else if (c === 63 /* ? */ && opts.question) {
      question = true;
    }
  }
  cur += pattern.slice(from);
  parts.push(cur);
  return { parts, question };
}

/**
 * Classifies a split pattern. `display` is what a `wildcard` value shows (the pattern as the
 * language means it); the other kinds show the literal part.
 */
export function classifyParts(parts: readonly string[], question: boolean, display: string): PredicateValue {
  const n = parts.length;
  const first = parts[0] ?? '';
  if (n === 1 && !question) return { value: first, kind: 'eq' };
  if (!question && parts.every((p) => p === '')) return { value: '', kind: 'exists' };
  if (!question) {
    const last = parts[n - 1] ?? '';
    if (n === 2 && first !== '' && last === '') return { value: first, kind: 'starts_with' };
    if (n === 2 && first === '' && last !== '') return { value: last, kind: 'ends_with' };
    if (n === 3 && first === '' && last === '' && (parts[1] ?? '') !== '') return { value: parts[1] as string, kind: 'contains' };
  }
  return { value: display, kind: 'wildcard' };
}

/** Classifies a pattern where `*` and `?` are wildcards and there is no escape (EQL `:`, `like`). */
export function classifyEqlPattern(pattern: string): PredicateValue {
  const s = splitPattern(pattern, { escape: false, question: true });
  return classifyParts(s.parts, s.question, pattern);
}

/**
 * Classifies a pattern with `*`, `?` and backslash escapes (Elasticsearch `wildcard` query,
 * ES|QL `LIKE`). A `wildcard` value shows the pattern with escapes resolved.
 */
export function classifyEscapedPattern(pattern: string): PredicateValue {
  const s = splitPattern(pattern, { escape: true, question: true });
  if (s.parts.length === 1 && !s.question) return { value: s.parts[0] as string, kind: 'eq' };
  return classifyParts(s.parts, s.question, unescapeKeepingWildcards(pattern));
}

/**
 * `\x` → `x`, except that an escaped `*` or `?` stays escaped so the display remains a pattern
 * (and a filter's `C:\\Windows\\*` shows `C:\Windows\*`, as the same EQL pattern does).
 */
function unescapeKeepingWildcards(pattern: string): string {
  if (!pattern.includes('\\')) return pattern;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '\\' && i + 1 < pattern.length) {
      const d = pattern.charAt(i + 1);
      out += d === '*' || d === '?' ? c + d : d;
      i++;
    } else out += c;
  }
  return out;
}

/** Row kinds in display order (alphabetical, as rows sort by field, kind, value). */
export function compareKinds(a: RowKind, b: RowKind): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The kind a value of a row has in corpus keys: a value of an `in` list is an `eq` value. */
export function valueKindOf(kind: RowKind): ValueKind {
  return kind === 'in' ? 'eq' : kind;
}

const NUMERIC = /^-?\d+(?:\.\d+)?$/;

/** Cheap pre-check (most values start with a letter) before the pattern. */
function isNumeric(s: string): boolean {
  const c = s.charCodeAt(0);
  return (c === 45 || (c >= 48 && c <= 57)) && NUMERIC.test(s);
}

/**
 * Value order in rows: numbers (`22`, `-1`, `0.5`) first in numeric order, then every other
 * value in UTF-16 code-unit order (locale-free). `20, 22, 443, 3389`, not `20, 22, 3389, 443`.
 */
export function compareValues(a: string, b: string): number {
  const na = isNumeric(a);
  const nb = isNumeric(b);
  if (na && nb) {
    const d = Number(a) - Number(b);
    if (d !== 0) return d < 0 ? -1 : 1;
  } else if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit string order (locale-free, deterministic). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\/(\d{1,3})$/;

/**
 * True for a value in CIDR notation (`10.0.0.0/8`, `fe80::/10`). An exact match of such a value
 * on an IP field matches the whole block, so it is a `cidr` value whatever the operator
 * (`source.ip:10.0.0.0/8`, `destination.ip in ("10.0.0.0/8")`, `cidrMatch(…)` all agree).
 */
export function isCidr(value: string): boolean {
  const m4 = IPV4_CIDR.exec(value);
  if (m4) return m4.slice(1, 5).every((o) => Number(o) <= 255) && Number(m4[5]) <= 32;
  const m6 = IPV6_CIDR.exec(value);
  return m6 !== null && Number(m6[1]) <= 128 && value.split('::').length <= 2;
}
