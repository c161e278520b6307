/**
 * Example inputs for a rule, synthesised from its query's AST: an input the rule matches (an
 * event; a sequence with shared join keys and timestamps inside `maxspan`; enough events for a
 * threshold; history for new_terms; indicators for threat_match) and a near miss: the same input
 * with one exclusion triggered (a `not …` conjunct, or a negated Kibana filter, made true), or,
 * when the rule has no exclusion that can be triggered, a required predicate broken.
 *
 * Every example is verified with the evaluator (`evaluateCompiledRule`): an example is returned
 * only when the rule fires on it, a near miss only when it does not.
 */
import type { Rule } from '../../model/rule';
import type { Category, EqlQuery, Expr, Stage } from '../../lang/eql/ast';
import { parseQuery, type ParsedQuery } from '../../lang';
import type { Lang } from '../automaton';
import { DEFAULT_CATEGORY_FIELD, DEFAULT_TIMESTAMP_FIELD } from '../events';
import { compileRule, compileFilters, evaluateCompiledRule, baseRun, type CompiledRule, type RuleInput } from '../rules';
import { andPred, type Pred } from '../trace';
import { wildcardLanguage } from '../wildcard';
import { unicodeCaseInsensitive } from '../automaton';
import { literalLang, EqlLowering, KqlLowering, LuceneLowering } from './lower';
import { ABSENT, buildDoc, setPath, withPath, type Assigned } from './build';
import { andF, AtomFactory, conjuncts, notF, type Formula, type Literal } from './formula';
import { searchFormula, type Solution } from './solve';
import { esqlExamples } from './esql';
import { EVAL_COST, SYNTHESIS_WORK_BUDGET, spend, withWorkBudget, WorkBudgetExceeded } from './work';

export interface RuleExamples {
  /** An input the rule fires on. */
  example: RuleInput;
  /** The same input with one change the rule does not fire on (null when none was found). */
  nearMiss: RuleInput | null;
  /** What the near miss changes. */
  nearMissNote: string;
  notes: string[];
}

export type SynthesisResult =
  | { ok: true; examples: RuleExamples }
  /** `overBudget`: synthesis gave up at its work budget (the site lets the browser make it). */
  | { ok: false; reason: string; partial?: Partial<RuleExamples>; overBudget?: true };

export interface SynthesisOptions {
  /** Reference time (epoch ms); default: now. Example timestamps are just before it. */
  now?: number;
  /** Search budget per formula. */
  budget?: number;
  /** Work units the whole synthesis may spend (default `SYNTHESIS_WORK_BUDGET`; see work.ts). */
  workBudget?: number;
}

interface Ctx {
  rule: Rule;
  /** The rule's query, parsed once (null: the rule has none). */
  parsed: ParsedQuery | null;
  c: CompiledRule;
  now: number;
  tsField: string;
  budget: number;
  F: AtomFactory;
}

function fired(c: CompiledRule, input: RuleInput): boolean {
  spend(EVAL_COST * (1 + input.events.length + (input.history?.length ?? 0) + (input.indicators?.length ?? 0)));
  const r = evaluateCompiledRule(c, input);
  return r.fired;
}

function queryMatches(c: CompiledRule, events: readonly unknown[]): boolean {
  spend(EVAL_COST * (1 + events.length));
  const r = baseRun(c, events);
  return r !== null && r.matches.length > 0;
}

function withTs(doc: Record<string, unknown>, tsField: string, ms: number): Record<string, unknown> {
  return withPath(doc, tsField, new Date(ms).toISOString());
}

