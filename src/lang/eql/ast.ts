/**
 * The EQL abstract syntax tree (Elasticsearch dialect), and the builders the grammar calls.
 *
 * Every node has `kind` (the discriminant) and `loc` (UTF-16 offsets into the query text,
 * half-open). Parentheses leave no node: a parenthesised expression is its inner node, and
 * `and`/`or` chains are flattened (`a and (b and c)` is one `And` of three operands), so the
 * canonical printer's minimal parentheses re-parse to the same tree.
 */
import type { Loc } from '../../model/span';
import { canonicalFunctionName } from './functions';

// ---------------------------------------------------------------------------------------------
// Queries

export type EqlQuery = EventQuery | SequenceQuery | SampleQuery;

/** `process where …`, `any where …`, `"my-category" where …`. */
export interface Category {
  kind: 'Category';
  /** The category value (decoded when quoted); `any` for the `any` keyword. */
  name: string;
  /** True for the bare `any` keyword (matches every category); a quoted `"any"` is a plain value. */
  any: boolean;
  /** Written as a string (`"…"` or `"""…"""`) rather than a bare identifier. */
  quoted: boolean;
  loc: Loc;
}

export interface EventQuery {
  kind: 'EventQuery';
  category: Category;
  condition: Expr;
  pipes: Pipe[];
  loc: Loc;
}

export interface SequenceQuery {
  kind: 'Sequence';
  /** Sequence-level join keys (`sequence by a, b`). */
  by: Expr[];
  maxspan: Maxspan | null;
  stages: Stage[];
  until: Stage | null;
  pipes: Pipe[];
  loc: Loc;
}

export interface SampleQuery {
  kind: 'Sample';
  by: Expr[];
  stages: Stage[];
  pipes: Pipe[];
  loc: Loc;
}

/** One bracketed term of a sequence or sample: `[cat where cond] by k with runs=N`, or `![…]`. */
export interface Stage {
  kind: 'Stage';
  category: Category;
  condition: Expr;
  /** Stage-level join keys. */
  by: Expr[];
  /** `with runs=N`, or null. */
  runs: number | null;
  /** A missing-event stage `![…]`. */
  missing: boolean;
  loc: Loc;
}

