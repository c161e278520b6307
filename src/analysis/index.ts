/**
 * Analysis: from a rule and its parsed queries to stages, predicates, indicators, exclusions and
 * scope (see `types.ts`). Everything is derived from the ASTs; nothing reads query text with
 * regular expressions.
 *
 *   const parsed = parseRuleQueries(rule);          // or reuse the catalog's parses
 *   const { analysis, diagnostics } = analyseRule(rule, parsed);
 *
 * `analyseCatalog(rules)` does both for a list of rules; `src/catalog/corpus.ts` then fills in the
 * corpus counts and builds the site's `fields` / `indicators` indexes and similar-rule lists.
 *
 * Diagnostics (never thrown): `analysis-skipped` (info: a query that did not parse or does not
 * fit the rule type, so its stage has no predicates), `analysis-filter` (warning: a Kibana filter
 * shape the analysis does not understand), `analysis-embedded-query` (warning: an ES|QL `KQL()` /
 * `QSTR()` string that does not parse).
 */
import { scanToml } from '../ingest/locate';
import { diagnostic, type Diagnostic, type Located } from '../model/diagnostic';
import { assertNever, type Rule, type RuleQuery } from '../model/rule';
import { LineIndex, type Loc } from '../model/span';
import type { ParsedQuery, QueryAst } from '../lang';
import { parseRuleQueries, queryPlace, type RuleQueries as ParsedRuleQueries } from '../lang/rule-queries';
import type { EqlQuery, Stage as EqlStage } from '../lang/eql';
import { EqlLowering } from './eql';
import { esqlStages } from './esql';
import { lowerFilters } from './filters';
import { and, demote, predicatesOf, sortedFields, TRUE, type Cond } from './ir';
import { KqlLowering } from './kql';
import { LuceneLowering } from './lucene';
import { buildRows } from './rows';
import type { AnalysisStage, Predicate, RuleAnalysis, TextRef } from './types';

export type * from './types';
export { VALUE_KINDS } from './types';
export { SCOPE_FIELDS, isScopeField } from './scope';
export { predicateRows } from './rows';

/** The parses analysis needs (`parseRuleQueries` in `src/lang/rule-queries.ts` makes them). */
export type RuleQueries = Pick<ParsedRuleQueries, 'query'> & { threatQuery?: ParsedRuleQueries['threatQuery'] };
export { parseRuleQueries };

export interface AnalyseResult {
  analysis: RuleAnalysis;
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------------------------

class Ctx {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly rule: Rule) {}

  private source(ref: TextRef): RuleQuery | null {
    if (ref === 'query') return this.rule.querySource;
    if (ref === 'threat_query' && this.rule.type === 'threat_match') return this.rule.threatMatch.querySource;
    return null;
  }

  /** Line and column of `loc` in the rule's file, when the query's place is known. */
  private place(ref: TextRef, loc: Loc | null): { file: string; where: Located | null } {
    const fallback = this.rule.files[0] ?? '';
    const src = this.source(ref);
    if (src === null || src.span === null) return { file: fallback, where: null };
    return { file: src.span.file, where: queryPlace(src, loc?.start ?? 0, this.rule.rawToml) };
  }

  report(severity: 'info' | 'warning', code: string, ref: TextRef, loc: Loc | null, message: string): void {
    const { file, where } = this.place(ref, loc);
    this.diagnostics.push(diagnostic(severity, code, file, where ?? { line: null, column: null }, message, this.rule.id));
  }

  /**
   * A problem with the `index`th entry of `rule.filters` / `rule.threat_filters`, placed at its
   * `[[rule.<key>]]` header in the rule's TOML (or at the key of an inline array). The TOML is
   * scanned only when such a problem is reported.
   */
  reportFilter(key: 'filters' | 'threat_filters', index: number, message: string): void {
    const raw = this.rule.rawToml;
    const file = this.rule.files.find((f) => f.toLowerCase().endsWith('.toml')) ?? this.rule.files[0] ?? '';
    let where: Located = { line: null, column: null };
    if (raw !== null) {
      const defs = scanToml(raw, { defs: true }).defs.filter((d) => d.path === `rule.${key}`);
      const def = defs[index] ?? defs[0];
      if (def !== undefined) {
        const pos = new LineIndex(raw).position(def.offset);
        where = { line: pos.line, column: pos.column };
      }
    }
    this.diagnostics.push(diagnostic('warning', 'analysis-filter', file, where, `${key}[${index}]: ${message}`, this.rule.id));
  }
}

