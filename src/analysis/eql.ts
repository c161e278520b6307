/**
 * EQL → the boolean form of `ir.ts`. One pass over the expression tree; each leaf predicate is
 * printed once with the canonical printer.
 *
 * Operators (Elasticsearch EQL semantics, census §8.13): `==`, `!=`, `in`, `like`, `regex` and
 * functions without `~` are case-sensitive; `:`, `in~`, `like~`, `regex~` and `fn~(…)` are
 * case-insensitive. `:` and `like` take `*`/`?` wildcards; `==`/`in` values are exact even when
 * they contain `*`. `startsWith`, `endsWith`, `stringContains` and `cidrMatch` over a field and
 * constant strings map to `starts_with`, `ends_with`, `contains` and `cidr`; any other function
 * call, arithmetic, or a field compared with a field is a `function` predicate whose value is its
 * printed text. `x == null` is NOT(exists x); `x != null` is exists x.
 */
import { assertNever } from '../model/rule';
import type { Loc } from '../model/span';
import type { Category, Comparison, ComparisonOp, Expr, Literal } from '../lang/eql';
import { printEqlExpr, printEqlString } from '../lang/eql';
import { classifyEqlPattern } from './kinds';
import { and, atom, not, or, TRUE, type Atom, type Cond } from './ir';
import type { PredicateValue, TextRef } from './types';

function isLiteral(e: Expr): e is Literal {
  return e.kind === 'String' || e.kind === 'Number' || e.kind === 'Boolean' || e.kind === 'Null';
}

function literalText(l: Literal): string {
  switch (l.kind) {
    case 'String':
      return l.value;
    case 'Number':
      return l.raw;
    case 'Boolean':
      return l.value ? 'true' : 'false';
    case 'Null':
      return 'null';
    default:
      return assertNever(l, 'EQL literal');
  }
}

/** Every field an expression reads, in source order (duplicates kept; callers sort). */
function fieldsIn(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'And':
    case 'Or':
      for (const o of e.operands) fieldsIn(o, out);
      break;
    case 'Not':
      fieldsIn(e.operand, out);
      break;
    case 'Comparison':
    case 'Arithmetic':
      fieldsIn(e.left, out);
      fieldsIn(e.right, out);
      break;
    case 'Match':
      fieldsIn(e.left, out);
      break;
    case 'In':
      fieldsIn(e.left, out);
      for (const v of e.values) fieldsIn(v, out);
      break;
    case 'Call':
      for (const a of e.args) fieldsIn(a, out);
      break;
    case 'Unary':
      fieldsIn(e.operand, out);
      break;
    case 'Field':
      out.push(e.name);
      break;
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null':
      break;
    default:
      assertNever(e, 'EQL expression');
  }
  return out;
}

