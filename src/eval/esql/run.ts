/**
 * ES|QL over pasted events: each event is a row (its leaf fields are the columns), and the
 * query's commands run over the rows in order, as the ES|QL reference describes them:
 *
 * - FROM checks the index patterns against an event's `_index` when it has one (`-pattern`
 *   excludes), and accepts the event otherwise; METADATA fields are read from the event.
 * - WHERE keeps rows whose condition is true (three-valued: null is not true); comparisons,
 *   LIKE, RLIKE and IN are null on a null or multi-valued operand; `KQL()`, `QSTR()` and
 *   `MATCH()` (and `field : "query"`) are full-text queries on the row's event (any value of a
 *   multi-valued field may match).
 * - EVAL, STATS … BY (multi-valued BY values put a row in each value's group; a null BY value is
 *   a group), INLINE STATS, KEEP, DROP, RENAME, SORT (nulls last ascending, first descending),
 *   LIMIT, MV_EXPAND, DISSECT, GROK; an implicit LIMIT 1000 at the end.
 * - COMPLETION, ENRICH, LOOKUP JOIN (and the other commands that need the cluster) are refused
 *   with "not evaluable in the browser".
 *
 * A result row remembers the events it came from (one for row-by-row pipelines, the group's
 * events after STATS): those are the `matches` of the CLI contract.
 */
import type { Loc } from '../../model/span';
import type {
  EsqlCommand,
  EsqlExpr,
  EsqlFunctionCall,
  EsqlMapLiteral,
  EsqlNamePattern,
  EsqlQuery,
  EsqlStatsCommand,
  EsqlInlineStatsCommand,
  EsqlAggregate,
  EsqlNamedExpr,
} from '../../lang/esql/ast';
import { printExpr } from '../../lang/esql/print';
import type { CompiledQuery, QueryMatch, QueryRun } from '../index';
import { compileKqlNode } from '../kql';
import { compileLuceneNode } from '../lucene';
import { compileLuceneRegex } from '../regex';
import { fuzzyTest, matchTest, staticFamily, type ValueTest } from '../search';
import type { TraceNode } from '../trace';
import { compareHolds, dynamicFamily } from '../values';
import { compileWildcard, luceneWildcardTokens } from '../wildcard';
import { orderEvents, type PreparedEvent } from '../events';
import { ecsType as ecsTypeOf } from '../ecs';
import { aggregate, AGGREGATES, addSpan, ESQL_FUNCTIONS, EsqlRuntimeError, MV_AWARE, Span } from './functions';
import { compileDissect, compileGrok, dissectMatch, grokMatch } from './patterns';
import { compareScalars, EDate, fromList, listOf, plainValue, rowOf, scalarKey, stringOf, truth, type EV, type Row, type Scalar } from './value';

export interface EsqlOptions {
  now: number;
  /** The query text (names unnamed columns the way ES|QL does: by their source text). */
  text?: string;
  timestampField?: string;
  size?: number;
  /**
   * The caller never changes an event (or anything in it) once it has passed it to `run`: each
   * event's rows after the leading row-by-row commands (FROM, WHERE, EVAL, …) are then kept, per
   * event object and input position, and reused when a later run gets the same event again (the
   * example synthesiser runs a query over growing lists of the same events).
   */
  immutableEvents?: boolean;
}

/** Commands whose output for a list of rows is their output for each row alone, in order. */
const ROW_BY_ROW = new Set<EsqlCommand['kind']>(['From', 'Where', 'Eval', 'Keep', 'Drop', 'Rename', 'MvExpand', 'Dissect', 'Grok']);

export type CompileEsqlResult = { ok: true; query: CompiledQuery } | { ok: false; error: string; loc: Loc | null };

export class EsqlCompileError extends Error {
  constructor(message: string, readonly loc: Loc | null) {
    super(message);
    this.name = 'EsqlCompileError';
  }
}

type Ex = (row: Row) => EV;

const IMPLICIT_LIMIT = 1000;

const NOT_EVALUABLE: Record<string, string> = {
  Completion: 'COMPLETION calls an LLM inference endpoint',
  Enrich: 'ENRICH reads an enrich policy from the cluster',
  LookupJoin: 'LOOKUP JOIN reads a lookup index from the cluster',
  ChangePoint: 'CHANGE_POINT is not supported',
  Fork: 'FORK is not supported',
  Fuse: 'FUSE is not supported',
  Rerank: 'RERANK calls a reranking inference endpoint',
  Sample: 'SAMPLE is random',
  UriParts: 'URI_PARTS is not supported',
  TsCollapse: 'TS_COLLAPSE is not supported',
  Show: 'SHOW reads the cluster',
  Promql: 'PROMQL is not supported',
};

function isDoubleType(t: string | null): boolean {
  return t === 'double' || t === 'float' || t === 'half_float' || t === 'scaled_float';
}