/** Negative literals of the rule's Kibana filters (and positive ones for non-negated filters). */
function filterFormula(ctx: Ctx): Formula[] {
  const { filters } = compileFilters(ctx.rule.filters);
  const out: Formula[] = [];
  for (const f of filters) {
    const field = f.field;
    const wild = f.wildcard;
    const atom = ctx.F.make({
      field,
      fields: field ? [field] : [],
      pred: f.pred,
      loc: { start: 0, end: 0 },
      label: `filter on ${field ?? '?'}`,
      ...(field ? { test: (v: unknown) => f.pred.test(buildDoc(new Map([[field, v]]))) } : {}),
      ...(wild ? { lang: (L: Lang) => wildcardLanguage(L, wild.tokens, wild.ci, (cp) => unicodeCaseInsensitive([cp, cp])) } : {}),
      ...(f.value !== undefined ? { candidates: [f.value], lang: (L: Lang) => literalLang(L, String(f.value), false) } : {}),
    });
    out.push({ t: 'lit', atom, neg: f.negate });
  }
  return out;
}

/** Fields a formula reads. */
function fieldsOf(f: Formula, out = new Set<string>()): Set<string> {
  switch (f.t) {
    case 'lit':
      for (const x of f.atom.fields) out.add(x);
      break;
    case 'and':
    case 'or':
      f.xs.forEach((x) => fieldsOf(x, out));
      break;
    default:
      break;
  }
  return out;
}

function allNegative(f: Formula): boolean {
  switch (f.t) {
    case 'lit':
      return f.neg;
    case 'and':
    case 'or':
      return f.xs.every(allNegative);
    default:
      return false;
  }
}

/** Conjuncts that exclude something (every literal in them negated): `not …`, `!=`, negated filters. */
function exclusions(f: Formula): Formula[] {
  return conjuncts(f).filter(allNegative);
}

/** Top-level positive literals (required predicates). */
function required(f: Formula): Literal[] {
  return conjuncts(f).flatMap((c) => (c.t === 'lit' && !c.neg ? [{ atom: c.atom, neg: false }] : []));
}

/** Solves `f` into a document; `accept` checks the document (with its timestamp). */
function solveDoc(
  ctx: Ctx,
  f: Formula,
  accept: (doc: Record<string, unknown>) => boolean,
  opts: { fixed?: Map<string, Assigned>; avoid?: Map<string, unknown[]> } = {},
): { doc: Record<string, unknown>; sol: Solution } | null {
  let doc: Record<string, unknown> | null = null;
  const sol = searchFormula(
    f,
    ctx.now,
    (s) => {
      const d = buildDoc(s.assign);
      if (!accept(d)) return false;
      doc = d;
      return true;
    },
    { budget: ctx.budget, ...(opts.fixed ? { fixed: opts.fixed } : {}), ...(opts.avoid ? { avoid: opts.avoid } : {}) },
  );
  return sol && doc ? { doc, sol } : null;
}

/**
 * A variant of `sol` where `x` holds: the literals of `x` plus the example's own literals on the
 * same fields where possible, the other fields unchanged.
 */
