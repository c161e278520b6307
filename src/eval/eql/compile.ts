/**
 * EQL conditions → predicates, with Elasticsearch semantics:
 *
 * - A comparison of a field with a constant is what Elasticsearch turns into a query: `==`
 *   `in` `:` `like` `regex` are term / terms / wildcard / regexp queries (any value of a
 *   multi-valued field may match), `!=` and `not` are `must_not` (so they hold for an event
 *   without the field), `== null` / `!= null` test existence. Equality is typed by the field
 *   (ECS type, else the JSON value): `event.code == 4624` matches the keyword "4624".
 * - Anything else (function calls, arithmetic, comparisons of computed values) is a script:
 *   a null operand makes the comparison false, functions follow the function reference.
 * - `==`, `!=`, `in`, `like`, `regex` are case-sensitive; `:`, `in~`, `like~`, `regex~` and
 *   `fn~()` are not (`regex~` folds ASCII letters only, like Lucene).
 * - `*` and `?` are wildcards under `:` and `like`; never under `==` / `in`.
 * - `fn(…) == true` is `fn(…)` and `fn(…) == false` is `not fn(…)` (Elasticsearch's optimiser
 *   rewrites them so; the latter holds when the function is null).
 * - `?field` reads like `field`: every pasted event is assumed to come from an index that maps it.
 *
 * Errors Elasticsearch would raise at query time (an unknown function, a bad regular
 * expression, a wrong number of arguments) are compile errors.
 */
import type { Loc } from '../../model/span';
import type { Arithmetic, Call, Comparison, ComparisonOp, Expr, Field, InExpr, Literal, MatchExpr, Unary } from '../../lang/eql/ast';
import { checkEqlCall, lookupEqlFunction } from '../../lang/eql/functions';
import { parseCidr } from '../cidr';
import { ecsType, familyOfType, type FieldFamily } from '../ecs';
import { fieldPath, fieldValues, scanValues, type FieldPath } from '../fields';
import { compileLuceneRegex } from '../regex';
import { andPred, constPred, notPred, orPred, outcomeOf, sampleValues, type Outcome, type Pred, type TraceNode } from '../trace';
import { booleanOf, compareHolds, compareIn, dynamicFamily, equalsIn, keywordOf, numberOf, operand, show, type Operand, type RangeOp, type Scalar } from '../values';
import { compileWildcard, eqlWildcardTokens, type WildcardMatcher } from '../wildcard';
import { EqlFunctionError, implFor, Num, plain, type FnValue } from './functions';

export class EqlCompileError extends Error {
  constructor(message: string, readonly loc: Loc) {
    super(message);
    this.name = 'EqlCompileError';
  }
}

export interface EqlCompileOptions {
  /** Reference time for date math (epoch ms). */
  now: number;
}

/** A value expression: its values in a document (empty = null). */
export interface Val {
  get(doc: unknown): FnValue[];
  /** Set when the expression is a plain field reference. */
  field?: FieldPath;
  loc: Loc;
}

const FLOAT_TYPES = new Set(['float', 'double', 'half_float', 'scaled_float']);

function fieldVal(f: Field): Val {
  const path = fieldPath(f.name);
  const t = ecsType(f.name);
  const floatType = t !== null && FLOAT_TYPES.has(t);
  return {
    field: path,
    loc: f.loc,
    get(doc) {
      const raw = fieldValues(doc, path);
      const out: FnValue[] = [];
      for (const v of raw) {
        if (typeof v === 'number') out.push(new Num(v, !floatType && Number.isInteger(v)));
        else if (typeof v === 'string' || typeof v === 'boolean') out.push(v);
      }
      return out;
    },
  };
}

function literalValue(l: Literal): FnValue {
  switch (l.kind) {
    case 'String':
      return l.value;
    case 'Number':
      return new Num(l.value, !l.decimal);
    case 'Boolean':
      return l.value;
    case 'Null':
      return null;
  }
}

