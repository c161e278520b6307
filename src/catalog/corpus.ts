/**
 * Corpus counts and indexes over the analyses of a whole catalog (pure; one pass with Maps keyed
 * by stable strings):
 *
 * - per row value, `corpus`: how many rules look for the same combination (this rule included);
 * - `fields`: per field, the rules using it and its most common values (field pages);
 * - `indicators`: per key, its rules (indicator pages);
 * - per rule, its most similar rules by shared indicator keys (Jaccard, top 5).
 *
 * A key is (role, field, value kind, value with letter case folded). The role is `indicator` for
 * indicator rows and required scope rows, `exclusion` for exclusion rows and excluded scope rows,
 * so an excluded value and a required one never count together. The value kind of an `in` row's
 * value is `eq`: `process.name in (a, b)` and `process.name == a` share the key for `a`.
 *
 * Letter case is what a case-insensitive operator makes equal (EQL `:`, `in~`, `like~`, `~`
 * functions, ES|QL `=~` / `TO_LOWER`, filters with `case_insensitive`), so a key groups every
 * spelling, and a row value's `corpus` counts, among the rules of its key:
 * - for a case-insensitive value, every rule (whatever the spelling or operator);
 * - for a case-sensitive value, the rules with that exact spelling under a case-sensitive
 *   operator, plus every rule matching it case-insensitively (which looks for this spelling too).
 * So `: "CMD.EXE"` counts `== "cmd.exe"` and `== "Cmd.exe"`, while `== "cmd.exe"` does not count
 * `== "Cmd.exe"`.
 */
import type { AnalysedRule } from '../analysis';
import type { AnalysisRow, KeyRole, RowValue, RuleAnalysis, ScopeRow, ValueKind } from '../analysis/types';
import { VALUE_KINDS } from '../analysis/types';
import { isScopeField } from '../analysis/scope';
import { valueKindOf } from '../analysis/kinds';

export interface CorpusOptions {
  /** Values listed per field in `topValues` (default 10). */
  topValues?: number;
  /** Similar rules listed per rule (default 5). */
  similar?: number;
  /**
   * The analyses are the caller's own and nothing else holds them (a catalog build that has just
   * made them): each row value's `corpus` is filled in place and the rules keep their analyses,
   * instead of copies of every row and value (tens of thousands of objects, all outliving the
   * young generation). Without it the input is left untouched.
   */
  fillInPlace?: boolean;
}

export interface FieldValueCount {
  role: KeyRole;
  kind: ValueKind;
  value: string;
  /** Some rule matches it case-insensitively. */
  caseInsensitive: boolean;
  rules: number;
  key: string;
}

export interface FieldEntry {
  field: string;
  /** A scope field (`host.os.type`, …). */
  scope: boolean;
  /** Rules with any row on the field. */
  rules: number;
  /** Rules with an indicator (or required scope) row on it. */
  indicatorRules: number;
  /** Rules with an exclusion (or excluded scope) row on it. */
  exclusionRules: number;
  /** Rules per value kind (roles together), by count descending then kind. */
  kinds: { kind: ValueKind; rules: number }[];
  /** Most common keys of the field: rules descending, then role, kind, value. */
  topValues: FieldValueCount[];
  /** Distinct keys on the field. */
  distinctValues: number;
  /** Sorted. */
  ruleIds: string[];
}

export interface IndicatorEntry {
  /** `role|field|kind|value in lower case`: stable, unique. */
  key: string;
  role: KeyRole;
  /** On a scope field (from scope rows). */
  scope: boolean;
  field: string;
  kind: ValueKind;
  /** The most common spelling among the rules (ties: code-unit order). */
  value: string;
  /** Every spelling the rules use, sorted. */
  spellings: string[];
  /** Some rule matches it case-insensitively. */
  caseInsensitive: boolean;
  rules: number;
  /** Sorted. */
  ruleIds: string[];
}