function patternRe(p: string): RegExp {
  return new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** The groups of one row in a STATS: a combination of BY values per group, and the group keys. */
interface RowGroups {
  combos: Scalar[][];
  keys: string[];
}

export class EsqlCompiler {
  constructor(private readonly opts: EsqlOptions) {}

  /** The name ES|QL gives an unnamed expression column: its text as written. */
  nameOf(e: EsqlExpr, loc: Loc): string {
    if (e.kind === 'Field') return e.name;
    if (this.opts.text !== undefined) return this.opts.text.slice(loc.start, loc.end).trim();
    return printExpr(e);
  }

  isDouble(e: EsqlExpr): boolean {
    switch (e.kind) {
      case 'Number':
        return !e.integer;
      case 'Field':
        return isDoubleType(staticType(e.name));
      case 'Arithmetic':
        return this.isDouble(e.left) || this.isDouble(e.right);
      case 'Unary':
        return this.isDouble(e.expr);
      case 'Cast':
        return e.type === 'double' || e.type === 'float';
      case 'Call':
        return e.name === 'TO_DOUBLE' || e.name === 'AVG' || e.name === 'MV_AVG' || (e.name === 'ROUND' && e.args[0] !== undefined && this.isDouble(e.args[0]));
      default:
        return false;
    }
  }

  /** A three-valued condition. */
  cond(e: EsqlExpr): (row: Row) => boolean | null {
    const ex = this.expr(e);
    return (row) => truth(ex(row));
  }

  expr(e: EsqlExpr): Ex {
    switch (e.kind) {
      case 'And': {
        const parts = e.operands.map((o) => this.cond(o));
        return (row) => {
          let unknown = false;
          for (const p of parts) {
            const v = p(row);
            if (v === false) return false;
            if (v === null) unknown = true;
          }
          return unknown ? null : true;
        };
      }
      case 'Or': {
        const parts = e.operands.map((o) => this.cond(o));
        return (row) => {
          let unknown = false;
          for (const p of parts) {
            const v = p(row);
            if (v === true) return true;
            if (v === null) unknown = true;
          }
          return unknown ? null : false;
        };
      }
      case 'Not': {
        const inner = this.cond(e.expr);
        return (row) => {
          const v = inner(row);
          return v === null ? null : !v;
        };
      }
      case 'Comparison': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        const op = e.op;
        return (row) => {
          const a = l(row);
          const b = r(row);
          if (a === null || b === null || Array.isArray(a) || Array.isArray(b)) return null;
          if (op === '=~') return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : null;
          const c = compareScalars(a, b);
          if (c === null) return null;
          return compareHolds(op, c);
        };
      }
      case 'Arithmetic': {
        const l = this.expr(e.left);
        const r = this.expr(e.right);
        const dbl = this.isDouble(e);
        const op = e.op;
        return (row) => {
          const a = l(row) as unknown;
          const b = r(row) as unknown;
          if (a === null || b === null || Array.isArray(a) || Array.isArray(b)) return null;
          if (a instanceof EDate && b instanceof Span && (op === '+' || op === '-')) {
            const v = addSpan(a.ms, b, op === '+' ? 1 : -1);
            return v === null ? null : new EDate(v);
          }
          if (a instanceof Span && b instanceof EDate && op === '+') {
            const v = addSpan(b.ms, a, 1);
            return v === null ? null : new EDate(v);
          }
          if (typeof a !== 'number' || typeof b !== 'number') return null;
          switch (op) {
            case '+':
              return a + b;
            case '-':
              return a - b;
            case '*':
              return a * b;
            case '/':
              if (b === 0) return null;
              return !dbl && Number.isInteger(a) && Number.isInteger(b) ? Math.trunc(a / b) : a / b;
            case '%':
              return b === 0 ? null : a % b;
          }
        };
      }
      case 'Unary': {
        const inner = this.expr(e.expr);
        return (row) => {
          const v = inner(row);
          return typeof v === 'number' ? (e.op === '-' ? -v : v) : null;
        };
      }
      case 'Like': {
        const inner = this.expr(e.expr);
        const tests = e.patterns.map((p) => {
          if (p.kind !== 'String') throw new EsqlCompileError('query parameters are not supported', p.loc);
          if (e.op === 'like') {
            const m = compileWildcard(luceneWildcardTokens(p.value), false);
            return (s: string) => m.test(s);
          }
          const r = compileLuceneRegex(p.value, false);
          if (!r.ok) throw new EsqlCompileError(r.error, p.loc);
          return r.test;
        });
        const negated = e.negated;
        return (row) => {
          const v = inner(row);
          if (v === null || Array.isArray(v)) return null;
          const s = stringOf(v);
          const hit = tests.some((t) => t(s));
          return negated ? !hit : hit;
        };
      }
      case 'In': {
        const inner = this.expr(e.expr);
        const values = e.values.map((v) => this.expr(v));
        const negated = e.negated;
        return (row) => {
          const v = inner(row);
          if (v === null || Array.isArray(v)) return null;
          let sawNull = false;
          for (const f of values) {
            const w = f(row);
            if (w === null || Array.isArray(w)) {
              sawNull = true;
              continue;
            }
            if (compareScalars(v, w) === 0) return !negated;
          }
          return sawNull ? null : negated;
        };
      }
      case 'InSubquery':
        throw new EsqlCompileError('IN with a subquery is not evaluable in the browser', e.loc);
      case 'IsNull': {
        const inner = this.expr(e.expr);
        return (row) => (inner(row) === null) !== e.negated;
      }
      case 'Match': {
        const fieldName = e.field.kind === 'Field' ? e.field.name : e.field.expr.kind === 'Field' ? e.field.expr.name : null;
        if (fieldName === null || e.query.kind !== 'String' && e.query.kind !== 'Number' && e.query.kind !== 'Boolean') throw new EsqlCompileError('the match operator needs a field and a constant', e.loc);
        return this.fullText(fieldName, String(e.query.value), null);
      }
      case 'Cast': {
        const fn = castFunction(e.type);
        if (!fn) throw new EsqlCompileError(`cast to ${e.type} is not supported`, e.loc);
        const inner = this.expr(e.expr);
        return (row) => fn([inner(row)], { now: this.opts.now });
      }
      case 'Call':
        return this.call(e);
      case 'Field': {
        const name = e.name;
        return (row) => row.cols.get(name) ?? null;
      }
      case 'Param':
        throw new EsqlCompileError('query parameters are not supported', e.loc);
      case 'String':
      case 'Number':
      case 'Boolean': {
        const v = e.value;
        return () => v;
      }
      case 'Null':
        return () => null;
      case 'TimeSpan': {
        const s = new Span(e.value, e.unit);
        return () => s as unknown as EV;
      }
      case 'List': {
        const vals = e.values.map((v) => this.expr(v as EsqlExpr));
        return (row) => fromList(vals.flatMap((f) => listOf(f(row))));
      }
      case 'Map':
        throw new EsqlCompileError('a map is only allowed as function options', e.loc);
    }
  }

  private fullText(field: string, query: string, options: EsqlMapLiteral | null): Ex {
    let test: ValueTest = matchTest(query, this.opts.now);
    const fuzz = options?.entries.find((en) => en.key.value === 'fuzziness');
    if (fuzz && (fuzz.value.kind === 'Number' || fuzz.value.kind === 'String')) {
      const d = fuzz.value.kind === 'Number' ? fuzz.value.value : fuzz.value.value.toUpperCase() === 'AUTO' ? null : Number(fuzz.value.value);
      const fuzzy = fuzzyTest(query, d);
      const exact = test;
      test = (fam, v) => exact(fam, v) || fuzzy(fam, v);
    }
    const fam = staticFamily(field);
    return (row) => {
      for (const v of listOf(row.cols.get(field) ?? null)) {
        const raw = v instanceof EDate ? v.toJSON() : v;
        if (test(fam ?? dynamicFamily(raw), raw)) return true;
      }
      return false;
    };
  }

  private call(e: EsqlFunctionCall): Ex {
    const name = e.name;
    if (name === 'KQL' || name === 'QSTR') {
      const emb = e.embedded;
      if (!emb) throw new EsqlCompileError(`${name} needs a constant string`, e.loc);
      if (!emb.result.ok) throw new EsqlCompileError(`${name}: syntax error: ${emb.result.error.message}`, e.loc);
      const pred = emb.language === 'kuery' ? compileKqlNode(emb.result.ast, this.opts.now) : compileLuceneNode(emb.result.ast, this.opts.now);
      return (row) => {
        if (row.doc === null) throw new EsqlRuntimeError(`${name}() can only be used before STATS`);
        return pred.test(row.doc);
      };
    }
    if (name === 'MATCH' || name === 'MATCH_PHRASE') {
      const [f, q, o] = e.args;
      const fieldName = f?.kind === 'Field' ? f.name : f?.kind === 'Cast' && f.expr.kind === 'Field' ? f.expr.name : null;
      if (fieldName === null || !q || (q.kind !== 'String' && q.kind !== 'Number' && q.kind !== 'Boolean')) throw new EsqlCompileError(`${name} needs a field and a constant`, e.loc);
      return this.fullText(fieldName, String(q.value), o?.kind === 'Map' ? o : null);
    }
    if (name === 'CASE') {
      const args = e.args.map((a) => this.expr(a));
      return (row) => {
        let i = 0;
        for (; i + 1 < args.length; i += 2) if (truth((args[i] as Ex)(row)) === true) return (args[i + 1] as Ex)(row);
        return i < args.length ? (args[i] as Ex)(row) : null;
      };
    }
    if (AGGREGATES.has(name)) throw new EsqlCompileError(`${name} is an aggregate: it belongs in STATS`, e.loc);
    const fn = ESQL_FUNCTIONS[name];
    if (!fn) throw new EsqlCompileError(`function ${name} is not supported by the evaluator`, e.loc);
    const args = e.args.filter((a) => a.kind !== 'Map').map((a) => this.expr(a));
    const mvAware = MV_AWARE.has(name);
    const ctx = { now: this.opts.now };
    return (row) => {
      const vals = args.map((a) => a(row));
      if (!mvAware && vals.some((v) => Array.isArray(v))) return null;
      return fn(vals, ctx);
    };
  }

  // -------------------------------------------------------------------------------------------
  // STATS

  /** An aggregate expression over a group's rows (aggregate calls may be nested in functions). */
  /**
   * `f` with its result kept per row when events are immutable (a STATS gets the kept rows of
   * the same events run after run); `f` itself otherwise. A throw is not kept.
   */
  private rowMemo<T>(f: (row: Row) => T): (row: Row) => T {
    if (!this.opts.immutableEvents) return f;
    const memo = new WeakMap<Row, { v: T }>();
    return (row) => {
      let hit = memo.get(row);
      if (hit === undefined) {
        hit = { v: f(row) };
        memo.set(row, hit);
      }
      return hit.v;
    };
  }

  aggExpr(e: EsqlExpr, byNames: Set<string>): (rows: Row[], key: Map<string, EV>) => EV {
    if (e.kind === 'Call' && (e.name === 'FIRST' || e.name === 'LAST') && e.args.length === 2) {
      const v = this.expr(e.args[0] as EsqlExpr);
      const k = this.expr(e.args[1] as EsqlExpr);
      const last = e.name === 'LAST';
      return (rows) => {
        let best: { key: Scalar; value: EV } | null = null;
        for (const r of rows) {
          const key = listOf(k(r))[0];
          if (key === undefined) continue;
          const c = best === null ? 0 : (compareScalars(key, best.key) ?? 0);
          if (best === null || (last ? c > 0 : c < 0)) best = { key, value: v(r) };
        }
        return best ? best.value : null;
      };
    }
    if (e.kind === 'Call' && AGGREGATES.has(e.name)) {
      const name = e.name;
      if (e.star || (name === 'COUNT' && e.args.length === 0)) return (rows) => rows.length;
      const arg = e.args[0];
      if (!arg) throw new EsqlCompileError(`${name} needs an argument`, e.loc);
      const f = this.expr(arg);
      const extra = e.args.slice(1).map((a) => this.expr(a));
      const valuesOf = this.rowMemo((r: Row): Scalar[] => listOf(f(r)));
      return (rows) => {
        const values = rows.map(valuesOf);
        const ex = extra.map((x) => (rows[0] ? x(rows[0]) : null));
        return aggregate(name, values, rows.length, ex);
      };
    }
    if (e.kind === 'Field') {
      const n = e.name;
      if (!byNames.has(n)) throw new EsqlCompileError(`${n} must be aggregated or be a BY column`, e.loc);
      return (_rows, key) => key.get(n) ?? null;
    }
    if (e.kind === 'Call') {
      const parts = e.args.map((a) => (a.kind === 'Map' ? null : this.aggExpr(a, byNames)));
      // Re-evaluate the call on a one-row context whose columns are the parts' results.
      const names = parts.map((_, i) => `\u0000arg${i}`);
      const call: EsqlFunctionCall = { ...e, args: e.args.map((a, i) => (a.kind === 'Map' ? a : { kind: 'Field', loc: a.loc, name: names[i] as string })) };
      const f = this.call(call);
      return (rows, key) => {
        const cols = new Map<string, EV>();
        parts.forEach((p, i) => {
          if (p) cols.set(names[i] as string, p(rows, key));
        });
        return f({ cols, src: [], doc: null });
      };
    }
    if (e.kind === 'Arithmetic' || e.kind === 'Comparison' || e.kind === 'And' || e.kind === 'Or' || e.kind === 'Not' || e.kind === 'Unary') {
      const kids = e.kind === 'Not' || e.kind === 'Unary' ? [e.expr] : e.kind === 'And' || e.kind === 'Or' ? e.operands : [e.left, e.right];
      const parts = kids.map((k) => this.aggExpr(k, byNames));
      const names = parts.map((_, i) => `\u0000arg${i}`);
      const field = (i: number, loc: Loc): EsqlExpr => ({ kind: 'Field', loc, name: names[i] as string });
      const rebuilt: EsqlExpr =
        e.kind === 'Not' || e.kind === 'Unary'
          ? { ...e, expr: field(0, e.expr.loc) }
          : e.kind === 'And' || e.kind === 'Or'
            ? { ...e, operands: e.operands.map((o, i) => field(i, o.loc)) }
            : { ...e, left: field(0, e.left.loc), right: field(1, e.right.loc) };
      const f = this.expr(rebuilt);
      return (rows, key) => {
        const cols = new Map<string, EV>();
        parts.forEach((p, i) => cols.set(names[i] as string, p(rows, key)));
        return f({ cols, src: [], doc: null });
      };
    }
    const f = this.expr(e);
    return (rows) => (rows[0] ? f(rows[0]) : f({ cols: new Map(), src: [], doc: null }));
  }

  stats(c: EsqlStatsCommand | EsqlInlineStatsCommand): (rows: Row[]) => Row[] {
    const by = c.by.map((b: EsqlNamedExpr) => ({ name: b.name ? b.name.name : this.nameOf(b.expr, b.loc), f: this.expr(b.expr) }));
    const byNames = new Set(by.map((b) => b.name));
    const aggs = c.aggregates.map((a: EsqlAggregate) => ({
      name: a.name ? a.name.name : this.nameOf(a.expr, { start: a.expr.loc.start, end: a.where ? a.where.loc.start : a.loc.end }),
      f: this.aggExpr(a.expr, byNames),
      where: a.where ? this.rowMemo(this.cond(a.where)) : null,
    }));
    const inline = c.kind === 'InlineStats';
    /** The groups a row belongs to: its BY values (one combination per group) and their keys. */
    const groupsOf = (row: Row): RowGroups => {
      let keyVals: (Scalar | null)[][] = [[]];
      const lists = by.map((b) => {
        const v = b.f(row);
        return v === null ? [null] : listOf(v);
      });
      if (lists.every((l) => l.length === 1)) {
        // One value per BY expression (the usual case): one group.
        keyVals = [lists.map((l) => l[0] as Scalar | null)];
      } else {
        keyVals = [[]];
        for (const l of lists) {
          const next: (Scalar | null)[][] = [];
          for (const prefix of keyVals) for (const v of l) next.push([...prefix, v]);
          keyVals = next.slice(0, 1000);
        }
      }
      const combos = keyVals as Scalar[][];
      return { combos, keys: combos.map((combo) => JSON.stringify(combo.map((v) => (v === null ? null : scalarKey(v))))) };
    };
    const rowGroups = this.rowMemo(groupsOf);
    return (rows) => {
      const groups = new Map<string, { key: Map<string, EV>; rows: Row[] }>();
      for (const row of rows) {
        const { combos, keys } = rowGroups(row);
        for (let ci = 0; ci < combos.length; ci++) {
          const combo = combos[ci] as Scalar[];
          const k = keys[ci] as string;
          let g = groups.get(k);
          if (!g) {
            const key = new Map<string, EV>();
            by.forEach((b, i) => key.set(b.name, (combo[i] as Scalar | null) ?? null));
            g = { key, rows: [] };
            groups.set(k, g);
          }
          g.rows.push(row);
        }
      }
      if (by.length === 0 && groups.size === 0 && !inline) groups.set('[]', { key: new Map(), rows: [] });
      const results = new Map<string, Map<string, EV>>();
      for (const [k, g] of groups) {
        const cols = new Map<string, EV>();
        for (const a of aggs) {
          const rs = a.where ? g.rows.filter((r) => a.where?.(r) === true) : g.rows;
          cols.set(a.name, a.f(rs, g.key));
        }
        results.set(k, cols);
      }
      if (!inline) {
        const out: Row[] = [];
        for (const [k, g] of groups) {
          const cols = new Map(results.get(k));
          for (const [n, v] of g.key) cols.set(n, v);
          const src = [...new Set(g.rows.flatMap((r) => r.src))].sort((a, b) => a - b);
          out.push({ cols, src, doc: null });
        }
        return out;
      }
      // INLINE STATS: every row keeps its columns and gains its group's aggregates.
      const out: Row[] = [];
      for (const row of rows) {
        const firstKey = JSON.stringify(by.map((b) => {
          const v = b.f(row);
          const l = v === null ? [null] : listOf(v);
          return l[0] === null || l[0] === undefined ? null : scalarKey(l[0]);
        }));
        const cols = new Map(row.cols);
        const aggCols = results.get(firstKey);
        for (const a of aggs) {
          cols.delete(a.name);
          cols.set(a.name, aggCols?.get(a.name) ?? null);
        }
        out.push({ ...row, cols });
      }
      return out;
    };
  }

  // -------------------------------------------------------------------------------------------
  // Commands

  command(c: EsqlCommand): (rows: Row[]) => Row[] {
    switch (c.kind) {
      case 'From': {
        const pats = c.sources.map((s) => {
          if (s.kind !== 'IndexPattern') throw new EsqlCompileError('FROM subqueries are not evaluable in the browser', s.loc);
          return s.pattern;
        });
        const include = pats.filter((p) => !p.startsWith('-')).map(patternRe);
        const exclude = pats.filter((p) => p.startsWith('-')).map((p) => patternRe(p.slice(1)));
        return (rows) =>
          rows.filter((r) => {
            const idx = r.cols.get('_index');
            if (typeof idx !== 'string') return true;
            return include.some((re) => re.test(idx)) && !exclude.some((re) => re.test(idx));
          });
      }
      case 'Row': {
        const fields = c.fields.map((f) => ({ name: f.name ? f.name.name : this.nameOf(f.expr, f.loc), f: this.expr(f.expr) }));
        return () => {
          const row: Row = { cols: new Map(), src: [], doc: null };
          for (const f of fields) row.cols.set(f.name, f.f(row));
          return [row];
        };
      }
      case 'Where': {
        const p = this.cond(c.condition);
        return (rows) => rows.filter((r) => p(r) === true);
      }
      case 'Eval': {
        const fields = c.fields.map((f) => ({ name: f.name ? f.name.name : this.nameOf(f.expr, f.loc), f: this.expr(f.expr) }));
        return (rows) =>
          rows.map((r) => {
            const row: Row = { ...r, cols: new Map(r.cols) };
            for (const f of fields) {
              const v = f.f(row);
              row.cols.delete(f.name);
              row.cols.set(f.name, v);
            }
            return row;
          });
      }
      case 'Stats':
      case 'InlineStats':
        return this.stats(c);
      case 'Keep': {
        const pats = c.columns.map((p: EsqlNamePattern) => (p.wildcard ? patternRe(p.pattern) : p.pattern));
        return (rows) =>
          rows.map((r) => {
            const cols = new Map<string, EV>();
            for (const p of pats) {
              if (typeof p === 'string') {
                cols.delete(p);
                cols.set(p, r.cols.get(p) ?? null);
              } else for (const [k, v] of r.cols) if (p.test(k) && !cols.has(k)) cols.set(k, v);
            }
            return { ...r, cols };
          });
      }
      case 'Drop': {
        const pats = c.columns.map((p) => (p.wildcard ? patternRe(p.pattern) : new RegExp(`^${p.pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&')}$`)));
        return (rows) => rows.map((r) => ({ ...r, cols: new Map([...r.cols].filter(([k]) => !pats.some((p) => p.test(k)))) }));
      }
      case 'Rename': {
        const pairs = c.clauses.map((cl) => [cl.oldName.pattern, cl.newName.pattern] as const);
        return (rows) =>
          rows.map((r) => {
            let cols = r.cols;
            for (const [from, to] of pairs) {
              if (!cols.has(from)) continue;
              const next = new Map<string, EV>();
              for (const [k, v] of cols) {
                if (k === to) continue;
                next.set(k === from ? to : k, v);
              }
              cols = next;
            }
            return { ...r, cols };
          });
      }
      case 'Sort': {
        const keys = c.keys.map((k) => ({ f: this.expr(k.expr), desc: k.order === 'desc', nullsFirst: k.nulls === null ? k.order === 'desc' : k.nulls === 'first' }));
        return (rows) =>
          rows
            .map((r, i) => ({ r, i, ks: keys.map((k) => k.f(r)) }))
            .sort((a, b) => {
              for (let j = 0; j < keys.length; j++) {
                const k = keys[j] as (typeof keys)[number];
                const x = a.ks[j] ?? null;
                const y = b.ks[j] ?? null;
                if (x === null || y === null) {
                  if (x === y) continue;
                  return (x === null) === k.nullsFirst ? -1 : 1;
                }
                const xs = listOf(x);
                const ys = listOf(y);
                const pick = (l: Scalar[]): Scalar => l.reduce((m, v) => ((compareScalars(v, m) ?? 0) * (k.desc ? -1 : 1) < 0 ? v : m));
                const cmp = compareScalars(pick(xs), pick(ys)) ?? 0;
                if (cmp !== 0) return k.desc ? -cmp : cmp;
              }
              return a.i - b.i;
            })
            .map((x) => x.r);
      }
      case 'Limit': {
        if (c.count.kind !== 'Number') throw new EsqlCompileError('query parameters are not supported', c.count.loc);
        const n = c.count.value;
        return (rows) => rows.slice(0, n);
      }
      case 'MvExpand': {
        const name = c.field.name;
        return (rows) =>
          rows.flatMap((r) => {
            const v = r.cols.get(name) ?? null;
            if (!Array.isArray(v)) return [r];
            return v.map((x) => {
              const cols = new Map(r.cols);
              cols.set(name, x);
              return { ...r, cols };
            });
          });
      }
      case 'Dissect': {
        if (c.pattern.kind !== 'String') throw new EsqlCompileError('query parameters are not supported', c.pattern.loc);
        const d = compileDissect(c.pattern.value);
        if (!d.ok) throw new EsqlCompileError(`DISSECT: ${d.error}`, c.pattern.loc);
        const sepOpt = c.options.find((o) => o.name === 'APPEND_SEPARATOR');
        const sep = sepOpt && sepOpt.value.kind === 'String' ? sepOpt.value.value : '';
        const input = this.expr(c.input);
        return (rows) =>
          rows.map((r) => {
            const v = input(r);
            const m = v === null || Array.isArray(v) ? null : dissectMatch(d, stringOf(v), sep);
            const cols = new Map(r.cols);
            for (const col of d.columns) {
              cols.delete(col);
              cols.set(col, m ? (m[col] ?? null) : null);
            }
            return { ...r, cols };
          });
      }
      case 'Grok': {
        const patterns = c.patterns.map((p) => {
          if (p.kind !== 'String') throw new EsqlCompileError('query parameters are not supported', p.loc);
          const g = compileGrok(p.value);
          if (!g.ok) throw new EsqlCompileError(`GROK: ${g.error}`, p.loc);
          return g;
        });
        const columns = [...new Set(patterns.flatMap((g) => g.fields.map((f) => f.column)))];
        const input = this.expr(c.input);
        return (rows) =>
          rows.map((r) => {
            const v = input(r);
            let m: Record<string, string | number | null> | null = null;
            if (v !== null && !Array.isArray(v)) {
              for (const g of patterns) {
                m = grokMatch(g, stringOf(v));
                if (m) break;
              }
            }
            const cols = new Map(r.cols);
            for (const col of columns) {
              cols.delete(col);
              cols.set(col, m ? (m[col] ?? null) : null);
            }
            return { ...r, cols };
          });
      }
      default: {
        const why = NOT_EVALUABLE[c.kind] ?? `${c.kind} is not supported`;
        throw new EsqlCompileError(`not evaluable in the browser: ${why}`, c.loc);
      }
    }
  }
}

