/**
 * Seeded fuzzing of the evaluator (src/eval), shared by the `npm test` run
 * (test/hostile/eval-fuzz.test.ts, 5,000 cases) and the benchmark (scripts/bench/fuzz.ts,
 * 100,000 and more).
 *
 * A case is one language (EQL, KQL, Lucene, ES|QL, in turn), one query and a few events:
 * - the query is generated (random predicates, boolean nesting, EQL sequences and samples with
 *   `by`, `maxspan`, `until` and pipes, ES|QL pipelines with EVAL, STATS, SORT, LIMIT, KEEP;
 *   hostile regex shapes like `(a+)+$` and long `*?*?…` wildcards among the patterns), or taken
 *   from the evaluation case tables (test/cases/eval-*.toml) and the example content, or one of
 *   those damaged by `mutate` (test/helpers/fuzz.ts);
 * - the events are random documents over the fields the query names, with the query's own
 *   literals among the values (so that predicates hold often enough to drive sequences), plus
 *   the case tables' events, with nested and dotted keys, arrays, nulls, numbers, IPs, dates and
 *   long strings of `a` (the input that makes backtracking regex engines explode).
 *
 * `runCase` compiles the query, runs it over the events and explains the first event; a rule
 * case does the same through `evaluateRule` for a content rule (threshold, new_terms,
 * threat_match with history and indicators). Nothing may throw; each case is timed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-toml';
import { compileQuery } from '../../src/eval';
import { synthesizeExamples } from '../../src/eval/examples/index';
import { evaluateRule, type RuleInput } from '../../src/eval/rules';
import type { QueryLanguage, Rule } from '../../src/model/rule';
import { mutate } from '../helpers/fuzz';
import { prng, projectRoot } from '../helpers/shared';

export const LANGUAGES: QueryLanguage[] = ['eql', 'kuery', 'lucene', 'esql'];
const NOW = Date.parse('2025-01-01T00:00:00Z');

type Rand = () => number;

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

const FIELDS = ['process.name', 'process.args', 'process.command_line', 'process.pid', 'host.id', 'host.name', 'user.name', 'source.ip', 'destination.port', 'event.action', 'event.category', 'file.path', 'message', 'tags', '@timestamp'];
const WORDS = ['cmd.exe', 'powershell.exe', 'a', 'Aa', 'x y', '', 'é', '\u{1F525}', 'C:\\Windows\\x.exe', '/bin/sh', 'start', 'process', 'network', '10.0.0.1', '2001:db8::1', '*', '?', '\\', '"'];
/** Patterns with the shapes that make backtracking engines take exponential time. */
export const HOSTILE_REGEX = ['(a+)+$', '(a|aa)+b', '(.*a){12}', '((a*)*)*b', '(a|a?)+c', '([a-z]+)*[0-9]', '(x+x+)+y', '.*.*.*.*.*=.*', 'a{0,1000}a{1000}'];
export const HOSTILE_WILDCARD = ['*?'.repeat(200) + 'x', '*a'.repeat(30) + '*b', '?'.repeat(300), '*'.repeat(500)];
const longA = (r: Rand): string => 'a'.repeat(20 + int(r, 3000)) + pick(r, ['!', 'b', '', 'x']);

function word(r: Rand, lits: string[]): string {
  const x = r();
  if (lits.length > 0 && x < 0.45) return pick(r, lits);
  if (x < 0.55) return longA(r);
  if (x < 0.6) return pick(r, HOSTILE_WILDCARD);
  return pick(r, WORDS);
}

function value(r: Rand, lits: string[], depth = 0): unknown {
  const x = r();
  if (x < 0.55) return word(r, lits);
  if (x < 0.65) return int(r, 70_000) - 100;
  if (x < 0.7) return r() * 1e6;
  if (x < 0.74) return r() < 0.5;
  if (x < 0.78) return null;
  if (x < 0.82) return new Date(NOW - int(r, 1e9)).toISOString();
  if (x < 0.92 && depth < 2) return Array.from({ length: int(r, 4) }, () => value(r, lits, depth + 1));
  if (depth < 2) return { a: value(r, lits, depth + 1) };
  return '';
}

function setPath(doc: Record<string, unknown>, path: string, v: unknown, dotted: boolean): void {
  if (dotted) {
    doc[path] = v;
    return;
  }
  const parts = path.split('.');
  let o = doc;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1] as string] = v;
}