/** Lowers a KQL or Lucene parse; null (with a diagnostic) when it failed or is another language. */
function lowerQueryFamily(ctx: Ctx, parsed: ParsedQuery | null | undefined, ref: TextRef, what: string): Cond | null {
  if (parsed === null || parsed === undefined) return null;
  if (!parsed.ok) {
    ctx.report('info', 'analysis-skipped', ref, { start: parsed.error.offset, end: parsed.error.offset }, `${what} does not parse; its stage has no predicates`);
    return null;
  }
  const q: QueryAst = parsed.query;
  switch (q.language) {
    case 'kuery':
      return new KqlLowering({ in: ref }).lower(q.ast);
    case 'lucene':
      return new LuceneLowering({ in: ref }).lower(q.ast);
    case 'eql':
    case 'esql':
      ctx.report('info', 'analysis-skipped', ref, null, `${what} is ${q.language}, which this rule type does not run; its stage has no predicates`);
      return null;
    default:
      return assertNever(q, 'query');
  }
}

function predicates(cond: Cond | null): Predicate[] {
  return cond === null ? [] : predicatesOf(cond);
}

function fieldsOf(preds: readonly Predicate[], extra: readonly string[] = []): string[] {
  const out: string[] = [...extra];
  for (const p of preds) out.push(...p.fields);
  return sortedFields(out);
}

function wholeText(text: string | null): Loc | null {
  return text === null ? null : { start: 0, end: text.length };
}

function eqlStages(rule: Rule, q: EqlQuery): AnalysisStage[] {
  const low = new EqlLowering('query');
  const categoryField = rule.eventCategoryOverride ?? 'event.category';
  const cond = (st: { category: EqlStage['category']; condition: EqlStage['condition'] }): Cond =>
    and([low.category(st.category, categoryField), low.lower(st.condition)]);
  const cat = (st: { category: EqlStage['category'] }): string | null => (st.category.any ? null : st.category.name);
  switch (q.kind) {
    case 'EventQuery': {
      const preds = predicatesOf(cond(q));
      return [{ kind: 'event', index: 0, in: 'query', loc: q.loc, predicates: preds, fields: fieldsOf(preds), category: cat(q), categoryField }];
    }
    case 'Sequence': {
      const sequenceBy = EqlLowering.keys(q.by);
      const seqKeyFields = EqlLowering.keyFields(q.by);
      const maxspan = q.maxspan === null ? null : `${q.maxspan.value}${q.maxspan.unit}`;
      const out: AnalysisStage[] = q.stages.map((st, position) => {
        const preds = predicatesOf(cond(st));
        if (st.missing) demote(preds, 'missing_event');
        return {
          kind: 'sequence',
          index: position,
          in: 'query',
          loc: st.loc,
          predicates: preds,
          fields: fieldsOf(preds, [...seqKeyFields, ...EqlLowering.keyFields(st.by)]),
          position,
          category: cat(st),
          categoryField,
          sequenceBy,
          by: EqlLowering.keys(st.by),
          maxspan,
          maxspanMillis: q.maxspan?.millis ?? null,
          runs: st.runs,
          missing: st.missing,
        };
      });
      if (q.until !== null) {
        const st = q.until;
        const preds = demote(predicatesOf(cond(st)), 'until');
        out.push({
          kind: 'until',
          index: out.length,
          in: 'query',
          loc: st.loc,
          predicates: preds,
          fields: fieldsOf(preds, [...seqKeyFields, ...EqlLowering.keyFields(st.by)]),
          category: cat(st),
          categoryField,
          sequenceBy,
          by: EqlLowering.keys(st.by),
        });
      }
      return out;
    }
    case 'Sample': {
      const sampleBy = EqlLowering.keys(q.by);
      const keyFields = EqlLowering.keyFields(q.by);
      return q.stages.map((st, position) => {
        const preds = predicatesOf(cond(st));
        return {
          kind: 'sample',
          index: position,
          in: 'query',
          loc: st.loc,
          predicates: preds,
          fields: fieldsOf(preds, [...keyFields, ...EqlLowering.keyFields(st.by)]),
          position,
          category: cat(st),
          categoryField,
          sampleBy,
          by: EqlLowering.keys(st.by),
        };
      });
    }
    default:
      return assertNever(q, 'EQL query');
  }
}

