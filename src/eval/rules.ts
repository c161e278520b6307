/**
 * Rule-level evaluation: a rule's query (with its Kibana filters, `timestamp_override`,
 * `event_category_override` and tiebreaker), then what the rule type adds:
 *
 * - query / eql / esql: every result is an alert.
 * - threshold: the query's hits grouped by the threshold fields (every value of a multi-valued
 *   field counts, as a terms aggregation does; an event without a value in a group field is in
 *   no group; no fields: one group); a group alerts when its count is at least `value` and each
 *   `cardinality` field has at least that many distinct values in it.
 * - new_terms: an event that matches the query alerts when its combination of the new-terms
 *   fields' values (each combination, for multi-valued fields) appears in no history event that
 *   also matches the query, and not in an earlier event of the same run (one alert per new
 *   combination). Events without a value in one of the fields are skipped.
 * - threat_match: an event that matches the query alerts when some indicator document (one
 *   matching the threat query, if any) satisfies a mapping group: every entry's event field and
 *   indicator field hold an equal value.
 * - machine_learning: not evaluable without the anomaly-detection job; the result names the job ids.
 */
import type { KibanaFilter, Rule } from '../model/rule';
import type { ParsedQuery } from '../lang';
import type { Loc } from '../model/span';
import { compileQuery, type CompiledQuery, type QueryOptions, type QueryRun, type TraceNode } from './index';
import { fieldPath, fieldValues } from './fields';
import { checkEvents, DEFAULT_LIMITS } from './limits';
import { staticFamily } from './search';
import { andPred, notPred, type Pred } from './trace';
import { dynamicFamily, equalsIn, keywordOf, operand } from './values';
import { compileWildcard, luceneWildcardTokens } from './wildcard';

export interface RuleInput {
  events: readonly unknown[];
  /** new_terms: events of the history window. */
  history?: readonly unknown[];
  /** threat_match: indicator documents. */
  indicators?: readonly unknown[];
}

export interface RuleAlert {
  /** Input indexes of the events behind the alert. */
  events: number[];
  /** Threshold: the group's field values; new_terms: the new terms; threat_match: indexes of the indicators. */
  group?: Record<string, unknown>;
  indicators?: number[];
  note?: string;
}

export interface RuleEvaluation {
  ruleId: string;
  type: Rule['type'];
  /** False for machine_learning rules and rules whose query cannot be compiled. */
  evaluable: boolean;
  fired: boolean;
  alerts: RuleAlert[];
  /** The base query's run (before the rule type's own logic). */
  query: QueryRun | null;
  notes: string[];
  error?: string;
}

export interface RuleEvalOptions {
  now?: number | string;
  /** The rule's query already parsed (`parseQuery(rule.language, rule.query)`): not parsed again. */
  parsed?: ParsedQuery;
  /** The caller never changes the events it evaluates (see `QueryOptions.immutableEvents`). */
  immutableEvents?: boolean;
}

