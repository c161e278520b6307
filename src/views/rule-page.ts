/**
 * The rule page view model, modelled on the target page (seed 002): facts, ATT&CK coverage,
 * stages and predicates (the printed query, highlighted, predicates marked by role), exclusions
 * and indicators with corpus counts, the rule body, guides, references, similar rules, versions
 * and the evaluator's inputs.
 */
import { analyseRule } from '../analysis';
import { resolveTechnique } from '../attack';
import type { AnalysisRow, AnalysisStage, Predicate, RuleAnalysis, ScopeRow } from '../analysis/types';
import type { CatalogRule } from '../catalog/build';
import { parseQuery, printQuery } from '../lang';
import { parseRuleQueries } from '../lang/rule-queries';
import { assertNever, type QueryLanguage, type Rule } from '../model/rule';
import type { RuleExamples, SynthesisResult } from '../eval/examples/index';
import { highlight, renderHighlighted, type Mark } from './highlight';
import type { SafeHtml } from './html';
import { clip, cmp, isoDate, languageLabel, severityClass, sourceLabel, timeWindow, typeLabel } from './labels';
import { markdownText, renderMarkdown } from './markdown';
import { pageMeta, ruleItem, type Link, type PageMeta, type RuleItem } from './common';
import { sourceUrl, type SiteModel } from './site';

export interface Fact {
  label: string;
  value: string;
  /** Longer explanation shown after the value. */
  note?: string;
  href?: string;
}

export interface AttackTechniqueView {
  id: string;
  name: string;
  href: string;
  subtechniques: { id: string; name: string; href: string }[];
}

export interface AttackEntryView {
  tactic: { id: string; name: string; href: string };
  techniques: AttackTechniqueView[];
}

export interface PredicateView {
  text: string;
  role: Predicate['role'];
  roleLabel: string;
  field: string | null;
  fieldHref: string | null;
}

export interface StageView {
  index: number;
  title: string;
  /** The stage's part of the printed query, highlighted with predicate marks; null when it is the whole query or has no text. */
  html: SafeHtml | null;
  /** Why the stage's text is not repeated, when it is not. */
  note: string | null;
  facts: Fact[];
  predicates: PredicateView[];
}

export interface RowValueView {
  value: string;
  corpus: number;
}

export interface RowView {
  field: string;
  fieldHref: string;
  kind: string;
  values: RowValueView[];
  caseInsensitive: boolean;
  /** Scope rows: the scope is excluded rather than required. */
  excluded?: boolean;
}

export interface EvaluatorView {
  language: QueryLanguage;
  languageLabel: string;
  /**
   * What the evaluator runs: the rule's evaluated fields, without the query, which the page
   * already shows: the client reads it from the printed query block (`#printed-query`), so trace
   * spans point into the text on the page.
   */
  ruleJson: string;
  printed: string;
  /** `event` (one event query), `sequence`, `sample`, `rows` (ES|QL), by the query's shape. */
  shape: 'event' | 'sequence' | 'sample' | 'rows';
  /** Reference time (epoch ms) for date math, the one the examples were made with. */
  now: number;
  /** The example events as editable text (a JSON array); '' when there is none or it is served apart (`external`). */
  events: string;
  /** new_terms: history events (JSON array). */
  history: string | null;
  /** threat_match: indicator documents (JSON array). */
  indicators: string | null;
  /** The example and near miss as JSON (`/api/examples/<id>.json`), when there is an example. */
  examplesHref: string | null;
  /** The example is too large to inline in the page: the evaluator loads it from `examplesHref`. */
  external: boolean;
  /** The build gave up on the example (it took too long): the browser makes it when the evaluator starts. */
  synthesise: boolean;
  /** Size of the example text, for the no-JavaScript note when it is served apart. */
  exampleBytes: number;
  /** A near miss exists (in the examples JSON). */
  nearMiss: boolean;
  nearMissNote: string | null;
  /** Why there is no example, when there is none. */
  note: string | null;
}

