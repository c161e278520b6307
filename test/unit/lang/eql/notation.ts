/**
 * A compact notation for expected EQL trees in the case table (test/cases/eql.toml), expanded
 * here into the exact `stripLocs` shape of the AST, so each case states its whole tree.
 *
 * Expressions:
 *   "a.b"  "?a.b"                 Field (path split on dots; `?` = optional)
 *   ["field", ["a", "b.c"], opt]  Field with explicit segments (backticked segments hold dots)
 *   ["str", v]  ["raw", v]        String (decoded value; raw = written as """…""")
 *   7  ["num", "-1.5e3"]          Number (a TOML integer, or the raw text)
 *   true false  ["null"]          Boolean, Null
 *   ["and", …]  ["or", …]  ["not", x]
 *   ["==", l, r] (also != < <= > >=)
 *   [":", l, p]  [":()", l, p…]   Match, one pattern or a parenthesised list (also like, like~,
 *                                 regex, regex~ and their "()" forms)
 *   ["in", l, v…] ["in~", …] ["not in", …] ["not in~", …]
 *   ["call", "asWritten~", "canonical", arg…]   Call (a trailing ~ = case-insensitive)
 *   ["+", l, r] (also - * / %)    Arithmetic;  ["neg", x] ["pos", x]  Unary
 *
 * Queries (a TOML table): kind = "event" | "sequence" | "sample"; category (a name, "any", or
 * ["quoted", name]); where; by; maxspan = { value, unit, millis }; stages = [{ category, where,
 * by, runs, missing }]; until; pipes = ["head 3", …].
 */
import type { ComparisonOp, MatchOp } from '../../../../src/lang/eql/ast';

export type Notation = string | number | boolean | Notation[] | { [k: string]: Notation };

type Json = null | string | number | boolean | Json[] | { [k: string]: Json };

const COMPARISON = new Set<string>(['==', '!=', '<', '<=', '>', '>=']);
const MATCH = new Set<string>([':', 'like', 'like~', 'regex', 'regex~']);
const ARITH = new Set<string>(['+', '-', '*', '/', '%']);

function fail(what: string, n: unknown): never {
  throw new Error(`bad EQL notation (${what}): ${JSON.stringify(n)}`);
}

function field(path: string[], optional: boolean): Json {
  return { kind: 'Field', path, name: path.join('.'), optional };
}

function number(raw: string): Json {
  return { kind: 'Number', value: Number(raw), raw, decimal: /[.eE]/.test(raw) };
}

/** Expands an expression notation into the stripLocs AST. */
export function expr(n: Notation): Json {
  if (typeof n === 'string') {
    const optional = n.startsWith('?');
    return field((optional ? n.slice(1) : n).split('.'), optional);
  }
  if (typeof n === 'number') return number(String(n));
  if (typeof n === 'boolean') return { kind: 'Boolean', value: n };
  if (!Array.isArray(n)) return fail('expression', n);
  const [head, ...rest] = n;
  if (typeof head !== 'string') return fail('operator', n);
  if (head === 'field') return field(rest[0] as string[], rest[1] === true);
  if (head === 'str' || head === 'raw') return { kind: 'String', value: rest[0] as string, raw: head === 'raw' };
  if (head === 'num') return number(rest[0] as string);
  if (head === 'null') return { kind: 'Null' };
  if (head === 'and' || head === 'or') return { kind: head === 'and' ? 'And' : 'Or', operands: rest.map(expr) };
  if (head === 'not') return { kind: 'Not', operand: expr(rest[0] as Notation) };
  if (head === 'neg' || head === 'pos') return { kind: 'Unary', op: head === 'neg' ? '-' : '+', operand: expr(rest[0] as Notation) };
  if (COMPARISON.has(head)) return { kind: 'Comparison', op: head as ComparisonOp, left: expr(rest[0] as Notation), right: expr(rest[1] as Notation) };
  if (ARITH.has(head)) return { kind: 'Arithmetic', op: head, left: expr(rest[0] as Notation), right: expr(rest[1] as Notation) };
  const listForm = head.endsWith('()');
  const op = listForm ? head.slice(0, -2) : head;
  if (MATCH.has(op)) {
    const patterns = rest.slice(1).map(expr);
    if (!listForm && patterns.length !== 1) fail('single pattern', n);
    return { kind: 'Match', op: op as MatchOp, left: expr(rest[0] as Notation), patterns, list: listForm };
  }
  if (head === 'in' || head === 'in~' || head === 'not in' || head === 'not in~') {
    return {
      kind: 'In',
      left: expr(rest[0] as Notation),
      values: rest.slice(1).map(expr),
      caseInsensitive: head.endsWith('~'),
      negated: head.startsWith('not'),
    };
  }
  if (head === 'call') {
    const written = rest[0] as string;
    const caseInsensitive = written.endsWith('~');
    return {
      kind: 'Call',
      name: caseInsensitive ? written.slice(0, -1) : written,
      canonical: rest[1] as string,
      caseInsensitive,
      args: rest.slice(2).map(expr),
    };
  }
  return fail('operator', n);
}

function category(n: Notation | undefined): Json {
  if (n === 'any') return { kind: 'Category', name: 'any', any: true, quoted: false };
  if (typeof n === 'string') return { kind: 'Category', name: n, any: false, quoted: false };
  if (Array.isArray(n) && n[0] === 'quoted') return { kind: 'Category', name: n[1] as string, any: false, quoted: true };
  return fail('category', n);
}

function list(n: Notation | undefined): Notation[] {
  if (n === undefined) return [];
  if (!Array.isArray(n)) return fail('list', n);
  return n;
}

function stage(n: Notation, sample: boolean): Json {
  if (typeof n !== 'object' || Array.isArray(n)) return fail('stage', n);
  return {
    kind: 'Stage',
    category: category(n.category),
    condition: expr(n.where as Notation),
    by: list(n.by).map(expr),
    runs: sample || n.runs === undefined ? null : (n.runs as number),
    missing: n.missing === true,
  };
}

function pipes(n: Notation | undefined): Json[] {
  return list(n).map((p) => {
    const [name, count] = String(p).split(' ');
    return { kind: 'Pipe', name: name as string, count: Number(count) };
  });
}

/** Expands a query notation into the stripLocs AST. */
export function query(n: Notation): Json {
  if (typeof n !== 'object' || Array.isArray(n)) return fail('query', n);
  switch (n.kind) {
    case 'event':
      return { kind: 'EventQuery', category: category(n.category), condition: expr(n.where as Notation), pipes: pipes(n.pipes) };
    case 'sequence': {
      const span = n.maxspan as { value: number; unit: string; millis: number } | undefined;
      return {
        kind: 'Sequence',
        by: list(n.by).map(expr),
        maxspan: span ? { kind: 'Maxspan', value: span.value, unit: span.unit, millis: span.millis } : null,
        stages: list(n.stages).map((s) => stage(s, false)),
        until: n.until === undefined ? null : stage(n.until, false),
        pipes: pipes(n.pipes),
      };
    }
    case 'sample':
      return { kind: 'Sample', by: list(n.by).map(expr), stages: list(n.stages).map((s) => stage(s, true)), pipes: pipes(n.pipes) };
    default:
      return fail('query kind', n);
  }
}