/** Literals and dotted field names a query text mentions (roughly: enough to aim events at it). */
export function queryVocabulary(q: string): { fields: string[]; lits: string[] } {
  const fields = [...new Set(q.match(/\b[A-Za-z_@][\w@-]*(?:\.[\w@-]+)+\b/g) ?? [])].slice(0, 30);
  const lits = [...new Set([...q.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1').replace(/[*?]/g, 'a')))].slice(0, 50);
  return { fields, lits };
}

export function randomEvents(r: Rand, fields: string[], lits: string[], pool: unknown[]): unknown[] {
  const n = int(r, 8);
  const out: unknown[] = [];
  const fs = [...fields, ...FIELDS];
  for (let i = 0; i < n; i++) {
    if (pool.length > 0 && r() < 0.2) {
      out.push(structuredClone(pick(r, pool)));
      continue;
    }
    const doc: Record<string, unknown> = {};
    const dotted = r() < 0.2;
    for (const f of fields) if (r() < 0.8) setPath(doc, f, value(r, lits), dotted);
    for (let k = int(r, 3); k > 0; k--) setPath(doc, pick(r, fs), value(r, lits), dotted);
    if (r() < 0.7) setPath(doc, 'event.category', pick(r, ['process', 'network', 'file', ['process', 'network']]), false);
    if (r() < 0.8) setPath(doc, '@timestamp', new Date(NOW - int(r, 3_600_000)).toISOString(), false);
    if (r() < 0.5) setPath(doc, 'host.id', pick(r, ['h1', 'h2']), false);
    if (r() < 0.3) doc._index = pick(r, ['logs-endpoint.events.process-default', 'logs-x', 'other']);
    out.push(doc);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Query generators

const q = (s: string): string => JSON.stringify(s);
const fld = (r: Rand): string => pick(r, FIELDS.slice(0, 13));

function kql(r: Rand, d: number): string {
  const x = r();
  if (d > 3 || x < 0.45) {
    const f = fld(r);
    switch (int(r, 8)) {
      case 0: return `${f}:${q(word(r, []))}`;
      case 1: return `${f}:(${Array.from({ length: 1 + int(r, 4) }, () => q(word(r, []))).join(' or ')})`;
      case 2: return `${f}:${pick(r, HOSTILE_WILDCARD)}`;
      case 3: return `${f} ${pick(r, ['<', '<=', '>', '>='])} ${int(r, 1000)}`;
      case 4: return `${f}:*`;
      case 5: return `${f}:*${pick(r, ['exe', 'a', 'sh'])}`;
      case 6: return `@timestamp >= now-${1 + int(r, 30)}d`;
      default: return `${f}:${pick(r, ['cmd.exe', 'true', '10.0.0.0/8', '4444'])}`;
    }
  }
  if (x < 0.6) return `not ${kql(r, d + 1)}`;
  if (x < 0.75) return `(${kql(r, d + 1)})`;
  return `${kql(r, d + 1)} ${pick(r, ['and', 'or'])} ${kql(r, d + 1)}`;
}

function lucene(r: Rand, d: number): string {
  const x = r();
  if (d > 3 || x < 0.45) {
    const f = fld(r);
    switch (int(r, 8)) {
      case 0: return `${f}:${q(word(r, []))}`;
      case 1: return `${f}:/${pick(r, HOSTILE_REGEX)}/`;
      case 2: return `${f}:${pick(r, HOSTILE_WILDCARD)}`;
      case 3: return `${f}:${pick(r, ['[', '{'])}${int(r, 100)} TO ${pick(r, [String(100 + int(r, 1000)), '*'])}${pick(r, [']', '}'])}`;
      case 4: return `_exists_:${f}`;
      case 5: return `${f}:(${pick(r, ['cmd.exe', 'a'])} OR ${pick(r, ['b', 'sh'])})`;
      case 6: return `${pick(r, ['+', '-', ''])}${f}:${pick(r, ['cmd.exe', 'a*', 'x?z'])}`;
      default: return `${f}:${q(word(r, []))}~${int(r, 3)}`;
    }
  }
  if (x < 0.6) return `NOT ${lucene(r, d + 1)}`;
  if (x < 0.75) return `(${lucene(r, d + 1)})`;
  return `${lucene(r, d + 1)} ${pick(r, ['AND', 'OR', '&&', '||'])} ${lucene(r, d + 1)}`;
}

function eqlCond(r: Rand, d: number): string {
  const x = r();
  if (d > 3 || x < 0.45) {
    const f = fld(r);
    const s = q(word(r, []));
    switch (int(r, 14)) {
      case 0: return `${f} == ${s}`;
      case 1: return `${f} : ${s}`;
      case 2: return `${f} in (${s}, ${q(word(r, []))})`;
      case 3: return `${f} like~ ${q(pick(r, HOSTILE_WILDCARD))}`;
      case 4: return `${f} regex${pick(r, ['', '~'])} ${q(pick(r, HOSTILE_REGEX))}`;
      case 5: return `${pick(r, ['startsWith', 'endsWith', 'stringContains'])}${pick(r, ['', '~'])}(${f}, ${s})`;
      case 6: return `length(${f}) ${pick(r, ['>', '<', '=='])} ${int(r, 50)}`;
      case 7: return `cidrMatch(${f}, "10.0.0.0/8", "2001:db8::/32")`;
      case 8: return `${f} ${pick(r, ['==', '!='])} null`;
      case 9: return `${f} ${pick(r, ['<', '>=', '!='])} ${int(r, 70_000)}`;
      case 10: return `wildcard(${f}, ${q(pick(r, HOSTILE_WILDCARD))})`;
      case 11: return `?${f} : ${s}`;
      case 12: return `${f} : ${q(`*${word(r, [])}*`)}`;
      default: return pick(r, ['true', 'false']);
    }
  }
  if (x < 0.6) return `not ${eqlCond(r, d + 1)}`;
  if (x < 0.75) return `(${eqlCond(r, d + 1)})`;
  return `${eqlCond(r, d + 1)} ${pick(r, ['and', 'or'])} ${eqlCond(r, d + 1)}`;
}

function eql(r: Rand): string {
  const cat = (): string => pick(r, ['any', 'process', 'network', 'file']);
  const stage = (by: boolean): string => `[${cat()} where ${eqlCond(r, 1)}]${by && r() < 0.3 ? ` by ${fld(r)}` : ''}${r() < 0.1 ? ` with runs=${1 + int(r, 3)}` : ''}`;
  const pipe = (): string => (r() < 0.3 ? ` | ${pick(r, ['head', 'tail'])} ${int(r, 5)}` : '');
  const x = r();
  if (x < 0.55) return `${cat()} where ${eqlCond(r, 0)}${pipe()}`;
  if (x < 0.9) {
    const by = r() < 0.6;
    const stages = Array.from({ length: 2 + int(r, 3) }, () => (r() < 0.1 ? `!${stage(false)}` : stage(by)));
    if (stages[0]?.startsWith('!')) stages[0] = stage(by);
    return `sequence${by ? ` by ${fld(r)}` : ''}${r() < 0.5 ? ` with maxspan=${1 + int(r, 60)}${pick(r, ['s', 'm', 'h', 'ms'])}` : ''}\n  ${stages.join('\n  ')}${r() < 0.15 ? `\nuntil ${stage(false)}` : ''}${pipe()}`;
  }
  return `sample by ${fld(r)}\n  ${Array.from({ length: 2 + int(r, 2) }, () => `[${cat()} where ${eqlCond(r, 1)}]`).join('\n  ')}`;
}

function esqlCond(r: Rand, d: number): string {
  const x = r();
  if (d > 3 || x < 0.45) {
    const f = fld(r);
    switch (int(r, 9)) {
      case 0: return `${f} == ${q(word(r, []))}`;
      case 1: return `${f} LIKE ${q(pick(r, HOSTILE_WILDCARD))}`;
      case 2: return `${f} RLIKE ${q(pick(r, HOSTILE_REGEX))}`;
      case 3: return `${f} IN (${q(word(r, []))}, ${q(word(r, []))})`;
      case 4: return `${f} IS ${pick(r, ['', 'NOT '])}NULL`;
      case 5: return `LENGTH(${f}) > ${int(r, 40)}`;
      case 6: return `TO_LOWER(${f}) == ${q(word(r, []))}`;
      case 7: return `${f} ${pick(r, ['<', '>=', '!='])} ${int(r, 70_000)}`;
      default: return `STARTS_WITH(${f}, ${q(word(r, []))})`;
    }
  }
  if (x < 0.6) return `NOT ${esqlCond(r, d + 1)}`;
  if (x < 0.75) return `(${esqlCond(r, d + 1)})`;
  return `${esqlCond(r, d + 1)} ${pick(r, ['AND', 'OR'])} ${esqlCond(r, d + 1)}`;
}

function esql(r: Rand): string {
  const parts = [`FROM ${pick(r, ['logs-*', 'logs-endpoint.events.process-*, -logs-x*', '*'])}`];
  for (let n = 1 + int(r, 4); n > 0; n--) {
    const f = fld(r);
    switch (int(r, 7)) {
      case 0:
      case 1: parts.push(`WHERE ${esqlCond(r, 0)}`); break;
      case 2: parts.push(`EVAL x = ${pick(r, [`LENGTH(${f})`, `TO_LOWER(${f})`, `CONCAT(${f}, "-")`, `${f} + 1`, `CASE(${f} IS NULL, 0, 1)`, `MV_COUNT(${f})`])}`); break;
      case 3: parts.push(`STATS c = COUNT(*)${r() < 0.5 ? `, d = COUNT_DISTINCT(${f})` : ''} BY ${fld(r)}`); break;
      case 4: parts.push(`SORT ${f} ${pick(r, ['ASC', 'DESC'])}`); break;
      case 5: parts.push(`LIMIT ${int(r, 20)}`); break;
      default: parts.push(`KEEP ${f}, ${fld(r)}`);
    }
  }
  return parts.join(' | ');
}

export function generateQuery(r: Rand, language: QueryLanguage): string {
  switch (language) {
    case 'eql': return eql(r);
    case 'kuery': return kql(r, 0);
    case 'lucene': return lucene(r, 0);
    case 'esql': return esql(r);
  }
}

// ---------------------------------------------------------------------------------------------
// Seeds

export interface Seeds {
  queries: Record<QueryLanguage, string[]>;
  events: unknown[];
  rules: Rule[];
  /** A synthesised input each rule matches, by rule id (the start of rule cases). */
  examples: Map<string, RuleInput>;
}

/** Queries and events of the evaluation case tables, plus the given rules' queries. */
export function loadSeeds(rules: Rule[] = []): Seeds {
  const queries: Record<QueryLanguage, string[]> = { eql: [], kuery: [], lucene: [], esql: [] };
  const events: unknown[] = [];
  const tables: [QueryLanguage, string][] = [['eql', 'eval-eql.toml'], ['kuery', 'eval-kql.toml'], ['lucene', 'eval-lucene.toml'], ['esql', 'eval-esql.toml']];
  for (const [lang, file] of tables) {
    const doc = load(readFileSync(join(projectRoot, 'test', 'cases', file), 'utf8')) as { case?: { query?: unknown; events?: unknown }[] };
    for (const c of doc.case ?? []) {
      if (typeof c.query === 'string') queries[lang].push(c.query);
      if (typeof c.events === 'string') {
        try {
          const v = JSON.parse(c.events) as unknown;
          if (Array.isArray(v)) events.push(...v.filter((e) => e !== null && typeof e === 'object').slice(0, 4));
        } catch {
          // a table event list that is not JSON is the table's own error case
        }
      }
    }
  }
  const examples = new Map<string, RuleInput>();
  for (const rule of rules) {
    if (rule.language && rule.query) queries[rule.language].push(rule.query);
    const ex = synthesizeExamples(rule, { now: NOW });
    if (ex.ok) examples.set(rule.id, ex.examples.example);
  }
  return { queries, events, rules, examples };
}

// ---------------------------------------------------------------------------------------------
// Cases

export interface EvalCase {
  kind: 'query' | 'rule';
  language: QueryLanguage | null;
  query: string;
  events: unknown[];
  rule?: Rule;
  history?: unknown[];
  indicators?: unknown[];
}

export function makeCase(r: Rand, i: number, seeds: Seeds): EvalCase {
  if (seeds.rules.length > 0 && i % 10 === 9) {
    const rule = pick(r, seeds.rules);
    const { fields, lits } = queryVocabulary(rule.query ?? '');
    const ex = seeds.examples.get(rule.id);
    // The rule's example, damaged: events dropped, swapped for random ones, or with a field changed.
    const damage = (base: readonly unknown[] | undefined): unknown[] => {
      const out = (base ?? []).map((e) => structuredClone(e)).filter(() => r() < 0.9);
      for (const e of out) if (r() < 0.3 && e !== null && typeof e === 'object') setPath(e as Record<string, unknown>, pick(r, [...fields, ...FIELDS]), value(r, lits), false);
      if (r() < 0.5) out.push(...randomEvents(r, fields, lits, seeds.events));
      return out;
    };
    return { kind: 'rule', language: rule.language, query: rule.query ?? '', rule, events: damage(ex?.events), history: damage(ex?.history), indicators: damage(ex?.indicators) };
  }
  const language = LANGUAGES[i % LANGUAGES.length] as QueryLanguage;
  const x = r();
  const table = seeds.queries[language];
  let query: string;
  if (x < 0.55 || table.length === 0) query = generateQuery(r, language);
  else if (x < 0.75) query = pick(r, table);
  else query = mutate(x < 0.85 ? pick(r, table) : generateQuery(r, language), r);
  const { fields, lits } = queryVocabulary(query);
  return { kind: 'query', language, query, events: randomEvents(r, fields, lits, seeds.events) };
}

export interface CaseOutcome {
  compiled: boolean;
  matches: number;
}

/** Runs one case through the evaluator; throws only if the evaluator does. */
export function runCase(c: EvalCase): CaseOutcome {
  if (c.kind === 'rule' && c.rule) {
    const ev = evaluateRule(c.rule, { events: c.events, history: c.history ?? [], indicators: c.indicators ?? [] }, { now: NOW });
    return { compiled: ev.evaluable, matches: ev.alerts.length };
  }
  const compiled = compileQuery(c.language as QueryLanguage, c.query, { now: NOW });
  if (!compiled.ok) return { compiled: false, matches: 0 };
  const run = compiled.query.run(c.events);
  if (c.events.length > 0) compiled.query.explain(c.events[0]);
  compiled.query.run(c.events, { size: 1 });
  return { compiled: true, matches: run.matches.length };
}

export interface EvalFuzzReport {
  cases: number;
  compiled: number;
  matched: number;
  byLanguage: Record<string, { cases: number; compiled: number; matched: number }>;
  crashes: { case: EvalCase; error: string }[];
  slowest: { ms: number; case: EvalCase | null };
  /** Cases over `slowMs` as first timed. */
  slow: { ms: number; case: EvalCase }[];
  ms: number;
}

export function fuzzEvaluator(cases: number, seed: number, seeds: Seeds, slowMs = 100): EvalFuzzReport {
  const r = prng(seed);
  const report: EvalFuzzReport = { cases: 0, compiled: 0, matched: 0, byLanguage: {}, crashes: [], slowest: { ms: 0, case: null }, slow: [], ms: 0 };
  const t0 = performance.now();
  for (let i = 0; i < cases; i++) {
    const c = makeCase(r, i, seeds);
    const key = c.kind === 'rule' ? `rule:${c.rule?.type}` : (c.language as string);
    const b = (report.byLanguage[key] ??= { cases: 0, compiled: 0, matched: 0 });
    const s = performance.now();
    try {
      const o = runCase(c);
      if (o.compiled) {
        report.compiled++;
        b.compiled++;
      }
      if (o.matches > 0) {
        report.matched++;
        b.matched++;
      }
    } catch (e) {
      report.crashes.push({ case: c, error: String((e as Error)?.stack ?? e) });
    }
    const ms = performance.now() - s;
    if (ms > report.slowest.ms) report.slowest = { ms, case: c };
    if (ms > slowMs) report.slow.push({ ms, case: c });
    report.cases++;
    b.cases++;
  }
  report.ms = performance.now() - t0;
  return report;
}

/** Times a case again, best of `n` (separates a slow case from a pause of a busy machine). */
export function retime(c: EvalCase, n = 3): number {
  let best = Infinity;
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    try {
      runCase(c);
    } catch {
      // reported by the first run
    }
    best = Math.min(best, performance.now() - s);
  }
  return best;
}

export function describeCase(c: EvalCase): string {
  const clipText = (s: string): string => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
  return `${c.kind} ${c.rule ? `${c.rule.id} (${c.rule.type}) ` : ''}${c.language}: ${clipText(c.query)} | events: ${clipText(JSON.stringify(c.events))}`;
}