export interface SimilarRule {
  id: string;
  /** Jaccard index of the two rules' indicator keys, rounded to 4 decimals. */
  score: number;
  /** Indicator keys in common. */
  shared: number;
}

export interface CorpusRule {
  id: string;
  /** The analysis with every row value's `corpus` filled in (a copy; the input itself with `fillInPlace`). */
  analysis: RuleAnalysis;
  similar: SimilarRule[];
}

export interface CorpusStats {
  rules: number;
  /** Rules with at least one indicator row. */
  rulesWithIndicators: number;
  indicatorRows: number;
  /** Values over all indicator rows (an `in` row of 11 values counts 11). */
  indicatorValues: number;
  exclusionRows: number;
  exclusionValues: number;
  scopeRows: number;
  /** Keys of indicator rows (scope keys apart). */
  distinctIndicatorKeys: number;
  /** Keys of exclusion rows (scope keys apart). */
  distinctExclusionKeys: number;
  /** Keys of scope rows, either role. */
  distinctScopeKeys: number;
  /** Indicator keys (scope apart) shared by two rules or more. */
  sharedIndicatorKeys: number;
}

export interface CorpusIndex {
  /** Same order as the input. */
  rules: CorpusRule[];
  /** Sorted by field. */
  fields: FieldEntry[];
  /** Sorted by rules descending, then key. */
  indicators: IndicatorEntry[];
  stats: CorpusStats;
}

export const SEP = '|';

/** The corpus totals of the analyses and the indicators index made from them. */
export function statsOf(input: readonly AnalysedRule[], indicators: readonly IndicatorEntry[]): CorpusStats {
  const stats: CorpusStats = {
    rules: input.length,
    rulesWithIndicators: 0,
    indicatorRows: 0,
    indicatorValues: 0,
    exclusionRows: 0,
    exclusionValues: 0,
    scopeRows: 0,
    distinctIndicatorKeys: 0,
    distinctExclusionKeys: 0,
    distinctScopeKeys: 0,
    sharedIndicatorKeys: 0,
  };
  for (const { analysis: a } of input) {
    stats.indicatorRows += a.indicators.length;
    stats.exclusionRows += a.exclusions.length;
    stats.scopeRows += a.scope.length;
    if (a.indicators.length > 0) stats.rulesWithIndicators++;
    for (const row of a.indicators) stats.indicatorValues += row.values.length;
    for (const row of a.exclusions) stats.exclusionValues += row.values.length;
  }
  for (const e of indicators) {
    if (e.scope) stats.distinctScopeKeys++;
    else if (e.role === 'indicator') {
      stats.distinctIndicatorKeys++;
      if (e.rules >= 2) stats.sharedIndicatorKeys++;
    } else stats.distinctExclusionKeys++;
  }
  return stats;
}

/** The corpus key of a row value: role, field, value kind and the value with letter case folded. */
export function corpusKey(role: KeyRole, field: string, kind: ValueKind, value: string): string {
  return `${role}${SEP}${field}${SEP}${kind}${SEP}${value.toLowerCase()}`;
}

const KIND_INDEX = new Map<ValueKind, number>(VALUE_KINDS.map((k, i) => [k, i]));

/** Index of a (role, kind) pair in `FieldAcc.values`. */
function slot(role: KeyRole, kind: ValueKind): number {
  return (role === 'indicator' ? 0 : VALUE_KINDS.length) + (KIND_INDEX.get(kind) as number);
}

export type RowWithRole = { row: AnalysisRow; role: KeyRole };

/** A rule's rows with the role their keys take: indicators, exclusions, then scope rows (the order filled counts follow). */
export function rowsOf(a: RuleAnalysis): RowWithRole[] {
  const out: RowWithRole[] = [];
  for (const row of a.indicators) out.push({ row, role: 'indicator' });
  for (const row of a.exclusions) out.push({ row, role: 'exclusion' });
  for (const row of a.scope) out.push({ row, role: (row as ScopeRow).excluded ? 'exclusion' : 'indicator' });
  return out;
}