function trigger(ctx: Ctx, sol: Solution, x: Formula, accept: (doc: Record<string, unknown>) => boolean): Record<string, unknown> | null {
  const touched = fieldsOf(x);
  const fixed = new Map<string, Assigned>();
  for (const [k, v] of sol.assign) if (!touched.has(k)) fixed.set(k, v);
  const keep = sol.literals.filter((l) => l.atom.field !== null && touched.has(l.atom.field) && !l.neg).map((l): Formula => ({ t: 'lit', atom: l.atom, neg: false }));
  for (const f of [andF([x, ...keep]), x]) {
    const r = solveDoc(ctx, f, accept, { fixed });
    if (r) return r.doc;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Single-event queries (EQL event queries, KQL, Lucene)

function eventFormula(ctx: Ctx): Formula | string {
  const rule = ctx.rule;
  const parsed = ctx.parsed;
  if (rule.query === null || rule.language === null || parsed === null) return 'the rule has no query';
  if (!parsed.ok) return `the query does not parse: ${parsed.error.message}`;
  const q = parsed.query;
  const lowerCtx = { F: ctx.F, now: ctx.now };
  let f: Formula;
  switch (q.language) {
    case 'eql': {
      if (q.ast.kind !== 'EventQuery') return 'not an event query';
      const l = new EqlLowering(lowerCtx);
      f = andF([l.category(q.ast.category, rule.eventCategoryOverride ?? DEFAULT_CATEGORY_FIELD), l.lower(q.ast.condition)]);
      break;
    }
    case 'kuery':
      f = new KqlLowering(lowerCtx).lower(q.ast);
      break;
    case 'lucene':
      f = new LuceneLowering(lowerCtx).lower(q.ast);
      break;
    case 'esql':
      return 'ES|QL examples are built by esql-examples';
  }
  return andF([f, ...filterFormula(ctx)]);
}

interface Shaped {
  input: RuleInput;
  /** Rebuilds the input with each event document replaced (for near misses). */
  rebuild: (map: (doc: Record<string, unknown>, i: number) => Record<string, unknown>) => RuleInput;
}

/** Turns one matching event into the rule type's input (threshold copies, history, indicators). */
function shapeForType(ctx: Ctx, f: Formula, doc: Record<string, unknown>, sol: Solution): Shaped | string {
  const rule = ctx.rule;
  const t0 = ctx.now - 60_000;
  const base = (docs: Record<string, unknown>[], extra: Partial<RuleInput> = {}): Shaped => {
    const stamped = docs.map((d, i) => withTs(d, ctx.tsField, t0 + i * 1000));
    return {
      input: { events: stamped, ...extra },
      rebuild: (map) => ({ events: docs.map((d, i) => withTs(map(d, i), ctx.tsField, t0 + i * 1000)), ...extra }),
    };
  };
  switch (rule.type) {
    case 'query':
    case 'eql':
    case 'esql':
      return base([doc]);
    case 'threshold': {
      const t = rule.threshold;
      const n = Math.max(1, t.value ?? 1, ...t.cardinality.map((c) => c.value));
      const docs: Record<string, unknown>[] = [doc];
      const fixed = new Map<string, Assigned>();
      for (const fld of t.fields) fixed.set(fld, sol.assign.get(fld) as Assigned);
      const used = new Map<string, unknown[]>(t.cardinality.map((c) => [c.field, [sol.assign.get(c.field)]]));
      for (let i = 1; i < n; i++) {
        if (t.cardinality.length === 0) {
          docs.push(doc);
          continue;
        }
        const r = solveDoc(ctx, f, (d) => queryMatches(ctx.c, [withTs(d, ctx.tsField, t0)]), { fixed, avoid: used });
        if (!r) return `could not vary ${t.cardinality.map((c) => c.field).join(', ')} for the cardinality`;
        docs.push(r.doc);
        for (const c of t.cardinality) (used.get(c.field) as unknown[]).push(r.sol.assign.get(c.field));
      }
      return base(docs);
    }
    case 'new_terms': {
      const fields = rule.newTerms.fields;
      const fixed = new Map<string, Assigned>();
      for (const [k, v] of sol.assign) if (!fields.includes(k)) fixed.set(k, v);
      const avoid = new Map<string, unknown[]>(fields.map((fl) => [fl, [sol.assign.get(fl)]]));
      const h = solveDoc(ctx, f, (d) => queryMatches(ctx.c, [withTs(d, ctx.tsField, t0)]), { fixed, avoid });
      const history = h ? [withTs(h.doc, ctx.tsField, t0 - 86_400_000)] : [];
      return base([doc], { history });
    }
    case 'threat_match': {
      const groups = rule.threatMatch.mappings.map((g) => g.entries).filter((e) => e.length > 0);
      const g = groups[0];
      if (!g) return 'the rule has no threat mapping';
      const indicator: Record<string, unknown> = {};
      for (const e of g) {
        const v = sol.assign.get(e.field);
        if (v === undefined || v === ABSENT) return `the event has no ${e.field}`;
        setPath(indicator, e.value, Array.isArray(v) ? v[0] : v);
      }
      const ind = threatIndicator(ctx, indicator);
      return base([doc], { indicators: [ind] });
    }
    case 'machine_learning':
      return 'machine learning rules have no query';
  }
}

function threatIndicator(ctx: Ctx, mapped: Record<string, unknown>): Record<string, unknown> {
  const rule = ctx.rule;
  const stamped = withTs(mapped, '@timestamp', ctx.now - 3_600_000);
  if (rule.type !== 'threat_match' || !rule.threatMatch.query || !ctx.c.threatQuery) return stamped;
  const parsed = parseQuery(rule.threatMatch.language ?? 'kuery', rule.threatMatch.query);
  if (!parsed.ok) return stamped;
  const lowerCtx = { F: ctx.F, now: ctx.now };
  const f = parsed.query.language === 'kuery' ? new KqlLowering(lowerCtx).lower(parsed.query.ast) : parsed.query.language === 'lucene' ? new LuceneLowering(lowerCtx).lower(parsed.query.ast) : null;
  if (!f) return stamped;
  const fixed = new Map<string, Assigned>();
  const flat = (o: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(o)) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) flat(v as Record<string, unknown>, `${prefix}${k}.`);
      else fixed.set(`${prefix}${k}`, v);
    }
  };
  flat(mapped, '');
  fixed.delete('@timestamp');
  const tq = ctx.c.threatQuery;
  const r = solveDoc(ctx, f, (d) => tq.run([withTs(d, '@timestamp', ctx.now - 3_600_000)]).matches.length > 0, { fixed });
  return r ? withTs(r.doc, '@timestamp', ctx.now - 3_600_000) : stamped;
}

