/**
 * Corpus counts again after a few rules changed (pure; for a watch loop): `CorpusCounter` keeps
 * the last index and, when only a few rules were added, removed or re-analysed since, updates it
 * instead of counting every rule again. The result equals `buildCorpusIndex` over the new input
 * (a test checks it on random edits of the corpus).
 *
 * What a changed rule can change: the keys its old and new analyses have (call them K) and the
 * fields of their rows. So the update
 * - builds the key → rules and field → rules lists of the catalog from each analysis's keys
 *   (computed once per analysis object and remembered);
 * - recounts the keys of K over the rules that have them, and the fields of the changed rows
 *   over the rules that use them; every other indicator and field entry is kept;
 * - fills the counts of, and ranks similar rules for, the rules that have a key of K (their
 *   other values keep their counts: those keys' rules did not change); every other rule's
 *   counted analysis and similar rules are kept (a rule without a key of K shares no key with a
 *   changed rule, before or after the change).
 */
import type { AnalysedRule } from '../analysis';
import type { AnalysisRow, RuleAnalysis } from '../analysis/types';
import { VALUE_KINDS } from '../analysis/types';
import { valueKindOf } from '../analysis/kinds';
import { isScopeField } from '../analysis/scope';
import {
  buildCorpusIndex,
  cmp,
  compareIndicators,
  countFor,
  fieldEntry,
  fieldValue,
  indicatorEntry,
  newKeyAcc,
  occur,
  pushRule,
  rowsOf,
  SEP,
  SimilarRanker,
  statsOf,
  type CorpusIndex,
  type CorpusOptions,
  type CorpusRule,
  type FieldEntry,
  type FieldValueCount,
  type IndicatorEntry,
  type KeyAcc,
} from './corpus';

/** What the counts read of one analysis. */
interface RuleKeys {
  /** Per row (`rowsOf` order), per value: its key. */
  keys: string[][];
  /** Distinct keys, with the field of each (parallel arrays). */
  distinct: string[];
  distinctField: string[];
  /** Distinct indicator keys on fields that are not scope fields (for similarity). */
  indicator: string[];
  /** Distinct fields of the rows. */
  fields: string[];
}

const KIND_INDEX = new Map(VALUE_KINDS.map((k, i) => [k, i]));

/** How the last `count` went: counted afresh, or updated (with the keys and rules it recounted). */
export type CountMode = { mode: 'full' } | { mode: 'update'; changedRules: number; keys: number; rules: number; fields: number };

/** The catalog's inverted lists, kept between updates (rule indexes ascending). */
interface Lists {
  rks: RuleKeys[];
  keyRules: Map<string, number[]>;
  fieldRules: Map<string, number[]>;
  /** Keys some rule has, per field. */
  fieldKeys: Map<string, Set<string>>;
  entryByKey: Map<string, IndicatorEntry> | null;
}

export class CorpusCounter {
  private last: { input: readonly AnalysedRule[]; index: CorpusIndex; options: Required<Omit<CorpusOptions, 'fillInPlace'>>; lists: Lists | null } | null = null;
  private readonly keysOf = new WeakMap<RuleAnalysis, RuleKeys>();
  /** How the last `count` went. */
  lastMode: CountMode = { mode: 'full' };

  /**
   * @param maxChanged  rules that may change for an update (else everything is counted again);
   *                    by default 2% of the catalog, at least 8
   */
  constructor(private readonly maxChanged?: number) {}

  /**
   * The corpus index of `input`, like `buildCorpusIndex(input, options)`. The counter keeps its
   * input to update from, so it always copies (`fillInPlace` is not for it).
   */
  count(input: readonly AnalysedRule[], options: Omit<CorpusOptions, 'fillInPlace'> = {}): CorpusIndex {
    const opts: Required<Omit<CorpusOptions, 'fillInPlace'>> = { topValues: options.topValues ?? 10, similar: options.similar ?? 5 };
    const last = this.last;
    let updated: { index: CorpusIndex; lists: Lists } | null = null;
    if (last && last.options.topValues === opts.topValues && last.options.similar === opts.similar) updated = this.update(last.input, last.index, last.lists, input, opts);
    if (updated === null) {
      const index = buildCorpusIndex(input, opts);
      this.lastMode = { mode: 'full' };
      this.last = { input: [...input], index, options: opts, lists: null };
      return index;
    }
    this.last = { input: [...input], index: updated.index, options: opts, lists: updated.lists };
    return updated.index;
  }