function isLiteral(e: Expr): e is Literal {
  return e.kind === 'String' || e.kind === 'Number' || e.kind === 'Boolean' || e.kind === 'Null';
}

const MAX_COMBINATIONS = 1024;

/** Calls `f` for every combination of argument values (multi-valued fields), capped. */
function combinations(lists: FnValue[][], f: (args: FnValue[]) => void): void {
  const n = lists.length;
  const idx = new Array<number>(n).fill(0);
  const args = lists.map((l) => (l.length > 0 ? (l[0] as FnValue) : null));
  let count = 0;
  for (;;) {
    f(args.slice());
    if (++count >= MAX_COMBINATIONS) return;
    let k = n - 1;
    while (k >= 0) {
      const list = lists[k] as FnValue[];
      if (idx[k]! + 1 < list.length) {
        idx[k]!++;
        args[k] = list[idx[k]!] as FnValue;
        break;
      }
      idx[k] = 0;
      args[k] = list.length > 0 ? (list[0] as FnValue) : null;
      k--;
    }
    if (k < 0) return;
  }
}

/** Values of a leaf for the trace (plain scalars). */
function traceValues(vals: FnValue[]): unknown[] {
  return sampleValues(vals.map(plain));
}

function flip(op: ComparisonOp): ComparisonOp {
  switch (op) {
    case '<':
      return '>';
    case '<=':
      return '>=';
    case '>':
      return '<';
    case '>=':
      return '<=';
    default:
      return op;
  }
}

/** Script comparison of two evaluated values (null when either is null). */
function scriptCompare(a: FnValue, b: FnValue, op: ComparisonOp): boolean {
  const x = plain(a);
  const y = plain(b);
  if (x === null || y === null) return false;
  let c: number;
  if (typeof x === 'number' && typeof y === 'number') c = x < y ? -1 : x > y ? 1 : 0;
  else if (typeof x === 'string' && typeof y === 'string') c = x < y ? -1 : x > y ? 1 : 0;
  else if (typeof x === 'boolean' && typeof y === 'boolean') c = Number(x) - Number(y);
  else {
    const nx = numberOf(x);
    const ny = numberOf(y);
    if (nx === null || ny === null) return op === '!=';
    c = nx < ny ? -1 : nx > ny ? 1 : 0;
  }
  return compareHolds(op, c);
}

export class EqlCompiler {
  constructor(private readonly opts: EqlCompileOptions) {}

  // -------------------------------------------------------------------------------------------
  // Values

  value(e: Expr): Val {
    switch (e.kind) {
      case 'Field':
        return fieldVal(e);
      case 'String':
      case 'Number':
      case 'Boolean':
      case 'Null': {
        const v = literalValue(e);
        const out = v === null ? [] : [v];
        return { loc: e.loc, get: () => out };
      }
      case 'Call':
        return this.callVal(e);
      case 'Arithmetic':
        return this.arithVal(e);
      case 'Unary':
        return this.unaryVal(e);
      case 'And':
      case 'Or':
      case 'Not':
      case 'Comparison':
      case 'Match':
      case 'In': {
        const p = this.pred(e);
        return { loc: e.loc, get: (doc) => [p.test(doc)] };
      }
    }
  }