/** Forces the fields the rule type needs to have a value (group-by, new terms, mappings). */
function requiredFields(rule: Rule): string[] {
  switch (rule.type) {
    case 'threshold':
      return [...rule.threshold.fields, ...rule.threshold.cardinality.map((c) => c.field)];
    case 'new_terms':
      return rule.newTerms.fields;
    case 'threat_match':
      return rule.threatMatch.mappings[0]?.entries.map((e) => e.field) ?? [];
    default:
      return [];
  }
}

function singleEventExamples(ctx: Ctx, f: Formula): SynthesisResult {
  const rule = ctx.rule;
  const t0 = ctx.now - 60_000;
  const avoid = new Map<string, unknown[]>(requiredFields(rule).map((x) => [x, []]));
  const first = solveDoc(ctx, f, (d) => queryMatches(ctx.c, [withTs(d, ctx.tsField, t0)]), { avoid });
  if (!first) return { ok: false, reason: 'no event satisfying the query was found' };
  const shaped = shapeForType(ctx, f, first.doc, first.sol);
  if (typeof shaped === 'string') return { ok: false, reason: shaped };
  if (!fired(ctx.c, shaped.input)) return { ok: false, reason: 'the synthesised input does not make the rule fire', partial: { example: shaped.input } };
  const notes: string[] = [];
  // Near miss: trigger an exclusion…
  const qAccept = (d: Record<string, unknown>): boolean => !queryMatches(ctx.c, [withTs(d, ctx.tsField, t0)]);
  for (const x of exclusions(f)) {
    const d = trigger(ctx, first.sol, notF(x), qAccept);
    if (!d) continue;
    const input = shaped.rebuild(() => d);
    if (!fired(ctx.c, input)) return { ok: true, examples: { example: shaped.input, nearMiss: input, nearMissNote: `exclusion triggered: ${describe(x)}`, notes } };
  }
  // …or break a required predicate.
  for (const lit of required(f)) {
    const field = lit.atom.field;
    if (field === null) continue;
    const broken = trigger(ctx, first.sol, { t: 'lit', atom: lit.atom, neg: true }, qAccept);
    if (!broken) continue;
    const input = shaped.rebuild(() => broken);
    if (!fired(ctx.c, input)) return { ok: true, examples: { example: shaped.input, nearMiss: input, nearMissNote: `required predicate broken: ${lit.atom.label}`, notes } };
  }
  // …or break a whole conjunct (every branch of an OR).
  for (const cj of conjuncts(f)) {
    if (cj.t === 'lit' || cj.t === 'const') continue;
    const broken = trigger(ctx, first.sol, notF(cj), qAccept);
    if (!broken) continue;
    const input = shaped.rebuild(() => broken);
    if (!fired(ctx.c, input)) return { ok: true, examples: { example: shaped.input, nearMiss: input, nearMissNote: `required condition broken: ${describe(cj)}`, notes } };
  }
  const typed = typeNearMiss(ctx, shaped);
  if (typed) return { ok: true, examples: { example: shaped.input, nearMiss: typed.input, nearMissNote: typed.note, notes } };
  return { ok: false, reason: 'no near miss was found', partial: { example: shaped.input } };
}

