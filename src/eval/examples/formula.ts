/**
 * The example synthesiser's view of a condition: a negation-normal formula over atoms. An atom
 * is one field-level test (`process.name : "*.exe"`, `destination.port >= 1024`,
 * `cidrMatch(source.ip, …)`), carrying the evaluator's own compiled predicate (so candidate
 * values are checked with the real semantics) and, when it can, a description the solver uses
 * to generate values: a regular language of matching strings, natural candidates, a domain.
 */
import type { Loc } from '../../model/span';
import type { Lang, Re } from '../automaton';
import type { Pred } from '../trace';

export type Domain = 'keyword' | 'text' | 'numeric' | 'ip' | 'date' | 'boolean';

export interface Atom {
  id: number;
  /** The field whose value the atom tests; null for atoms over several fields or none. */
  field: string | null;
  /** Every field the atom reads. */
  fields: string[];
  /** The atom's positive predicate (the evaluator's). */
  pred: Pred;
  /** A test of one candidate value of `field` (evaluates `pred` on a one-field document). */
  test?: (value: unknown) => boolean;
  /**
   * Three-valued atoms (ES|QL): whether a value makes the atom false — not null. A negated
   * literal needs this (NOT null is null); two-valued atoms use `!test`.
   */
  testFalse?: (value: unknown) => boolean;
  /** Three-valued atoms: the atom is false (not null) on this document. */
  falseOn?: (doc: unknown) => boolean;
  /** The language of single string values that satisfy the atom (null: unknown). */
  lang?: (L: Lang) => Re | null;
  /** Natural example values. */
  candidates?: unknown[];
  /** A domain the atom implies for its field (a numeric range implies `numeric`, …). */
  domain?: Domain;
  /** The atom is an existence test (`f != null`, `f:*`, `_exists_:f`). */
  exists?: boolean;
  label: string;
  loc: Loc;
}

export type Formula =
  | { t: 'and'; xs: Formula[] }
  | { t: 'or'; xs: Formula[] }
  | { t: 'lit'; atom: Atom; neg: boolean }
  | { t: 'const'; v: boolean };

export const TRUE_F: Formula = { t: 'const', v: true };
export const FALSE_F: Formula = { t: 'const', v: false };

export function andF(xs: Formula[]): Formula {
  const flat: Formula[] = [];
  for (const x of xs) {
    if (x.t === 'const') {
      if (!x.v) return FALSE_F;
      continue;
    }
    if (x.t === 'and') flat.push(...x.xs);
    else flat.push(x);
  }
  if (flat.length === 0) return TRUE_F;
  return flat.length === 1 ? (flat[0] as Formula) : { t: 'and', xs: flat };
}

export function orF(xs: Formula[]): Formula {
  const flat: Formula[] = [];
  for (const x of xs) {
    if (x.t === 'const') {
      if (x.v) return TRUE_F;
      continue;
    }
    if (x.t === 'or') flat.push(...x.xs);
    else flat.push(x);
  }
  if (flat.length === 0) return FALSE_F;
  return flat.length === 1 ? (flat[0] as Formula) : { t: 'or', xs: flat };
}

/** Negation pushed to the atoms (De Morgan). */
export function notF(f: Formula): Formula {
  switch (f.t) {
    case 'const':
      return { t: 'const', v: !f.v };
    case 'lit':
      return { t: 'lit', atom: f.atom, neg: !f.neg };
    case 'and':
      return orF(f.xs.map(notF));
    case 'or':
      return andF(f.xs.map(notF));
  }
}

export interface Literal {
  atom: Atom;
  neg: boolean;
}

/** The top-level conjuncts of a formula. */
export function conjuncts(f: Formula): Formula[] {
  return f.t === 'and' ? f.xs : [f];
}

/** Most results a value memo keeps per atom test (past it, values are tested without memo). */
export const VALUE_MEMO_LIMIT = 4096;

/**
 * `test` with a memo of its results for string, number and boolean values: the search asks the
 * same atom about the same value many times (every search, every candidate list), and a test
 * runs the evaluator. Tests are pure (the evaluator's predicates at a fixed reference time).
 */
export function memoTest(test: (value: unknown) => boolean, limit = VALUE_MEMO_LIMIT): (value: unknown) => boolean {
  const memo = new Map<unknown, boolean>();
  return (value) => {
    const t = typeof value;
    // -0 is left out: a Map does not tell it from 0.
    if ((t !== 'string' && t !== 'number' && t !== 'boolean') || Object.is(value, -0)) return test(value);
    const hit = memo.get(value);
    if (hit !== undefined) return hit;
    const r = test(value);
    if (memo.size < limit) memo.set(value, r);
    return r;
  };
}

export class AtomFactory {
  private next = 0;
  make(a: Omit<Atom, 'id'>): Atom {
    const atom: Atom = { ...a, id: this.next++ };
    if (atom.test) atom.test = memoTest(atom.test);
    if (atom.testFalse) atom.testFalse = memoTest(atom.testFalse);
    return atom;
  }
}