  /** The inverted lists of `input` (the first update makes them; later ones patch them). */
  private lists(input: readonly AnalysedRule[]): Lists {
    const keyRules = new Map<string, number[]>();
    const fieldRules = new Map<string, number[]>();
    const fieldKeys = new Map<string, Set<string>>();
    const rks = input.map((r, i) => {
      const rk = this.ruleKeys(r.analysis);
      rk.distinct.forEach((k, d) => {
        let list = keyRules.get(k);
        if (list === undefined) {
          keyRules.set(k, (list = []));
          const f = rk.distinctField[d] as string;
          let keys = fieldKeys.get(f);
          if (keys === undefined) fieldKeys.set(f, (keys = new Set()));
          keys.add(k);
        }
        list.push(i);
      });
      for (const f of rk.fields) {
        let list = fieldRules.get(f);
        if (list === undefined) fieldRules.set(f, (list = []));
        list.push(i);
      }
      return rk;
    });
    return { rks, keyRules, fieldRules, fieldKeys, entryByKey: null };
  }

  private ruleKeys(a: RuleAnalysis): RuleKeys {
    let rk = this.keysOf.get(a);
    if (rk !== undefined) return rk;
    rk = { keys: [], distinct: [], distinctField: [], indicator: [], fields: [] };
    const seen = new Set<string>();
    const fields = new Set<string>();
    for (const { row, role } of rowsOf(a)) {
      fields.add(row.field);
      const kind = valueKindOf(row.kind);
      const ks: string[] = [];
      for (const v of row.values) {
        const k = `${role}${SEP}${row.field}${SEP}${kind}${SEP}${v.value.toLowerCase()}`;
        ks.push(k);
        if (seen.has(k)) continue;
        seen.add(k);
        rk.distinct.push(k);
        rk.distinctField.push(row.field);
        if (role === 'indicator' && !isScopeField(row.field)) rk.indicator.push(k);
      }
      rk.keys.push(ks);
    }
    rk.fields = [...fields];
    this.keysOf.set(a, rk);
    return rk;
  }

