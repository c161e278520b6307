/**
 * Grouping predicates into the rows of the Indicators, Exclusions and Scope tables (seed 002):
 *
 * - a predicate whose values are all exact is one row: `eq` for one value, `in` for several
 *   (values sorted, duplicates dropped);
 * - a predicate whose values all have one other kind is one row of that kind (`starts_with` with
 *   its sorted values);
 * - a predicate whose values mix kinds (exact and wildcard values in one list) splits into one row
 *   per value, each with its own kind (`eq`, `starts_with`, …);
 * - identical rows (field, kind, case-sensitivity, values) from several predicates or stages are
 *   one row listing every stage and predicate;
 * - rows sort by field, kind, values (numbers numerically first, then UTF-16 code-unit order),
 *   then case-sensitive first;
 * - `exists`, `range` and `cidr` rows are never marked case-insensitive (letter case means
 *   nothing to them: `process.name : "*"` is plain `exists`).
 */
import { compareStrings, compareValues } from './kinds';
import type { AnalysisRow, AnalysisStage, Predicate, PredicateRef, PredicateValue, RowKind, ScopeRow } from './types';

interface Draft {
  field: string;
  kind: RowKind;
  values: string[];
  caseInsensitive: boolean;
  excluded: boolean;
  stages: number[];
  refs: PredicateRef[];
}

function uniqueSortedValues(values: readonly PredicateValue[]): string[] {
  if (values.length === 1) return [(values[0] as PredicateValue).value];
  const set = new Set<string>();
  for (const v of values) set.add(v.value);
  return [...set].sort(compareValues);
}

/** The rows one predicate contributes (before merging). */
export function predicateRows(p: Predicate): { kind: RowKind; values: string[] }[] {
  const vs = p.values;
  if (vs.length === 0) return [];
  const first = (vs[0] as PredicateValue).kind;
  if (vs.length === 1) return [{ kind: first, values: [(vs[0] as PredicateValue).value] }];
  if (vs.every((v) => v.kind === first)) {
    const values = uniqueSortedValues(vs);
    const kind: RowKind = first === 'eq' && values.length > 1 ? 'in' : first;
    return [{ kind, values }];
  }
  // Mixed kinds: one row per distinct (kind, value).
  const seen = new Set<string>();
  const out: { kind: RowKind; values: string[] }[] = [];
  for (const v of vs) {
    const k = `${v.kind}\u0000${v.value}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ kind: v.kind, values: [v.value] });
  }
  return out;
}

function compareValueLists(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i] as string, b[i] as string);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareDrafts(a: Draft, b: Draft): number {
  return (
    compareStrings(a.field, b.field) ||
    Number(a.excluded) - Number(b.excluded) ||
    compareStrings(a.kind, b.kind) ||
    compareValueLists(a.values, b.values) ||
    Number(a.caseInsensitive) - Number(b.caseInsensitive)
  );
}

/** Two value lists with the same values in the same order. */
function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

class RowSet {
  /**
   * The drafts of each field. A rule has few rows on one field, so a row already drafted is found
   * by comparing them, without building a string key for every row.
   */
  private readonly byField = new Map<string, Draft[]>();
  private readonly all: Draft[] = [];

  add(field: string, kind: RowKind, values: string[], caseInsensitive: boolean, excluded: boolean, ref: PredicateRef): void {
    const list = this.byField.get(field);
    if (list !== undefined) {
      for (let i = 0; i < list.length; i++) {
        const d = list[i] as Draft;
        if (d.kind !== kind || d.caseInsensitive !== caseInsensitive || d.excluded !== excluded || !sameValues(d.values, values)) continue;
        if (d.stages[d.stages.length - 1] !== ref.stage) d.stages.push(ref.stage);
        d.refs.push(ref);
        return;
      }
    }
    // The lists start with their first element: most rows come from one predicate, and a first
    // push onto an empty array reserves 17 slots, which the garbage collector copies with the
    // analysis for as long as the catalog lives.
    const d: Draft = { field, kind, values, caseInsensitive, excluded, stages: [ref.stage], refs: [ref] };
    if (list === undefined) this.byField.set(field, [d]);
    else list.push(d);
    this.all.push(d);
  }

  /** Sorted (`compareDrafts` tells any two drafts apart, so the order they came in does not matter). */
  drafts(): Draft[] {
    return this.all.sort(compareDrafts);
  }
}

function toRow(d: Draft): AnalysisRow {
  return {
    field: d.field,
    kind: d.kind,
    values: d.values.map((value) => ({ value, corpus: 0 })),
    caseInsensitive: d.caseInsensitive,
    stages: d.stages,
    refs: d.refs,
  };
}

/** Indicators, exclusions and scope rows of a rule's stages (stages in index order). */
export function buildRows(stages: readonly AnalysisStage[]): { indicators: AnalysisRow[]; exclusions: AnalysisRow[]; scope: ScopeRow[] } {
  const ind = new RowSet();
  const exc = new RowSet();
  const scope = new RowSet();
  for (const s of stages) {
    s.predicates.forEach((p, i) => {
      if (p.field === null) return;
      const set = p.role === 'indicator' ? ind : p.role === 'exclusion' ? exc : p.role === 'scope' ? scope : null;
      if (set === null) return;
      const excluded = p.role === 'scope' && p.negated;
      for (const r of predicateRows(p)) {
        const ci = p.caseInsensitive && r.kind !== 'exists' && r.kind !== 'range' && r.kind !== 'cidr';
        set.add(p.field, r.kind, r.values, ci, excluded, { stage: s.index, predicate: i });
      }
    });
  }
  return {
    indicators: ind.drafts().map(toRow),
    exclusions: exc.drafts().map(toRow),
    scope: scope.drafts().map((d) => ({ ...toRow(d), excluded: d.excluded })),
  };
}