/** Near misses the rule type offers when the query has none (fewer events, known terms, no indicator). */
function typeNearMiss(ctx: Ctx, shaped: Shaped): { input: RuleInput; note: string } | null {
  const rule = ctx.rule;
  const tries: { input: RuleInput; note: string }[] = [];
  if (rule.type === 'threshold' && shaped.input.events.length > 1) tries.push({ input: { ...shaped.input, events: shaped.input.events.slice(1) }, note: 'one event fewer than the threshold' });
  if (rule.type === 'new_terms') tries.push({ input: { ...shaped.input, history: [...(shaped.input.history ?? []), ...shaped.input.events] }, note: 'the history already has these terms' });
  if (rule.type === 'threat_match') tries.push({ input: { ...shaped.input, indicators: [] }, note: 'no indicator matches' });
  for (const t of tries) if (!fired(ctx.c, t.input)) return t;
  return null;
}

function describe(f: Formula): string {
  const labels: string[] = [];
  const walk = (x: Formula): void => {
    if (x.t === 'lit') labels.push(x.atom.label);
    else if (x.t === 'and' || x.t === 'or') x.xs.forEach(walk);
  };
  walk(f);
  return labels.slice(0, 3).join(', ') + (labels.length > 3 ? ', …' : '');
}

// ---------------------------------------------------------------------------------------------
// Sequences and samples

interface StageInfo {
  stage: Stage;
  formula: Formula;
  pred: Pred;
  /** Join key fields, by position (sequence-level first). */
  keys: string[];
}

function stageInfos(ctx: Ctx, ast: Extract<EqlQuery, { kind: 'Sequence' | 'Sample' }>): { positives: StageInfo[]; negatives: Pred[] } | string {
  const l = new EqlLowering({ F: ctx.F, now: ctx.now });
  const catField = ctx.rule.eventCategoryOverride ?? DEFAULT_CATEGORY_FIELD;
  const keyName = (e: Expr): string | null => (e.kind === 'Field' ? e.name : null);
  const seqKeys = ast.by.map(keyName);
  if (seqKeys.some((k) => k === null)) return 'a join key is not a field';
  const info = (s: Stage): StageInfo | string => {
    const keys = [...seqKeys, ...s.by.map(keyName)];
    if (keys.some((k) => k === null)) return 'a join key is not a field';
    const catF = l.category(s.category as Category, catField);
    const formula = andF([catF, l.lower(s.condition)]);
    const catPred = catF.t === 'lit' ? catF.atom.pred : null;
    const condPred = l.c.pred(s.condition);
    const pred = catPred ? andPred([catPred, condPred], s.loc) : condPred;
    return { stage: s, formula, pred, keys: keys as string[] };
  };
  const positives: StageInfo[] = [];
  const negatives: Pred[] = [];
  for (const s of ast.stages) {
    const i = info(s);
    if (typeof i === 'string') return i;
    if (s.missing) negatives.push(i.pred);
    else positives.push(i);
  }
  if (ast.kind === 'Sequence' && ast.until) {
    const i = info(ast.until);
    if (typeof i === 'string') return i;
    negatives.push(i.pred);
  }
  return { positives, negatives };
}