export const TIME_UNITS = ['ms', 's', 'm', 'h', 'd', 'micros', 'nanos'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

const UNIT_MILLIS: Record<TimeUnit, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `with maxspan=30s`. */
export interface Maxspan {
  kind: 'Maxspan';
  value: number;
  unit: TimeUnit;
  /** The span in milliseconds. */
  millis: number;
  loc: Loc;
}

/** `| head N` or `| tail N`. */
export interface Pipe {
  kind: 'Pipe';
  name: 'head' | 'tail';
  count: number;
  loc: Loc;
}

// ---------------------------------------------------------------------------------------------
// Expressions

export type Expr = AndExpr | OrExpr | NotExpr | Comparison | MatchExpr | InExpr | Call | Arithmetic | Unary | Field | Literal;
export type Literal = StringLit | NumberLit | BooleanLit | NullLit;

export interface AndExpr {
  kind: 'And';
  /** Two or more operands, none of them an `And`. */
  operands: Expr[];
  loc: Loc;
}

export interface OrExpr {
  kind: 'Or';
  /** Two or more operands, none of them an `Or`. */
  operands: Expr[];
  loc: Loc;
}

/** Prefix `not`. (`x not in (…)` is an `In` with `negated: true`, not a `Not`.) */
export interface NotExpr {
  kind: 'Not';
  operand: Expr;
  loc: Loc;
}

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export interface Comparison {
  kind: 'Comparison';
  op: ComparisonOp;
  left: Expr;
  right: Expr;
  loc: Loc;
}

export type MatchOp = ':' | 'like' | 'like~' | 'regex' | 'regex~';

/** `:`, `like`, `like~`, `regex`, `regex~` with one constant or a parenthesised list of constants. */
export interface MatchExpr {
  kind: 'Match';
  op: MatchOp;
  left: Expr;
  patterns: Literal[];
  /** Written as a parenthesised list (even of one item). */
  list: boolean;
  loc: Loc;
}

/** `x in (…)`, `x in~ (…)`, `x not in (…)`, `x not in~ (…)`. */
export interface InExpr {
  kind: 'In';
  left: Expr;
  values: Expr[];
  caseInsensitive: boolean;
  /** The infix `not in` form. */
  negated: boolean;
  loc: Loc;
}

export interface Call {
  kind: 'Call';
  /** The name as written, without `~`. */
  name: string;
  /** The function table's spelling (`cidrMatch`), or the lower-cased name when unknown. */
  canonical: string;
  /** Written with the `~` suffix. */
  caseInsensitive: boolean;
  args: Expr[];
  loc: Loc;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

export interface Arithmetic {
  kind: 'Arithmetic';
  op: ArithmeticOp;
  left: Expr;
  right: Expr;
  loc: Loc;
}

/** Prefix `-x` or `+x`. A `-` written directly before a number is part of the number literal. */
export interface Unary {
  kind: 'Unary';
  op: '-' | '+';
  operand: Expr;
  loc: Loc;
}

export interface Field {
  kind: 'Field';
  /** Segments, decoded (a backticked segment may hold dots: `` `a.b/c` `` is one segment). */
  path: string[];
  /** Dotted name: `path.join('.')`. */
  name: string;
  /** Written with the `?` prefix. */
  optional: boolean;
  loc: Loc;
}

export interface StringLit {
  kind: 'String';
  /** Decoded value (escapes resolved). The source text is `loc` in the query. */
  value: string;
  /** Written as a raw `"""…"""` string. */
  raw: boolean;
  loc: Loc;
}

export interface NumberLit {
  kind: 'Number';
  value: number;
  /** Source text, sign included (`-1`, `0.5`, `1e3`). */
  raw: string;
  /** Written with a decimal point or exponent (Elasticsearch keeps integer and float apart). */
  decimal: boolean;
  loc: Loc;
}

export interface BooleanLit {
  kind: 'Boolean';
  value: boolean;
  loc: Loc;
}

export interface NullLit {
  kind: 'Null';
  loc: Loc;
}

export type EqlNode = EqlQuery | Stage | Category | Maxspan | Pipe | Expr;

// ---------------------------------------------------------------------------------------------
// Builders (called by the grammar's actions through the parse options)

/** The part of peggy's `range()` the builders use. */
export interface Range {
  start: number;
  end: number;
}

function loc(r: Range): Loc {
  return { start: r.start, end: r.end };
}

type CompareTail =
  | { t: 'cmp'; op: ComparisonOp; right: Expr }
  | { t: 'match'; op: MatchOp; patterns: Literal[]; list: boolean }
  | { t: 'in'; values: Expr[]; caseInsensitive: boolean; negated: boolean };

export const builders = {
  category(name: string, any: boolean, quoted: boolean, r: Range): Category {
    return { kind: 'Category', name, any, quoted, loc: loc(r) };
  },
  eventQuery(category: Category, condition: Expr, r: Range): EventQuery {
    return { kind: 'EventQuery', category, condition, pipes: [], loc: loc(r) };
  },
  sequence(by: Expr[] | null, maxspan: Maxspan | null, stages: Stage[], until: Stage | null, r: Range): SequenceQuery {
    return { kind: 'Sequence', by: by ?? [], maxspan, stages, until, pipes: [], loc: loc(r) };
  },
  sample(by: Expr[] | null, stages: Stage[], r: Range): SampleQuery {
    return { kind: 'Sample', by: by ?? [], stages, pipes: [], loc: loc(r) };
  },
  withPipes(query: EqlQuery, pipes: Pipe[], r: Range): EqlQuery {
    query.pipes = pipes;
    query.loc = loc(r);
    return query;
  },
  stage(missing: boolean, category: Category, condition: Expr, by: Expr[] | null, runs: number | null, r: Range): Stage {
    return { kind: 'Stage', category, condition, by: by ?? [], runs, missing, loc: loc(r) };
  },
  maxspan(value: string, unit: TimeUnit, r: Range): Maxspan {
    const v = Number(value);
    return { kind: 'Maxspan', value: v, unit, millis: v * UNIT_MILLIS[unit], loc: loc(r) };
  },
  pipe(name: 'head' | 'tail', count: string, r: Range): Pipe {
    return { kind: 'Pipe', name, count: Number(count), loc: loc(r) };
  },
  or(head: Expr, tail: Expr[], r: Range): Expr {
    if (tail.length === 0) return head;
    return { kind: 'Or', operands: flatten('Or', head, tail), loc: loc(r) };
  },
  and(head: Expr, tail: Expr[], r: Range): Expr {
    if (tail.length === 0) return head;
    return { kind: 'And', operands: flatten('And', head, tail), loc: loc(r) };
  },
  not(operand: Expr, r: Range): NotExpr {
    return { kind: 'Not', operand, loc: loc(r) };
  },
  compare(left: Expr, tail: CompareTail | null, r: Range): Expr {
    if (tail === null) return left;
    switch (tail.t) {
      case 'cmp':
        return { kind: 'Comparison', op: tail.op, left, right: tail.right, loc: loc(r) };
      case 'match':
        return { kind: 'Match', op: tail.op, left, patterns: tail.patterns, list: tail.list, loc: loc(r) };
      case 'in':
        return { kind: 'In', left, values: tail.values, caseInsensitive: tail.caseInsensitive, negated: tail.negated, loc: loc(r) };
    }
  },
  cmpTail(op: ComparisonOp, right: Expr): CompareTail {
    return { t: 'cmp', op, right };
  },
  matchTail(op: MatchOp, patterns: Literal[], list: boolean): CompareTail {
    return { t: 'match', op, patterns, list };
  },
  inTail(values: Expr[], caseInsensitive: boolean, negated: boolean): CompareTail {
    return { t: 'in', values, caseInsensitive, negated };
  },
  /**
   * Folds `head (op operand)*` with `* / %` binding tighter than `+ -`, both left-associative.
   * Each tail item is `[op, operand, operandStart, operandEnd]` (offsets include parentheses);
   * `start` is where `head` starts.
   */
  arithmetic(head: Expr, tail: [ArithmeticOp, Expr, number, number][], start: number): Expr {
    if (tail.length === 0) return head;
    const terms: { node: Expr; start: number; end: number }[] = [];
    const addOps: ArithmeticOp[] = [];
    let cur = { node: head, start, end: head.loc.end };
    for (const [op, right, s, end] of tail) {
      if (op === '*' || op === '/' || op === '%') {
        cur = { node: { kind: 'Arithmetic', op, left: cur.node, right, loc: { start: cur.start, end } }, start: cur.start, end };
      } else {
        terms.push(cur);
        addOps.push(op);
        cur = { node: right, start: s, end };
      }
    }
    terms.push(cur);
    let left = (terms[0] as (typeof terms)[number]).node;
    for (let i = 1; i < terms.length; i++) {
      const t = terms[i] as (typeof terms)[number];
      left = { kind: 'Arithmetic', op: addOps[i - 1] as ArithmeticOp, left, right: t.node, loc: { start, end: t.end } };
    }
    return left;
  },
  unary(op: '-' | '+', operand: Expr, r: Range): Unary {
    return { kind: 'Unary', op, operand, loc: loc(r) };
  },
  call(name: string, caseInsensitive: boolean, args: Expr[] | null, r: Range): Call {
    return { kind: 'Call', name, canonical: canonicalFunctionName(name), caseInsensitive, args: args ?? [], loc: loc(r) };
  },
  field(path: string[], optional: boolean, r: Range): Field {
    return { kind: 'Field', path, name: path.join('.'), optional, loc: loc(r) };
  },
  string(value: string, raw: boolean, r: Range): StringLit {
    return { kind: 'String', value, raw, loc: loc(r) };
  },
  number(raw: string, r: Range): NumberLit {
    return { kind: 'Number', value: Number(raw), raw, decimal: /[.eE]/.test(raw), loc: loc(r) };
  },
  boolean(value: boolean, r: Range): BooleanLit {
    return { kind: 'Boolean', value, loc: loc(r) };
  },
  null(r: Range): NullLit {
    return { kind: 'Null', loc: loc(r) };
  },
};

export type EqlBuilders = typeof builders;

function flatten(kind: 'And' | 'Or', head: Expr, tail: Expr[]): Expr[] {
  const out: Expr[] = [];
  pushFlat(out, kind, head);
  for (const e of tail) pushFlat(out, kind, e);
  return out;
}

/** Appends `e`, or its operands when it is itself a `kind` node (no closure per call: this runs for every and/or). */
function pushFlat(out: Expr[], kind: 'And' | 'Or', e: Expr): void {
  if (e.kind === kind) for (const o of e.operands) out.push(o);
  else out.push(e);
}
