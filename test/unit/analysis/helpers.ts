/**
 * Helpers for the analysis tests: hand-made rules (no ../shared needed), rules ingested from one
 * corpus file, and compact views of rows for exact assertions.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseRule, parseRuleQueries, type AnalyseResult, type AnalysisRow, type Predicate, type RuleAnalysis } from '../../../src/analysis';
import { ingest } from '../../../src/ingest';
import type { KibanaFilter, QueryLanguage, Rule, RuleBase } from '../../../src/model/rule';
import { rulesRoot } from '../../helpers/shared';

const BASE: Omit<RuleBase, 'type' | 'language' | 'query'> = {
  id: 'rule-1',
  name: 'Test rule',
  slug: 'test-rule',
  source: 'test',
  files: ['rules/test.toml'],
  querySource: null,
  maturity: 'production',
  deprecated: false,
  buildingBlock: false,
  buildingBlockType: null,
  severity: 'low',
  riskScore: 21,
  description: '',
  author: [],
  license: null,
  tags: [],
  references: [],
  falsePositives: [],
  index: [],
  dataView: null,
  from: null,
  interval: null,
  maxSignals: null,
  enabled: null,
  note: null,
  setup: null,
  timestampOverride: null,
  eventCategoryOverride: null,
  tiebreakerField: null,
  ruleNameOverride: null,
  timelineId: null,
  timelineTitle: null,
  threat: [],
  severityMapping: [],
  riskScoreMapping: [],
  filters: [],
  exceptionsList: [],
  alertSuppression: null,
  investigationFields: [],
  transform: null,
  integrations: [],
  creationDate: null,
  updatedDate: null,
  deprecationDate: null,
  deprecatedReason: null,
  minStackVersion: null,
  minStackComments: null,
  bypassBbrTiming: false,
  promotion: false,
  version: null,
  publishedVersion: null,
  versions: [],
  rawToml: null,
  span: null,
  extra: {},
};

type Extra = Partial<Omit<RuleBase, 'type' | 'language' | 'query'>>;

export function queryRule(query: string, language: 'kuery' | 'lucene' = 'kuery', extra: Extra = {}): Rule {
  return { ...BASE, ...extra, type: 'query', language, query };
}
export function eqlRule(query: string, extra: Extra = {}): Rule {
  return { ...BASE, ...extra, type: 'eql', language: 'eql', query };
}
export function esqlRule(query: string, extra: Extra = {}): Rule {
  return { ...BASE, ...extra, type: 'esql', language: 'esql', query };
}
export function newTermsRule(query: string, fields: string[], historyWindowStart: string | null, extra: Extra = {}): Rule {
  return { ...BASE, ...extra, type: 'new_terms', language: 'kuery', query, newTerms: { fields, historyWindowStart } };
}
export function thresholdRule(query: string, threshold: { fields: string[]; value: number | null; cardinality: { field: string; value: number }[] }, extra: Extra = {}): Rule {
  return { ...BASE, ...extra, type: 'threshold', language: 'kuery', query, threshold };
}
export function mlRule(jobIds: string[], anomalyThreshold: number | null, extra: Extra = {}): Rule {
  return { ...BASE, ...extra, type: 'machine_learning', language: null, query: null, machineLearning: { jobIds, anomalyThreshold } };
}
export function threatMatchRule(
  query: string,
  threat: { index: string[]; query: string | null; language: QueryLanguage | null; mappings: { field: string; type: string; value: string }[][]; filters?: KibanaFilter[] },
  extra: Extra = {},
): Rule {
  return {
    ...BASE,
    ...extra,
    type: 'threat_match',
    language: 'kuery',
    query,
    threatMatch: {
      index: threat.index,
      query: threat.query,
      querySource: null,
      language: threat.language,
      indicatorPath: 'threat.indicator',
      mappings: threat.mappings.map((entries) => ({ entries })),
      filters: threat.filters ?? [],
    },
  };
}

export function filter(query: Record<string, unknown> | null, negate: boolean, extra: Partial<KibanaFilter> = {}): KibanaFilter {
  return { negate, disabled: false, query, exists: null, meta: { negate }, state: null, ...extra };
}

export function analyse(rule: Rule): AnalyseResult {
  return analyseRule(rule, parseRuleQueries(rule));
}

/** `field kind[~] v1, v2` per row (`~`: case-insensitive; `!`: excluded scope). */
export function rowLines(rows: readonly AnalysisRow[]): string[] {
  return rows.map((r) => {
    const excluded = 'excluded' in r && (r as { excluded: boolean }).excluded ? '!' : '';
    return `${r.field} ${excluded}${r.kind}${r.caseInsensitive ? '~' : ''} ${r.values.map((v) => v.value).join(', ')}`.trimEnd();
  });
}

/** `role[/reason][ NEG] text` per predicate of every stage, in order. */
export function predicateLines(a: RuleAnalysis): string[] {
  const out: string[] = [];
  for (const s of a.stages) for (const p of s.predicates) out.push(predicateLine(p));
  return out;
}

export function predicateLine(p: Predicate): string {
  return `${p.role}${p.reason ? `/${p.reason}` : ''}${p.negated ? ' NEG' : ''} ${p.text}`;
}

/** Indicators, exclusions and scope of a hand-made rule, as lines. */
export function tables(rule: Rule): { indicators: string[]; exclusions: string[]; scope: string[] } {
  const a = analyse(rule).analysis;
  return { indicators: rowLines(a.indicators), exclusions: rowLines(a.exclusions), scope: rowLines(a.scope) };
}

/** A rule ingested from one TOML file of the corpus (`rules/...toml`), as the catalog gets it. */
export function corpusRule(rel: string): Rule {
  const text = readFileSync(join(rulesRoot, rel), 'utf8');
  const digest = createHash('sha256').update(text).digest('hex');
  const r = ingest({ files: [{ path: rel, text, digest }] });
  const rule = r.rules[0];
  if (rule === undefined) throw new Error(`${rel}: no rule (${r.diagnostics.map((d) => d.message).join('; ')})`);
  return rule;
}