function sequenceExamples(ctx: Ctx, ast: Extract<EqlQuery, { kind: 'Sequence' | 'Sample' }>): SynthesisResult {
  const infos = stageInfos(ctx, ast);
  if (typeof infos === 'string') return { ok: false, reason: infos };
  const { positives, negatives } = infos;
  const nKeys = positives[0]?.keys.length ?? 0;
  const runsOf = (s: Stage): number => (ast.kind === 'Sequence' ? (s.runs ?? 1) : 1);
  const count = positives.reduce((a, p) => a + runsOf(p.stage), 0);
  const maxspan = ast.kind === 'Sequence' && ast.maxspan ? ast.maxspan.millis : null;
  const step = maxspan !== null ? Math.max(1, Math.floor(maxspan / (count + 1))) : 1000;
  const t0 = ctx.now - 60_000 - step * (count + 1);
  const stageAccept = (info: StageInfo, strict: boolean) => (d: Record<string, unknown>): boolean => {
    if (!info.pred.test(d)) return false;
    return !strict || negatives.every((n) => !n.test(d));
  };
  // Solve each stage with its key fields present, then align the keys on the first stage's values.
  const solveStage = (info: StageInfo, fixed: Map<string, Assigned>): { doc: Record<string, unknown>; sol: Solution } | null => {
    const avoid = new Map<string, unknown[]>(info.keys.filter((k) => !fixed.has(k)).map((k) => [k, []]));
    return solveDoc(ctx, info.formula, stageAccept(info, true), { fixed, avoid }) ?? solveDoc(ctx, info.formula, stageAccept(info, false), { fixed, avoid });
  };
  const independent = positives.map((p) => solveStage(p, new Map()));
  if (independent.some((x) => x === null)) {
    const bad = independent.findIndex((x) => x === null);
    return { ok: false, reason: `no event satisfies stage ${bad + 1}` };
  }
  const attempt = (keyValues: unknown[]): { docs: Record<string, unknown>[]; sols: Solution[] } | null => {
    const docs: Record<string, unknown>[] = [];
    const sols: Solution[] = [];
    for (const p of positives) {
      const fixed = new Map<string, Assigned>();
      p.keys.forEach((k, j) => fixed.set(k, keyValues[j] as Assigned));
      const r = solveStage(p, fixed);
      if (!r) return null;
      docs.push(r.doc);
      sols.push(r.sol);
    }
    return { docs, sols };
  };
  let solved: { docs: Record<string, unknown>[]; sols: Solution[] } | null = null;
  for (const src of independent) {
    const kv = Array.from({ length: nKeys }, (_, j) => src!.sol.assign.get(positives[independent.indexOf(src)]!.keys[j] as string));
    solved = attempt(kv);
    if (solved) break;
  }
  if (!solved) return { ok: false, reason: 'the stages cannot share join key values' };
  const build = (docs: Record<string, unknown>[], span = step): RuleInput => {
    const events: Record<string, unknown>[] = [];
    let i = 0;
    positives.forEach((p, k) => {
      for (let r = 0; r < runsOf(p.stage); r++) events.push(withTs(docs[k] as Record<string, unknown>, ctx.tsField, t0 + (i++) * span));
    });
    return { events };
  };
  const example = build(solved.docs);
  if (!fired(ctx.c, example)) return { ok: false, reason: 'the synthesised sequence does not make the rule fire', partial: { example } };
  const notes: string[] = [];
  // Near miss: an exclusion of a stage triggered in that stage's events.
  for (let k = 0; k < positives.length; k++) {
    const p = positives[k] as StageInfo;
    for (const x of exclusions(p.formula)) {
      const d = trigger(ctx, solved.sols[k] as Solution, notF(x), (doc) => !p.pred.test(doc));
      if (!d) continue;
      const docs = solved.docs.slice();
      docs[k] = d;
      const input = build(docs);
      if (!fired(ctx.c, input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: `stage ${k + 1}: exclusion triggered: ${describe(x)}`, notes } };
    }
  }
  // …or the last event too late (maxspan), or a join key that differs, or a required predicate broken.
  if (maxspan !== null && count > 1) {
    const input = build(solved.docs, Math.ceil(maxspan / Math.max(1, count - 1)) + 1000);
    if (!fired(ctx.c, input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: 'the events are further apart than maxspan', notes } };
  }
  if (nKeys > 0 && positives.length > 1) {
    const last = positives.length - 1;
    const p = positives[last] as StageInfo;
    const fixed = new Map<string, Assigned>();
    p.keys.forEach((key, j) => fixed.set(key, j === 0 ? differentValue(solved!.sols[last]!.assign.get(key)) : (solved!.sols[last]!.assign.get(key) as Assigned)));
    const r = solveDoc(ctx, p.formula, stageAccept(p, false), { fixed });
    if (r) {
      const docs = solved.docs.slice();
      docs[last] = r.doc;
      const input = build(docs);
      if (!fired(ctx.c, input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: `stage ${last + 1} has a different ${p.keys[0]}`, notes } };
    }
  }
  for (let k = positives.length - 1; k >= 0; k--) {
    const p = positives[k] as StageInfo;
    for (const lit of required(p.formula)) {
      const broken = trigger(ctx, solved.sols[k] as Solution, { t: 'lit', atom: lit.atom, neg: true }, (doc) => !p.pred.test(doc));
      if (!broken) continue;
      const docs = solved.docs.slice();
      docs[k] = broken;
      const input = build(docs);
      if (!fired(ctx.c, input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: `stage ${k + 1}: required predicate broken: ${lit.atom.label}`, notes } };
    }
  }
  return { ok: false, reason: 'no near miss was found', partial: { example } };
}