export interface RulePageView {
  meta: PageMeta;
  id: string;
  name: string;
  /** Source label for the breadcrumb (`Elastic`). */
  source: string;
  status: string;
  deprecated: { date: string | null; reason: string | null } | null;
  kind: string;
  kindNote: string;
  buildingBlock: boolean;
  severity: string;
  severityClass: string;
  riskScore: number;
  facts: Fact[];
  descriptionHtml: SafeHtml;
  attack: AttackEntryView[];
  /** The printed query, highlighted with every predicate marked; null for rules without a query. */
  query: { language: string; html: SafeHtml; parseError: string | null } | null;
  stages: StageView[];
  exclusions: RowView[];
  indicators: RowView[];
  scope: RowView[];
  /**
   * The rule body (raw TOML), highlighted; for a large body only its first lines (`preview`),
   * the whole text being served apart (`rawHref`) and linked.
   */
  body: { html: SafeHtml; file: string; preview: { shownBytes: number; totalBytes: number; rawHref: string; sourceHref: string | null } | null } | null;
  noteHtml: SafeHtml | null;
  setupHtml: SafeHtml | null;
  references: { text: string; href: string | null }[];
  falsePositives: string[];
  similar: (RuleItem & { score: number; shared: number })[];
  versions: { version: string; packageVersion: string | null; name: string; file: string; queryChanged: boolean }[];
  tags: Link[];
  integrations: Link[];
  files: { path: string; href: string | null }[];
  diagnostics: { severity: string; code: string; where: string; message: string }[];
  evaluator: EvaluatorView | null;
  apiHref: string;
  item: RuleItem;
}

const ROLE_LABELS: Record<Predicate['role'], string> = {
  indicator: 'indicator',
  exclusion: 'exclusion',
  scope: 'scope',
  other: 'other',
};

const REASON_LABELS: Record<string, string> = {
  nested_negation: 'negated inside another condition',
  derived_field: 'tests a computed column',
  after_aggregation: 'tests aggregated rows',
  aggregate_filter: 'filters one aggregate',
  optional: 'optional clause',
  no_field: 'free text',
  missing_event: 'missing event',
  until: 'ends the sequence',
};

/** The rule with its queries replaced by their printed form, and the analysis of that text. */
export interface PrintedRule {
  rule: Rule;
  printed: string | null;
  threatPrinted: string | null;
  analysis: RuleAnalysis | null;
  parseError: string | null;
}

/** What printing a rule makes besides the rule: plain data (a site build makes it in worker threads). */
export type PrintParts = Omit<PrintedRule, 'rule'>;

type RuleParse = { query: ReturnType<typeof parseQuery> | null; threatQuery?: ReturnType<typeof parseQuery> | null } | undefined;

/**
 * The rule's queries as Ruledex prints them, and the analysis of the printed text (its predicate
 * spans are in the printed text, for highlighting it).
 */
export function printParts(rule: Rule, parsed: RuleParse): PrintParts {
  const q = parsed?.query ?? null;
  if (rule.query === null || rule.language === null || q === null) return { printed: null, threatPrinted: null, analysis: null, parseError: null };
  if (!q.ok) return { printed: null, threatPrinted: null, analysis: null, parseError: `line ${q.error.line}, column ${q.error.column}: ${q.error.message}` };
  const printed = printQuery(q.query);
  let threatPrinted: string | null = null;
  if (rule.type === 'threat_match' && parsed?.threatQuery?.ok) threatPrinted = printQuery(parsed.threatQuery.query);
  const next = printedRuleOf(rule, printed, threatPrinted);
  const analysis = analyseRule(next, parseRuleQueries(next)).analysis;
  return { printed, threatPrinted, analysis, parseError: null };
}

/** The rule with its printed queries in place of the written ones. */
function printedRuleOf(rule: Rule, printed: string, threatPrinted: string | null): Rule {
  const next = { ...rule, query: printed, querySource: null } as Rule;
  if (next.type === 'threat_match' && threatPrinted !== null) return { ...next, threatMatch: { ...next.threatMatch, query: threatPrinted, querySource: null } };
  return next;
}

/** A printed rule from its parts (`printParts`, made here or in a worker thread). */
export function printedRule(rule: Rule, parts: PrintParts): PrintedRule {
  return { rule: parts.printed === null ? rule : printedRuleOf(rule, parts.printed, parts.threatPrinted), ...parts };
}