  /** The updated index, or null when counting afresh is simpler (many changes, ids not unique and sorted). */
  private update(prevInput: readonly AnalysedRule[], prev: CorpusIndex, prevLists: Lists | null, input: readonly AnalysedRule[], opts: Required<Omit<CorpusOptions, 'fillInPlace'>>): { index: CorpusIndex; lists: Lists } | null {
    for (let i = 1; i < input.length; i++) if (cmp((input[i - 1] as AnalysedRule).id, (input[i] as AnalysedRule).id) >= 0) return null;
    const prevAt = new Map<string, number>();
    prevInput.forEach((r, i) => prevAt.set(r.id, i));
    if (prevAt.size !== prevInput.length) return null;

    // Changed rules: new or re-analysed (by analysis identity), and removed ones.
    const changedNew = new Set<number>();
    const changedAnalyses: RuleAnalysis[] = [];
    const kept = new Set<string>();
    input.forEach((r, i) => {
      const j = prevAt.get(r.id);
      if (j !== undefined) kept.add(r.id);
      const old = j === undefined ? undefined : (prevInput[j] as AnalysedRule).analysis;
      if (old === r.analysis) return;
      changedNew.add(i);
      changedAnalyses.push(r.analysis);
      if (old) changedAnalyses.push(old);
    });
    let removed = 0;
    for (const r of prevInput) {
      if (kept.has(r.id)) continue;
      removed++;
      changedAnalyses.push(r.analysis);
    }
    const changed = changedNew.size + removed;
    if (changed > (this.maxChanged ?? Math.max(8, Math.floor(input.length * 0.02)))) return null;
    if (changed === 0) {
      this.lastMode = { mode: 'update', changedRules: 0, keys: 0, rules: 0, fields: 0 };
      return { index: prev, lists: prevLists ?? this.lists(input) };
    }

    // K and the changed fields.
    const K = new Map<string, string>();
    const F = new Set<string>();
    for (const a of changedAnalyses) {
      const rk = this.ruleKeys(a);
      rk.distinct.forEach((k, d) => K.set(k, rk.distinctField[d] as string));
      for (const f of rk.fields) F.add(f);
    }

    // Key → rules (every key: similarity needs them), field → rules, field → keys: patched for
    // the changed rules when none was added or removed (rule indexes stay), else made again.
    let lists: Lists;
    if (prevLists !== null && removed === 0 && input.length === prevInput.length) {
      lists = prevLists;
      for (const i of changedNew) lists.rks[i] = this.ruleKeys((input[i] as AnalysedRule).analysis);
      const has = (i: number, k: string): boolean => (lists.rks[i] as RuleKeys).distinct.includes(k);
      const hasField = (i: number, f: string): boolean => (lists.rks[i] as RuleKeys).fields.includes(f);
      const changedIdx = [...changedNew].sort((a, b) => a - b);
      for (const [k, f] of K) {
        const list = patch(lists.keyRules.get(k) ?? [], changedIdx, (i) => has(i, k));
        if (list.length > 0) {
          lists.keyRules.set(k, list);
          let keys = lists.fieldKeys.get(f);
          if (keys === undefined) lists.fieldKeys.set(f, (keys = new Set()));
          keys.add(k);
        } else {
          lists.keyRules.delete(k);
          lists.fieldKeys.get(f)?.delete(k);
        }
      }
      for (const f of F) {
        const list = patch(lists.fieldRules.get(f) ?? [], changedIdx, (i) => hasField(i, f));
        if (list.length > 0) lists.fieldRules.set(f, list);
        else {
          lists.fieldRules.delete(f);
          lists.fieldKeys.delete(f);
        }
      }
    } else lists = this.lists(input);
    const { rks, keyRules, fieldRules, fieldKeys } = lists;

    // S: the rules with a key of K (ascending); the keys of K recounted over them.
    const inS = new Uint8Array(input.length);
    for (const k of K.keys()) for (const i of keyRules.get(k) ?? []) inS[i] = 1;
    const accs = new Map<string, KeyAcc>();
    const S: number[] = [];
    for (let ri = 0; ri < input.length; ri++) {
      if (inS[ri] === 0) continue;
      S.push(ri);
      const a = (input[ri] as AnalysedRule).analysis;
      const rk = rks[ri] as RuleKeys;
      rowsOf(a).forEach(({ row, role }, n) => {
        const ks = rk.keys[n] as string[];
        row.values.forEach((v, vi) => {
          const k = ks[vi] as string;
          if (!K.has(k)) return;
          let acc = accs.get(k);
          if (acc === undefined) accs.set(k, (acc = newKeyAcc(role, row.field, valueKindOf(row.kind), v.value.toLowerCase(), v.value, row.caseInsensitive)));
          occur(acc, ri, v.value, row.caseInsensitive);
          pushRule(acc.rules, ri);
        });
      });
    }
    const ids = (ris: readonly number[]): string[] => ris.map((i) => (input[i] as AnalysedRule).id);

    // Indicator entries: K's anew, merged into the others (both sorted).
    const fresh: IndicatorEntry[] = [];
    const freshByKey = new Map<string, IndicatorEntry>();
    for (const acc of accs.values()) {
      const e = indicatorEntry(acc, isScopeField(acc.field), ids(acc.rules));
      fresh.push(e);
      freshByKey.set(acc.key, e);
    }
    fresh.sort(compareIndicators);
    const indicators: IndicatorEntry[] = [];
    let fi = 0;
    for (const e of prev.indicators) {
      if (K.has(e.key)) continue;
      while (fi < fresh.length && compareIndicators(fresh[fi] as IndicatorEntry, e) < 0) indicators.push(fresh[fi++] as IndicatorEntry);
      indicators.push(e);
    }
    while (fi < fresh.length) indicators.push(fresh[fi++] as IndicatorEntry);

    // Field entries: the changed fields anew.
    const entryByKey = lists.entryByKey ?? new Map(prev.indicators.map((e) => [e.key, e]));
    for (const k of K.keys()) entryByKey.delete(k);
    for (const [k, e] of freshByKey) entryByKey.set(k, e);
    lists.entryByKey = entryByKey;
    const valueOf = (k: string): FieldValueCount => {
      const acc = accs.get(k);
      if (acc) return fieldValue(acc);
      const e = entryByKey.get(k) as IndicatorEntry;
      return { role: e.role, kind: e.kind, value: e.value, caseInsensitive: e.caseInsensitive, rules: e.rules, key: e.key };
    };
    const fieldsByName = new Map(prev.fields.map((f) => [f.field, f]));
    for (const f of F) {
      const rules = fieldRules.get(f) ?? [];
      if (rules.length === 0) {
        fieldsByName.delete(f);
        continue;
      }
      const ind = new Set<number>();
      const exc = new Set<number>();
      const kinds = VALUE_KINDS.map(() => new Set<number>());
      for (const ri of rules) {
        for (const { row, role } of rowsOf((input[ri] as AnalysedRule).analysis)) {
          if (row.field !== f) continue;
          (role === 'indicator' ? ind : exc).add(ri);
          (kinds[KIND_INDEX.get(valueKindOf(row.kind)) as number] as Set<number>).add(ri);
        }
      }
      const values = [...(fieldKeys.get(f) ?? [])].map(valueOf);
      fieldsByName.set(f, fieldEntry(f, ind.size, exc.size, kinds.map((s) => s.size), values, opts.topValues, ids(rules)));
    }
    const fields: FieldEntry[] = [...fieldsByName.values()].sort((a, b) => cmp(a.field, b.field));

    // Rules: S and the changed ones counted and ranked again, the others kept.
    const prevRules = new Map(prev.rules.map((r) => [r.id, r]));
    const ranker = new SimilarRanker(input.length, opts.similar, (j) => (input[j] as AnalysedRule).id);
    const size = (j: number): number => (rks[j] as RuleKeys).indicator.length;
    const rules: CorpusRule[] = input.map((r, i): CorpusRule => {
      const old = prevRules.get(r.id);
      if (inS[i] === 0 && !changedNew.has(i) && old) return old;
      const rk = rks[i] as RuleKeys;
      const oldAnalysis = changedNew.has(i) ? null : (old?.analysis ?? null);
      const oldRows = oldAnalysis ? rowsOf(oldAnalysis) : null;
      let n = 0;
      const fill = <R extends AnalysisRow>(row: R): R => {
        const ks = rk.keys[n] as string[];
        const before = oldRows?.[n]?.row;
        n++;
        return {
          ...row,
          values: row.values.map((v, k) => {
            const acc = accs.get(ks[k] as string);
            return { value: v.value, corpus: acc ? countFor(acc, v.value, row.caseInsensitive) : (before?.values[k]?.corpus as number) };
          }),
        };
      };
      const a = r.analysis;
      const indicators = a.indicators.map(fill);
      const exclusions = a.exclusions.map(fill);
      const scope = a.scope.map(fill);
      const similar = ranker.rank(i, rk.indicator.map((k) => keyRules.get(k) as number[]), size);
      return { id: r.id, analysis: { ...a, indicators, exclusions, scope }, similar };
    });

    this.lastMode = { mode: 'update', changedRules: changed, keys: K.size, rules: S.length, fields: F.size };
    return { index: { rules, fields, indicators, stats: statsOf(input, indicators) }, lists };
  }
}

/** `list` (ascending) with the indexes of `changed` (ascending) in or out as `has` says. */
function patch(list: readonly number[], changed: readonly number[], has: (i: number) => boolean): number[] {
  const drop = new Set(changed);
  const out: number[] = [];
  let c = 0;
  for (const i of list) {
    while (c < changed.length && (changed[c] as number) < i) {
      if (has(changed[c] as number)) out.push(changed[c] as number);
      c++;
    }
    if (!drop.has(i)) out.push(i);
  }
  for (; c < changed.length; c++) if (has(changed[c] as number)) out.push(changed[c] as number);
  return out;
}