function differentValue(v: unknown): Assigned {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'string') {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(v);
    if (m) return `${m[1]}.${m[2]}.${m[3]}.${(Number(m[4]) + 1) % 255}`;
    return `${v}-other`;
  }
  if (typeof v === 'boolean') return !v;
  return 'other-value';
}

// ---------------------------------------------------------------------------------------------

/**
 * Synthesises an example input and a near miss for a rule (ES|QL rules: see esql.ts). Past its
 * work budget (a count, not a clock: the outcome depends only on the rule) it gives up with
 * `overBudget`.
 */
export function synthesizeExamples(rule: Rule, opts: SynthesisOptions = {}): SynthesisResult {
  const limit = opts.workBudget ?? SYNTHESIS_WORK_BUDGET;
  try {
    return withWorkBudget(limit, () => synthesize(rule, opts));
  } catch (e) {
    if (e instanceof WorkBudgetExceeded) return { ok: false, reason: `${OVER_BUDGET_REASON} (${e.limit} work units)`, overBudget: true };
    throw e;
  }
}

/** The reason of a synthesis that gave up at its work budget. */
export const OVER_BUDGET_REASON = 'making an example needs more work than the synthesis budget allows';

function synthesize(rule: Rule, opts: SynthesisOptions): SynthesisResult {
  if (rule.type === 'machine_learning') return { ok: false, reason: `machine learning rules are not evaluable (jobs: ${rule.machineLearning.jobIds.join(', ')})` };
  const now = opts.now ?? Date.now();
  // The query is parsed once, for the evaluator and the synthesiser.
  const parsed = rule.query !== null && rule.language !== null ? parseQuery(rule.language, rule.query) : null;
  // Synthesis never changes an event once evaluated (ES|QL reuses the rows of repeated events).
  const c = compileRule(rule, parsed ? { now, parsed, immutableEvents: true } : { now, immutableEvents: true });
  if (c.error !== null) return { ok: false, reason: c.error };
  if (rule.language === 'esql') return esqlExamples(rule, now, opts.budget ?? 3000, { compiled: c, ...(parsed?.ok && parsed.query.language === 'esql' ? { ast: parsed.query.ast } : {}) });
  const ctx: Ctx = { rule, parsed, c, now, tsField: rule.timestampOverride ?? DEFAULT_TIMESTAMP_FIELD, budget: opts.budget ?? 3000, F: new AtomFactory() };
  if (rule.language === 'eql' && rule.query !== null && parsed !== null) {
    if (!parsed.ok) return { ok: false, reason: 'the query does not parse' };
    if (parsed.query.language === 'eql' && parsed.query.ast.kind !== 'EventQuery') return sequenceExamples(ctx, parsed.query.ast);
  }
  const f = eventFormula(ctx);
  if (typeof f === 'string') return { ok: false, reason: f };
  return singleEventExamples(ctx, f);
}
