/**
 * KQL (Kibana Query Language, "kuery") syntax tree, and the builders the peggy grammar calls.
 *
 * The grammar follows Kibana's own (packages/kbn-es-query kuery grammar): `or` < `and` < `not`,
 * value lists `field:(a or b and not c)`, nested `path:{ … }`, ranges, and unquoted literals that
 * keep inner whitespace. Every node carries `loc` (UTF-16 offsets into the query text, trailing
 * whitespace excluded).
 */
import type { Loc } from '../../model/span';

/**
 * A literal as written: a field name, a value, a range bound or free text.
 * - `value`: the text after unescaping. Unquoted literals are trimmed (Kibana trims them, so
 *   `a b ` is `a b`); quoted ones are kept as is.
 * - `wildcard`: the literal contains an unescaped `*` (only unquoted literals can).
 * - `parts`: the text between unescaped wildcards (`*a\*b*` → `['', 'a*b', '']`); a literal
 *   without wildcards has one part equal to `value`. `value === parts.join('*')`.
 */
export interface KqlLiteral {
  kind: 'Literal';
  loc: Loc;
  value: string;
  quoted: boolean;
  wildcard: boolean;
  parts: string[];
}

/** `field:(a or b)`: the alternatives of a value list (n-ary, flattened). */
export interface KqlValueOr {
  kind: 'ValueOr';
  loc: Loc;
  values: KqlValue[];
}

/** `field:(a and b)` inside a value list (n-ary, flattened). */
export interface KqlValueAnd {
  kind: 'ValueAnd';
  loc: Loc;
  values: KqlValue[];
}

/** `field:(not a)` inside a value list. */
export interface KqlValueNot {
  kind: 'ValueNot';
  loc: Loc;
  value: KqlValue;
}

/** What stands right of `field:`: one literal or a value list. */
export type KqlValue = KqlLiteral | KqlValueOr | KqlValueAnd | KqlValueNot;

/** `a or b or c` (n-ary; `(a or b) or c` is flattened too). */
export interface KqlOr {
  kind: 'Or';
  loc: Loc;
  queries: KqlQuery[];
}

/** `a and b and c` (n-ary, flattened). */
export interface KqlAnd {
  kind: 'And';
  loc: Loc;
  queries: KqlQuery[];
}

export interface KqlNot {
  kind: 'Not';
  loc: Loc;
  query: KqlQuery;
}

/** `field:value` or `field:(value list)`. `field` may be quoted or contain wildcards. */
export interface KqlIs {
  kind: 'Is';
  loc: Loc;
  field: KqlLiteral;
  value: KqlValue;
}

/** `field:*` (also written `field:(*)`): the field exists. Inside a value list `*` stays a Literal. */
export interface KqlExists {
  kind: 'Exists';
  loc: Loc;
  field: KqlLiteral;
}

export type KqlRangeOp = '<' | '<=' | '>' | '>=';

/** `field >= value` (the value may be a date-math string like `now-1d`). */
export interface KqlRange {
  kind: 'Range';
  loc: Loc;
  field: KqlLiteral;
  op: KqlRangeOp;
  value: KqlLiteral;
}

/** `path:{ query }`: a nested query, its fields relative to `path`. */
export interface KqlNested {
  kind: 'Nested';
  loc: Loc;
  path: KqlLiteral;
  query: KqlQuery;
}

/** A value without a field: searches the default fields. */
export interface KqlFreeText {
  kind: 'FreeText';
  loc: Loc;
  value: KqlLiteral;
}

/** The empty (or all-whitespace) query: Kibana matches everything. */
export interface KqlEmpty {
  kind: 'Empty';
  loc: Loc;
}

export type KqlQuery = KqlOr | KqlAnd | KqlNot | KqlIs | KqlExists | KqlRange | KqlNested | KqlFreeText | KqlEmpty;

/** Every node of a KQL tree. */
export type KqlNode = KqlQuery | KqlValue;

export const KQL_RANGE_OPS: readonly KqlRangeOp[] = ['<', '<=', '>', '>='];

/** True for the value of `field:*` (an unquoted literal that is exactly one wildcard). */
export function isLoneWildcard(v: KqlValue): v is KqlLiteral {
  return v.kind === 'Literal' && v.wildcard && v.parts.length === 2 && v.parts[0] === '' && v.parts[1] === '';
}

// ---------------------------------------------------------------------------------------------
// Builders: called from the grammar's actions with `range()` = { start, end } of the match.

interface PeggyRange {
  start: number;
  end: number;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Characters that must be escaped in an unquoted literal (Kibana's SpecialCharacter). */
export const KQL_SPECIAL_CHARS = '\\():<>"*{}';

/**
 * Decodes an unquoted literal as Kibana does: `\t \r \n`, `\` + special, `\uXXXX`, `\or`/`\and`/
 * `\not` (the keyword, case kept), unescaped `*` = wildcard; then trims the whole.
 * The text has already been validated by the grammar.
 */
export function decodeUnquoted(raw: string): { parts: string[]; wildcard: boolean } {
  const parts: string[] = [];
  let cur = '';
  let plainFrom = 0;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === 92 /* \ */) {
      cur += raw.slice(plainFrom, i);
      const d = raw.charAt(i + 1);
      if (d === 't') { cur += '\t'; i += 2; }
      else if (d === 'r') { cur += '\r'; i += 2; }
      else if (d === 'n') { cur += '\n'; i += 2; }
      else if (KQL_SPECIAL_CHARS.includes(d) && d !== '') { cur += d; i += 2; }
      else if (d === 'u' && isHex(raw.charCodeAt(i + 2)) && isHex(raw.charCodeAt(i + 3)) && isHex(raw.charCodeAt(i + 4)) && isHex(raw.charCodeAt(i + 5))) {
        cur += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
        i += 6;
      } else {
        // An escaped keyword (\or, \and, \NOT): the keyword's letters follow as plain text.
        i += 1;
      }
      plainFrom = i;
    } else if (c === 42 /* * */) {
      cur += raw.slice(plainFrom, i);
      parts.push(cur);
      cur = '';
      i += 1;
      plainFrom = i;
    } else {
      i += 1;
    }
  }
  cur += raw.slice(plainFrom, n);
  parts.push(cur);
  // Kibana trims the joined sequence; wildcards are not whitespace, so trim the outer parts.
  parts[0] = (parts[0] as string).trimStart();
  parts[parts.length - 1] = (parts[parts.length - 1] as string).trimEnd();
  return { parts, wildcard: parts.length > 1 };
}