function uniqueSorted(xs: string[]): string[] {
  return xs.length <= 1 ? xs : [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const FLIP: Record<ComparisonOp, ComparisonOp> = { '==': '==', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

const FUNCTION_KINDS: Record<string, PredicateValue['kind']> = {
  startsWith: 'starts_with',
  endsWith: 'ends_with',
  stringContains: 'contains',
  cidrMatch: 'cidr',
};

/** Lowers EQL expressions; `ref` names the text their locs point into. */
export class EqlLowering {
  constructor(private readonly ref: TextRef) {}

  private leaf(e: Expr, field: string | null, values: PredicateValue[], list: boolean, caseInsensitive: boolean, loc: Loc = e.loc): Cond {
    const fields = field === null ? [] : [field];
    const a: Atom = { in: this.ref, loc, text: printEqlExpr(e), field, fields, values, list, caseInsensitive };
    return atom(a);
  }

  /** A computed predicate: its value is its printed text; its field the first one it reads. */
  private computed(e: Expr, caseInsensitive = false): Cond {
    const text = printEqlExpr(e);
    const all = fieldsIn(e);
    const a: Atom = {
      in: this.ref,
      loc: e.loc,
      text,
      field: all[0] ?? null,
      fields: uniqueSorted(all),
      values: [{ value: text, kind: 'function' }],
      list: false,
      caseInsensitive,
    };
    return atom(a);
  }

  /** The implicit `event.category == "…"` of an event query or stage (none for `any`). */
  category(c: Category, field: string): Cond {
    if (c.any) return TRUE;
    return atom({
      in: this.ref,
      loc: c.loc,
      text: `${field} == ${printEqlString(c.name, false)}`,
      field,
      fields: [field],
      values: [{ value: c.name, kind: 'eq' }],
      list: false,
      caseInsensitive: false,
      implicit: true,
    });
  }

  lower(e: Expr): Cond {
    switch (e.kind) {
      case 'And':
        return and(e.operands.map((o) => this.lower(o)));
      case 'Or':
        return or(e.operands.map((o) => this.lower(o)));
      case 'Not':
        return not(this.lower(e.operand));
      case 'Comparison':
        return this.comparison(e);
      case 'Match': {
        if (e.left.kind !== 'Field') return this.computed(e, e.op === ':' || e.op.endsWith('~'));
        const ci = e.op === ':' || e.op === 'like~' || e.op === 'regex~';
        const regex = e.op === 'regex' || e.op === 'regex~';
        const values = e.patterns.map((p): PredicateValue => {
          const v = literalText(p);
          if (regex) return { value: v, kind: 'regex' };
          return p.kind === 'String' ? classifyEqlPattern(v) : { value: v, kind: 'eq' };
        });
        return this.leaf(e, e.left.name, values, e.list, ci);
      }
      case 'In': {
        if (e.left.kind !== 'Field' || !e.values.every(isLiteral)) {
          const c = this.computed(e, e.caseInsensitive);
          return e.negated ? not(c) : c;
        }
        const values = (e.values as Literal[]).map((v): PredicateValue => ({ value: literalText(v), kind: 'eq' }));
        const c = this.leaf(e, e.left.name, values, true, e.caseInsensitive);
        return e.negated ? not(c) : c;
      }
      case 'Call': {
        const kind = FUNCTION_KINDS[e.canonical];
        const [first, ...rest] = e.args;
        if (kind === undefined || first === undefined || first.kind !== 'Field' || rest.length === 0 || !rest.every((a) => a.kind === 'String')) {
          return this.computed(e, e.caseInsensitive);
        }
        const values = rest.map((a): PredicateValue => ({ value: literalText(a as Literal), kind }));
        return this.leaf(e, first.name, values, values.length > 1, e.caseInsensitive);
      }
      case 'Field':
        // A bare field as a condition: true when the field is `true`.
        return this.leaf(e, e.name, [{ value: 'true', kind: 'eq' }], false, false);
      case 'Boolean':
      case 'Null':
      case 'String':
      case 'Number':
        return TRUE;
      case 'Arithmetic':
      case 'Unary':
        return this.computed(e);
      default:
        return assertNever(e, 'EQL expression');
    }
  }

  private comparison(e: Comparison): Cond {
    let field: string | null = null;
    let lit: Literal | null = null;
    let op = e.op;
    if (e.left.kind === 'Field' && isLiteral(e.right)) {
      field = e.left.name;
      lit = e.right;
    } else if (e.right.kind === 'Field' && isLiteral(e.left)) {
      field = e.right.name;
      lit = e.left;
      op = FLIP[op];
    }
    if (field === null || lit === null) return this.computed(e);
    if (lit.kind === 'Null') {
      if (op === '==') return not(this.leaf(e, field, [{ value: '', kind: 'exists' }], false, false));
      if (op === '!=') return this.leaf(e, field, [{ value: '', kind: 'exists' }], false, false);
      return this.computed(e);
    }
    const v = literalText(lit);
    switch (op) {
      case '==':
        return this.leaf(e, field, [{ value: v, kind: 'eq' }], false, false);
      case '!=':
        return not(this.leaf(e, field, [{ value: v, kind: 'eq' }], false, false));
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.leaf(e, field, [{ value: `${op} ${v}`, kind: 'range' }], false, false);
      default:
        return assertNever(op, 'comparison operator');
    }
  }

  /** Printed join keys (`by` expressions). */
  static keys(by: Expr[]): string[] {
    return by.map((k) => printEqlExpr(k));
  }

  /** Fields read by join keys. */
  static keyFields(by: Expr[]): string[] {
    const out: string[] = [];
    for (const k of by) fieldsIn(k, out);
    return out;
  }

  /** Fields read by an expression (unsorted, with duplicates). */
  static fields(e: Expr): string[] {
    return fieldsIn(e);
  }
}
