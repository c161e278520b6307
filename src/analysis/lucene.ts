/**
 * Lucene (`query_string`) → the boolean form of `ir.ts`.
 *
 * A Bool's `must` clauses are ANDed and `must_not` clauses negated; `should` clauses are ORed
 * when nothing is required, and are `optional` (they do not restrict matches) beside a `must`.
 * Terms are `eq`, or a wildcard pattern (`*`, `?`, backslash escapes) classified by `kinds.ts`;
 * phrases `eq`; `/re/` `regex`; ranges one `range` value per bound; `_exists_:f` `exists`;
 * fuzzy terms and proximity phrases `function`. Matching is taken as case-sensitive.
 */
import { assertNever } from '../model/rule';
import type { Loc } from '../model/span';
import type { LuceneBound, LuceneQuery } from '../lang/lucene';
import { printLucene } from '../lang/lucene';
import { classifyParts, splitPattern } from './kinds';
import { and, atom, not, or, type Cond } from './ir';
import type { PredicateValue, TextRef } from './types';

export interface LuceneLoweringOptions {
  in: TextRef;
  mapLoc?: (loc: Loc) => Loc | null;
}

export class LuceneLowering {
  private readonly ref: TextRef;
  private readonly mapLoc: (loc: Loc) => Loc | null;

  constructor(opts: LuceneLoweringOptions) {
    this.ref = opts.in;
    this.mapLoc = opts.mapLoc ?? ((l) => l);
  }

  private atom(q: LuceneQuery, field: string | null, values: PredicateValue[], defaultField: string | null): Cond {
    const printed = printLucene(q);
    const text = defaultField !== null && 'field' in q && q.field === null ? `${defaultField}:${printed}` : printed;
    return atom({ in: this.ref, loc: this.mapLoc(q.loc), text, field, fields: field === null ? [] : [field], values, list: false, caseInsensitive: false });
  }

  /**
   * `field:(a OR b c)`, a group of plain alternatives, is one list predicate like KQL's
   * `field:(a or b)`, so that all-exact lists become one `in` row; null for any other group.
   */
  private valueList(q: Extract<LuceneQuery, { kind: 'FieldGroup' }>): Cond | null {
    const inner = q.query;
    if (inner.kind !== 'Bool' || inner.clauses.length < 2) return null;
    const values: PredicateValue[] = [];
    for (const c of inner.clauses) {
      const t = c.query;
      if (c.occur !== 'should') return null;
      if (t.kind === 'Term' && t.field === null && t.fuzzy === null) {
        if (t.pattern === null) values.push({ value: t.value, kind: 'eq' });
        else {
          const s = splitPattern(t.pattern, { escape: true, question: true });
          values.push(classifyParts(s.parts, s.question, t.pattern));
        }
      } else if (t.kind === 'Phrase' && t.field === null && t.slop === null) {
        values.push({ value: t.value, kind: 'eq' });
      } else {
        return null;
      }
    }
    return atom({ in: this.ref, loc: this.mapLoc(q.loc), text: printLucene(q), field: q.field, fields: [q.field], values, list: true, caseInsensitive: false });
  }

  lower(q: LuceneQuery, defaultField: string | null = null): Cond {
    switch (q.kind) {
      case 'Bool': {
        const must: Cond[] = [];
        const should: Cond[] = [];
        const mustNot: Cond[] = [];
        for (const c of q.clauses) {
          const x = this.lower(c.query, defaultField);
          if (c.occur === 'must') must.push(x);
          else if (c.occur === 'should') should.push(x);
          else mustNot.push(not(x));
        }
        const parts: Cond[] = [...must];
        if (should.length > 0) {
          if (must.length > 0) for (const s of should) parts.push({ k: 'optional', item: s });
          else parts.push(or(should));
        }
        parts.push(...mustNot);
        return and(parts);
      }
      case 'Term': {
        const field = q.field ?? defaultField;
        if (q.fuzzy !== null) return this.atom(q, field, [{ value: printLucene(q), kind: 'function' }], defaultField);
        if (q.pattern === null) return this.atom(q, field, [{ value: q.value, kind: 'eq' }], defaultField);
        const s = splitPattern(q.pattern, { escape: true, question: true });
        return this.atom(q, field, [classifyParts(s.parts, s.question, q.pattern)], defaultField);
      }
      case 'Phrase': {
        const field = q.field ?? defaultField;
        const v: PredicateValue = q.slop !== null ? { value: printLucene(q), kind: 'function' } : { value: q.value, kind: 'eq' };
        return this.atom(q, field, [v], defaultField);
      }
      case 'Regex':
        return this.atom(q, q.field ?? defaultField, [{ value: q.pattern, kind: 'regex' }], defaultField);
      case 'Range': {
        const field = q.field ?? defaultField;
        const values: PredicateValue[] = [];
        const bound = (op: string, b: LuceneBound | null): void => {
          if (b !== null) values.push({ value: `${op} ${b.value}`, kind: 'range' });
        };
        bound(q.includeLower ? '>=' : '>', q.lower);
        bound(q.includeUpper ? '<=' : '<', q.upper);
        if (values.length === 0) return this.atom(q, field, [{ value: '', kind: 'exists' }], defaultField);
        // Both bounds must hold: one predicate per bound, at the same place.
        return and(values.map((v) => this.atom(q, field, [v], defaultField)));
      }
      case 'Exists':
        return this.atom(q, q.field, [{ value: '', kind: 'exists' }], null);
      case 'FieldGroup':
        return this.valueList(q) ?? this.lower(q.query, q.field);
      case 'Boost':
        return this.lower(q.query, defaultField);
      default:
        return assertNever(q, 'Lucene query');
    }
  }
}