/**
 * Decodes the inside of a quoted string as Kibana does: `\t \r \n \uXXXX \\ \"`; any other
 * backslash stays a literal backslash (`"C:\Windows"` is `C:\Windows`).
 */
export function decodeQuoted(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  let plainFrom = 0;
  let i = 0;
  const n = raw.length;
  while (i < n) {
    if (raw.charCodeAt(i) !== 92) { i++; continue; }
    const d = raw.charAt(i + 1);
    let rep: string | null = null;
    let len = 2;
    if (d === 't') rep = '\t';
    else if (d === 'r') rep = '\r';
    else if (d === 'n') rep = '\n';
    else if (d === 'u' && isHex(raw.charCodeAt(i + 2)) && isHex(raw.charCodeAt(i + 3)) && isHex(raw.charCodeAt(i + 4)) && isHex(raw.charCodeAt(i + 5))) {
      rep = String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      len = 6;
    } else if (d === '\\' || d === '"') rep = d;
    if (rep === null) { i += 1; continue; }
    out += raw.slice(plainFrom, i) + rep;
    i += len;
    plainFrom = i;
  }
  return out + raw.slice(plainFrom);
}

type ListPartial = KqlValue;

/** The builder set handed to the generated parser (one per parse: it knows the input text). */
export function makeKqlBuilders(input: string) {
  /** The match's span without trailing whitespace (unquoted literals swallow it). */
  const loc = (r: PeggyRange): Loc => {
    let end = r.end;
    while (end > r.start && isSpaceCode(input.charCodeAt(end - 1))) end--;
    return { start: r.start, end };
  };
  return {
    empty(): KqlQuery {
      return { kind: 'Empty', loc: { start: 0, end: input.length } };
    },
    or(head: KqlQuery, tail: KqlQuery[], r: PeggyRange): KqlQuery {
      if (tail.length === 0) return head;
      const queries: KqlQuery[] = [];
      for (const q of [head, ...tail]) {
        if (q.kind === 'Or') queries.push(...q.queries);
        else queries.push(q);
      }
      return { kind: 'Or', loc: loc(r), queries };
    },
    and(head: KqlQuery, tail: KqlQuery[], r: PeggyRange): KqlQuery {
      if (tail.length === 0) return head;
      const queries: KqlQuery[] = [];
      for (const q of [head, ...tail]) {
        if (q.kind === 'And') queries.push(...q.queries);
        else queries.push(q);
      }
      return { kind: 'And', loc: loc(r), queries };
    },
    not(query: KqlQuery, r: PeggyRange): KqlQuery {
      return { kind: 'Not', loc: loc(r), query };
    },
    nested(path: KqlLiteral, query: KqlQuery, r: PeggyRange): KqlQuery {
      return { kind: 'Nested', loc: loc(r), path, query };
    },
    range(field: KqlLiteral, op: KqlRangeOp, value: KqlLiteral, r: PeggyRange): KqlQuery {
      return { kind: 'Range', loc: loc(r), field, op, value };
    },
    is(field: KqlLiteral, value: KqlValue, r: PeggyRange): KqlQuery {
      if (isLoneWildcard(value)) return { kind: 'Exists', loc: loc(r), field };
      return { kind: 'Is', loc: loc(r), field, value };
    },
    freeText(value: KqlLiteral): KqlQuery {
      return { kind: 'FreeText', loc: value.loc, value };
    },
    valueOr(head: ListPartial, tail: ListPartial[], r: PeggyRange): KqlValue {
      if (tail.length === 0) return head;
      const values: KqlValue[] = [];
      for (const v of [head, ...tail]) {
        if (v.kind === 'ValueOr') values.push(...v.values);
        else values.push(v);
      }
      return { kind: 'ValueOr', loc: loc(r), values };
    },
    valueAnd(head: ListPartial, tail: ListPartial[], r: PeggyRange): KqlValue {
      if (tail.length === 0) return head;
      const values: KqlValue[] = [];
      for (const v of [head, ...tail]) {
        if (v.kind === 'ValueAnd') values.push(...v.values);
        else values.push(v);
      }
      return { kind: 'ValueAnd', loc: loc(r), values };
    },
    valueNot(value: KqlValue, r: PeggyRange): KqlValue {
      return { kind: 'ValueNot', loc: loc(r), value };
    },
    quoted(raw: string, r: PeggyRange): KqlLiteral {
      const value = decodeQuoted(raw);
      return { kind: 'Literal', loc: { start: r.start, end: r.end }, value, quoted: true, wildcard: false, parts: [value] };
    },
    unquoted(raw: string, r: PeggyRange): KqlLiteral {
      const { parts, wildcard } = decodeUnquoted(raw);
      return { kind: 'Literal', loc: loc(r), value: parts.join('*'), quoted: false, wildcard, parts };
    },
  };
}

export type KqlBuilders = ReturnType<typeof makeKqlBuilders>;