/** The stages of the rule's own query, by rule type. */
function mainStages(ctx: Ctx, rule: Rule, parsed: RuleQueries): AnalysisStage[] {
  const what = 'the query';
  switch (rule.type) {
    case 'query': {
      const preds = predicates(lowerQueryFamily(ctx, parsed.query, 'query', what));
      return [{ kind: 'query', index: 0, in: 'query', loc: wholeText(rule.query), predicates: preds, fields: fieldsOf(preds), language: rule.language }];
    }
    case 'new_terms': {
      const preds = predicates(lowerQueryFamily(ctx, parsed.query, 'query', what));
      return [
        {
          kind: 'new_terms',
          index: 0,
          in: 'query',
          loc: wholeText(rule.query),
          predicates: preds,
          fields: fieldsOf(preds, rule.newTerms.fields),
          language: rule.language,
          newTermsFields: [...rule.newTerms.fields],
          historyWindowStart: rule.newTerms.historyWindowStart,
        },
      ];
    }
    case 'threshold': {
      const preds = predicates(lowerQueryFamily(ctx, parsed.query, 'query', what));
      const t = rule.threshold;
      return [
        {
          kind: 'threshold',
          index: 0,
          in: 'query',
          loc: wholeText(rule.query),
          predicates: preds,
          fields: fieldsOf(preds, [...t.fields, ...t.cardinality.map((c) => c.field)]),
          language: rule.language,
          thresholdFields: [...t.fields],
          value: t.value,
          cardinality: t.cardinality.map((c) => ({ field: c.field, value: c.value })),
        },
      ];
    }
    case 'threat_match': {
      const tm = rule.threatMatch;
      const preds = predicates(lowerQueryFamily(ctx, parsed.query, 'query', what));
      const mappings = tm.mappings.map((g) => g.entries.map((e) => ({ field: e.field, type: e.type, value: e.value })));
      const main: AnalysisStage = {
        kind: 'threat_match',
        index: 0,
        in: 'query',
        loc: wholeText(rule.query),
        predicates: preds,
        fields: fieldsOf(preds, mappings.flatMap((g) => g.map((e) => e.field))),
        language: rule.language,
        indices: [...tm.index],
        indicatorPath: tm.indicatorPath,
        mappings,
      };
      const threatCond = lowerQueryFamily(ctx, parsed.threatQuery, 'threat_query', 'the threat query');
      const tf = lowerFilters(tm.filters);
      for (const p of tf.problems) ctx.reportFilter('threat_filters', p.filter, p.message);
      const tpreds = predicatesOf(and([threatCond ?? TRUE, ...tf.conds]));
      const threat: AnalysisStage = {
        kind: 'threat_query',
        index: 1,
        in: 'threat_query',
        loc: wholeText(tm.query),
        predicates: tpreds,
        fields: fieldsOf(tpreds, mappings.flatMap((g) => g.map((e) => e.value))),
        language: tm.language,
        indices: [...tm.index],
      };
      return [main, threat];
    }
    case 'machine_learning':
      return [
        {
          kind: 'machine_learning',
          index: 0,
          in: 'query',
          loc: null,
          predicates: [],
          fields: [],
          jobIds: [...rule.machineLearning.jobIds],
          anomalyThreshold: rule.machineLearning.anomalyThreshold,
        },
      ];
    case 'eql': {
      const p = parsed.query;
      if (p === null || p === undefined) return [];
      if (!p.ok) {
        ctx.report('info', 'analysis-skipped', 'query', { start: p.error.offset, end: p.error.offset }, 'the query does not parse; it has no stages');
        return [];
      }
      if (p.query.language !== 'eql') {
        ctx.report('info', 'analysis-skipped', 'query', null, `the query is ${p.query.language}, not EQL; it has no stages`);
        return [];
      }
      return eqlStages(rule, p.query.ast);
    }
    case 'esql': {
      const p = parsed.query;
      if (p === null || p === undefined) return [];
      if (!p.ok) {
        ctx.report('info', 'analysis-skipped', 'query', { start: p.error.offset, end: p.error.offset }, 'the query does not parse; it has no stages');
        return [];
      }
      if (p.query.language !== 'esql') {
        ctx.report('info', 'analysis-skipped', 'query', null, `the query is ${p.query.language}, not ES|QL; it has no stages`);
        return [];
      }
      const r = esqlStages(p.query.ast, 0);
      for (const pr of r.problems) ctx.report('warning', 'analysis-embedded-query', 'query', pr.loc, pr.message);
      return r.stages;
    }
    default:
      return assertNever(rule, 'rule type');
  }
}

/** Analyses one rule. `parsed` holds the parses of its query (and threat query). */
export function analyseRule(rule: Rule, parsed: RuleQueries): AnalyseResult {
  const ctx = new Ctx(rule);
  const stages = mainStages(ctx, rule, parsed);
  if (rule.filters.length > 0) {
    const f = lowerFilters(rule.filters);
    for (const p of f.problems) ctx.reportFilter('filters', p.filter, p.message);
    if (f.conds.length > 0) {
      const preds = predicatesOf(and(f.conds));
      stages.push({ kind: 'filters', index: stages.length, in: 'filters', loc: null, predicates: preds, fields: fieldsOf(preds) });
    }
  }
  const rows = buildRows(stages);
  return { analysis: { stages, indicators: rows.indicators, exclusions: rows.exclusions, scope: rows.scope }, diagnostics: ctx.diagnostics };
}

export interface AnalysedRule {
  id: string;
  analysis: RuleAnalysis;
}

/** Parses and analyses every rule, in the given order. */
export function analyseCatalog(rules: readonly Rule[]): { rules: AnalysedRule[]; diagnostics: Diagnostic[] } {
  const out: AnalysedRule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const r = analyseRule(rule, parseRuleQueries(rule));
    out.push({ id: rule.id, analysis: r.analysis });
    diagnostics.push(...r.diagnostics);
  }
  return { rules: out, diagnostics };
}