function staticType(name: string): string | null {
  return ecsTypeOf(name);
}

function castFunction(type: string): ((args: EV[], ctx: { now: number }) => EV) | null {
  switch (type) {
    case 'string':
    case 'keyword':
    case 'text':
      return ESQL_FUNCTIONS.TO_STRING ?? null;
    case 'double':
    case 'float':
      return ESQL_FUNCTIONS.TO_DOUBLE ?? null;
    case 'long':
    case 'integer':
    case 'int':
      return ESQL_FUNCTIONS.TO_LONG ?? null;
    case 'ip':
      return ESQL_FUNCTIONS.TO_IP ?? null;
    case 'datetime':
    case 'date':
      return ESQL_FUNCTIONS.TO_DATETIME ?? null;
    case 'boolean':
    case 'bool':
      return ESQL_FUNCTIONS.TO_BOOLEAN ?? null;
    default:
      return null;
  }
}

/** The commands of a query (FROM first); refuses what cannot run here. */
export function compileEsql(ast: EsqlQuery, opts: EsqlOptions): CompileEsqlResult {
  const c = new EsqlCompiler(opts);
  let steps: ((rows: Row[]) => Row[])[];
  try {
    if (ast.settings.length > 0) throw new EsqlCompileError('SET directives are not supported', ast.settings[0]?.loc ?? null);
    steps = ast.commands.map((cmd) => c.command(cmd));
  } catch (e) {
    if (e instanceof EsqlCompileError) return { ok: false, error: e.message, loc: e.loc };
    throw e;
  }
  const firstAgg = ast.commands.findIndex((cmd) => cmd.kind === 'Stats' || cmd.kind === 'InlineStats');
  const rowLocal = ast.commands.slice(0, firstAgg < 0 ? ast.commands.length : firstAgg);
  const withSource = ast.commands.some((cmd) => cmd.kind === 'From' && cmd.metadata.includes('_source'));
  // With `immutableEvents`: the rows each event gives after the leading row-by-row commands, by
  // event object and input position (a run that throws is redone without them, so that it
  // reports the same error).
  let byRow = 0;
  while (byRow < ast.commands.length && ROW_BY_ROW.has((ast.commands[byRow] as EsqlCommand).kind)) byRow++;
  const kept = opts.immutableEvents && byRow > 0 ? new WeakMap<object, Map<number, Row[]>>() : null;
  const keptRows = (ordered: readonly PreparedEvent[], memo: WeakMap<object, Map<number, Row[]>>): Row[] => {
    let rows: Row[] = [];
    for (const e of ordered) {
      const doc = e.doc;
      const byIndex = doc !== null && typeof doc === 'object' ? memo.get(doc) : undefined;
      let out = byIndex?.get(e.index);
      if (out === undefined) {
        out = [rowOf(doc, e.index, withSource)];
        for (let i = 0; i < byRow; i++) out = (steps[i] as (rows: Row[]) => Row[])(out);
        if (doc !== null && typeof doc === 'object') {
          if (byIndex) byIndex.set(e.index, out);
          else memo.set(doc, new Map([[e.index, out]]));
        }
      }
      for (const r of out) rows.push(r);
    }
    for (let i = byRow; i < steps.length; i++) rows = (steps[i] as (rows: Row[]) => Row[])(rows);
    return rows;
  };
  const run = (events: readonly unknown[], size?: number): QueryRun => {
    const ordered = orderEvents(events, opts.timestampField ? { timestampField: opts.timestampField } : {});
    let rows: Row[] | null = null;
    const notes: string[] = [];
    if (kept) {
      try {
        rows = keptRows(ordered, kept);
      } catch (e) {
        if (!(e instanceof EsqlRuntimeError)) throw e;
      }
    }
    if (rows === null) {
      rows = ordered.map((e) => rowOf(e.doc, e.index, withSource));
      try {
        for (const step of steps) rows = step(rows);
      } catch (e) {
        if (e instanceof EsqlRuntimeError) return { kind: 'rows', matches: [], notes: [e.message] };
        throw e;
      }
    }
    rows = rows.slice(0, Math.min(IMPLICIT_LIMIT, size ?? opts.size ?? IMPLICIT_LIMIT));
    const matches: QueryMatch[] = rows.map((r) => {
      const row: Record<string, unknown> = {};
      for (const [k, v] of r.cols) row[k] = plainValue(v);
      // A kept row's `src` is shared by every run that reuses it: each match gets its own copy.
      return { events: kept ? [...r.src] : r.src, row };
    });
    return { kind: 'rows', matches, notes };
  };
  const explain = (doc: unknown): TraceNode[] => explainRowLocal(c, rowLocal, doc, withSource);
  return { ok: true, query: { language: 'esql', kind: 'rows', run: (events, o = {}) => run(events, o.size), explain } };
}

