/**
 * Lucene query syntax (Elasticsearch `query_string`) syntax tree, and the builders the peggy
 * grammar calls.
 *
 * Lucene has no operator precedence: a query is a flat list of clauses, each with an occur
 * (`must` / `should` / `must_not`) computed from the conjunctions and modifiers around it the way
 * Lucene's classic QueryParser does it with the default operator OR (`a AND b` and `+a +b` give
 * the same tree). Every node carries `loc` (UTF-16 offsets into the query text).
 */
import type { Loc } from '../../model/span';

export type LuceneOccur = 'must' | 'should' | 'must_not';

export interface LuceneClause {
  loc: Loc;
  occur: LuceneOccur;
  query: LuceneQuery;
}

/** Two or more clauses (or one clause with a `+`/`-`/`NOT` modifier). */
export interface LuceneBool {
  kind: 'Bool';
  loc: Loc;
  clauses: LuceneClause[];
}

/** `~` / `~N` after a term (fuzzy) or a phrase (proximity). `distance` null = the default. */
export interface LuceneFuzzy {
  distance: number | null;
}

/**
 * A bare term. `field` is null for the default field(s). `value` is the text with escapes
 * removed. `pattern` is set when the term has an unescaped `*` or `?` wildcard: the term as
 * written (escapes kept, as Lucene's wildcard syntax wants them); null otherwise.
 */
export interface LuceneTerm {
  kind: 'Term';
  loc: Loc;
  field: string | null;
  value: string;
  pattern: string | null;
  fuzzy: LuceneFuzzy | null;
}

/** `"quoted phrase"` with optional proximity `~N`. `value` has escapes removed. */
export interface LucenePhrase {
  kind: 'Phrase';
  loc: Loc;
  field: string | null;
  value: string;
  slop: LuceneFuzzy | null;
}

/** `/regular expression/` (Lucene regexp syntax); `pattern` as written between the slashes. */
export interface LuceneRegex {
  kind: 'Regex';
  loc: Loc;
  field: string | null;
  pattern: string;
}

export interface LuceneBound {
  value: string;
  quoted: boolean;
}

/**
 * `[a TO b]`, `{a TO b}`, mixed brackets, `*` bounds (null = open), and Elasticsearch's shorthand
 * `>=a`, `>a`, `<a`, `<=a` (`shorthand: true`; the open side is null).
 */
export interface LuceneRange {
  kind: 'Range';
  loc: Loc;
  field: string | null;
  lower: LuceneBound | null;
  upper: LuceneBound | null;
  includeLower: boolean;
  includeUpper: boolean;
  shorthand: boolean;
}

/** `_exists_:field`. */
export interface LuceneExists {
  kind: 'Exists';
  loc: Loc;
  field: string;
}

/** `field:( … )`: the inner query's bare terms search `field`. */
export interface LuceneFieldGroup {
  kind: 'FieldGroup';
  loc: Loc;
  field: string;
  query: LuceneQuery;
}

/** `query^N`. */
export interface LuceneBoost {
  kind: 'Boost';
  loc: Loc;
  query: LuceneQuery;
  boost: number;
}

export type LuceneQuery = LuceneBool | LuceneTerm | LucenePhrase | LuceneRegex | LuceneRange | LuceneExists | LuceneFieldGroup | LuceneBoost;

export type LuceneNode = LuceneQuery;

// ---------------------------------------------------------------------------------------------
// Builders

interface PeggyRange {
  start: number;
  end: number;
}

type Conj = 'AND' | 'OR' | null;
type Mod = '+' | '-' | 'NOT' | null;

export interface RawClause {
  conj: Conj;
  mod: Mod;
  query: LuceneQuery;
  range: PeggyRange;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Lucene's `discardEscapeChar`: `\x` → `x`, `\uXXXX` → the character. Returns an error message
 * for a truncated or non-hex `\u` escape or a trailing backslash.
 */
export function unescapeLucene(raw: string): { value: string } | { error: string } {
  if (!raw.includes('\\')) return { value: raw };
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw.charAt(i);
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    if (i + 1 >= raw.length) return { error: 'Term can not end with escape character.' };
    const d = raw.charAt(i + 1);
    if (d === 'u') {
      if (i + 6 > raw.length) return { error: 'Truncated unicode escape sequence.' };
      for (let k = i + 2; k < i + 6; k++) {
        if (!isHex(raw.charCodeAt(k))) return { error: `Non-hex character in Unicode escape sequence: ${raw.charAt(k)}` };
      }
      out += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      out += d;
      i += 2;
    }
  }
  return { value: out };
}

/** True when `raw` (a term as written) has a `*` or `?` that is not escaped. */
export function hasUnescapedWildcard(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 42 || c === 63) return true;
  }
  return false;
}

