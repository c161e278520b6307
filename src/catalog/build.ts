/**
 * Stages 3–5 over the whole catalog, as one pure function: ingested rules → parsed queries →
 * per-rule analyses → corpus counts, field and indicator indexes, similar rules.
 *
 *   const catalog = buildCatalog(ingestResult);
 *
 * Each query is parsed once; the parses stay on the catalog (not in its JSON) for the stages
 * that need ASTs later (pages, example events). Diagnostics of every stage are collected with
 * ingest's, sorted, and nothing throws on bad input: a rule whose query does not parse keeps its
 * place in the catalog with an `error` diagnostic and an analysis without predicates.
 */
import { analyseRule } from '../analysis';
import type { RuleAnalysis } from '../analysis/types';
import type { IngestResult } from '../ingest/types';
import { parseRuleQueries, type RuleQueries } from '../lang/rule-queries';
import { compareDiagnostics, type Diagnostic } from '../model/diagnostic';
import type { Rule } from '../model/rule';
import { buildCorpusIndex, type CorpusStats, type FieldEntry, type IndicatorEntry, type SimilarRule } from './corpus';

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
  /** The parses of each rule's queries, by rule id (not serialised). */
  parsed: Map<string, RuleQueries>;
  /** Milliseconds per stage. */
  timings: { parse: number; analyse: number; counts: number };
}

export interface CatalogHooks {
  onProgress?: (phase: 'parse' | 'analyse' | 'counts', done: number, total: number) => void;
}

export function buildCatalog(ingested: IngestResult, hooks: CatalogHooks = {}): Catalog {
  const rules = ingested.rules;
  const diagnostics: Diagnostic[] = [...ingested.diagnostics];
  const every = Math.max(1, Math.floor(rules.length / 50));

  const t0 = performance.now();
  const parsed = new Map<string, RuleQueries>();
  rules.forEach((rule, i) => {
    const q = parseRuleQueries(rule);
    parsed.set(rule.id, q);
    diagnostics.push(...q.diagnostics);
    if ((i + 1) % every === 0 || i + 1 === rules.length) hooks.onProgress?.('parse', i + 1, rules.length);
  });

  const t1 = performance.now();
  const analysed = rules.map((rule, i) => {
    const r = analyseRule(rule, parsed.get(rule.id) ?? { query: null });
    diagnostics.push(...r.diagnostics);
    if ((i + 1) % every === 0 || i + 1 === rules.length) hooks.onProgress?.('analyse', i + 1, rules.length);
    return { id: rule.id, analysis: r.analysis };
  });

  const t2 = performance.now();
  const catalog = completeCatalog(ingested, analysed, diagnostics, parsed, { parse: t1 - t0, analyse: t2 - t1 });
  hooks.onProgress?.('counts', rules.length, rules.length);
  return catalog;
}

/**
 * The last catalog stage, shared by `buildCatalog` and the incremental builder: the corpus index
 * (counts, field and indicator indexes, similar rules) over every rule's analysis, and the
 * catalog that carries it. `analysed[i]` is the analysis of `ingested.rules[i]`.
 */
export function completeCatalog(
  ingested: IngestResult,
  analysed: readonly { id: string; analysis: RuleAnalysis }[],
  diagnostics: Diagnostic[],
  parsed: Map<string, RuleQueries>,
  timings: { parse: number; analyse: number },
): Catalog {
  const t = performance.now();
  const index = buildCorpusIndex(analysed);
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