export function printRule(rule: Rule, parsed: RuleParse): PrintedRule {
  return printedRule(rule, printParts(rule, parsed));
}

function predicateMarks(stages: readonly AnalysisStage[], inRef: 'query' | 'threat_query', offset = 0, only?: number): Mark[] {
  const marks: Mark[] = [];
  for (const s of stages) {
    if (only !== undefined && s.index !== only) continue;
    for (const p of s.predicates) {
      if (p.in !== inRef || !p.loc) continue;
      const title = p.role === 'other' && p.reason ? `other: ${REASON_LABELS[p.reason] ?? p.reason}` : ROLE_LABELS[p.role];
      marks.push({ start: p.loc.start - offset, end: p.loc.end - offset, cls: `p p-${p.role}`, title });
    }
  }
  return marks;
}

function stageTitle(s: AnalysisStage, total: number): string {
  const n = `Stage ${s.index + 1}`;
  switch (s.kind) {
    case 'query':
      return `${n}: query`;
    case 'event':
      return `${n}: ${s.category ?? 'any'} events`;
    case 'sequence':
      return `${n}: sequence term ${s.position + 1}${s.missing ? ' (missing event)' : ''}`;
    case 'until':
      return `${n}: until`;
    case 'sample':
      return `${n}: sample term ${s.position + 1}`;
    case 'new_terms':
      return `${n}: new_terms`;
    case 'threshold':
      return `${n}: threshold`;
    case 'threat_match':
      return `${n}: indicator match`;
    case 'threat_query':
      return `${n}: threat query`;
    case 'machine_learning':
      return total === 1 ? 'Machine learning job' : `${n}: machine learning`;
    case 'esql':
      return `${n}: ${s.command.toUpperCase().replace('_', ' ')}`;
    case 'filters':
      return `${n}: filters`;
    default:
      return assertNever(s, 'stage');
  }
}

function stageFacts(s: AnalysisStage): Fact[] {
  const f: Fact[] = [];
  const list = (xs: readonly string[]): string => xs.join(', ');
  switch (s.kind) {
    case 'query':
    case 'event':
    case 'filters':
      break;
    case 'sequence':
      if (s.sequenceBy.length) f.push({ label: 'Sequence by', value: list(s.sequenceBy) });
      if (s.by.length) f.push({ label: 'Term by', value: list(s.by) });
      if (s.maxspan) f.push({ label: 'Max span', value: s.maxspan });
      if (s.runs !== null) f.push({ label: 'Runs', value: String(s.runs) });
      break;
    case 'until':
      if (s.by.length) f.push({ label: 'Term by', value: list(s.by) });
      break;
    case 'sample':
      if (s.sampleBy.length) f.push({ label: 'Sample by', value: list(s.sampleBy) });
      if (s.by.length) f.push({ label: 'Term by', value: list(s.by) });
      break;
    case 'new_terms':
      f.push({ label: 'New terms', value: list(s.newTermsFields) });
      if (s.historyWindowStart) f.push({ label: 'History since', value: s.historyWindowStart });
      break;
    case 'threshold':
      f.push({ label: 'Group by', value: s.thresholdFields.length ? list(s.thresholdFields) : '(all events)' });
      if (s.value !== null) f.push({ label: 'Threshold', value: `≥ ${s.value}` });
      for (const c of s.cardinality) f.push({ label: 'Cardinality', value: `${c.field} ≥ ${c.value}` });
      break;
    case 'threat_match':
      f.push({ label: 'Threat indices', value: list(s.indices) });
      if (s.indicatorPath) f.push({ label: 'Indicator path', value: s.indicatorPath });
      f.push({ label: 'Mappings', value: s.mappings.map((g) => g.map((e) => `${e.field} = ${e.value}`).join(' and ')).join(' or ') });
      break;
    case 'threat_query':
      break;
    case 'machine_learning':
      f.push({ label: 'Jobs', value: s.jobIds.length ? list(s.jobIds) : '(not stated)' });
      if (s.anomalyThreshold !== null) f.push({ label: 'Anomaly threshold', value: String(s.anomalyThreshold) });
      break;
    case 'esql':
      if (s.aggregates.length) f.push({ label: 'Aggregates', value: list(s.aggregates) });
      if (s.groupBy.length) f.push({ label: 'By', value: list(s.groupBy) });
      if (s.afterAggregation) f.push({ label: 'Tests', value: 'aggregated rows' });
      break;
    default:
      assertNever(s, 'stage');
  }
  return f;
}