/** The query options a rule implies. */
export function ruleQueryOptions(rule: Rule, opts: RuleEvalOptions = {}): QueryOptions {
  const o: QueryOptions = {};
  if (rule.timestampOverride) o.timestampField = rule.timestampOverride;
  if (rule.eventCategoryOverride) o.eventCategoryField = rule.eventCategoryOverride;
  if (rule.tiebreakerField) o.tiebreakerField = rule.tiebreakerField;
  if (opts.now !== undefined) o.now = opts.now;
  if (opts.immutableEvents) o.immutableEvents = true;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Kibana filters

function filterQueryPred(q: Record<string, unknown>, loc: Loc): Pred | string {
  const [kind, body] = Object.entries(q)[0] ?? [];
  if (kind === undefined || body === null || typeof body !== 'object') return 'empty filter query';
  const [field, spec] = Object.entries(body as Record<string, unknown>)[0] ?? [];
  if (field === undefined) return 'filter without a field';
  const path = fieldPath(field);
  const fam = staticFamily(field);
  switch (kind) {
    case 'wildcard': {
      const s = spec as { value?: unknown; wildcard?: unknown; case_insensitive?: unknown } | string;
      const value = typeof s === 'string' ? s : String(s.value ?? s.wildcard ?? '');
      const ci = typeof s === 'object' && s.case_insensitive === true;
      const m = compileWildcard(luceneWildcardTokens(value), ci);
      return valuesPred(path, field, (v) => {
        const k = keywordOf(v);
        return k !== null && m.test(k);
      }, loc, `matches ${JSON.stringify(value)}`);
    }
    case 'match_phrase':
    case 'match':
    case 'term': {
      const raw = typeof spec === 'object' && spec !== null ? ((spec as Record<string, unknown>).query ?? (spec as Record<string, unknown>).value) : spec;
      const op = operand(raw as string, Date.now());
      return valuesPred(path, field, (v) => equalsIn(fam ?? dynamicFamily(v), v, op), loc, `is ${JSON.stringify(raw)}`);
    }
    case 'exists':
      return valuesPred(fieldPath(String((body as { field?: unknown }).field)), String((body as { field?: unknown }).field), () => true, loc, 'exists');
    default:
      return `filter query kind ${kind} is not supported`;
  }
}

function valuesPred(path: ReturnType<typeof fieldPath>, field: string, one: (v: unknown) => boolean, loc: Loc, note: string): Pred {
  const test = (doc: unknown): boolean => fieldValues(doc, path).some(one);
  return {
    test,
    explain(doc) {
      const vals = fieldValues(doc, path);
      const ok = test(doc);
      return { kind: 'filter', loc, outcome: ok ? 'true' : vals.length === 0 ? 'missing' : 'false', field, values: vals.slice(0, 5), note };
    },
  };
}

const NO_LOC: Loc = { start: 0, end: 0 };

export interface CompiledFilter {
  /** The filter's query as a positive predicate (before `negate`). */
  pred: Pred;
  negate: boolean;
  field: string | null;
  /** Wildcard filters: the pattern's tokens and case-insensitivity. */
  wildcard?: { tokens: ReturnType<typeof luceneWildcardTokens>; ci: boolean };
  /** Phrase / term filters: the value. */
  value?: unknown;
}

/** The rule's enabled Kibana filters, each compiled (unsupported ones reported in `notes`). */
export function compileFilters(filters: readonly KibanaFilter[]): { filters: CompiledFilter[]; notes: string[] } {
  const out: CompiledFilter[] = [];
  const notes: string[] = [];
  for (const f of filters) {
    if (f.disabled) continue;
    let p: Pred | string;
    if (f.query) p = filterQueryPred(f.query, NO_LOC);
    else if (f.exists) p = valuesPred(fieldPath(f.exists.field), f.exists.field, () => true, NO_LOC, 'exists');
    else p = 'filter without a query';
    if (typeof p === 'string') {
      notes.push(`a filter was ignored: ${p}`);
      continue;
    }
    const cf: CompiledFilter = { pred: p, negate: f.negate, field: null };
    const q = f.query ?? {};
    const [kind, body] = Object.entries(q)[0] ?? [];
    if (body && typeof body === 'object') {
      const [field, spec] = Object.entries(body as Record<string, unknown>)[0] ?? [];
      if (kind === 'exists') cf.field = String((body as { field?: unknown }).field);
      else if (field !== undefined) {
        cf.field = field;
        if (kind === 'wildcard') {
          const sp = spec as { value?: unknown; wildcard?: unknown; case_insensitive?: unknown } | string;
          const value = typeof sp === 'string' ? sp : String(sp.value ?? sp.wildcard ?? '');
          cf.wildcard = { tokens: luceneWildcardTokens(value), ci: typeof sp === 'object' && sp.case_insensitive === true };
        } else {
          cf.value = typeof spec === 'object' && spec !== null ? ((spec as Record<string, unknown>).query ?? (spec as Record<string, unknown>).value) : spec;
        }
      }
    } else if (f.exists) cf.field = f.exists.field;
    out.push(cf);
  }
  return { filters: out, notes };
}

/** The rule's Kibana filters as one predicate (negated filters excluded, disabled ones skipped). */
export function filtersPred(filters: readonly KibanaFilter[]): { pred: Pred | null; notes: string[] } {
  const { filters: compiled, notes } = compileFilters(filters);
  const parts = compiled.map((f) => (f.negate ? notPred(f.pred, NO_LOC) : f.pred));
  return { pred: parts.length === 0 ? null : andPred(parts, NO_LOC), notes };
}

// ---------------------------------------------------------------------------------------------

function combos(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const l of lists) {
    const next: unknown[][] = [];
    for (const prefix of out) for (const v of l) next.push([...prefix, v]);
    out = next.slice(0, 1000);
  }
  return out;
}