/** Traces of the WHERE conditions before the first STATS for one event. */
function explainRowLocal(c: EsqlCompiler, commands: EsqlCommand[], doc: unknown, withSource: boolean): TraceNode[] {
  let rows: Row[] = [rowOf(doc, 0, withSource)];
  const out: TraceNode[] = [];
  for (const cmd of commands) {
    if (cmd.kind === 'Where') {
      const row = rows[0];
      const node = row ? traceCondition(c, cmd.condition, row) : { kind: 'where', loc: cmd.loc, outcome: 'false' as const, note: 'no row reaches this command' };
      out.push({ kind: 'where', loc: cmd.loc, outcome: node.outcome, children: [node] });
    }
    try {
      rows = c.command(cmd)(rows);
    } catch {
      break;
    }
  }
  return out;
}

function traceCondition(c: EsqlCompiler, e: EsqlExpr, row: Row): TraceNode {
  const outcomeOf = (v: boolean | null): TraceNode['outcome'] => (v === true ? 'true' : v === null ? 'missing' : 'false');
  if (e.kind === 'And' || e.kind === 'Or') {
    const children = e.operands.map((o) => traceCondition(c, o, row));
    return { kind: e.kind === 'And' ? 'and' : 'or', loc: e.loc, outcome: outcomeOf(c.cond(e)(row)), children };
  }
  if (e.kind === 'Not') return { kind: 'not', loc: e.loc, outcome: outcomeOf(c.cond(e)(row)), children: [traceCondition(c, e.expr, row)] };
  let v: boolean | null;
  try {
    v = c.cond(e)(row);
  } catch (err) {
    return { kind: 'predicate', loc: e.loc, outcome: 'false', note: (err as Error).message };
  }
  const fields: string[] = [];
  const walk = (x: EsqlExpr): void => {
    if (x.kind === 'Field') fields.push(x.name);
    else if (x.kind === 'Comparison') {
      walk(x.left);
      walk(x.right);
    } else if (x.kind === 'Like' || x.kind === 'In' || x.kind === 'IsNull' || x.kind === 'Cast') walk(x.expr);
    else if (x.kind === 'Call') x.args.forEach(walk);
  };
  walk(e);
  const node: TraceNode = { kind: 'predicate', loc: e.loc, outcome: outcomeOf(v) };
  const f = fields[0];
  if (f !== undefined) {
    node.field = f;
    node.values = listOf(row.cols.get(f) ?? null).slice(0, 5).map((x) => (x instanceof EDate ? x.toJSON() : x));
    if (v === null) node.note = row.cols.get(f) === null || !row.cols.has(f) ? 'null: the field has no value' : 'null: multi-valued or not comparable';
  }
  return node;
}