function groupBy(rule: Rule, analysis: RuleAnalysis | null): string[] {
  const out = new Set<string>();
  switch (rule.type) {
    case 'new_terms':
      for (const f of rule.newTerms.fields) out.add(f);
      break;
    case 'threshold':
      for (const f of rule.threshold.fields) out.add(f);
      break;
    default:
      break;
  }
  for (const s of analysis?.stages ?? []) {
    if (s.kind === 'sequence' || s.kind === 'until') for (const k of [...s.sequenceBy, ...s.by]) out.add(k);
    if (s.kind === 'sample') for (const k of [...s.sampleBy, ...s.by]) out.add(k);
    if (s.kind === 'esql' && (s.command === 'stats' || s.command === 'inline_stats')) for (const k of s.groupBy) out.add(k);
  }
  if (rule.alertSuppression) for (const f of rule.alertSuppression.groupBy) out.add(f);
  return [...out].sort(cmp);
}

function rows(model: SiteModel, rows: readonly AnalysisRow[]): RowView[] {
  return rows.map((r) => ({
    field: r.field,
    fieldHref: model.urls.field(r.field),
    kind: r.kind,
    values: r.values.map((v) => ({ value: v.value, corpus: v.corpus })),
    caseInsensitive: r.caseInsensitive,
    ...('excluded' in r ? { excluded: (r as ScopeRow).excluded } : {}),
  }));
}

function attackView(model: SiteModel, rule: Rule): AttackEntryView[] {
  const u = model.urls;
  return rule.threat
    .filter((t) => /att&ck/i.test(t.framework))
    .map((t) => ({
      tactic: { id: t.tactic.id, name: model.tactics.get(t.tactic.id)?.name ?? t.tactic.name, href: u.tactic(t.tactic.id) },
      techniques: t.techniques.map((tech) => ({
        id: tech.id,
        name: model.attack.techniqueById.get(tech.id)?.name ?? tech.name,
        href: u.technique(resolveTechnique(model.attack, tech.id).id),
        subtechniques: tech.subtechniques.map((s) => ({ id: s.id, name: model.attack.techniqueById.get(s.id)?.name ?? s.name, href: u.technique(resolveTechnique(model.attack, s.id).id) })),
      })),
    }));
}

function isHttp(s: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(s.trim());
}

/** The fields of a rule the evaluator reads (the rest of the model stays out of the page). */
export function evaluatorRule(rule: Rule): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: rule.id,
    name: rule.name,
    type: rule.type,
    language: rule.language,
    query: rule.query,
    filters: rule.filters,
    timestampOverride: rule.timestampOverride,
    eventCategoryOverride: rule.eventCategoryOverride,
    tiebreakerField: rule.tiebreakerField,
  };
  switch (rule.type) {
    case 'threshold':
      base.threshold = rule.threshold;
      break;
    case 'new_terms':
      base.newTerms = rule.newTerms;
      break;
    case 'threat_match':
      base.threatMatch = rule.threatMatch;
      break;
    case 'machine_learning':
      base.machineLearning = rule.machineLearning;
      break;
    default:
      break;
  }
  return base;
}

function pretty(events: readonly unknown[] | undefined): string {
  if (!events || events.length === 0) return '[]';
  return `[\n${events.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]`;
}

function queryShape(p: PrintedRule): EvaluatorView['shape'] {
  const stages = p.analysis?.stages ?? [];
  if (stages.some((s) => s.kind === 'sequence')) return 'sequence';
  if (stages.some((s) => s.kind === 'sample')) return 'sample';
  if (p.rule.language === 'esql') return 'rows';
  return 'event';
}