function valuesOf(doc: unknown, field: string): unknown[] {
  return fieldValues(doc, fieldPath(field)).filter((v) => v === null || typeof v !== 'object');
}

export interface CompiledRule {
  rule: Rule;
  query: CompiledQuery | null;
  filters: Pred | null;
  threatQuery: CompiledQuery | null;
  notes: string[];
  error: string | null;
}

/** Compiles a rule's queries (null query for machine_learning). */
export function compileRule(rule: Rule, opts: RuleEvalOptions = {}): CompiledRule {
  const qopts = ruleQueryOptions(rule, opts);
  const { pred: filters, notes } = filtersPred(rule.filters);
  let query: CompiledQuery | null = null;
  let error: string | null = null;
  if (rule.query !== null && rule.language !== null) {
    const c = compileQuery(rule.language, rule.query, opts.parsed ? { ...qopts, parsed: opts.parsed } : qopts);
    if (c.ok) query = c.query;
    else error = c.error;
  }
  let threatQuery: CompiledQuery | null = null;
  if (rule.type === 'threat_match' && rule.threatMatch.query) {
    const c = compileQuery(rule.threatMatch.language ?? 'kuery', rule.threatMatch.query, { ...(opts.now !== undefined ? { now: opts.now } : {}) });
    if (c.ok) threatQuery = c.query;
    else notes.push(`the threat query does not compile: ${c.error}`);
  }
  return { rule, query, filters, threatQuery, notes, error };
}

/** Runs the query with the rule's filters: the events (input indexes) that match, in result order. */
export function baseRun(c: CompiledRule, events: readonly unknown[]): QueryRun | null {
  if (!c.query) return null;
  const run = c.query.run(events);
  if (!c.filters) return run;
  const f = c.filters;
  return { ...run, matches: run.matches.filter((m) => m.events.every((i) => f.test(events[i]))) };
}

/** Evaluates a rule over an input. */
export function evaluateRule(rule: Rule, input: RuleInput, opts: RuleEvalOptions = {}): RuleEvaluation {
  return evaluateCompiledRule(compileRule(rule, opts), input);
}

export function evaluateCompiledRule(c: CompiledRule, input: RuleInput): RuleEvaluation {
  const rule = c.rule;
  const base = { ruleId: rule.id, type: rule.type };
  if (rule.type === 'machine_learning') {
    const jobs = rule.machineLearning.jobIds;
    return {
      ...base,
      evaluable: false,
      fired: false,
      alerts: [],
      query: null,
      notes: [`machine learning rules are not evaluable here: they alert on anomalies (score ≥ ${rule.machineLearning.anomalyThreshold ?? '?'}) found by the anomaly-detection job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ')}`],
    };
  }
  const all = [...input.events, ...(input.history ?? []), ...(input.indicators ?? [])];
  const problem = checkEvents(all, DEFAULT_LIMITS);
  if (problem !== null) return { ...base, evaluable: false, fired: false, alerts: [], query: null, notes: [], error: problem };
  if (c.error !== null || !c.query) return { ...base, evaluable: false, fired: false, alerts: [], query: null, notes: c.notes, error: c.error ?? 'the rule has no query' };
  const run = baseRun(c, input.events) as QueryRun;
  const notes = [...c.notes, ...run.notes];
  let alerts: RuleAlert[];
  switch (rule.type) {
    case 'query':
    case 'eql':
    case 'esql':
      alerts = run.matches.map((m) => ({ events: m.events, ...(m.row ? { group: m.row } : {}) }));
      break;
    case 'threshold':
      alerts = threshold(rule, run, input.events);
      break;
    case 'new_terms':
      alerts = newTerms(rule, c, run, input);
      break;
    case 'threat_match':
      alerts = threatMatch(rule, c, run, input);
      break;
  }
  return { ...base, evaluable: true, fired: alerts.length > 0, alerts, query: run, notes };
}