  private callVal(c: Call): Val {
    const spec = lookupEqlFunction(c.name);
    const problems = checkEqlCall(c.name, c.args.length, c.caseInsensitive);
    if (!spec || problems.includes('unknown-function')) throw new EqlCompileError(`unknown function ${c.name}`, c.loc);
    if (problems.includes('not-in-elasticsearch')) throw new EqlCompileError(`function ${spec.name} is not supported by Elasticsearch EQL`, c.loc);
    if (problems.includes('too-few-arguments') || problems.includes('too-many-arguments')) {
      throw new EqlCompileError(`${spec.name} takes ${spec.minArgs}${spec.maxArgs === null ? ' or more' : spec.maxArgs === spec.minArgs ? '' : ` to ${spec.maxArgs}`} arguments, got ${c.args.length}`, c.loc);
    }
    if (problems.includes('tilde-not-allowed')) throw new EqlCompileError(`${spec.name} has no case-insensitive (~) form`, c.loc);
    const impl = implFor(spec.name);
    if (!impl) throw new EqlCompileError(`function ${spec.name} is not implemented`, c.loc);
    const args = c.args.map((a) => this.value(a));
    // cidrMatch: Elasticsearch validates the blocks when the query is planned.
    if (spec.name === 'cidrMatch') {
      for (const a of c.args.slice(1)) {
        if (a.kind === 'String' && parseCidr(a.value) === null) throw new EqlCompileError(`cidrMatch: invalid CIDR block ${JSON.stringify(a.value)}`, a.loc);
      }
    }
    const ci = c.caseInsensitive;
    return {
      loc: c.loc,
      get(doc) {
        const lists = args.map((a) => a.get(doc));
        const out: FnValue[] = [];
        combinations(lists, (vals) => {
          let r: FnValue;
          try {
            r = impl(vals, ci);
          } catch (err) {
            if (err instanceof EqlFunctionError) r = null;
            else throw err;
          }
          if (r !== null) out.push(r);
        });
        return out;
      },
    };
  }