/** Example texts larger than this (all editors together) are served apart from the page. */
export const MAX_INLINE_EXAMPLE = 12_000;

function evaluatorView(model: SiteModel, p: PrintedRule, examples: SynthesisResult | undefined, deferred = false): EvaluatorView | null {
  const rule = p.rule;
  if (p.printed === null || rule.language === null) return null;
  const ex: RuleExamples | undefined = examples?.ok ? examples.examples : undefined;
  const events = ex ? pretty(ex.example.events) : '[]';
  const history = rule.type === 'new_terms' ? pretty(ex?.example.history) : null;
  const indicators = rule.type === 'threat_match' ? pretty(ex?.example.indicators) : null;
  const bytes = events.length + (history?.length ?? 0) + (indicators?.length ?? 0);
  const synthesise = deferred && ex === undefined;
  // Served apart (large), or made in the browser: the editors start empty and the evaluator fills them.
  const external = ex !== undefined && bytes > MAX_INLINE_EXAMPLE;
  const apart = external || synthesise;
  return {
    language: rule.language,
    languageLabel: languageLabel(rule.language),
    ruleJson: JSON.stringify({ ...evaluatorRule(rule), query: null }),
    printed: p.printed,
    shape: queryShape(p),
    now: model.now,
    events: apart ? '' : events,
    history: history === null ? null : apart ? '' : history,
    indicators: indicators === null ? null : apart ? '' : indicators,
    examplesHref: ex ? model.urls.apiExamples(rule.id) : null,
    external,
    synthesise,
    exampleBytes: bytes,
    nearMiss: ex?.nearMiss != null,
    nearMissNote: ex?.nearMiss ? ex.nearMissNote : null,
    note:
      deferred && ex === undefined
        ? 'making one needs more work than the site build spends on one rule; the evaluator makes it in your browser when it starts (it may take a few seconds)'
        : examples === undefined
          ? 'No example was synthesised for this build.'
          : examples.ok
            ? null
            : examples.reason,
  };
}

/** The examples JSON of a rule (`/api/examples/<id>.json`): the example input and the near miss. */
export function examplesJson(examples: RuleExamples): string {
  return `${JSON.stringify({ example: examples.example, nearMiss: examples.nearMiss, nearMissNote: examples.nearMissNote, notes: examples.notes })}\n`;
}

/** Printed queries longer than this are not repeated stage by stage. */
export const MAX_REPEATED_QUERY = 4000;
/** Predicate texts in the stage lists are cut to this length (the query shows them whole). */
export const MAX_PREDICATE_TEXT = 160;
/** Query and rule texts longer than this are shown without token colours (marks stay). */
export const MAX_COLOURED_TEXT = 8000;
/** Rule bodies longer than this (UTF-16 units) are shown as a preview of `BODY_PREVIEW` units, cut at a line end. */
export const MAX_INLINE_BODY = 16_000;
export const BODY_PREVIEW = 4_000;

/** The first lines of `text` within `max` units (at least the first line, cut at `max`). */
export function previewLines(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  return cut > 0 ? text.slice(0, cut + 1) : text.slice(0, max);
}

/** Bytes of `s` in UTF-8. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * A query that does not parse, as the page shows it: coloured when short, plain when long, and
 * only its beginning when longer than a rule body is inlined (a 10 MB query made a page no
 * browser opened; the rule body section links the whole file).
 */
function unparsedQueryHtml(language: QueryLanguage, query: string): SafeHtml {
  if (query.length <= MAX_COLOURED_TEXT) return highlight(language, query);
  return renderHighlighted(query.length <= MAX_INLINE_BODY ? query : `${previewLines(query, BODY_PREVIEW)}…`, []);
}

function bodyView(model: SiteModel, rule: CatalogRule): RulePageView['body'] {
  const raw = rule.rawToml;
  if (raw === null) return null;
  const file = rule.files[0] ?? '';
  if (raw.length <= MAX_INLINE_BODY) return { html: raw.length > MAX_COLOURED_TEXT ? renderHighlighted(raw, []) : highlight('toml', raw), file, preview: null };
  const shown = previewLines(raw, BODY_PREVIEW);
  return {
    html: highlight('toml', shown),
    file,
    preview: {
      shownBytes: utf8Length(shown),
      totalBytes: utf8Length(raw),
      rawHref: model.urls.apiRuleToml(rule.id),
      sourceHref: rule.files[0] ? (sourceUrl(model, rule.files[0])?.href ?? null) : null,
    },
  };
}