function threshold(rule: Extract<Rule, { type: 'threshold' }>, run: QueryRun, events: readonly unknown[]): RuleAlert[] {
  const t = rule.threshold;
  const groups = new Map<string, { values: unknown[]; events: number[] }>();
  for (const m of run.matches) {
    const idx = m.events[0] as number;
    const doc = events[idx];
    const lists = t.fields.map((f) => valuesOf(doc, f));
    if (lists.some((l) => l.length === 0)) continue;
    for (const combo of combos(lists)) {
      const k = JSON.stringify(combo);
      let g = groups.get(k);
      if (!g) {
        g = { values: combo, events: [] };
        groups.set(k, g);
      }
      g.events.push(idx);
    }
  }
  const value = t.value ?? 1;
  const out: RuleAlert[] = [];
  for (const g of groups.values()) {
    if (g.events.length < value) continue;
    const group: Record<string, unknown> = {};
    t.fields.forEach((f, i) => (group[f] = g.values[i]));
    let ok = true;
    for (const card of t.cardinality) {
      const distinct = new Set<string>();
      for (const i of g.events) for (const v of valuesOf(events[i], card.field)) distinct.add(JSON.stringify(v));
      group[`cardinality(${card.field})`] = distinct.size;
      if (distinct.size < card.value) ok = false;
    }
    group.count = g.events.length;
    if (ok) out.push({ events: g.events, group, note: `${g.events.length} events ≥ ${value}` });
  }
  return out;
}

function newTerms(rule: Extract<Rule, { type: 'new_terms' }>, c: CompiledRule, run: QueryRun, input: RuleInput): RuleAlert[] {
  const fields = rule.newTerms.fields;
  const seen = new Set<string>();
  const history = input.history ?? [];
  if (history.length > 0 && c.query) {
    const h = baseRun(c, history) as QueryRun;
    for (const m of h.matches) {
      const doc = history[m.events[0] as number];
      for (const combo of combos(fields.map((f) => valuesOf(doc, f)))) seen.add(JSON.stringify(combo));
    }
  }
  const out: RuleAlert[] = [];
  for (const m of run.matches) {
    const idx = m.events[0] as number;
    const doc = input.events[idx];
    const lists = fields.map((f) => valuesOf(doc, f));
    if (lists.some((l) => l.length === 0)) continue;
    for (const combo of combos(lists)) {
      const k = JSON.stringify(combo);
      if (seen.has(k)) continue;
      seen.add(k);
      const group: Record<string, unknown> = {};
      fields.forEach((f, i) => (group[f] = combo[i]));
      out.push({ events: [idx], group, note: 'new terms' });
    }
  }
  return out;
}

function threatMatch(rule: Extract<Rule, { type: 'threat_match' }>, c: CompiledRule, run: QueryRun, input: RuleInput): RuleAlert[] {
  const indicators = input.indicators ?? [];
  let usable: number[] = indicators.map((_, i) => i);
  if (c.threatQuery) usable = c.threatQuery.run(indicators).matches.map((m) => m.events[0] as number).sort((a, b) => a - b);
  const groups = rule.threatMatch.mappings.map((g) => g.entries);
  const out: RuleAlert[] = [];
  for (const m of run.matches) {
    const idx = m.events[0] as number;
    const doc = input.events[idx];
    const hits: number[] = [];
    for (const ii of usable) {
      const ind = indicators[ii];
      const ok = groups.some((entries) =>
        entries.length > 0 &&
        entries.every((e) => {
          const evVals = valuesOf(doc, e.field);
          const indVals = valuesOf(ind, e.value);
          const fam = staticFamily(e.field);
          return evVals.some((v) => indVals.some((w) => w !== null && equalsIn(fam ?? dynamicFamily(v), v, operand(w as string | number | boolean, Date.now()))));
        }),
      );
      if (ok) hits.push(ii);
    }
    if (hits.length > 0) out.push({ events: [idx], indicators: hits, note: `matches indicator${hits.length === 1 ? '' : 's'} ${hits.join(', ')}` });
  }
  return out;
}

/** Traces of one event against the rule's query (and filters). */
export function explainRuleEvent(c: CompiledRule, doc: unknown): TraceNode[] {
  const out = c.query ? c.query.explain(doc) : [];
  if (c.filters) out.push(c.filters.explain(doc));
  return out;
}