/** The builder set handed to the generated parser (see parse.ts). */
export function makeLuceneBuilders() {
  const loc = (r: PeggyRange): Loc => ({ start: r.start, end: r.end });
  return {
    /**
     * Lucene's addClause with the default operator OR: `AND` makes the previous clause and this
     * one required (unless prohibited); `+` requires; `-`/`!`/`NOT` prohibit. One clause
     * without a modifier is the query itself.
     */
    query(first: RawClause, rest: RawClause[], r: PeggyRange): LuceneQuery {
      if (rest.length === 0 && first.mod === null) return first.query;
      const clauses: LuceneClause[] = [];
      for (const c of [first, ...rest]) {
        const last = clauses[clauses.length - 1];
        if (last !== undefined && c.conj === 'AND' && last.occur !== 'must_not') last.occur = 'must';
        const prohibited = c.mod === '-' || c.mod === 'NOT';
        const required = c.mod === '+' || (c.conj === 'AND' && !prohibited);
        clauses.push({ loc: loc(c.range), occur: required ? 'must' : prohibited ? 'must_not' : 'should', query: c.query });
      }
      return { kind: 'Bool', loc: loc(r), clauses };
    },
    clause(conj: Conj, mod: Mod, query: LuceneQuery, r: PeggyRange): RawClause {
      return { conj, mod, query, range: r };
    },
    fieldGroup(field: string | null, query: LuceneQuery, r: PeggyRange): LuceneQuery {
      return field === null ? query : { kind: 'FieldGroup', loc: loc(r), field, query };
    },
    boost(query: LuceneQuery, boost: string | null, r: PeggyRange): LuceneQuery {
      return boost === null ? query : { kind: 'Boost', loc: loc(r), query, boost: Number(boost) };
    },
    fuzzy(digits: string | null): LuceneFuzzy {
      return { distance: digits === null || digits === '' ? null : Number(digits) };
    },
    /** A bare term; returns an error message for a bad escape. */
    term(field: string | null, raw: string, fuzzy: LuceneFuzzy | null, r: PeggyRange): LuceneQuery | string {
      const u = unescapeLucene(raw);
      if ('error' in u) return u.error;
      const value = u.value;
      const wildcard = hasUnescapedWildcard(raw);
      if (!wildcard && fuzzy === null && value.length > 1 && (value.charAt(0) === '>' || value.charAt(0) === '<')) {
        // Elasticsearch's `field:>=10` shorthand (applies to the unescaped text).
        const eq = value.length > 2 && value.charAt(1) === '=';
        const bound: LuceneBound = { value: value.slice(eq ? 2 : 1), quoted: false };
        const gt = value.charAt(0) === '>';
        return {
          kind: 'Range', loc: loc(r), field,
          lower: gt ? bound : null, upper: gt ? null : bound,
          includeLower: gt ? eq : true, includeUpper: gt ? true : eq,
          shorthand: true,
        };
      }
      if (field === '_exists_' && !wildcard && fuzzy === null) return { kind: 'Exists', loc: loc(r), field: value };
      return { kind: 'Term', loc: loc(r), field, value, pattern: wildcard ? raw : null, fuzzy };
    },
    phrase(field: string | null, raw: string, slop: LuceneFuzzy | null, r: PeggyRange): LuceneQuery | string {
      const u = unescapeLucene(raw);
      if ('error' in u) return u.error;
      return { kind: 'Phrase', loc: loc(r), field, value: u.value, slop };
    },
    regex(field: string | null, pattern: string, r: PeggyRange): LuceneQuery {
      return { kind: 'Regex', loc: loc(r), field, pattern };
    },
    /** `[lo TO hi]`; a bound is `{ raw, quoted }`; an unquoted `*` is open. */
    range(field: string | null, open: string, lo: { raw: string; quoted: boolean }, hi: { raw: string; quoted: boolean }, close: string, r: PeggyRange): LuceneQuery | string {
      const bound = (b: { raw: string; quoted: boolean }): LuceneBound | null | string => {
        if (!b.quoted && b.raw === '*') return null;
        const u = unescapeLucene(b.raw);
        if ('error' in u) return u.error;
        return { value: u.value, quoted: b.quoted };
      };
      const lower = bound(lo);
      const upper = bound(hi);
      if (typeof lower === 'string') return lower;
      if (typeof upper === 'string') return upper;
      return { kind: 'Range', loc: loc(r), field, lower, upper, includeLower: open === '[', includeUpper: close === ']', shorthand: false };
    },
    hasWildcard: hasUnescapedWildcard,
    escapeError(raw: string): string | null {
      const u = unescapeLucene(raw);
      return 'error' in u ? u.error : null;
    },
    /** A field name as written (escapes allowed). */
    field(raw: string): string | { error: string } {
      const u = unescapeLucene(raw);
      return 'error' in u ? u : u.value;
    },
  };
}

export type LuceneBuilders = ReturnType<typeof makeLuceneBuilders>;
