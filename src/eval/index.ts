/**
 * The evaluator: compile a query once (EQL, KQL, Lucene, ES|QL), then run it over pasted events,
 * with a trace of why each event or sequence matched or not. Browser-safe (no `node:*`, no
 * `eval` / `new Function`); the CLI (`ruledex eval`) and the rule pages use the same code.
 *
 *   const q = compileQuery('eql', 'process where process.name == "cmd.exe"');
 *   if (q.ok) q.query.run(events).matches    // [[0], [3]]: input indexes, in result order
 *
 * `evaluateRule` (rules.ts) adds the rule types on top (threshold, new_terms, threat_match,
 * machine_learning) and `synthesizeExamples` (examples/) builds inputs a rule matches.
 */
import type { QueryLanguage } from '../model/rule';
import { assertNever } from '../model/rule';
import type { Loc } from '../model/span';
import { parseQuery, type ParsedQuery } from '../lang';
import { orderEvents, type EventOptions, type PreparedEvent } from './events';
import { compileEql, type EqlRun, type StageReport } from './eql/query';
import { compileEsql } from './esql/run';
import { compileKql } from './kql';
import { checkEvents, DEFAULT_LIMITS, type Limits } from './limits';
import { compileLucene } from './lucene';
import { parseDateMath } from './dates';
import type { Pred, TraceNode } from './trace';

export type { TraceNode, Outcome, Pred } from './trace';
export type { Limits } from './limits';
export { DEFAULT_LIMITS, parseEventsText, checkEvents } from './limits';
export { orderEvents } from './events';
export type { EventOptions, PreparedEvent } from './events';
export type { StageReport } from './eql/query';
export { ECS_VERSION } from './ecs';

export interface QueryOptions extends EventOptions {
  /** Reference time for date math (`now-1d`): epoch ms or an ISO date; default: the current time. */
  now?: number | string;
  /** Most results returned (the EQL search API's `size`); default: all. */
  size?: number;
  limits?: Partial<Limits>;
  /** The query already parsed (`parseQuery` of the same language and text): not parsed again. */
  parsed?: ParsedQuery;
  /** The caller never changes events passed to `run` (ES|QL then reuses their rows across runs; see `EsqlOptions`). */
  immutableEvents?: boolean;
}

export interface QueryMatch {
  /** Input indexes: one per event-query hit; the ordered events of a sequence or sample; the rows an ES|QL result row came from. */
  events: number[];
  /** Sequences and samples: the stage (as written) each event filled. */
  stages?: number[];
  /** Sequences and samples: join key values. ES|QL: the output row. */
  key?: unknown[];
  row?: Record<string, unknown>;
}

export interface QueryRun {
  kind: 'event' | 'sequence' | 'sample' | 'rows';
  matches: QueryMatch[];
  stages?: StageReport[];
  notes: string[];
}

export interface CompiledQuery {
  language: QueryLanguage;
  kind: 'event' | 'sequence' | 'sample' | 'rows';
  run(events: readonly unknown[], opts?: { size?: number }): QueryRun;
  /** Per-event trace: one tree for event queries, one per stage for sequences and samples. */
  explain(doc: unknown): TraceNode[];
}

export type CompileResult = { ok: true; query: CompiledQuery } | { ok: false; error: string; loc: Loc | null; line?: number; column?: number };

export function resolveNow(now: number | string | undefined): number {
  if (now === undefined) return Date.now();
  if (typeof now === 'number') return now;
  const v = parseDateMath(now, Date.now());
  return v ?? Date.now();
}

function limitsOf(opts: QueryOptions): Limits {
  return { ...DEFAULT_LIMITS, ...(opts.limits ?? {}) };
}

/** A compiled KQL or Lucene predicate as a query (results in timestamp order). */
function predicateQuery(language: QueryLanguage, pred: Pred, opts: QueryOptions): CompiledQuery {
  return {
    language,
    kind: 'event',
    explain: (doc) => [pred.explain(doc)],
    run(events, runOpts = {}) {
      const ordered: PreparedEvent[] = orderEvents(events, opts);
      const matches: QueryMatch[] = [];
      const size = runOpts.size ?? opts.size;
      for (const ev of ordered) {
        if (pred.test(ev.doc)) {
          matches.push({ events: [ev.index] });
          if (size !== undefined && matches.length >= size) break;
        }
      }
      return { kind: 'event', matches, notes: [] };
    },
  };
}

/** Parses and compiles a query. Never throws on bad input. */
export function compileQuery(language: QueryLanguage, text: string, opts: QueryOptions = {}): CompileResult {
  const limits = limitsOf(opts);
  if (text.length > limits.maxQueryLength) return { ok: false, error: `the query has ${text.length} characters (limit ${limits.maxQueryLength})`, loc: null };
  const parsed = opts.parsed ?? parseQuery(language, text);
  if (!parsed.ok) {
    const e = parsed.error;
    return { ok: false, error: `syntax error at line ${e.line}, column ${e.column}: ${e.message}`, loc: null, line: e.line, column: e.column };
  }
  const now = resolveNow(opts.now);
  const q = parsed.query;
  switch (q.language) {
    case 'eql': {
      const r = compileEql(q.ast, { ...opts, now });
      if (!r.ok) return { ok: false, error: r.error, loc: r.loc };
      const eql = r.query;
      return {
        ok: true,
        query: {
          language: 'eql',
          kind: eql.kind,
          explain: (doc) => eql.explain(doc),
          run(events, runOpts = {}) {
            const size = runOpts.size ?? opts.size;
            const res: EqlRun = eql.run(events, { ...(size === undefined ? {} : { size }), maxMatches: limits.maxMatches });
            return { kind: res.kind, matches: res.matches, ...(res.stages ? { stages: res.stages } : {}), notes: res.notes };
          },
        },
      };
    }
    case 'kuery': {
      const r = compileKql(q.ast, { now });
      if (!r.ok) return { ok: false, error: r.error, loc: r.loc };
      return { ok: true, query: predicateQuery('kuery', r.pred, opts) };
    }
    case 'lucene': {
      const r = compileLucene(q.ast, { now });
      if (!r.ok) return { ok: false, error: r.error, loc: r.loc };
      return { ok: true, query: predicateQuery('lucene', r.pred, opts) };
    }
    case 'esql': {
      const r = compileEsql(q.ast, { ...opts, now, text });
      if (!r.ok) return { ok: false, error: r.error, loc: r.loc };
      return { ok: true, query: r.query };
    }
    default:
      return assertNever(q, 'query');
  }
}

export interface EvaluateRequest {
  language: QueryLanguage;
  query: string;
  events: readonly unknown[];
  options?: QueryOptions;
}

export type EvaluateResponse = { ok: true; run: QueryRun } | { ok: false; error: string };

/** Compiles and runs a query over events, refusing oversized input. */
export function evaluate(req: EvaluateRequest): EvaluateResponse {
  const opts = req.options ?? {};
  const limits = limitsOf(opts);
  const problem = checkEvents(req.events, limits);
  if (problem !== null) return { ok: false, error: problem };
  const c = compileQuery(req.language, req.query, opts);
  if (!c.ok) return { ok: false, error: c.error };
  return { ok: true, run: c.query.run(req.events) };
}
