/**
 * A whole EQL query compiled once, then run over events: event queries (category + condition,
 * results in timestamp order), sequences and samples (sequence.ts), then the `head` / `tail`
 * pipes and the `size` limit.
 *
 * The event category is read from `event.category` (any of its values; `eventCategoryField`
 * or the rule's `event_category_override` name another field); `any` matches every event, with
 * or without a category.
 */
import type { Loc } from '../../model/span';
import type { Category, EqlQuery, Expr, Pipe, Stage } from '../../lang/eql/ast';
import { DEFAULT_CATEGORY_FIELD, orderEvents, type EventOptions, type PreparedEvent } from '../events';
import { fieldPath, fieldValues, scanValues } from '../fields';
import { andPred, sampleValues, type Pred, type TraceNode } from '../trace';
import { keywordOf, show } from '../values';
import { EqlCompiler, EqlCompileError, type Val } from './compile';
import { plain } from './functions';
import { runSample, runSequence, type KeyFn, type SeqStage, type SequenceSpec } from './sequence';

export interface EqlOptions extends EventOptions {
  /** Reference time for date math (epoch ms); default: now. */
  now?: number;
}

export interface EqlRunOptions {
  /** Most results returned (like the EQL search API's `size`); default: no limit. */
  size?: number;
  /** Hard cap on matches kept while running. */
  maxMatches?: number;
}

export interface EqlMatch {
  /** Input indexes of the events: one for an event query, the ordered events of a sequence or sample. */
  events: number[];
  /** For sequences and samples: the stage (as written, 0-based) each event filled. */
  stages?: number[];
  /** For sequences and samples: the join key values. */
  key?: unknown[];
}

export interface StageReport {
  loc: Loc;
  /** Stage number as written (0-based); `until` is -1. */
  stage: number;
  missing: boolean;
  /** Input indexes of the events whose category and condition held for this stage. */
  hits: number[];
}

export interface EqlRun {
  kind: 'event' | 'sequence' | 'sample';
  matches: EqlMatch[];
  /** Sequences and samples: which events each stage's condition accepted. */
  stages?: StageReport[];
  /** Human notes: dropped sequences, events without timestamps. */
  notes: string[];
}

export interface CompiledEql {
  kind: 'event' | 'sequence' | 'sample';
  run(events: readonly unknown[], opts?: EqlRunOptions): EqlRun;
  /** Runs over events already ordered by `orderEvents` with this query's options. */
  runOrdered(events: readonly PreparedEvent[], opts?: EqlRunOptions): EqlRun;
  /** The trace of one event against the event query, or against each stage (sequence, sample). */
  explain(doc: unknown): TraceNode[];
  /** The locations of the stages (sequence/sample), in order as written; `until` last. */
  stageLocs: Loc[];
}

export type CompileEqlResult = { ok: true; query: CompiledEql } | { ok: false; error: string; loc: Loc | null };

function categoryPred(cat: Category, field: string): Pred {
  if (cat.any) {
    return { test: () => true, explain: () => ({ kind: 'category', loc: cat.loc, outcome: 'true', note: 'any category' }) };
  }
  const path = fieldPath(field);
  const name = cat.name;
  const isName = (v: unknown): boolean => v === name || keywordOf(v) === name;
  const test = (doc: unknown): boolean => scanValues(doc, path, isName) === 1;
  return {
    test,
    explain(doc) {
      const vals = fieldValues(doc, path);
      const ok = test(doc);
      return {
        kind: 'category',
        loc: cat.loc,
        outcome: ok ? 'true' : vals.length === 0 ? 'missing' : 'false',
        field,
        values: sampleValues(vals),
        note: ok ? `${field} is ${show(name)}` : vals.length === 0 ? `${field} has no value` : `${field} is not ${show(name)}`,
      };
    },
  };
}

function applyPipes<T>(items: T[], pipes: readonly Pipe[], size: number | undefined): T[] {
  let out = items;
  for (const p of pipes) out = p.name === 'head' ? out.slice(0, p.count) : out.slice(Math.max(0, out.length - p.count));
  if (size !== undefined && size >= 0) out = out.slice(0, size);
  return out;
}

function keyFn(vals: Val[], optional: boolean[]): KeyFn {
  return (doc) => {
    const values: unknown[] = [];
    for (let i = 0; i < vals.length; i++) {
      const v = (vals[i] as Val).get(doc).map(plain);
      if (v.length === 0) {
        if (!optional[i]) return null;
        values.push(null);
      } else values.push(v.length === 1 ? v[0] : v);
    }
    return { key: JSON.stringify(values), values };
  };
}

function isOptional(e: Expr): boolean {
  return e.kind === 'Field' && e.optional;
}

