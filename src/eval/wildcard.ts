/**
 * Wildcard patterns (`*` any run of characters, `?` one character) matched against a whole
 * value, without backtracking: the pattern is split at `*` into segments; the first must match
 * at the start, the last at the end, the ones between are placed leftmost in turn (which is
 * correct for `*`-separated segments). Cost is at most O(value length × pattern length).
 *
 * Characters are code points (`?` matches one code point, as in Lucene). Case-insensitive
 * matching lower-cases pattern and value alike.
 *
 * Three syntaxes build the token list:
 *   EQL (`:`, `like`): `*` and `?` are wildcards, a backslash is an ordinary character;
 *   KQL: `*` only (the parser already split on unescaped `*`; `?` is literal);
 *   Lucene query_string: `*` and `?`, a backslash escapes the next character.
 */
import { Lang, type Re } from './automaton';

export const STAR = 0 as const;
export const ONE = 1 as const;
export type WildToken = string | typeof STAR | typeof ONE;

interface Segment {
  /** Code points of the segment; `null` stands for `?`. */
  chars: (string | null)[];
  /** The segment's literal text when it has no `?` (fast path), else null. */
  text: string | null;
}

export interface WildcardMatcher {
  test(value: string): boolean;
  /** True when the pattern has no wildcard (a plain equality). */
  readonly exact: boolean;
  /** The folded literal when `exact`. */
  readonly literal: string;
}

function fold(s: string, ci: boolean): string {
  return ci ? s.toLowerCase() : s;
}

export function eqlWildcardTokens(pattern: string): WildToken[] {
  const out: WildToken[] = [];
  let lit = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '?') {
      if (lit) out.push(lit);
      lit = '';
      out.push(ch === '*' ? STAR : ONE);
    } else lit += ch;
  }
  if (lit) out.push(lit);
  return out;
}

/** KQL literal parts (text between unescaped `*`). */
export function kqlWildcardTokens(parts: readonly string[]): WildToken[] {
  const out: WildToken[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(STAR);
    if (p) out.push(p);
  });
  return out;
}

/** A Lucene term as written (escapes kept): `\x` is a literal x, `*` and `?` wildcards. */
export function luceneWildcardTokens(raw: string): WildToken[] {
  const out: WildToken[] = [];
  let lit = '';
  const cps = Array.from(raw);
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i] as string;
    if (ch === '\\' && i + 1 < cps.length) {
      lit += cps[++i] as string;
    } else if (ch === '*' || ch === '?') {
      if (lit) out.push(lit);
      lit = '';
      out.push(ch === '*' ? STAR : ONE);
    } else lit += ch;
  }
  if (lit) out.push(lit);
  return out;
}

export function hasWildcard(tokens: readonly WildToken[]): boolean {
  return tokens.some((t) => t === STAR || t === ONE);
}

function segmentAt(value: readonly string[] | string, pos: number, seg: Segment): boolean {
  const cs = seg.chars;
  for (let k = 0; k < cs.length; k++) {
    const c = cs[k];
    if (c === null) continue;
    if (value[pos + k] !== c) return false;
  }
  return true;
}

function findSegment(value: readonly string[] | string, from: number, seg: Segment): number {
  if (seg.text !== null && typeof value === 'string') return value.indexOf(seg.text, from);
  const last = value.length - seg.chars.length;
  for (let p = from; p <= last; p++) if (segmentAt(value, p, seg)) return p;
  return -1;
}

/** Compiles wildcard tokens (folded when `caseInsensitive`). */
export function compileWildcard(tokens: readonly WildToken[], caseInsensitive: boolean): WildcardMatcher {
  if (!hasWildcard(tokens)) {
    const literal = fold(tokens.join(''), caseInsensitive);
    return caseInsensitive
      ? { exact: true, literal, test: (v) => v.toLowerCase() === literal }
      : { exact: true, literal, test: (v) => v === literal };
  }
  // Split at STAR into segments.
  const segs: Segment[] = [];
  let chars: (string | null)[] = [];
  let hasQ = false;
  let anyStar = false;
  const flush = (): void => {
    segs.push({ chars, text: hasQ ? null : chars.join('') });
    chars = [];
    hasQ = false;
  };
  for (const t of tokens) {
    if (t === STAR) {
      flush();
      anyStar = true;
    } else if (t === ONE) {
      chars.push(null);
      hasQ = true;
    } else for (const ch of fold(t, caseInsensitive)) chars.push(ch);
  }
  flush();
  const needsCodePoints = segs.some((s) => s.text === null);
  const first = segs[0] as Segment;
  const lastSeg = segs[segs.length - 1] as Segment;
  const test = (raw: string): boolean => {
    const folded = fold(raw, caseInsensitive);
    // Work on code points when `?` must count them and the value has surrogate pairs.
    const value: readonly string[] | string = needsCodePoints && /[\uD800-\uDFFF]/.test(folded) ? Array.from(folded) : folded;
    const n = value.length;
    if (!anyStar) return n === first.chars.length && segmentAt(value, 0, first);
    if (n < first.chars.length + lastSeg.chars.length) return false;
    if (!segmentAt(value, 0, first)) return false;
    const endStart = n - lastSeg.chars.length;
    if (!segmentAt(value, endStart, lastSeg)) return false;
    let pos = first.chars.length;
    for (let i = 1; i < segs.length - 1; i++) {
      const seg = segs[i] as Segment;
      if (seg.chars.length === 0) continue;
      const at = findSegment(value, pos, seg);
      if (at < 0 || at + seg.chars.length > endStart) return false;
      pos = at + seg.chars.length;
    }
    return true;
  };
  return { exact: false, literal: '', test };
}

/**
 * The same pattern as a regular language (for the example synthesiser). A run of `*` and `?`
 * is "at least one character per `?`": it is written `?…?*` (one star), the same language, whose
 * derivatives stay small (`*?*?*?…` as written made derivatives as wide as the run, and a long
 * one took the synthesiser minutes).
 */
export function wildcardLanguage(lang: Lang, tokens: readonly WildToken[], caseInsensitive: boolean, caseSet: (cp: number) => readonly number[]): Re {
  const parts: Re[] = [];
  let ones = 0;
  let star = false;
  const flush = (): void => {
    for (; ones > 0; ones--) parts.push(lang.anyChar);
    if (star) parts.push(lang.anyString);
    star = false;
  };
  for (const t of tokens) {
    if (t === STAR) star = true;
    else if (t === ONE) ones++;
    else {
      flush();
      for (const ch of t) {
        const cp = ch.codePointAt(0) as number;
        parts.push(caseInsensitive ? lang.set(caseSet(cp)) : lang.char(cp));
      }
    }
  }
  flush();
  return lang.catAll(parts);
}
