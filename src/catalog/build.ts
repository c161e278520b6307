/**
 * Stages 3–5 over the whole catalog, as one pure function: ingested rules → parsed queries →
 * per-rule analyses → corpus counts, field and indicator indexes, similar rules.
 *
 *   const catalog = buildCatalog(ingestResult);
 *
 * Each rule's queries are parsed and analysed in one step and the ASTs are dropped: kept for
 * every rule, they would all outlive the young generation (copied by the garbage collector, then
 * collected in old space; 14% more CPU over the full corpus). The stages that need ASTs later
 * (pages) get them from `catalog.parsed`, which parses again on demand. Diagnostics of every
 * stage are collected with ingest's, sorted, and nothing throws on bad input: a rule whose query
 * does not parse keeps its place in the catalog with an `error` diagnostic and an analysis
 * without predicates.
 */
import { analyseRule } from '../analysis';
import type { RuleAnalysis } from '../analysis/types';
import type { IngestResult } from '../ingest/types';
import { parseRuleQueries, type RuleQueries } from '../lang/rule-queries';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import type { CorpusCounter } from './corpus-update';
import { buildCorpusIndex, type CorpusOptions, type CorpusStats, type FieldEntry, type IndicatorEntry, type SimilarRule } from './corpus';

/** A rule with what the catalog stages derived for it. */
export type CatalogRule = Rule & {
  analysis: RuleAnalysis;
  similar: SimilarRule[];
};

export interface Catalog {
  /** Sorted by id, like ingest's. */
  rules: CatalogRule[];
  diagnostics: Diagnostic[];
  fields: FieldEntry[];
  indicators: IndicatorEntry[];
  stats: CorpusStats;
  attackRedirects: Record<string, string>;
  /** The parses of each rule's queries, by rule id, made on demand (not serialised; see `OnDemandParses`). */
  parsed: RuleParses;
  /** Milliseconds per stage. */
  timings: { parse: number; analyse: number; counts: number };
}

/** A rule's parsed queries by rule id. */
export interface RuleParses {
  get(id: string): RuleQueries | undefined;
  has(id: string): boolean;
}

export interface CatalogHooks {
  /** `analyse` counts rules parsed and analysed (one step), then `counts` once. */
  onProgress?: (phase: 'analyse' | 'counts', done: number, total: number) => void;
}

export function buildCatalog(ingested: IngestResult, hooks: CatalogHooks = {}): Catalog {
  const rules = ingested.rules;
  const diagnostics: Diagnostic[] = [...ingested.diagnostics];
  const every = Math.max(1, Math.floor(rules.length / 50));

  const parsed = new OnDemandParses(rules);
  let parseMs = 0;
  const t0 = performance.now();
  const analysed = rules.map((rule, i) => {
    const p = performance.now();
    const q = parseRuleQueries(rule);
    parseMs += performance.now() - p;
    diagnostics.push(...q.diagnostics);
    const r = analyseRule(rule, q);
    diagnostics.push(...r.diagnostics);
    if ((i + 1) % every === 0 || i + 1 === rules.length) hooks.onProgress?.('analyse', i + 1, rules.length);
    return { id: rule.id, analysis: r.analysis };
  });

  const t2 = performance.now();
  // The analyses were made here and nothing else holds them: the counts fill them in place.
  const catalog = completeCatalog(ingested, analysed, diagnostics, parsed, { parse: parseMs, analyse: t2 - t0 - parseMs }, undefined, { fillInPlace: true });
  hooks.onProgress?.('counts', rules.length, rules.length);
  return catalog;
}

/**
 * The last catalog stage, shared by `buildCatalog` and the incremental builder: the corpus index
 * (counts, field and indicator indexes, similar rules) over every rule's analysis, and the
 * catalog that carries it. `analysed[i]` is the analysis of `ingested.rules[i]`. A `counter`
 * (kept by a watch loop) updates the previous build's counts when only a few rules changed.
 * `fillInPlace` (see `CorpusOptions`) is for a caller whose analyses nothing else holds.
 */
export function completeCatalog(
  ingested: IngestResult,
  analysed: readonly { id: string; analysis: RuleAnalysis }[],
  diagnostics: Diagnostic[],
  parsed: RuleParses,
  timings: { parse: number; analyse: number },
  counter?: CorpusCounter,
  options: Pick<CorpusOptions, 'fillInPlace'> = {},
): Catalog {
  const t = performance.now();
  const index = counter ? counter.count(analysed) : buildCorpusIndex(analysed, options);
  const counts = performance.now() - t;
  const rules: CatalogRule[] = ingested.rules.map((rule, i) => {
    const c = index.rules[i];
    return { ...rule, analysis: c?.analysis ?? (analysed[i] as { analysis: RuleAnalysis }).analysis, similar: c?.similar ?? [] };
  });
  return {
    rules,
    diagnostics: diagnostics.sort(compareDiagnostics),
    fields: index.fields,
    indicators: index.indicators,
    stats: index.stats,
    attackRedirects: ingested.attackRedirects,
    parsed,
    timings: { ...timings, counts },
  };
}

/**
 * The parses of a catalog's rules, made when asked for (`get`) and not kept: a page asks for a
 * rule's parse once, and parsing again is cheaper than holding every AST.
 */
export class OnDemandParses implements RuleParses {
  private readonly byId: ReadonlyMap<string, Rule>;
  constructor(rules: readonly Rule[] | ReadonlyMap<string, Rule>) {
    this.byId = rules instanceof Map ? rules : new Map((rules as readonly Rule[]).map((r) => [r.id, r]));
  }
  get(id: string): RuleQueries | undefined {
    const rule = this.byId.get(id);
    return rule ? parseRuleQueries(rule) : undefined;
  }
  has(id: string): boolean {
    return this.byId.has(id);
  }
}