/** Compiles an EQL query (parsed with `parseEql`). */
export function compileEql(ast: EqlQuery, options: EqlOptions = {}): CompileEqlResult {
  const now = options.now ?? Date.now();
  const categoryField = options.eventCategoryField ?? DEFAULT_CATEGORY_FIELD;
  const c = new EqlCompiler({ now });
  try {
    const stagePred = (s: { category: Category; condition: Expr; loc: Loc }): Pred =>
      andPred([categoryPred(s.category, categoryField), c.pred(s.condition)], s.loc);
    switch (ast.kind) {
      case 'EventQuery': {
        const pred = stagePred(ast);
        return {
          ok: true,
          query: {
            kind: 'event',
            stageLocs: [],
            explain: (doc) => [pred.explain(doc)],
            run(events, opts) {
              return this.runOrdered(orderEvents(events, options), opts);
            },
            runOrdered(events, opts = {}) {
              const cap = opts.maxMatches ?? Infinity;
              const hits: EqlMatch[] = [];
              for (const ev of events) {
                if (pred.test(ev.doc)) {
                  hits.push({ events: [ev.index] });
                  if (hits.length >= cap && ast.pipes.every((p) => p.name === 'head')) break;
                }
              }
              return { kind: 'event', matches: applyPipes(hits, ast.pipes, opts.size), notes: [] };
            },
          },
        };
      }
      case 'Sequence': {
        if (ast.stages.some((s) => s.missing) && ast.maxspan === null) {
          throw new EqlCompileError('a sequence with missing-event stages needs `with maxspan`', ast.loc);
        }
        if (ast.stages.every((s) => s.missing)) throw new EqlCompileError('a sequence needs at least one positive stage', ast.loc);
        const seqBy = ast.by.map((e) => c.value(e));
        const seqOpt = ast.by.map(isOptional);
        const stages: SeqStage[] = [];
        const written: { pred: Pred; stage: Stage }[] = [];
        ast.stages.forEach((s, i) => {
          if (s.runs !== null && (s.runs < 1 || s.runs > 100)) throw new EqlCompileError('`runs` must be between 1 and 100', s.loc);
          if (s.by.length + ast.by.length !== ast.stages[0]!.by.length + ast.by.length) {
            throw new EqlCompileError('every stage needs the same number of join keys', s.loc);
          }
          const pred = stagePred(s);
          written.push({ pred, stage: s });
          const key = keyFn([...seqBy, ...s.by.map((e) => c.value(e))], [...seqOpt, ...s.by.map(isOptional)]);
          for (let r = 0; r < (s.runs ?? 1); r++) stages.push({ pred, key, missing: s.missing, loc: s.loc, source: i });
        });
        let until: SequenceSpec['until'] = null;
        if (ast.until) {
          const u = ast.until;
          until = { pred: stagePred(u), key: keyFn([...seqBy, ...u.by.map((e) => c.value(e))], [...seqOpt, ...u.by.map(isOptional)]), loc: u.loc };
        }
        const spec: SequenceSpec = { stages, until, maxspan: ast.maxspan ? ast.maxspan.millis : null };
        const stageLocs = [...ast.stages.map((s) => s.loc), ...(ast.until ? [ast.until.loc] : [])];
        return {
          ok: true,
          query: {
            kind: 'sequence',
            stageLocs,
            explain: (doc) => [...written.map((w) => w.pred.explain(doc)), ...(until ? [until.pred.explain(doc)] : [])],
            run(events, opts) {
              return this.runOrdered(orderEvents(events, options), opts);
            },
            runOrdered(events, opts = {}) {
              const r = runSequence(spec, events, opts.maxMatches ?? 100_000);
              const reports: StageReport[] = ast.stages.map((s, i) => {
                const hits = new Set<number>();
                stages.forEach((st, j) => {
                  if (st.source === i) for (const h of r.stageHits[j] ?? []) hits.add(h);
                });
                return { loc: s.loc, stage: i, missing: s.missing, hits: [...hits].sort((a, b) => a - b) };
              });
              if (until && ast.until) {
                const hits = events.filter((e) => until.pred.test(e.doc)).map((e) => e.index);
                reports.push({ loc: ast.until.loc, stage: -1, missing: false, hits });
              }
              const notes = [...r.rejections];
              if (r.untimed.length > 0) notes.push(`events without a usable ${options.timestampField ?? '@timestamp'} take no part in sequences: ${r.untimed.slice(0, 10).join(', ')}${r.untimed.length > 10 ? ', …' : ''}`);
              const matches: EqlMatch[] = r.matches.map((m) => ({ events: m.events, stages: m.stages.map((s) => (stages[s] as SeqStage).source), key: m.key }));
              return { kind: 'sequence', matches: applyPipes(matches, ast.pipes, opts.size), stages: reports, notes };
            },
          },
        };
      }
      case 'Sample': {
        const by = ast.by.map((e) => c.value(e));
        const byOpt = ast.by.map(isOptional);
        const stages = ast.stages.map((s) => {
          if (s.by.length !== ast.stages[0]!.by.length) throw new EqlCompileError('every filter needs the same number of join keys', s.loc);
          return { pred: stagePred(s), key: keyFn([...by, ...s.by.map((e) => c.value(e))], [...byOpt, ...s.by.map(isOptional)]), loc: s.loc };
        });
        if (ast.by.length + (ast.stages[0]?.by.length ?? 0) === 0) throw new EqlCompileError('a sample needs join keys (`sample by …`)', ast.loc);
        return {
          ok: true,
          query: {
            kind: 'sample',
            stageLocs: ast.stages.map((s) => s.loc),
            explain: (doc) => stages.map((s) => s.pred.explain(doc)),
            run(events, opts) {
              return this.runOrdered(orderEvents(events, options), opts);
            },
            runOrdered(events, opts = {}) {
              const r = runSample({ stages }, events, opts.maxMatches ?? 100_000);
              const matches: EqlMatch[] = r.matches.map((m) => ({ events: m.events, stages: m.events.map((_, i) => i), key: m.key }));
              const reports: StageReport[] = ast.stages.map((s, i) => ({ loc: s.loc, stage: i, missing: false, hits: r.stageHits[i] ?? [] }));
              return { kind: 'sample', matches: applyPipes(matches, ast.pipes, opts.size), stages: reports, notes: [] };
            },
          },
        };
      }
    }
  } catch (e) {
    if (e instanceof EqlCompileError) return { ok: false, error: e.message, loc: e.loc };
    throw e;
  }
}
