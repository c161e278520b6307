/**
 * Kibana filters (`[[rule.filters]]`, `threat_filters`) → the boolean form of `ir.ts`. Each enabled
 * filter is one conjunct ANDed with the query; `negate = true` wraps it in NOT, so a negated
 * filter is an exclusion like a top-level `not (…)` of the query.
 *
 * Understood Elasticsearch query shapes: `wildcard` (`*`/`?` and backslash escapes, with
 * `case_insensitive`), `prefix`, `match_phrase`, `match`, `term`, `terms`, `exists`, `range`,
 * `regexp`, and `bool` (`must`/`filter`/`should`/`must_not`) over those; the filter-level `exists`
 * too. Anything else is reported and skipped.
 */
import type { KibanaFilter } from '../model/rule';
import { classifyEscapedPattern } from './kinds';
import { and, atom, not, or, type Cond } from './ir';
import type { PredicateValue } from './types';

export interface FilterProblem {
  filter: number;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** A filter value as text: strings as they are, lists joined, bounds `gte 1`. */
function shownText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(shownText).join(', ');
  if (isRecord(v)) return Object.entries(v).map(([k, x]) => `${k} ${shownText(x)}`).join(' ');
  return String(v);
}

/** The single `{ field: spec }` entry of a leaf query, or null. */
function single(q: unknown): [string, unknown] | null {
  if (!isRecord(q)) return null;
  const keys = Object.keys(q);
  if (keys.length !== 1) return null;
  const k = keys[0] as string;
  return [k, q[k]];
}

class FilterLowering {
  constructor(
    private readonly index: number,
    private readonly problems: FilterProblem[],
  ) {}

  private leaf(field: string, type: string, shown: unknown, values: PredicateValue[], caseInsensitive: boolean): Cond {
    return atom({
      in: 'filters',
      loc: null,
      text: `${field} ${type}${shown === '' ? '' : ` ${shownText(shown)}`}${caseInsensitive ? ' (case-insensitive)' : ''}`,
      field,
      fields: [field],
      values,
      list: values.length > 1,
      caseInsensitive,
      filter: this.index,
    });
  }

  private fail(message: string): null {
    this.problems.push({ filter: this.index, message });
    return null;
  }

  /** `{ value, case_insensitive }` or a bare value. */
  private valueSpec(spec: unknown, key = 'value'): { value: string; ci: boolean } | null {
    if (isRecord(spec)) {
      const v = scalar(spec[key]);
      return v === null ? null : { value: v, ci: spec.case_insensitive === true };
    }
    const v = scalar(spec);
    return v === null ? null : { value: v, ci: false };
  }

  query(q: unknown): Cond | null {
    if (!isRecord(q)) return this.fail('filter query is not a table');
    const keys = Object.keys(q);
    if (keys.length !== 1) return this.fail(`filter query has ${keys.length} clauses (${keys.join(', ')}); expected one`);
    const type = keys[0] as string;
    const body = q[type];
    if (type === 'bool') return this.bool(body);
    if (type === 'exists') {
      const field = isRecord(body) ? scalar(body.field) : null;
      return field === null ? this.fail('exists filter without a field') : this.leaf(field, 'exists', '', [{ value: '', kind: 'exists' }], false);
    }
    const entry = single(body);
    if (entry === null) return this.fail(`${type} filter without a single field`);
    const [field, spec] = entry;
    switch (type) {
      case 'wildcard': {
        const s = this.valueSpec(spec) ?? this.valueSpec(spec, 'wildcard');
        if (s === null) return this.fail('wildcard filter without a value');
        return this.leaf(field, type, s.value, [classifyEscapedPattern(s.value)], s.ci);
      }
      case 'prefix': {
        const s = this.valueSpec(spec);
        if (s === null) return this.fail('prefix filter without a value');
        return this.leaf(field, type, s.value, [{ value: s.value, kind: 'starts_with' }], s.ci);
      }
      case 'regexp': {
        const s = this.valueSpec(spec);
        if (s === null) return this.fail('regexp filter without a value');
        return this.leaf(field, type, s.value, [{ value: s.value, kind: 'regex' }], s.ci);
      }
      case 'match_phrase':
      case 'match': {
        const s = this.valueSpec(spec, 'query');
        if (s === null) return this.fail(`${type} filter without a query`);
        return this.leaf(field, type, s.value, [{ value: s.value, kind: 'eq' }], false);
      }
      case 'term': {
        const s = this.valueSpec(spec);
        if (s === null) return this.fail('term filter without a value');
        return this.leaf(field, type, s.value, [{ value: s.value, kind: 'eq' }], s.ci);
      }
      case 'terms': {
        if (!Array.isArray(spec)) return this.fail('terms filter without a value list');
        const vals = spec.map(scalar).filter((v): v is string => v !== null);
        if (vals.length === 0) return this.fail('terms filter with no values');
        return this.leaf(field, type, vals, vals.map((v) => ({ value: v, kind: 'eq' as const })), false);
      }
      case 'range': {
        if (!isRecord(spec)) return this.fail('range filter without bounds');
        const ops: [string, string][] = [['gte', '>='], ['gt', '>'], ['lte', '<='], ['lt', '<']];
        const parts: Cond[] = [];
        for (const [k, op] of ops) {
          const v = scalar(spec[k]);
          if (v !== null) parts.push(this.leaf(field, type, { [k]: v }, [{ value: `${op} ${v}`, kind: 'range' }], false));
        }
        return parts.length === 0 ? this.fail('range filter without bounds') : and(parts);
      }
      default:
        return this.fail(`unsupported filter query type ${JSON.stringify(type)}`);
    }
  }

  private list(v: unknown): Cond[] {
    const items = v === undefined ? [] : Array.isArray(v) ? v : [v];
    const out: Cond[] = [];
    for (const x of items) {
      const c = this.query(x);
      if (c !== null) out.push(c);
    }
    return out;
  }

  private bool(body: unknown): Cond | null {
    if (!isRecord(body)) return this.fail('bool filter is not a table');
    const parts: Cond[] = [...this.list(body.must), ...this.list(body.filter)];
    const should = this.list(body.should);
    if (should.length > 0) parts.push(or(should));
    for (const c of this.list(body.must_not)) parts.push(not(c));
    return parts.length === 0 ? null : and(parts);
  }
}

/**
 * The conjuncts the enabled filters add (disabled filters add nothing), and the problems met.
 * Each conjunct's atoms carry `filter` = the filter's index in `filters`.
 */
export function lowerFilters(filters: readonly KibanaFilter[]): { conds: Cond[]; problems: FilterProblem[] } {
  const conds: Cond[] = [];
  const problems: FilterProblem[] = [];
  filters.forEach((f, i) => {
    if (f.disabled) return;
    const l = new FilterLowering(i, problems);
    let c: Cond | null = null;
    if (f.query !== null) c = l.query(f.query);
    else if (f.exists !== null) c = l.query({ exists: f.exists });
    else problems.push({ filter: i, message: 'filter has neither a query nor exists' });
    if (c !== null) conds.push(f.negate ? not(c) : c);
  });
  return { conds, problems };
}
