/**
 * KQL → the boolean form of `ir.ts`.
 *
 * `field:value` is `eq` for a quoted value or an unquoted one without `*`, and a wildcard pattern
 * otherwise (classified by `kinds.ts`: `abc*` starts_with `abc`, …). A value list
 * `field:(a or b or c)` is one list predicate; `and` / `not` inside a list become `and` / `not`
 * of predicates on the field (`f:(* and not x)` is `f:* and not f:x`). `field:*` is `exists`,
 * `field >= v` a `range`, `path:{ … }` prefixes the inner fields with `path.`. Matching is taken
 * as case-sensitive (KQL on keyword fields).
 */
import { assertNever } from '../model/rule';
import type { Loc } from '../model/span';
import type { KqlLiteral, KqlQuery, KqlValue } from '../lang/kql';
import { printKqlLiteral, printKqlValue } from '../lang/kql/print';
import { classifyParts } from './kinds';
import { and, atom, not, or, TRUE, type Cond } from './ir';
import type { PredicateValue, TextRef } from './types';

function literalValue(lit: KqlLiteral): PredicateValue {
  if (lit.quoted || !lit.wildcard) return { value: lit.value, kind: 'eq' };
  return classifyParts(lit.parts, false, lit.value);
}

export interface KqlLoweringOptions {
  in: TextRef;
  /** Maps a loc of the KQL text to the host text (embedded KQL in ES|QL); identity by default. */
  mapLoc?: (loc: Loc) => Loc | null;
}

export class KqlLowering {
  private readonly ref: TextRef;
  private readonly mapLoc: (loc: Loc) => Loc | null;

  constructor(opts: KqlLoweringOptions) {
    this.ref = opts.in;
    this.mapLoc = opts.mapLoc ?? ((l) => l);
  }

  lower(q: KqlQuery, prefix = ''): Cond {
    switch (q.kind) {
      case 'Or':
        return or(q.queries.map((x) => this.lower(x, prefix)));
      case 'And':
        return and(q.queries.map((x) => this.lower(x, prefix)));
      case 'Not':
        return not(this.lower(q.query, prefix));
      case 'Is': {
        const field = prefix + q.field.value;
        const fieldText = printKqlLiteral(q.field);
        return this.value(field, fieldText, q.value, q.loc);
      }
      case 'Exists': {
        const field = prefix + q.field.value;
        return this.atom(`${printKqlLiteral(q.field)}:*`, q.loc, field, [{ value: '', kind: 'exists' }], false);
      }
      case 'Range': {
        const field = prefix + q.field.value;
        const text = `${printKqlLiteral(q.field)} ${q.op} ${printKqlLiteral(q.value)}`;
        return this.atom(text, q.loc, field, [{ value: `${q.op} ${q.value.value}`, kind: 'range' }], false);
      }
      case 'Nested':
        return this.lower(q.query, `${prefix}${q.path.value}.`);
      case 'FreeText':
        return this.atom(printKqlLiteral(q.value), q.loc, null, [literalValue(q.value)], false);
      case 'Empty':
        return TRUE;
      default:
        return assertNever(q, 'KQL query');
    }
  }

  private atom(text: string, loc: Loc, field: string | null, values: PredicateValue[], list: boolean): Cond {
    return atom({
      in: this.ref,
      loc: this.mapLoc(loc),
      text,
      field,
      fields: field === null ? [] : [field],
      values,
      list,
      caseInsensitive: false,
    });
  }

  /** `field:v`; `whole` is the Is node's loc, used when `v` is its entire value. */
  private value(field: string, fieldText: string, v: KqlValue, loc: Loc): Cond {
    switch (v.kind) {
      case 'Literal':
        return this.atom(`${fieldText}:${printKqlLiteral(v)}`, loc, field, [literalValue(v)], false);
      case 'ValueOr': {
        const lits: KqlLiteral[] = [];
        const rest: KqlValue[] = [];
        for (const x of v.values) (x.kind === 'Literal' ? lits : rest).push(x);
        const parts: Cond[] = [];
        if (lits.length > 0) {
          const whole = rest.length === 0;
          const text = whole ? `${fieldText}:(${printKqlValue(v)})` : `${fieldText}:(${lits.map(printKqlLiteral).join(' or ')})`;
          parts.push(this.atom(text, whole ? loc : v.loc, field, lits.map(literalValue), true));
        }
        for (const x of rest) parts.push(this.value(field, fieldText, x, x.loc));
        return or(parts);
      }
      case 'ValueAnd':
        return and(v.values.map((x) => this.value(field, fieldText, x, x.loc)));
      case 'ValueNot':
        return not(this.value(field, fieldText, v.value, v.value.loc));
      default:
        return assertNever(v, 'KQL value');
    }
  }
}
