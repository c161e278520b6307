/**
 * The boolean form every language is lowered to before predicates are classified: `and`, `or`,
 * `not` over atoms (leaf predicates: a field, its values, how they match). Lowering is one pass
 * per AST (see `eql.ts`, `kql.ts`, `lucene.ts`, `esql.ts`, `filters.ts`); `predicatesOf` is one
 * pass over the lowered form.
 */
import { flatString } from '../model/flat-string';
import { assertNever } from '../model/rule';
import type { Loc } from '../model/span';
import { isCidr } from './kinds';
import { isScopeField } from './scope';
import type { OtherReason, Predicate, PredicateRole, PredicateValue, TextRef } from './types';

export interface Atom {
  in: TextRef;
  loc: Loc | null;
  text: string;
  field: string | null;
  fields: string[];
  values: PredicateValue[];
  list: boolean;
  caseInsensitive: boolean;
  filter?: number;
  implicit?: boolean;
  /** Forces role `other` with this reason (derived ES|QL column, after aggregation, no field). */
  reason?: OtherReason;
}

export type Cond =
  | { k: 'and'; items: Cond[] }
  | { k: 'or'; items: Cond[] }
  | { k: 'not'; item: Cond }
  /** A Lucene `should` clause beside required ones: it does not restrict what matches. */
  | { k: 'optional'; item: Cond }
  | { k: 'atom'; atom: Atom }
  /** A constant (`any where true`): no predicate. */
  | { k: 'const' };

export const TRUE: Cond = { k: 'const' };

export function atom(a: Atom): Cond {
  return { k: 'atom', atom: a };
}

/** n-ary `and`, flattened, constants (true) dropped; one item is itself. */
export function and(items: Cond[]): Cond {
  const out: Cond[] = [];
  for (const c of items) {
    if (c.k === 'and') out.push(...c.items);
    else if (c.k !== 'const') out.push(c);
  }
  if (out.length === 0) return TRUE;
  return out.length === 1 ? (out[0] as Cond) : { k: 'and', items: out };
}

/** n-ary `or`, flattened; one item is itself. */
export function or(items: Cond[]): Cond {
  const out: Cond[] = [];
  for (const c of items) {
    if (c.k === 'or') out.push(...c.items);
    else out.push(c);
  }
  return out.length === 1 ? (out[0] as Cond) : { k: 'or', items: out };
}

export function not(item: Cond): Cond {
  return { k: 'not', item };
}

/** The top-level conjuncts of a condition (the condition itself when it is not an `and`). */
export function conjuncts(c: Cond): Cond[] {
  return c.k === 'and' ? c.items : [c];
}

function roleOf(a: Atom, negated: boolean, inExclusion: boolean, optional: boolean): { role: PredicateRole; reason?: OtherReason } {
  if (a.reason !== undefined) return { role: 'other', reason: a.reason };
  if (optional) return { role: 'other', reason: 'optional' };
  if (a.field === null) return { role: 'other', reason: 'no_field' };
  if (isScopeField(a.field)) return { role: 'scope' };
  if (!negated) return inExclusion ? { role: 'other', reason: 'nested_negation' } : { role: 'indicator' };
  return inExclusion ? { role: 'exclusion' } : { role: 'other', reason: 'nested_negation' };
}

/** Exact values in CIDR notation are `cidr` values (see `isCidr`). */
function cidrValues(values: PredicateValue[]): PredicateValue[] {
  if (!values.some((v) => v.kind === 'eq' && isCidr(v.value))) return values;
  return values.map((v) => (v.kind === 'eq' && isCidr(v.value) ? { value: v.value, kind: 'cidr' } : v));
}

function toPredicate(a: Atom, negated: boolean, inExclusion: boolean, optional: boolean, conjunct: number): Predicate {
  const { role, reason } = roleOf(a, negated, inExclusion, optional);
  const p: Predicate = {
    in: a.in,
    loc: a.loc,
    // Printed by concatenation; kept as long as the catalog (see flatString).
    text: flatString(a.text),
    field: a.field,
    fields: a.fields,
    values: cidrValues(a.values),
    list: a.list,
    caseInsensitive: a.caseInsensitive,
    negated,
    role,
    conjunct,
  };
  if (reason !== undefined) p.reason = reason;
  if (a.filter !== undefined) p.filter = a.filter;
  if (a.implicit) p.implicit = true;
  return p;
}

/**
 * The predicates of a stage condition, in source order, each with its role. A top-level conjunct
 * that is `not (…)` is an exclusion: every predicate negated once inside it is an exclusion
 * predicate (`not (A or B)` excludes A and B). Other predicates are indicators when positive.
 * `firstConjunct` numbers the conjuncts after those of an earlier condition of the same stage.
 */
export function predicatesOf(cond: Cond, out: Predicate[] = [], firstConjunct = 0): Predicate[] {
  const parts = conjuncts(cond);
  for (let i = 0; i < parts.length; i++) {
    const c = parts[i] as Cond;
    if (c.k === 'not') visitPredicates(out, c.item, true, true, false, firstConjunct + i);
    else visitPredicates(out, c, false, false, false, firstConjunct + i);
  }
  return out;
}

/** `predicatesOf`'s walk (a module function: a closure per call costs more than the walk on small conditions). */
function visitPredicates(out: Predicate[], c: Cond, negated: boolean, inExclusion: boolean, optional: boolean, conjunct: number): void {
  switch (c.k) {
    case 'and':
    case 'or':
      for (const i of c.items) visitPredicates(out, i, negated, inExclusion, optional, conjunct);
      return;
    case 'not':
      visitPredicates(out, c.item, !negated, inExclusion, optional, conjunct);
      return;
    case 'optional':
      visitPredicates(out, c.item, negated, inExclusion, true, conjunct);
      return;
    case 'atom':
      out.push(toPredicate(c.atom, negated, inExclusion, optional, conjunct));
      return;
    case 'const':
      return;
    default:
      assertNever(c, 'condition');
  }
}

/**
 * Demotes a stage's predicates to `other` (`missing_event` / `until`): what a missing-event term
 * or an `until` term matches is not what the rule looks for.
 */
export function demote(preds: Predicate[], reason: OtherReason): Predicate[] {
  for (const p of preds) {
    if (p.role === 'other') continue;
    p.role = 'other';
    p.reason = reason;
  }
  return preds;
}

/** Number of top-level conjuncts (for numbering across several conditions of one stage). */
export function conjunctCount(c: Cond): number {
  return c.k === 'const' ? 0 : conjuncts(c).length;
}

/** Sorted unique field names. */
export function sortedFields(fields: readonly string[]): string[] {
  if (fields.length <= 1) return [...fields];
  return [...new Set(fields)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