/** One key's occurrences over the catalog (the counts pass and `CorpusCounter` build these). */
export interface KeyAcc {
  key: string;
  role: KeyRole;
  field: string;
  kind: ValueKind;
  /** Rule indexes with the key, ascending, unique (rules are visited in order). */
  rules: number[];
  /**
   * True while every occurrence is case-sensitive with the first spelling (most keys): then
   * `rules` is also that spelling's case-sensitive list and the lists below stay null.
   */
  pure: boolean;
  /** Rule indexes matching it case-insensitively, ascending, unique. */
  ciRules: number[] | null;
  /** Case-sensitive rule indexes per exact spelling, ascending, unique. */
  csRules: Map<string, number[]> | null;
  /** The first spelling; `spellings` counts them once a second one turns up. */
  spelling: string;
  seen: number;
  spellings: Map<string, number> | null;
  /** `corpus` of case-sensitive spellings, computed once. */
  csCounts: Map<string, number> | null;
}

export function pushRule(list: number[], ri: number): void {
  if (list[list.length - 1] !== ri) list.push(ri);
}

/** Size of the union of two ascending lists. */
function unionSize(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    n++;
    if (x === y) {
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n + (a.length - i) + (b.length - j);
}

/**
 * A key's accumulator, at its first occurrence (`occur` records that occurrence). `first`, the
 * rule index of that occurrence, starts `rules` when given: an array made with its one element
 * holds one slot, while the first push onto an empty one reserves 17 (most keys stay with one
 * rule).
 */
export function newKeyAcc(role: KeyRole, field: string, kind: ValueKind, folded: string, spelling: string, caseInsensitive: boolean, first?: number): KeyAcc {
  return {
    // Joined, not a template literal: one flat string at once (see model/flat-string.ts).
    key: [role, field, kind, folded].join(SEP),
    role,
    field,
    kind,
    rules: first === undefined ? [] : [first],
    pure: !caseInsensitive,
    ciRules: null,
    csRules: null,
    spelling,
    seen: 0,
    spellings: null,
    csCounts: null,
  };
}

/** Records one occurrence of a key (before `ri` is pushed onto `acc.rules`). */
export function occur(acc: KeyAcc, ri: number, spelling: string, caseInsensitive: boolean): void {
  if (acc.spellings === null && spelling === acc.spelling) acc.seen++;
  else {
    acc.spellings ??= new Map([[acc.spelling, acc.seen]]);
    acc.spellings.set(spelling, (acc.spellings.get(spelling) ?? 0) + 1);
  }
  if (acc.pure && !caseInsensitive && spelling === acc.spelling) return;
  if (acc.pure) {
    acc.pure = false;
    acc.csRules = new Map([[acc.spelling, acc.rules.slice()]]);
  }
  if (caseInsensitive) pushRule((acc.ciRules ??= []), ri);
  else {
    acc.csRules ??= new Map();
    let list = acc.csRules.get(spelling);
    if (list === undefined) acc.csRules.set(spelling, (list = []));
    pushRule(list, ri);
  }
}

/** The `corpus` of one row value with key `acc`. */
export function countFor(acc: KeyAcc, spelling: string, caseInsensitive: boolean): number {
  if (caseInsensitive || acc.pure) return acc.rules.length;
  const cs = acc.csRules?.get(spelling) ?? [];
  if (acc.ciRules === null) return cs.length;
  acc.csCounts ??= new Map();
  let n = acc.csCounts.get(spelling);
  if (n === undefined) {
    n = unionSize(cs, acc.ciRules);
    acc.csCounts.set(spelling, n);
  }
  return n;
}

interface FieldAcc {
  /** Per (role, kind) slot (see `slot`), case-folded value → key. */
  values: (Map<string, KeyAcc> | undefined)[];
  /** Rule indexes using the field, ascending, unique (rules are visited in order). */
  rules: number[];
  indicatorRules: Counter;
  exclusionRules: Counter;
  /** Per value kind (indexed like VALUE_KINDS). */
  kinds: Counter[];
  keys: KeyAcc[];
}

/** Counts distinct rule indexes seen in ascending order. */
interface Counter {
  last: number;
  count: number;
}

function tick(c: Counter, ri: number): void {
  if (c.last !== ri) {
    c.last = ri;
    c.count++;
  }
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bestSpelling(acc: KeyAcc): string {
  if (acc.spellings === null) return acc.spelling;
  let best = '';
  let bestN = -1;
  for (const [s, n] of acc.spellings) {
    if (n > bestN || (n === bestN && s < best)) {
      best = s;
      bestN = n;
    }
  }
  return best;
}

/**
 * Counts, indexes and similar rules for a catalog's analyses (rule ids should be unique; a
 * repeated id is counted as another rule).
 */
export function buildCorpusIndex(input: readonly AnalysedRule[], options: CorpusOptions = {}): CorpusIndex {
  const topN = options.topValues ?? 10;
  const similarN = options.similar ?? 5;
  const keys: KeyAcc[] = [];
  const fields = new Map<string, FieldAcc>();
  /** Per rule, its distinct indicator keys (scope left out), for similarity. */
  const ruleIndicatorKeys: KeyAcc[][] = [];
  /**
   * The key of every row value, rule after rule, row after row (`rowsOf` order): filled counts
   * read these in the same order. One flat list, not a list per row: tens of thousands of small
   * arrays would all survive to the end of the counts and be copied by the garbage collector.
   */
  const valueKeys: KeyAcc[] = [];

  // Pass 1: collect keys. Rows in `rowsOf` order (indicators, exclusions, scope), with indexed
  // loops (see `SimilarRanker.rank`).
  input.forEach((r, ri) => {
    const a = r.analysis;
    const mineInd: KeyAcc[] = [];
    const visit = (row: AnalysisRow, role: KeyRole): void => {
      const kind = valueKindOf(row.kind);
      let f = fields.get(row.field);
      if (f === undefined) {
        f = {
          values: [],
          rules: [],
          indicatorRules: { last: -1, count: 0 },
          exclusionRules: { last: -1, count: 0 },
          kinds: VALUE_KINDS.map(() => ({ last: -1, count: 0 })),
          keys: [],
        };
        fields.set(row.field, f);
      }
      if (f.rules[f.rules.length - 1] !== ri) f.rules.push(ri);
      tick(role === 'indicator' ? f.indicatorRules : f.exclusionRules, ri);
      tick(f.kinds[KIND_INDEX.get(kind) as number] as Counter, ri);
      const si = slot(role, kind);
      let byValue = f.values[si];
      if (byValue === undefined) f.values[si] = byValue = new Map();
      const values = row.values;
      for (let k = 0; k < values.length; k++) {
        const spelling = (values[k] as { value: string }).value;
        const folded = spelling.toLowerCase();
        let acc = byValue.get(folded);
        if (acc === undefined) {
          acc = newKeyAcc(role, row.field, kind, folded, spelling, row.caseInsensitive, ri);
          byValue.set(folded, acc);
          keys.push(acc);
          f.keys.push(acc);
          occur(acc, ri, spelling, row.caseInsensitive);
          valueKeys.push(acc);
          if (role === 'indicator' && !isScopeField(row.field)) mineInd.push(acc);
          continue;
        }
        occur(acc, ri, spelling, row.caseInsensitive);
        valueKeys.push(acc);
        if (acc.rules[acc.rules.length - 1] !== ri) {
          acc.rules.push(ri);
          if (role === 'indicator' && !isScopeField(row.field)) mineInd.push(acc);
        }
      }
    };
    for (let k = 0; k < a.indicators.length; k++) visit(a.indicators[k] as AnalysisRow, 'indicator');
    for (let k = 0; k < a.exclusions.length; k++) visit(a.exclusions[k] as AnalysisRow, 'exclusion');
    for (let k = 0; k < a.scope.length; k++) {
      const row = a.scope[k] as ScopeRow;
      visit(row, row.excluded ? 'exclusion' : 'indicator');
    }
    ruleIndicatorKeys.push(mineInd);
  });

  // Pass 2: fill counts (copies of the rows), from the keys pass 1 found.
  const similar = similarRules(input, ruleIndicatorKeys, similarN);
  let next = 0;
  const fill = <R extends AnalysisRow>(row: R): R => {
    const at = next;
    next += row.values.length;
    return { ...row, values: row.values.map((v, k) => ({ value: v.value, corpus: countFor(valueKeys[at + k] as KeyAcc, v.value, row.caseInsensitive) })) };
  };
  const fillHere = (rows: readonly AnalysisRow[]): void => {
    for (let n = 0; n < rows.length; n++) {
      const row = rows[n] as AnalysisRow;
      const values = row.values;
      for (let k = 0; k < values.length; k++) {
        const v = values[k] as RowValue;
        v.corpus = countFor(valueKeys[next + k] as KeyAcc, v.value, row.caseInsensitive);
      }
      next += values.length;
    }
  };
  const rules: CorpusRule[] = input.map((r, i) => {
    // Same order as rowsOf: indicators, exclusions, scope.
    if (options.fillInPlace === true) {
      fillHere(r.analysis.indicators);
      fillHere(r.analysis.exclusions);
      fillHere(r.analysis.scope);
      return { id: r.id, analysis: r.analysis, similar: similar[i] ?? [] };
    }
    const indicators = r.analysis.indicators.map(fill);
    const exclusions = r.analysis.exclusions.map(fill);
    const scope = r.analysis.scope.map(fill);
    return { id: r.id, analysis: { ...r.analysis, indicators, exclusions, scope }, similar: similar[i] ?? [] };
  });

  // Indexes. Rule index lists are ascending, so when the input is sorted by id (a catalog's
  // rules are) their ids come out sorted and need no sort.
  let idSorted = true;
  for (let i = 1; i < input.length && idSorted; i++) idSorted = cmp((input[i - 1] as AnalysedRule).id, (input[i] as AnalysedRule).id) <= 0;
  // `map`, not pushes: the list gets exactly its length (a first push reserves 17 slots).
  const idsOf = (ris: readonly number[]): string[] => {
    const ids = ris.map((i) => (input[i] as AnalysedRule).id);
    return ids.length > 1 && !idSorted ? ids.sort(cmp) : ids;
  };
  const indicators: IndicatorEntry[] = [];
  for (const acc of keys) indicators.push(indicatorEntry(acc, isScopeField(acc.field), idsOf(acc.rules)));
  sortIndicators(indicators);

  const fieldEntries: FieldEntry[] = [];
  for (const [field, f] of fields) {
    const values = f.keys.map(fieldValue);
    fieldEntries.push(fieldEntry(field, f.indicatorRules.count, f.exclusionRules.count, f.kinds.map((c) => c.count), values, topN, idsOf(f.rules)));
  }
  fieldEntries.sort((a, b) => cmp(a.field, b.field));

  return { rules, fields: fieldEntries, indicators, stats: statsOf(input, indicators) };
}

/**
 * Sorts entries in index order (`compareIndicators`) in place: by rule count into buckets, then
 * each bucket's keys with the default sort (code-unit order, as `cmp`, without calling a
 * comparator: most of the tens of thousands of keys share a count of 1).
 */
export function sortIndicators(entries: IndicatorEntry[]): void {
  const buckets = new Map<number, IndicatorEntry[]>();
  for (const e of entries) {
    const b = buckets.get(e.rules);
    if (b === undefined) buckets.set(e.rules, [e]);
    else b.push(e);
  }
  let n = 0;
  for (const count of [...buckets.keys()].sort((a, b) => b - a)) {
    const bucket = buckets.get(count) as IndicatorEntry[];
    if (bucket.length === 1) {
      entries[n++] = bucket[0] as IndicatorEntry;
      continue;
    }
    const byKey = new Map(bucket.map((e) => [e.key, e]));
    if (byKey.size < bucket.length) {
      // Two keys print the same (a field name with the separator in it): compare entries.
      for (const e of bucket.sort(compareIndicators)) entries[n++] = e;
      continue;
    }
    for (const key of bucket.map((e) => e.key).sort()) entries[n++] = byKey.get(key) as IndicatorEntry;
  }
}

/** Indicator entries in index order: rules descending, then key. */
export function compareIndicators(a: IndicatorEntry, b: IndicatorEntry): number {
  return b.rules - a.rules || cmp(a.key, b.key);
}

export function indicatorEntry(acc: KeyAcc, scope: boolean, ruleIds: string[]): IndicatorEntry {
  return {
    key: acc.key,
    role: acc.role,
    scope,
    field: acc.field,
    kind: acc.kind,
    value: bestSpelling(acc),
    spellings: acc.spellings === null ? [acc.spelling] : [...acc.spellings.keys()].sort(cmp),
    caseInsensitive: acc.ciRules !== null,
    rules: acc.rules.length,
    ruleIds,
  };
}

export function fieldValue(acc: KeyAcc): FieldValueCount {
  return { role: acc.role, kind: acc.kind, value: bestSpelling(acc), caseInsensitive: acc.ciRules !== null, rules: acc.rules.length, key: acc.key };
}

/**
 * A field's entry from its counts: rules with an indicator and with an exclusion row on it, rules
 * per value kind (indexed like VALUE_KINDS), its keys' values (any order), and its rule ids.
 */
export function fieldEntry(field: string, indicatorRules: number, exclusionRules: number, kindRules: readonly number[], values: FieldValueCount[], topN: number, ruleIds: string[]): FieldEntry {
  values.sort((a, b) => b.rules - a.rules || cmp(a.role, b.role) || cmp(a.kind, b.kind) || cmp(a.value, b.value));
  return {
    field,
    scope: isScopeField(field),
    rules: ruleIds.length,
    indicatorRules,
    exclusionRules,
    kinds: VALUE_KINDS.map((kind, i) => ({ kind, rules: kindRules[i] ?? 0 }))
      .filter((k) => k.rules > 0)
      .sort((a, b) => b.rules - a.rules || cmp(a.kind, b.kind)),
    topValues: values.slice(0, topN),
    distinctValues: values.length,
    ruleIds,
  };
}

/**
 * Top-`n` similar rules per rule by Jaccard index over indicator keys (scope keys left out), via
 * the inverted index. Ties: higher score, more shared keys, then rule id.
 */
function similarRules(input: readonly AnalysedRule[], ruleKeys: readonly KeyAcc[][], n: number): SimilarRule[][] {
  const ranker = new SimilarRanker(input.length, n, (j) => (input[j] as AnalysedRule).id);
  const size = (j: number): number => (ruleKeys[j] as KeyAcc[]).length;
  return input.map((_, i) => ranker.rank(i, (ruleKeys[i] as KeyAcc[]).map((acc) => acc.rules), size));
}

/**
 * Ranks one rule's most similar rules: `lists` are, for each of its distinct indicator keys, the
 * ascending indexes of the rules with that key; `size(j)` is rule j's number of distinct
 * indicator keys. Ties: higher score, more shared keys, then rule id.
 */
export class SimilarRanker {
  private readonly count: Int32Array;
  private readonly touched: Int32Array;
  // The best n so far, as parallel arrays (no allocation per candidate).
  private readonly bj: Int32Array;
  private readonly bs: Int32Array;
  private readonly bu: Int32Array;

  constructor(
    rules: number,
    private readonly n: number,
    private readonly id: (j: number) => string,
  ) {
    this.count = new Int32Array(rules);
    this.touched = new Int32Array(rules);
    this.bj = new Int32Array(n);
    this.bs = new Int32Array(n);
    this.bu = new Int32Array(n);
  }

  rank(i: number, lists: readonly (readonly number[])[], size: (j: number) => number): SimilarRule[] {
    const { count, touched, bj, bs, bu, n, id } = this;
    /** Whether (j, shared, union) ranks before the kept candidate at k. */
    const before = (j: number, shared: number, union: number, k: number): boolean => {
      const d = shared * (bu[k] as number) - (bs[k] as number) * union;
      if (d !== 0) return d > 0;
      if (shared !== bs[k]) return shared > (bs[k] as number);
      return id(j) < id(bj[k] as number);
    };
    // Indexed loops: this runs over hundreds of thousands of list entries, mostly before the
    // compiler optimises it, and a for-of loop allocates an iterator result per entry until then.
    let nt = 0;
    for (let l = 0; l < lists.length; l++) {
      const rules = lists[l] as readonly number[];
      for (let k = 0; k < rules.length; k++) {
        const j = rules[k] as number;
        if (j === i) continue;
        if (count[j] === 0) touched[nt++] = j;
        count[j] = (count[j] as number) + 1;
      }
    }
    let kept = 0;
    for (let t = 0; t < nt; t++) {
      const j = touched[t] as number;
      const shared = count[j] as number;
      count[j] = 0;
      const union = lists.length + size(j) - shared;
      let k = kept;
      while (k > 0 && before(j, shared, union, k - 1)) k--;
      if (k >= n) continue;
      const last = Math.min(kept, n - 1);
      for (let m = last; m > k; m--) {
        bj[m] = bj[m - 1] as number;
        bs[m] = bs[m - 1] as number;
        bu[m] = bu[m - 1] as number;
      }
      bj[k] = j;
      bs[k] = shared;
      bu[k] = union;
      if (kept < n) kept++;
    }
    const list: SimilarRule[] = [];
    for (let k = 0; k < kept; k++) {
      const shared = bs[k] as number;
      list.push({ id: id(bj[k] as number), score: Math.round((shared / (bu[k] as number)) * 10000) / 10000, shared });
    }
    return list;
  }
}

/** The `k` indicator keys (scope apart) shared by the most rules (for `ruledex catalog` and the benchmark). */
export function mostSharedIndicators(index: CorpusIndex, k = 10): IndicatorEntry[] {
  const out: IndicatorEntry[] = [];
  for (const e of index.indicators) {
    if (e.role !== 'indicator' || e.scope) continue;
    out.push(e);
    if (out.length >= k) break;
  }
  return out;
}

/** Lines summarising the corpus for a CLI: totals, then the `k` most shared indicator keys. */
export function corpusSummaryLines(index: CorpusIndex, k = 10): string[] {
  const s = index.stats;
  const lines = [
    `indicators: ${s.indicatorValues} values in ${s.indicatorRows} rows (${s.rulesWithIndicators} of ${s.rules} rules)`,
    `exclusions: ${s.exclusionValues} values in ${s.exclusionRows} rows; scope rows: ${s.scopeRows} (${s.distinctScopeKeys} distinct keys)`,
    `distinct indicator keys: ${s.distinctIndicatorKeys} (${s.sharedIndicatorKeys} shared by 2+ rules); distinct exclusion keys: ${s.distinctExclusionKeys}`,
    `${k} most shared indicators:`,
  ];
  mostSharedIndicators(index, k).forEach((e, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${e.field} ${e.kind} ${JSON.stringify(e.value)}${e.caseInsensitive ? ' (case-insensitive)' : ''}: ${e.rules} rules`);
  });
  return lines;
}