export interface RulePageInput {
  /** The printed form (from `printRule`), computed once per rule. */
  printed?: PrintedRule;
  examples?: SynthesisResult;
  /** Markdown renderer (default `renderMarkdown`; the build passes a cached one). */
  markdown?: (md: string) => SafeHtml;
  /** The build gave up on this rule's example (too slow): the browser makes it. */
  examplesDeferred?: boolean;
  /** Markdown → plain text (default `markdownText`; the build passes a cached one). */
  markdownText?: (md: string) => string;
}

export function rulePage(model: SiteModel, rule: CatalogRule, input: RulePageInput = {}): RulePageView {
  const u = model.urls;
  const md = input.markdown ?? renderMarkdown;
  const p = input.printed ?? printRule(rule, model.catalog.parsed.get(rule.id));
  const item = ruleItem(model, rule);
  const deprecated = item.deprecated ? { date: isoDate(rule.deprecationDate), reason: rule.deprecatedReason } : null;

  const facts: Fact[] = [];
  const tl = typeLabel(rule.type);
  const ll = rule.language ? languageLabel(rule.language) : null;
  facts.push({ label: 'Type', value: ll && ll !== tl ? `${tl} (${ll})` : tl });
  const tw = timeWindow(rule.from, rule.interval);
  if (tw) facts.push({ label: 'Time window', value: tw });
  const gb = groupBy(rule, rule.analysis);
  if (gb.length) facts.push({ label: 'Group by', value: gb.join(', ') });
  if (rule.author.length) facts.push({ label: 'Author', value: rule.author.join(', ') });
  const src = rule.files[0] ? sourceUrl(model, rule.files[0]) : null;
  facts.push(src ? { label: 'Source', value: src.label, href: src.href } : { label: 'Source', value: sourceLabel(rule.source) });
  if (rule.license) facts.push({ label: 'License', value: rule.license });
  if (rule.index.length) facts.push({ label: 'Indices', value: rule.index.join(', ') });
  if (rule.dataView) facts.push({ label: 'Data view', value: rule.dataView });
  if (rule.version !== null) facts.push({ label: 'Version', value: String(rule.version) });
  const created = isoDate(rule.creationDate);
  const updated = isoDate(rule.updatedDate);
  if (created) facts.push({ label: 'Created', value: created });
  if (updated) facts.push({ label: 'Updated', value: updated });
  if (rule.minStackVersion) facts.push({ label: 'Minimum stack', value: rule.minStackVersion });

  const stages = p.analysis?.stages ?? rule.analysis.stages;
  const printed = p.printed;
  const wholeLen = printed?.length ?? 0;
  // Stage texts repeat parts of the query: left out for long queries (the page stays small).
  const repeat = wholeLen <= MAX_REPEATED_QUERY;
  const stageViews: StageView[] = stages.map((s) => {
    let html: SafeHtml | null = null;
    let note: string | null = null;
    const whole = s.loc !== null && s.loc.start === 0 && s.loc.end >= wholeLen;
    if (s.loc && !whole && s.in === 'query' && printed !== null && !repeat) note = 'Its text is marked in the query above.';
    else if (s.loc && !whole && rule.language && s.in === 'query' && printed !== null) {
      const slice = printed.slice(s.loc.start, s.loc.end);
      html = highlight(rule.language === 'kuery' ? 'kuery' : rule.language, slice, predicateMarks(stages, 'query', s.loc.start, s.index));
    } else if (s.in === 'threat_query' && p.threatPrinted !== null && rule.type === 'threat_match') {
      const lang = rule.threatMatch.language ?? 'kuery';
      html = highlight(lang, p.threatPrinted, predicateMarks(stages, 'threat_query', 0, s.index));
    }
    return {
      index: s.index,
      title: stageTitle(s, stages.length),
      html,
      note,
      facts: stageFacts(s),
      predicates: s.predicates.map((pr) => ({
        text: clip(pr.text, MAX_PREDICATE_TEXT),
        role: pr.role,
        roleLabel: pr.role === 'other' && pr.reason ? `other (${REASON_LABELS[pr.reason] ?? pr.reason})` : ROLE_LABELS[pr.role],
        field: pr.field,
        fieldHref: pr.field ? u.field(pr.field) : null,
      })),
    };
  });

  const query =
    rule.language === null
      ? null
      : printed !== null
        ? { language: languageLabel(rule.language), html: printed.length > MAX_COLOURED_TEXT ? renderHighlighted(printed, [], predicateMarks(stages, 'query')) : highlight(rule.language, printed, predicateMarks(stages, 'query')), parseError: null }
        : rule.query !== null
          ? { language: languageLabel(rule.language), html: unparsedQueryHtml(rule.language, rule.query), parseError: p.parseError }
          : null;

  const descriptionText = (input.markdownText ?? markdownText)(rule.description);
  const meta = pageMeta(model, u.rule(rule.id), rule.name, clip(descriptionText || `${typeLabel(rule.type)} detection rule.`, 200), [
    { label: 'Detection rules', href: u.browse() },
    { label: sourceLabel(rule.source), href: null },
  ]);

  const tags = rule.tags.map((t) => ({ label: t, href: u.tag(model.tagSlug.get(t) ?? '') }));
  const integrations = [
    ...rule.integrations.filter((i) => model.integrationSlug.has(i)).map((i) => ({ label: i, href: u.integration(model.integrationSlug.get(i) as string) })),
  ];

  const versions = [...rule.versions]
    .sort((a, b) => (b.version ?? -1) - (a.version ?? -1) || cmp(b.packageVersion ?? '~', a.packageVersion ?? '~'))
    .map((v) => ({
      version: v.version === null ? '—' : String(v.version),
      packageVersion: v.packageVersion,
      name: v.name,
      file: v.file,
      queryChanged: v.query !== null && rule.query !== null && v.query.trim() !== rule.query.trim(),
    }));

  const diags = (model.diagnosticsByRule.get(rule.id) ?? []).map((d) => ({
    severity: d.severity,
    code: d.code,
    where: d.line === null ? d.file : `${d.file}:${d.line}${d.column === null ? '' : `:${d.column}`}`,
    message: d.message,
  }));

  return {
    meta,
    id: rule.id,
    name: rule.name,
    source: sourceLabel(rule.source),
    status: rule.maturity,
    deprecated,
    kind: rule.buildingBlock ? 'building block' : 'rule',
    kindNote: rule.buildingBlock ? 'feeds higher-level correlation rules; not a standalone alert' : 'raises alerts',
    buildingBlock: rule.buildingBlock,
    severity: rule.severity,
    severityClass: severityClass(rule.severity),
    riskScore: rule.riskScore,
    facts,
    descriptionHtml: md(rule.description),
    attack: attackView(model, rule),
    query,
    stages: stageViews,
    exclusions: rows(model, rule.analysis.exclusions),
    indicators: rows(model, rule.analysis.indicators),
    scope: rows(model, rule.analysis.scope),
    body: bodyView(model, rule),
    noteHtml: rule.note ? md(rule.note) : null,
    setupHtml: rule.setup ? md(rule.setup) : null,
    references: rule.references.map((r) => ({ text: r, href: isHttp(r) ? r.trim() : null })),
    falsePositives: rule.falsePositives,
    similar: rule.similar
      .filter((s) => model.byId.has(s.id))
      .map((s) => ({ ...ruleItem(model, model.byId.get(s.id) as CatalogRule), score: s.score, shared: s.shared })),
    versions,
    tags,
    integrations,
    files: rule.files.map((f) => ({ path: f, href: sourceUrl(model, f)?.href ?? null })),
    diagnostics: diags,
    evaluator: evaluatorView(model, p, input.examples, input.examplesDeferred === true),
    apiHref: u.apiRule(rule.id),
    item,
  };
}