  private arithVal(a: Arithmetic): Val {
    const fn = implFor({ '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'modulo' }[a.op]) as NonNullable<ReturnType<typeof implFor>>;
    const l = this.value(a.left);
    const r = this.value(a.right);
    return {
      loc: a.loc,
      get(doc) {
        const out: FnValue[] = [];
        combinations([l.get(doc), r.get(doc)], (vals) => {
          const v = fn(vals, false);
          if (v !== null) out.push(v);
        });
        return out;
      },
    };
  }

  private unaryVal(u: Unary): Val {
    const inner = this.value(u.operand);
    return {
      loc: u.loc,
      get(doc) {
        const out: FnValue[] = [];
        for (const v of inner.get(doc)) {
          const n = v instanceof Num ? v : typeof v === 'number' ? new Num(v, Number.isInteger(v)) : null;
          if (n !== null) out.push(u.op === '-' ? new Num(-n.value, n.integer) : n);
        }
        return out;
      },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Predicates

  pred(e: Expr): Pred {
    switch (e.kind) {
      case 'And':
        return andPred(e.operands.map((o) => this.pred(o)), e.loc);
      case 'Or':
        return orPred(e.operands.map((o) => this.pred(o)), e.loc);
      case 'Not':
        return notPred(this.pred(e.operand), e.loc);
      case 'Comparison':
        return this.comparison(e);
      case 'Match':
        return this.match(e);
      case 'In':
        return this.inPred(e);
      case 'Boolean':
        return constPred(e.value, e.loc);
      case 'Null':
        return constPred(false, e.loc);
      case 'String':
      case 'Number':
        throw new EqlCompileError(`a ${e.kind === 'String' ? 'string' : 'number'} is not a condition`, e.loc);
      case 'Field':
      case 'Call':
      case 'Arithmetic':
      case 'Unary':
        return this.truthy(this.value(e), e.kind === 'Call' ? 'call' : e.kind === 'Field' ? 'field' : 'value');
    }
  }

  /** A value used as a condition: true when one of its values is `true`. */
  private truthy(v: Val, kind: string): Pred {
    const field = v.field?.name;
    const test = (doc: unknown): boolean => {
      for (const x of v.get(doc)) if (plain(x) === true || (field !== undefined && booleanOf(plain(x)) === true)) return true;
      return false;
    };
    return {
      test,
      explain(doc) {
        const vals = v.get(doc);
        const ok = test(doc);
        const node: TraceNode = { kind, loc: v.loc, outcome: outcomeOf(ok, vals.length === 0), values: traceValues(vals) };
        if (field !== undefined) node.field = field;
        if (vals.length === 0) node.note = kind === 'call' ? 'the function returned null' : 'no value';
        return node;
      },
    };
  }

  private comparison(c: Comparison): Pred {
    let { left, right, op } = c;
    if (isLiteral(left) && !isLiteral(right)) {
      [left, right] = [right, left];
      op = flip(op);
    }
    // fn(…) == true / false (Elasticsearch's BooleanFunctionEqualsElimination).
    if ((op === '==' || op === '!=') && right.kind === 'Boolean' && left.kind === 'Call') {
      const p = this.pred(left);
      return (op === '==') === right.value ? p : notPred(p, c.loc);
    }
    if (left.kind === 'Field' && isLiteral(right)) return this.fieldComparison(left, op, right, c.loc);
    if (right.kind === 'Null' && (op === '==' || op === '!=')) return this.nullCheck(this.value(left), op === '==', c.loc);
    return this.scriptComparison(this.value(left), op, this.value(right), c.loc);
  }

  private fieldComparison(f: Field, op: ComparisonOp, lit: Literal, loc: Loc): Pred {
    const path = fieldPath(f.name);
    const staticFamily = staticFamilyOf(f.name);
    if (lit.kind === 'Null') {
      // `== null`: the field has no value; `!= null`: it has one. Ranges against null: never.
      if (op !== '==' && op !== '!=') return constPred(false, loc, 'compare');
      const wantMissing = op === '==';
      return {
        test: (doc) => (fieldValues(doc, path).length === 0) === wantMissing,
        explain(doc) {
          const vals = fieldValues(doc, path);
          const ok = (vals.length === 0) === wantMissing;
          return { kind: 'exists', loc, outcome: ok ? 'true' : 'false', field: f.name, values: sampleValues(vals), note: vals.length === 0 ? 'the field has no value' : 'the field has a value' };
        },
      };
    }
    const raw: Scalar = lit.kind === 'String' ? lit.value : lit.kind === 'Number' ? lit.value : lit.value;
    const opnd = operand(raw, this.opts.now);
    const famOf = (v: unknown): FieldFamily => staticFamily ?? dynamicFamily(v);
    let one: (v: unknown) => boolean;
    let negate = false;
    switch (op) {
      case '==':
        one = (v) => equalsIn(famOf(v), v, opnd);
        break;
      case '!=':
        one = (v) => equalsIn(famOf(v), v, opnd);
        negate = true;
        break;
      default: {
        const rop = op as RangeOp;
        one = (v) => compareIn(famOf(v), v, rop, opnd);
      }
    }
    const anyMatch = (doc: unknown): { ok: boolean; vals: unknown[] } => {
      const vals = fieldValues(doc, path);
      for (const v of vals) if (one(v)) return { ok: true, vals };
      return { ok: false, vals };
    };
    const test = negate ? (doc: unknown): boolean => scanValues(doc, path, one) !== 1 : (doc: unknown): boolean => scanValues(doc, path, one) === 1;
    return {
      test,
      explain(doc) {
        const { ok, vals } = anyMatch(doc);
        const result = negate ? !ok : ok;
        let outcome: Outcome = result ? 'true' : 'false';
        if (!result && vals.length === 0) outcome = 'missing';
        const note = vals.length === 0
          ? 'the field has no value'
          : negate
            ? ok ? `a value equals ${show(raw)}` : `no value equals ${show(raw)}`
            : ok ? 'a value matches' : `no value ${op} ${show(raw)}`;
        return { kind: 'compare', loc, outcome, field: f.name, values: sampleValues(vals), note };
      },
    };
  }

  /** `expr == null` / `expr != null` on a computed value (Elasticsearch's IsNull / IsNotNull). */
  private nullCheck(v: Val, wantNull: boolean, loc: Loc): Pred {
    const test = (doc: unknown): boolean => (v.get(doc).length === 0) === wantNull;
    return {
      test,
      explain(doc) {
        const vals = v.get(doc);
        return { kind: 'compare', loc, outcome: test(doc) ? 'true' : 'false', values: traceValues(vals), note: vals.length === 0 ? 'the value is null' : 'the value is not null' };
      },
    };
  }

  private scriptComparison(l: Val, op: ComparisonOp, r: Val, loc: Loc): Pred {
    const test = (doc: unknown): boolean => {
      const a = l.get(doc);
      if (a.length === 0) return false;
      const b = r.get(doc);
      for (const x of a) for (const y of b) if (scriptCompare(x, y, op)) return true;
      return false;
    };
    const field = l.field?.name;
    return {
      test,
      explain(doc) {
        const a = l.get(doc);
        const b = r.get(doc);
        const ok = test(doc);
        const node: TraceNode = { kind: 'compare', loc, outcome: outcomeOf(ok, a.length === 0 || b.length === 0), values: traceValues(a) };
        if (field) node.field = field;
        if (a.length === 0) node.note = l.field ? 'the field has no value' : 'the left side is null';
        else if (b.length === 0) node.note = 'the right side is null';
        else node.note = `${traceValues(a).map(show).join(', ')} ${op} ${traceValues(b).map(show).join(', ')}`;
        return node;
      },
    };
  }

  private match(m: MatchExpr): Pred {
    const left = this.value(m.left);
    const ci = m.op === ':' || m.op === 'like~' || m.op === 'regex~';
    const isRegex = m.op === 'regex' || m.op === 'regex~';
    const patterns = m.patterns.map((p) => (p.kind === 'Null' ? null : keywordOf(p.kind === 'Number' ? p.value : p.value)));
    let one: (s: string) => boolean;
    if (isRegex) {
      const tests = patterns.map((p, i) => {
        if (p === null) return () => false;
        const r = compileLuceneRegex(p, m.op === 'regex~');
        if (!r.ok) throw new EqlCompileError(r.error, (m.patterns[i] as Literal).loc);
        return r.test;
      });
      one = (s) => {
        for (const t of tests) if (t(s)) return true;
        return false;
      };
    } else {
      one = wildcardSet(patterns, ci);
    }
    const lpath = left.field;
    const oneValue = (v: unknown): boolean => {
      const s = keywordOf(v);
      return s !== null && one(s);
    };
    const test = lpath
      ? (doc: unknown): boolean => scanValues(doc, lpath, oneValue) === 1
      : (doc: unknown): boolean => {
          for (const v of left.get(doc)) if (oneValue(plain(v))) return true;
          return false;
        };
    const field = left.field?.name;
    const opText = m.op;
    return {
      test,
      explain(doc) {
        const vals = left.get(doc);
        let hit: string | null = null;
        for (const v of vals) {
          const s = keywordOf(plain(v));
          if (s !== null && one(s)) {
            hit = s;
            break;
          }
        }
        const node: TraceNode = { kind: 'match', loc: m.loc, outcome: outcomeOf(hit !== null, vals.length === 0), values: traceValues(vals) };
        if (field) node.field = field;
        node.note = vals.length === 0 ? (field ? 'the field has no value' : 'the value is null') : hit !== null ? `${show(hit)} matches (${opText})` : `no value matches (${opText})`;
        return node;
      },
    };
  }

  private inPred(e: InExpr): Pred {
    const left = this.value(e.left);
    const allLiteral = e.values.every(isLiteral);
    let pred: Pred;
    if (left.field && allLiteral) {
      const name = left.field.name;
      const path = left.field;
      const staticFamily = staticFamilyOf(name);
      const lits = (e.values as Literal[]).filter((l) => l.kind !== 'Null');
      const set = new ValueSet(lits.map((l) => (l.kind === 'Number' ? l.value : l.kind === 'Boolean' ? l.value : (l as { value: string }).value)), e.caseInsensitive, this.opts.now);
      const one = (v: unknown): boolean => set.has(staticFamily ?? dynamicFamily(v), v);
      const test = (doc: unknown): boolean => scanValues(doc, path, one) === 1;
      pred = {
        test,
        explain(doc) {
          const vals = fieldValues(doc, path);
          const hit = vals.find(one);
          return {
            kind: 'in',
            loc: e.negated ? { start: e.left.loc.start, end: e.loc.end } : e.loc,
            outcome: outcomeOf(hit !== undefined, vals.length === 0),
            field: name,
            values: sampleValues(vals),
            note: vals.length === 0 ? 'the field has no value' : hit !== undefined ? `${show(hit)} is in the list` : 'no value is in the list',
          };
        },
      };
    } else {
      const vals = e.values.map((v) => this.value(v));
      const ci = e.caseInsensitive;
      const eq = (a: FnValue, b: FnValue): boolean => {
        const x = plain(a);
        const y = plain(b);
        if (ci && typeof x === 'string' && typeof y === 'string') return x.toLowerCase() === y.toLowerCase();
        return scriptCompare(a, b, '==');
      };
      const test = (doc: unknown): boolean => {
        const a = left.get(doc);
        for (const x of a) for (const v of vals) for (const y of v.get(doc)) if (eq(x, y)) return true;
        return false;
      };
      pred = {
        test,
        explain(doc) {
          const a = left.get(doc);
          const ok = test(doc);
          const node: TraceNode = { kind: 'in', loc: e.loc, outcome: outcomeOf(ok, a.length === 0), values: traceValues(a) };
          if (left.field) node.field = left.field.name;
          node.note = ok ? 'a value is in the list' : a.length === 0 ? 'the value is null' : 'no value is in the list';
          return node;
        },
      };
    }
    return e.negated ? notPred(pred, e.loc) : pred;
  }
}

/** The ECS family of a field, or null to type each value by its JSON type. */
export function staticFamilyOf(name: string): FieldFamily | null {
  const t = ecsType(name);
  if (t === null) return null;
  const f = familyOfType(t);
  return f === 'other' ? 'keyword' : f;
}

/** A set of constants for `in`: hashed by keyword and number forms, typed lookups. */
export class ValueSet {
  private readonly strs = new Set<string>();
  private readonly nums = new Set<number>();
  private readonly ops: Operand[];
  constructor(
    values: Scalar[],
    private readonly ci: boolean,
    now: number,
  ) {
    this.ops = values.map((v) => operand(v, now));
    for (const o of this.ops) {
      if (o.str !== null) this.strs.add(ci ? o.str.toLowerCase() : o.str);
      if (o.num !== null) this.nums.add(o.num);
    }
  }

  has(family: FieldFamily, v: unknown): boolean {
    switch (family) {
      case 'keyword':
      case 'text':
      case 'other': {
        const s = keywordOf(v);
        return s !== null && this.strs.has(this.ci ? s.toLowerCase() : s);
      }
      case 'numeric': {
        const n = numberOf(v);
        return n !== null && this.nums.has(n);
      }
      default:
        for (const o of this.ops) if (equalsIn(family, v, o, this.ci)) return true;
        return false;
    }
  }
}

/** EQL wildcard patterns (`:` / `like`): exact ones hashed, the others matched in turn. */
export function wildcardSet(patterns: (string | null)[], ci: boolean): (s: string) => boolean {
  const exact = new Set<string>();
  const wild: WildcardMatcher[] = [];
  for (const p of patterns) {
    if (p === null) continue;
    const m = compileWildcard(eqlWildcardTokens(p), ci);
    if (m.exact) exact.add(m.literal);
    else wild.push(m);
  }
  if (wild.length === 0) return ci ? (s) => exact.has(s.toLowerCase()) : (s) => exact.has(s);
  return (s) => {
    if (exact.size > 0 && exact.has(ci ? s.toLowerCase() : s)) return true;
    for (const w of wild) if (w.test(s)) return true;
    return false;
  };
}
