/**
 * Example inputs for ES|QL rules.
 *
 * The row-by-row part of the query (the commands before the first STATS / INLINE STATS) is
 * lowered to a formula: each WHERE's conditions, `KQL()` / `QSTR()` through the KQL and Lucene
 * lowerings, the other predicates as three-valued atoms whose value is the real evaluator's
 * (the commands before the WHERE — EVAL, GROK, DISSECT, MV_EXPAND — are applied to a one-field
 * event, then the predicate is evaluated). Columns computed by EVAL are traced back to the event
 * fields they read. A negated predicate needs its field to be present (NOT null is null in
 * ES|QL), which the atoms' `testFalse` expresses.
 *
 * When the query aggregates, the event is then repeated, with the fields under the distinct
 * counts (and VALUES) that later conditions bound from below taking distinct values, until the
 * whole query gives a row. The near miss triggers an exclusion of the row-by-row part in every
 * event, or breaks a required predicate, or removes one of the repeated events.
 */
import type { EsqlCommand, EsqlExpr, EsqlQuery } from '../../lang/esql/ast';
import { parseEsql } from '../../lang/esql';
import type { Rule } from '../../model/rule';
import { unicodeCaseInsensitive, type Lang, type Re } from '../automaton';
import type { CompiledQuery } from '../index';
import { compileRule, evaluateCompiledRule, type CompiledRule, type RuleInput } from '../rules';
import { compileEsql, EsqlCompiler } from '../esql/run';
import { rowOf, type Row } from '../esql/value';
import { parseLuceneRegex } from '../regex';
import { luceneWildcardTokens, STAR, ONE, wildcardLanguage, type WildToken } from '../wildcard';
import { ABSENT, buildDoc, docWith, setPath, withPath, type Assigned } from './build';
import { andF, AtomFactory, conjuncts, FALSE_F, notF, orF, TRUE_F, type Formula, type Literal } from './formula';
import { KqlLowering, LuceneLowering } from './lower';
import { FieldSolver, searchFormula, type Solution } from './solve';
import { sampleMatch } from './regex-sample';
import { EVAL_COST, ESQL_REPEAT_WORK, spend, workUsed } from './work';
import { compileGrok } from '../esql/patterns';
import { ecsType } from '../ecs';
import type { SynthesisResult } from './index';

interface Ctx {
  rule: Rule;
  c: CompiledRule;
  now: number;
  F: AtomFactory;
  compiler: EsqlCompiler;
  budget: number;
  /** Values of event fields that GROK / DISSECT / REPLACE in the query would turn into what its conditions want. */
  derived: Map<string, unknown[]>;
}

const caseSet = (cp: number): number[] => unicodeCaseInsensitive([cp, cp]);

function fieldsIn(e: EsqlExpr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'Field':
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case 'And':
    case 'Or':
      e.operands.forEach((o) => fieldsIn(o, out));
      break;
    case 'Not':
    case 'Unary':
    case 'Like':
    case 'IsNull':
    case 'Cast':
      fieldsIn(e.expr, out);
      break;
    case 'In':
      fieldsIn(e.expr, out);
      e.values.forEach((v) => fieldsIn(v, out));
      break;
    case 'Comparison':
    case 'Arithmetic':
      fieldsIn(e.left, out);
      fieldsIn(e.right, out);
      break;
    case 'Call':
      // JSON_EXTRACT(_source, "$.a.b") reads the event field a.b.
      if (e.name === 'JSON_EXTRACT' && e.args[0]?.kind === 'Field' && e.args[0].name === '_source' && e.args[1]?.kind === 'String') {
        const path = e.args[1].value.replace(/^\$\.?/, '');
        if (!out.includes(path)) out.push(path);
        break;
      }
      e.args.forEach((a) => fieldsIn(a, out));
      break;
    case 'Match':
      fieldsIn(e.field, out);
      break;
    default:
      break;
  }
  return out;
}

/** Event fields a column reads, following EVAL / GROK / DISSECT / RENAME definitions backwards. */
function sourceFields(name: string, before: readonly EsqlCommand[], depth = 0): string[] {
  if (depth > 20) return [name];
  // An ECS text multi-field reads its parent field.
  if (name.endsWith('.text') && ecsType(name) === 'match_only_text' && ecsType(name.slice(0, -5)) !== null) return [name.slice(0, -5)];
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i] as EsqlCommand;
    if (c.kind === 'Eval') {
      for (let j = c.fields.length - 1; j >= 0; j--) {
        const f = c.fields[j];
        // JSON_EXTRACT(_source, "$.a.b") reads the event field a.b.
        if (f?.name?.name === name && f.expr.kind === 'Call' && f.expr.name === 'JSON_EXTRACT' && f.expr.args[0]?.kind === 'Field' && f.expr.args[0].name === '_source' && f.expr.args[1]?.kind === 'String') {
          return [f.expr.args[1].value.replace(/^\$\.?/, '')];
        }
        if (f?.name?.name === name) return fieldsIn(f.expr).flatMap((n) => sourceFields(n, [...before.slice(0, i), { ...c, fields: c.fields.slice(0, j) }], depth + 1));
      }
    } else if ((c.kind === 'Grok' || c.kind === 'Dissect') && c.input.kind === 'Field') {
      const text = c.kind === 'Grok' ? c.patterns.map((p) => (p.kind === 'String' ? p.value : '')).join(' ') : c.pattern.kind === 'String' ? c.pattern.value : '';
      if (text.includes(name)) return sourceFields(c.input.name, before.slice(0, i), depth + 1);
    } else if (c.kind === 'Rename') {
      for (const cl of c.clauses) if (cl.newName.pattern === name) return sourceFields(cl.oldName.pattern, before.slice(0, i), depth + 1);
    }
  }
  return [name];
}

/** Whether an expression is the field itself or a case conversion of it (for languages). */
function directField(e: EsqlExpr): { field: string; fold: boolean } | null {
  if (e.kind === 'Field') return { field: e.name, fold: false };
  if (e.kind === 'Cast') return directField(e.expr);
  if (e.kind === 'Call' && (e.name === 'TO_LOWER' || e.name === 'TO_UPPER') && e.args[0]) {
    const d = directField(e.args[0]);
    return d ? { field: d.field, fold: true } : null;
  }
  return null;
}

function literalOf(e: EsqlExpr): string | number | boolean | null {
  return e.kind === 'String' || e.kind === 'Number' || e.kind === 'Boolean' ? e.value : null;
}

function wildCands(tokens: readonly WildToken[]): string[] {
  return [tokens.map((t) => (t === STAR ? '' : t === ONE ? 'a' : t)).join(''), tokens.map((t) => (t === STAR ? 'x' : t === ONE ? 'a' : t)).join('')];
}

export class EsqlLowering {
  constructor(
    private readonly ctx: Ctx,
    /** The row-by-row commands before the WHERE being lowered. */
    private readonly before: EsqlCommand[],
  ) {}

  /**
   * The commands before the WHERE (WHEREs skipped), compiled once; `failed`: one does not
   * compile (no rows then, as when one throws).
   */
  private steps: { run: ((rows: Row[]) => Row[])[]; failed: boolean } | null = null;

  /** Rows of a document after the commands before the WHERE (WHEREs skipped). */
  private rows(doc: unknown): Row[] {
    if (this.steps === null) {
      const run: ((rows: Row[]) => Row[])[] = [];
      let failed = false;
      for (const c of this.before) {
        if (c.kind === 'Where' || c.kind === 'From' || c.kind === 'Limit') continue;
        try {
          run.push(this.ctx.compiler.command(c));
        } catch {
          failed = true;
          break;
        }
      }
      this.steps = { run, failed };
    }
    if (this.steps.failed) return [];
    let rows: Row[] = [rowOf(doc, 0, true)];
    for (const step of this.steps.run) {
      try {
        rows = step(rows);
      } catch {
        return [];
      }
    }
    return rows;
  }

  /** Whether a column's EVAL definition applies a multi-value function. */
  usesMv(col: string): boolean {
    for (const c of this.before) {
      if (c.kind !== 'Eval') continue;
      for (const f of c.fields) if (f.name?.name === col && /\bMV_(COUNT|DEDUPE|SLICE|CONTAINS|INTERSECTION)\b/i.test(this.ctx.compiler.nameOf(f.expr, f.expr.loc))) return true;
    }
    return false;
  }

  lower(e: EsqlExpr): Formula {
    switch (e.kind) {
      case 'And':
        return andF(e.operands.map((o) => this.lower(o)));
      case 'Or':
        return orF(e.operands.map((o) => this.lower(o)));
      case 'Not':
        return notF(this.lower(e.expr));
      case 'Boolean':
        return e.value ? TRUE_F : FALSE_F;
      case 'Call':
        if ((e.name === 'KQL' || e.name === 'QSTR') && e.embedded?.result.ok) {
          const lowerCtx = { F: this.ctx.F, now: this.ctx.now };
          return e.embedded.language === 'kuery' ? new KqlLowering(lowerCtx).lower(e.embedded.result.ast) : new LuceneLowering(lowerCtx).lower(e.embedded.result.ast);
        }
        return this.leaf(e);
      default:
        return this.leaf(e);
    }
  }

  private leaf(e: EsqlExpr): Formula {
    let cond: (row: Row) => boolean | null;
    try {
      cond = this.ctx.compiler.cond(e);
    } catch {
      return FALSE_F;
    }
    const value = (doc: unknown): boolean | null => {
      let sawFalse = false;
      let sawNull = false;
      for (const r of this.rows(doc)) {
        let v: boolean | null;
        try {
          v = cond(r);
        } catch {
          v = null;
        }
        if (v === true) return true;
        if (v === false) sawFalse = true;
        else sawNull = true;
      }
      return sawFalse && !sawNull ? false : sawFalse ? false : null;
    };
    const cols = fieldsIn(e);
    const sources = [...new Set(cols.flatMap((c) => sourceFields(c, this.before)))];
    const field = sources.length === 1 ? (sources[0] as string) : null;
    const cands: unknown[] = [];
    let lang: ((L: Lang) => Re | null) | undefined;
    const direct = (x: EsqlExpr): { field: string; fold: boolean } | null => {
      const d = directField(x);
      return d && field !== null && sourceFields(d.field, this.before)[0] === field && d.field === field ? d : null;
    };
    let exists = false;
    switch (e.kind) {
      case 'Comparison': {
        const lit = literalOf(e.right) ?? literalOf(e.left);
        if (lit !== null) {
          if (typeof lit === 'number') cands.push(lit, lit + 1, lit - 1, lit + 0.5);
          else cands.push(lit);
          const d = direct(e.left);
          if (d && typeof lit === 'string' && (e.op === '==' || e.op === '=~')) lang = (L) => litLang(L, lit, d.fold || e.op === '=~');
        }
        break;
      }
      case 'In':
        for (const v of e.values) {
          const l = literalOf(v);
          if (l !== null) cands.push(l);
        }
        {
          const d = direct(e.expr);
          const strs = cands.filter((c): c is string => typeof c === 'string');
          if (d && strs.length === cands.length && strs.length > 0) lang = (L) => L.altList(strs.map((s) => litLang(L, s, d.fold)));
        }
        break;
      case 'Like': {
        const pats = e.patterns.flatMap((p) => (p.kind === 'String' ? [p.value] : []));
        const d = direct(e.expr);
        if (e.op === 'like') {
          const toks = pats.map(luceneWildcardTokens);
          cands.push(...toks.flatMap(wildCands));
          if (d) lang = (L) => L.altList(toks.map((t) => wildcardLanguage(L, t, d.fold, caseSet)));
        } else if (d) {
          lang = (L) => {
            try {
              return L.altList(pats.map((p) => parseLuceneRegex(L, p, false)));
            } catch {
              return null;
            }
          };
        }
        break;
      }
      case 'IsNull':
        exists = true;
        break;
      case 'Call': {
        const a = e.args[0];
        const b = e.args[1] ? literalOf(e.args[1]) : null;
        if (a && typeof b === 'string' && (e.name === 'STARTS_WITH' || e.name === 'ENDS_WITH' || e.name === 'CONTAINS')) {
          cands.push(b);
          const d = direct(a);
          const toks: WildToken[] = e.name === 'STARTS_WITH' ? [b, STAR] : e.name === 'ENDS_WITH' ? [STAR, b] : [STAR, b, STAR];
          if (d) lang = (L) => wildcardLanguage(L, toks.filter((t) => t !== ''), d.fold, caseSet);
        }
        if (e.name === 'CIDR_MATCH') for (const x of e.args.slice(1)) if (x.kind === 'String') cands.push(x.value.replace(/\.0\/\d+$/, '.5').replace(/\/\d+$/, ''));
        if (e.name === 'MATCH' && b !== null) cands.push(b);
        break;
      }
      case 'Match':
        if (e.query.kind === 'String') cands.push(e.query.value);
        break;
      default:
        break;
    }
    // Every constant of the predicate is a natural candidate (MV_CONTAINS(f, "x"), f == TO_LOWER("X"), …).
    const walkLits = (x: EsqlExpr): void => {
      const l = literalOf(x);
      if (typeof l === 'string' && !cands.includes(l)) cands.push(l, l.toLowerCase());
      else if (typeof l === 'number') {
        if (!cands.includes(l)) cands.push(l, l + 1);
        if (l > 0 && l <= 20_000 && Number.isInteger(l) && !cands.includes('x'.repeat(l + 1))) cands.push('x'.repeat(l + 1));
      } else if (typeof l === 'boolean') {
        if (!cands.includes(l)) cands.push(l);
        if (!cands.includes(!l)) cands.push(!l);
      }
      if (x.kind === 'Call' && x.name === 'SPACE' && x.args[0]?.kind === 'Number' && x.args[0].value <= 10_000) {
        const sp = ' '.repeat(x.args[0].value);
        cands.push(sp, `x${sp}x`);
      }
      if (x.kind === 'Call') x.args.forEach(walkLits);
      else if (x.kind === 'Comparison' || x.kind === 'Arithmetic') {
        walkLits(x.left);
        walkLits(x.right);
      } else if (x.kind === 'In') {
        walkLits(x.expr);
        x.values.forEach(walkLits);
      } else if (x.kind === 'List') x.values.forEach((v) => walkLits(v as EsqlExpr));
      else if (x.kind === 'And' || x.kind === 'Or') x.operands.forEach(walkLits);
      else if (x.kind === 'Not' || x.kind === 'IsNull' || x.kind === 'Cast' || x.kind === 'Unary') walkLits(x.expr);
      else if (x.kind === 'Like') {
        for (const p of x.patterns) {
          if (p.kind !== 'String') continue;
          if (x.op === 'like') {
            for (const w of wildCands(luceneWildcardTokens(p.value))) if (!cands.includes(w)) cands.push(w);
          } else {
            const smp = sampleMatch(p.value);
            if (smp !== null && !cands.includes(smp)) cands.push(smp);
          }
        }
        walkLits(x.expr);
      }
    };
    walkLits(e);
    // …and those of the EVAL definitions of the columns it reads.
    const seenCols = new Set<string>();
    const defs = (col: string, depth: number): void => {
      if (depth > 6 || seenCols.has(col)) return;
      seenCols.add(col);
      for (const c of this.before) {
        if (c.kind !== 'Eval') continue;
        for (const fdef of c.fields) {
          if (fdef.name?.name !== col) continue;
          walkLits(fdef.expr);
          for (const x of fieldsIn(fdef.expr)) defs(x, depth + 1);
        }
      }
    };
    for (const col of cols) defs(col, 0);
    if (e.kind === 'Field') cands.push(true);
    // Multi-value tests (MV_COUNT(f) > 1, …) want arrays.
    if (/\bMV_(COUNT|DEDUPE|SLICE|CONTAINS|INTERSECTION)\b/i.test(this.ctx.compiler.nameOf(e, e.loc)) || cols.some((col) => this.usesMv(col))) {
      const strs = cands.filter((x): x is string => typeof x === 'string');
      cands.push([strs[0] ?? 'x', strs[1] ?? 'y'], [strs[0] ?? 'x', strs[1] ?? 'y', strs[2] ?? 'z']);
    }
    for (const src of sources) for (const v of this.ctx.derived.get(src) ?? []) if (!cands.includes(v)) cands.push(v);
    const pred = { test: (doc: unknown) => value(doc) === true, explain: () => ({ kind: 'predicate', loc: e.loc, outcome: 'false' as const }) };
    const atom = this.ctx.F.make({
      field,
      fields: sources,
      pred,
      falseOn: (doc: unknown) => value(doc) === false,
      ...(field !== null ? { test: (v: unknown) => value(docWith(field, v)) === true, testFalse: (v: unknown) => value(docWith(field, v)) === false } : {}),
      candidates: cands,
      ...(lang ? { lang } : {}),
      ...(exists && e.kind === 'IsNull' ? { exists: true } : {}),
      loc: e.loc,
      label: this.ctx.compiler.nameOf(e, e.loc).slice(0, 80),
    });
    return { t: 'lit', atom, neg: false };
  }
}

function litLang(L: Lang, s: string, ci: boolean): Re {
  const parts: Re[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    parts.push(ci ? L.set(caseSet(cp)) : L.char(cp));
  }
  return L.catAll(parts);
}

/** Constants the row-by-row conditions compare columns with (`col == "x"`, `col IN (…)`, `col LIKE "x*"`). */
function columnConstants(rowCmds: readonly EsqlCommand[]): Map<string, string> {
  const out = new Map<string, string>();
  const scan = (e: EsqlExpr): void => {
    if (e.kind === 'And' || e.kind === 'Or') e.operands.forEach(scan);
    else if (e.kind === 'Comparison' && (e.op === '==' || e.op === '=~') && e.left.kind === 'Field') {
      const l = literalOf(e.right);
      if (typeof l === 'string' && !out.has(e.left.name)) out.set(e.left.name, l);
    } else if (e.kind === 'In' && !e.negated && e.expr.kind === 'Field') {
      const l = e.values.map(literalOf).find((x) => typeof x === 'string');
      if (typeof l === 'string' && !out.has(e.expr.name)) out.set(e.expr.name, l);
    } else if (e.kind === 'Like' && !e.negated && e.expr.kind === 'Field' && e.op === 'like') {
      const p = e.patterns[0];
      if (p?.kind === 'String' && !out.has(e.expr.name)) out.set(e.expr.name, luceneWildcardTokens(p.value).map((t) => (t === STAR ? '' : t === ONE ? 'a' : t)).join(''));
    }
  };
  for (const c of rowCmds) if (c.kind === 'Where') scan(c.condition);
  // RLIKE patterns: a sample match.
  const scanRlike = (e: EsqlExpr): void => {
    if (e.kind === 'And' || e.kind === 'Or') e.operands.forEach(scanRlike);
    else if (e.kind === 'Like' && !e.negated && e.op === 'rlike') {
      const d = directField(e.expr);
      const p = e.patterns[0];
      if (d && p?.kind === 'String' && !out.has(d.field)) {
        const smp = sampleMatch(p.value);
        if (smp !== null) out.set(d.field, smp);
      }
    }
  };
  for (const c of rowCmds) if (c.kind === 'Where') scanRlike(c.condition);
  // Backwards through EVAL: a constant wanted of `c = REPLACE(x, "lit", …)` / TO_LOWER(x) / URL_DECODE(x)
  // is (close to) one wanted of x.
  for (let i = rowCmds.length - 1; i >= 0; i--) {
    const c = rowCmds[i] as EsqlCommand;
    if (c.kind !== 'Eval') continue;
    for (let j = c.fields.length - 1; j >= 0; j--) {
      const f = c.fields[j];
      const name = f?.name?.name;
      if (!f || name === undefined || !out.has(name)) continue;
      const k = out.get(name) as string;
      const e = f.expr;
      if (e.kind === 'Call' && e.args[0]?.kind === 'Field' && ['REPLACE', 'TO_LOWER', 'TO_UPPER', 'URL_DECODE', 'TRIM', 'MV_FIRST', 'MV_LAST', 'TO_STRING'].includes(e.name)) {
        const x = e.args[0].name;
        if (x === name) continue;
        let pre = k;
        if (e.name === 'REPLACE' && e.args[1]?.kind === 'String' && /^[A-Za-z0-9=:_ -]+$/.test(e.args[1].value)) pre = `${e.args[1].value}${k}`;
        if (!out.has(x)) out.set(x, pre);
      } else if (e.kind === 'Field' && !out.has(e.name)) out.set(e.name, k);
    }
  }
  return out;
}

/** Candidate values of event fields derived backwards through GROK, DISSECT and REPLACE. */
function derivedCandidates(rowCmds: readonly EsqlCommand[]): Map<string, unknown[]> {
  const consts = columnConstants(rowCmds);
  const out = new Map<string, unknown[]>();
  const add = (field: string, v: string | null): void => {
    if (v === null) return;
    const list = out.get(field) ?? [];
    // The value, and a variant with other characters (two derived columns may have to differ).
    for (const x of [v, v.replace(/1/g, '2').replace(/x/g, 'y').replace(/\ba\b/g, 'b')]) if (!list.includes(x)) list.push(x);
    out.set(field, list);
  };
  rowCmds.forEach((c, i) => {
    const before = rowCmds.slice(0, i);
    if (c.kind === 'Dissect' && c.pattern.kind === 'String') {
      const filled = c.pattern.value.replace(/%\{([^}]*)\}/g, (_m, body: string) => {
        const name = body.replace(/->$/, '').replace(/^[?+&*]/, '');
        return body === '' || body.startsWith('?') ? 'x' : (consts.get(name) ?? 'x');
      });
      for (const f of fieldsIn(c.input).flatMap((x) => sourceFields(x, before))) add(f, filled);
    } else if (c.kind === 'Grok') {
      for (const p of c.patterns) {
        if (p.kind !== 'String') continue;
        const g = compileGrok(p.value);
        if (!g.ok) continue;
        const groups: Record<string, string> = {};
        for (const fl of g.fields) {
          const k = consts.get(fl.column);
          if (k !== undefined) groups[fl.group] = k;
        }
        const sample = sampleMatch(g.re.source, groups);
        for (const f of fieldsIn(c.input).flatMap((x) => sourceFields(x, before))) add(f, sample);
      }
    } else if (c.kind === 'Eval') {
      const visit = (e: EsqlExpr): void => {
        if (e.kind === 'Call' && e.name === 'REPLACE' && e.args[0] && e.args[1]?.kind === 'String') {
          const sample = sampleMatch(e.args[1].value);
          if (sample) {
            for (const f of fieldsIn(e.args[0]).flatMap((x) => sourceFields(x, before))) {
              for (const k of [1, 3, 25, 60, 250, 1100]) {
                add(f, Array(k).fill(sample).join(' '));
                add(f, sample.repeat(k));
              }
            }
          }
        }
        if (e.kind === 'Call') e.args.forEach(visit);
      };
      c.fields.forEach((f) => visit(f.expr));
    }
  });
  return out;
}

/** The row-by-row formula: every WHERE before the first STATS. */
function rowFormula(ctx: Ctx, ast: EsqlQuery): Formula {
  const parts: Formula[] = [];
  const firstAgg = ast.commands.findIndex((c) => c.kind === 'Stats' || c.kind === 'InlineStats');
  const rowCmds = ast.commands.slice(0, firstAgg < 0 ? ast.commands.length : firstAgg);
  rowCmds.forEach((c, i) => {
    if (c.kind === 'Where') parts.push(new EsqlLowering(ctx, rowCmds.slice(0, i)).lower(c.condition));
  });
  return andF(parts);
}

/**
 * Fields the aggregation needs: `present` — read by an aggregate a later condition tests (they
 * must have a value); `vary` — under a distinct count (or VALUES) a later condition bounds from
 * below, so the repeated events give them distinct values.
 */
interface AggNeeds {
  present: string[];
  vary: string[];
  by: string[];
  /** Conditions some events should meet (aggregate WHERE filters, columns summed or counted). */
  kinds: EsqlExpr[];
  /** Numeric values fields need for a MIN / MAX / AVG / SUM bound from below. */
  floors: Map<string, number>;
  /** Most distinct values a varied field may take (`COUNT_DISTINCT(f) == 2`, `<= 3`). */
  varyCap: Map<string, number>;
}

function aggregateNeeds(ast: EsqlQuery): AggNeeds {
  const i = ast.commands.findIndex((c) => c.kind === 'Stats' || c.kind === 'InlineStats');
  if (i < 0) return { present: [], vary: [], by: [], kinds: [], floors: new Map(), varyCap: new Map() };
  const stats = ast.commands[i] as Extract<EsqlCommand, { kind: 'Stats' | 'InlineStats' }>;
  const before = ast.commands.slice(0, i);
  const later = ast.commands.slice(i + 1);
  const lower = new Set<string>();
  const caps = new Map<string, number>();
  const positive = new Set<string>();
  const bounds = new Map<string, number>();
  const tested = new Set<string>();
  const scan = (e: EsqlExpr): void => {
    if (e.kind === 'Comparison') {
      for (const f of fieldsIn(e.left)) tested.add(f);
      for (const f of fieldsIn(e.right)) tested.add(f);
      const bound = literalOf(e.right);
      if ((e.op === '>' || e.op === '>=') && (typeof bound !== 'number' || bound >= (e.op === '>' ? 1 : 2))) for (const f of fieldsIn(e.left)) lower.add(f);
      if (e.op === '==' && typeof bound === 'number' && bound >= 2 && e.left.kind === 'Field') {
        lower.add(e.left.name);
        caps.set(e.left.name, bound);
      }
      if ((e.op === '<' || e.op === '<=') && typeof bound === 'number' && e.left.kind === 'Field') caps.set(e.left.name, e.op === '<' ? bound - 1 : bound);
      if ((e.op === '>' || e.op === '>=' || e.op === '==') && typeof bound === 'number' && e.left.kind === 'Field') {
        positive.add(e.left.name);
        bounds.set(e.left.name, e.op === '>' ? bound + 1 : bound);
      }
    } else if (e.kind === 'And' || e.kind === 'Or') e.operands.forEach(scan);
    else if (e.kind === 'Not' || e.kind === 'IsNull') scan(e.expr);
    else for (const f of fieldsIn(e)) tested.add(f);
  };
  for (const c of later) if (c.kind === 'Where') scan(c.condition);
  for (const c of later) {
    if (c.kind !== 'Eval') continue;
    for (const f of c.fields) {
      if (!f.name) continue;
      if (lower.has(f.name.name)) for (const x of fieldsIn(f.expr)) lower.add(x);
      if (tested.has(f.name.name)) for (const x of fieldsIn(f.expr)) tested.add(x);
    }
  }
  const present = new Set<string>();
  const vary = new Set<string>();
  const varyCap = new Map<string, number>();
  const kinds: EsqlExpr[] = [];
  const floors = new Map<string, number>();
  for (const a of stats.aggregates) {
    const name = a.name?.name ?? '';
    const isTested = tested.has(name);
    const isLower = lower.has(name);
    if (positive.has(name)) {
      if (a.where) kinds.push(a.where);
      const call = a.expr.kind === 'Call' ? a.expr : null;
      const arg = call?.args[0];
      if (call && arg && ['SUM', 'MAX', 'MIN', 'AVG'].includes(call.name)) {
        const fields = fieldsIn(arg);
        const evalDefined = fields.some((f) => sourceFields(f, before)[0] !== f);
        if (evalDefined) kinds.push({ kind: 'Comparison', loc: arg.loc, op: '>', left: arg, right: { kind: 'Number', loc: arg.loc, value: 0, raw: '0', integer: true } });
        else if (arg.kind === 'Field') floors.set(arg.name, Math.max(1, bounds.get(name) ?? 1));
      }
      if (call && arg && call.name === 'COUNT_DISTINCT' && fieldsIn(arg).some((f) => sourceFields(f, before)[0] !== f)) {
        kinds.push({ kind: 'IsNull', loc: arg.loc, negated: true, expr: arg });
      }
    }
    const walk = (e: EsqlExpr): void => {
      if (e.kind === 'Call' && e.args[0] && ['COUNT_DISTINCT', 'VALUES', 'MIN', 'MAX', 'SUM', 'AVG', 'COUNT', 'TOP'].includes(e.name)) {
        const src = fieldsIn(e.args[0]).flatMap((f) => sourceFields(f, before));
        if (isTested) src.forEach((f) => present.add(f));
        if (isLower && (e.name === 'COUNT_DISTINCT' || e.name === 'VALUES')) {
          src.forEach((f) => vary.add(f));
          const cap = caps.get(name);
          if (cap !== undefined) for (const f of src) varyCap.set(f, Math.min(varyCap.get(f) ?? Infinity, cap));
        }
      } else if (e.kind === 'Call') e.args.forEach(walk);
    };
    walk(a.expr);
  }
  const by = stats.by.flatMap((b) => fieldsIn(b.expr).flatMap((f) => sourceFields(f, before)));
  return { present: [...present], vary: [...vary], by, kinds, floors, varyCap };
}

const COUNTS = [1, 2, 3, 4, 5, 6, 8, 10, 11, 12, 15, 16, 20, 21, 25, 26, 30, 31, 40, 50, 51, 60, 75, 100, 101, 150, 200, 201, 251, 300, 501, 1001];

function exclusions(f: Formula): Formula[] {
  const allNeg = (x: Formula): boolean => (x.t === 'lit' ? x.neg : x.t === 'and' || x.t === 'or' ? x.xs.every(allNeg) : false);
  return conjuncts(f).filter(allNeg);
}

function fieldsOfF(f: Formula, out = new Set<string>()): Set<string> {
  if (f.t === 'lit') f.atom.fields.forEach((x) => out.add(x));
  else if (f.t === 'and' || f.t === 'or') f.xs.forEach((x) => fieldsOfF(x, out));
  return out;
}

/** What the caller of `esqlExamples` already has (each is made here when not given). */
export interface EsqlPrepared {
  /** The rule compiled with `compileRule(rule, { now, immutableEvents: true })` (synthesis never changes an event it has evaluated). */
  compiled?: CompiledRule;
  /** The rule's query parsed (`parseEsql(rule.query)`). */
  ast?: EsqlQuery;
}

/** Synthesises an example and a near miss for an ES|QL rule. */
export function esqlExamples(rule: Rule, now: number, budget = 3000, prepared: EsqlPrepared = {}): SynthesisResult {
  if (rule.query === null) return { ok: false, reason: 'the rule has no query' };
  let ast = prepared.ast;
  if (ast === undefined) {
    const parsed = parseEsql(rule.query);
    if (!parsed.ok) return { ok: false, reason: 'the query does not parse' };
    ast = parsed.ast;
  }
  const c = prepared.compiled ?? compileRule(rule, { now, immutableEvents: true });
  if (c.error !== null || !c.query) return { ok: false, reason: c.error ?? 'no query' };
  const firstAgg = ast.commands.findIndex((x) => x.kind === 'Stats' || x.kind === 'InlineStats');
  const rowCmds = ast.commands.slice(0, firstAgg < 0 ? ast.commands.length : firstAgg);
  const ctx: Ctx = { rule, c, now, F: new AtomFactory(), compiler: new EsqlCompiler({ now, text: rule.query }), budget, derived: derivedCandidates(rowCmds) };
  const prefixAst: EsqlQuery = { ...ast, commands: ast.commands.slice(0, firstAgg < 0 ? ast.commands.length : firstAgg) };
  const prefix = compileEsql(prefixAst, { now, text: rule.query });
  if (!prefix.ok) return { ok: false, reason: prefix.error };
  const prefixQuery: CompiledQuery = prefix.query;
  const tsField = rule.timestampOverride ?? '@timestamp';
  const t0 = now - 330_000;
  // The timestamp of the i-th event (events are stamped many times: candidates, repeats, near misses).
  const isoTimes: string[] = [];
  const isoAt = (i: number): string => (isoTimes[i] ??= new Date(t0 + i * 100).toISOString());
  const stamp = (d: Record<string, unknown>, i: number): Record<string, unknown> => {
    const iso = isoAt(i);
    const out = withPath(d, tsField, iso);
    if (tsField !== '@timestamp') setPath(out, '@timestamp', iso);
    return out;
  };
  const passesRows = (d: Record<string, unknown>): boolean => {
    spend(EVAL_COST * 2);
    return prefixQuery.run([stamp(d, 0)]).matches.length > 0;
  };
  const f = rowFormula(ctx, ast);
  const needs = aggregateNeeds(ast);
  let doc: Record<string, unknown> | null = null;
  const sol = searchFormula(
    f,
    now,
    (s) => {
      const d = buildDoc(s.assign);
      if (!passesRows(d)) return false;
      doc = d;
      return true;
    },
    { budget, avoid: new Map([...needs.present, ...needs.by].filter((x) => !needs.floors.has(x)).map((x) => [x, []])), fixed: new Map(needs.floors) },
  );
  if (!sol || !doc) return { ok: false, reason: 'no event passes the conditions before STATS' };
  const base: Record<string, unknown> = doc;
  const fired = (input: RuleInput): boolean => {
    spend(EVAL_COST * (1 + input.events.length));
    return evaluateCompiledRule(c, input).fired;
  };
  // Event kinds: the base event, and events meeting the aggregates' own conditions, all in the
  // base event's groups (same BY values). Then repeat them, varying the distinct-count fields.
  const vary = needs.vary;
  const groupFixed = new Map<string, Assigned>();
  for (const b of needs.by) if (sol.assign.has(b)) groupFixed.set(b, sol.assign.get(b) as Assigned);
  for (const [k, v] of needs.floors) groupFixed.set(k, v);
  const pools: { doc: Record<string, unknown>; sol: Solution }[] = [{ doc: base, sol }];
  for (const k of needs.kinds) {
    const kf = andF([f, new EsqlLowering(ctx, rowCmds).lower(k)]);
    let d: Record<string, unknown> | null = null;
    const ks = searchFormula(kf, now, (x) => {
      const b = buildDoc(x.assign);
      if (!passesRows(b)) return false;
      d = b;
      return true;
    }, { budget: 800, fixed: groupFixed, avoid: new Map(needs.present.filter((x) => !groupFixed.has(x)).map((x) => [x, []])) });
    if (ks && d) pools.push({ doc: d, sol: ks });
  }
  const docs: Record<string, unknown>[] = pools.map((p) => p.doc);
  const used = new Map<string, unknown[]>(vary.map((v) => [v, pools.map((p) => p.sol.assign.get(v)).filter((x) => x !== ABSENT && x !== undefined)]));
  let example: RuleInput | null = null;
  const usedBranches = new Set<string>(pools.map((p) => p.sol.literals.map((l) => `${l.neg ? '-' : '+'}${l.atom.id}`).sort().join(',')));
  // The events stamped so far (`docs` only grows): each count's input reuses them.
  const stamped: Record<string, unknown>[] = [];
  const stampedUpTo = (n: number): Record<string, unknown>[] => {
    for (let i = stamped.length; i < n; i++) stamped.push(stamp(docs[i] as Record<string, unknown>, i));
    return stamped.slice(0, n);
  };
  // Repeating events stops after a share of the work budget (a count, so the outcome is the same on any machine).
  const stopAt = workUsed() + ESQL_REPEAT_WORK;
  for (const n of COUNTS) {
    if (n < docs.length) continue;
    while (docs.length < n) {
      const pool = pools[docs.length % pools.length] as { doc: Record<string, unknown>; sol: Solution };
      if (vary.length === 0) {
        docs.push(pool.doc);
        continue;
      }
      // Only the varied fields change: each solved alone with its own literals, avoiding the
      // values used so far (up to its cap, after which the used values cycle).
      const assign = new Map(pool.sol.assign);
      const solver = new FieldSolver(now, new Map(), used);
      let failed = false;
      for (const v of vary) {
        const list = used.get(v) as unknown[];
        const cap = needs.varyCap.get(v);
        if (cap !== undefined && list.length >= cap) {
          assign.set(v, list[docs.length % list.length] as Assigned);
          continue;
        }
        const lits = pool.sol.literals.filter((l) => l.atom.field === v);
        const value = solver.solve(v, lits);
        if (value === undefined || value === ABSENT) {
          failed = true;
          break;
        }
        assign.set(v, value);
      }
      let d = failed ? null : buildDoc(assign);
      // The first few repeated events try other branches of the conditions (categories).
      if (docs.length < 8 || !d || !passesRows(d)) {
        // The varied fields are tied to others (one branch per value): solve the event again,
        // keeping only the group's values.
        d = null;
        // Prefer another branch of the conditions than the ones used so far (distinct categories).
        const signature = (x: Solution): string => x.literals.map((l) => `${l.neg ? '-' : '+'}${l.atom.id}`).sort().join(',');
        let again: Solution | null = null;
        for (const fresh of [true, false]) {
          again = searchFormula(f, now, (x) => {
            if (fresh && usedBranches.has(signature(x))) return false;
            const b = buildDoc(x.assign);
            if (!passesRows(b)) return false;
            d = b;
            return true;
          }, { budget: 600, fixed: groupFixed, avoid: new Map(vary.filter((v) => { const cap = needs.varyCap.get(v); return cap === undefined || (used.get(v) as unknown[]).length < cap; }).map((v) => [v, used.get(v) as unknown[]])) });
          if (again) break;
        }
        if (again) usedBranches.add(signature(again));
        if (!again || !d) {
          const fast = failed ? null : buildDoc(assign);
          if (!fast || !passesRows(fast)) break;
          d = fast;
          again = null;
        }
        if (again) for (const v of vary) assign.set(v, again.assign.get(v) as Assigned);
      }
      docs.push(d);
      for (const v of vary) {
        const list = used.get(v) as unknown[];
        const cap = needs.varyCap.get(v);
        if (cap === undefined || list.length < cap) list.push(assign.get(v));
      }
      if (workUsed() > stopAt) break;
    }
    if (docs.length < n) break;
    const input: RuleInput = { events: stampedUpTo(n) };
    if (fired(input)) {
      example = input;
      break;
    }
    if (workUsed() > stopAt) break;
  }
  if (!example) return { ok: false, reason: 'no number of repeated events makes the query return a row', partial: { example: { events: stampedUpTo(docs.length) } } };
  const count = example.events.length;
  const rebuild = (map: (d: Record<string, unknown>, i: number) => Record<string, unknown>): RuleInput => ({ events: docs.slice(0, count).map((d, i) => stamp(map(d, i), i)) });
  // Near miss: trigger an exclusion, in every event.
  for (const x of exclusions(f)) {
    const touched = fieldsOfF(x);
    const variant = (assign: Map<string, Assigned>): Record<string, unknown> | null => {
      const fx = new Map<string, Assigned>();
      for (const [k, v] of assign) if (!touched.has(k)) fx.set(k, v);
      let out: Record<string, unknown> | null = null;
      searchFormula(notF(x), now, (s) => {
        out = buildDoc(s.assign);
        return true;
      }, { budget: 500, fixed: fx });
      return out;
    };
    const d = variant(sol.assign);
    if (!d) continue;
    const overlay: Record<string, unknown> = d;
    const input = rebuild((orig) => {
      const out = structuredClone(orig);
      for (const fld of touched) {
        const v = (function get(o: unknown, path: string): unknown {
          return path.split('.').reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), o);
        })(overlay, fld);
        if (v !== undefined) setPath(out, fld, v);
      }
      return out;
    });
    if (!fired(input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: `exclusion triggered: ${describe(x)}`, notes: [] } };
  }
  // …or break a required predicate in every event.
  for (const cj of conjuncts(f)) {
    if (cj.t !== 'lit' || cj.neg || cj.atom.field === null) continue;
    const field = cj.atom.field;
    const lits: Literal[] = [{ atom: cj.atom, neg: true }];
    const fx = new Map<string, Assigned>();
    for (const [k, v] of sol.assign) if (k !== field) fx.set(k, v);
    let broken: Record<string, unknown> | null = null;
    searchFormula({ t: 'lit', atom: lits[0]!.atom, neg: true }, now, (s) => {
      broken = buildDoc(s.assign);
      return true;
    }, { budget: 300, fixed: fx });
    const candidates: (Record<string, unknown> | null)[] = [broken, buildDoc(new Map([...sol.assign].filter(([k]) => k !== field)))];
    for (const b of candidates) {
      if (!b) continue;
      const input = rebuild(() => b);
      if (!fired(input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: `required predicate broken: ${cj.atom.label}`, notes: [] } };
    }
  }
  // …or break a whole conjunct (all branches of an OR) in every event.
  for (const cj of conjuncts(f)) {
    if (cj.t === 'lit' || cj.t === 'const') continue;
    const touched = fieldsOfF(cj);
    const fx = new Map<string, Assigned>();
    for (const [k, v] of sol.assign) if (!touched.has(k)) fx.set(k, v);
    let broken: Record<string, unknown> | null = null;
    searchFormula(notF(cj), now, (x) => {
      broken = buildDoc(x.assign);
      return true;
    }, { budget: 600, fixed: fx });
    if (!broken) continue;
    const b: Record<string, unknown> = broken;
    const input = rebuild(() => b);
    if (!fired(input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: `required condition broken: ${describe(cj)}`, notes: [] } };
  }
  if (count > 1) {
    const input: RuleInput = { events: example.events.slice(1) };
    if (!fired(input)) return { ok: true, examples: { example, nearMiss: input, nearMissNote: 'one event fewer than the aggregation needs', notes: [] } };
  }
  return { ok: false, reason: 'no near miss was found', partial: { example } };
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


/**
 * For a rule whose row-by-row conditions the synthesiser cannot satisfy: the first WHERE that
 * drops the best candidate event, as query text (for diagnostics).
 */
export function diagnoseEsqlRowPhase(rule: Rule, now: number): string | null {
  if (rule.query === null) return null;
  const parsed = parseEsql(rule.query);
  if (!parsed.ok) return null;
  const ast = parsed.ast;
  const firstAgg = ast.commands.findIndex((x) => x.kind === 'Stats' || x.kind === 'InlineStats');
  const rowCmds = ast.commands.slice(0, firstAgg < 0 ? ast.commands.length : firstAgg);
  const c = compileRule(rule, { now });
  const ctx: Ctx = { rule, c, now, F: new AtomFactory(), compiler: new EsqlCompiler({ now, text: rule.query }), budget: 3000, derived: derivedCandidates(rowCmds) };
  const f = rowFormula(ctx, ast);
  let doc: Record<string, unknown> | null = null;
  searchFormula(f, now, (s) => {
    doc = buildDoc(s.assign);
    return true;
  }, { budget: 3000 });
  if (!doc) {
    const bad: string[] = [];
    for (const cj of conjuncts(f)) {
      const ok = searchFormula(cj, now, () => true, { budget: 2000 });
      if (!ok) bad.push(cj.t === 'lit' ? `${cj.neg ? 'NOT ' : ''}${cj.atom.label} [${cj.atom.field ?? cj.atom.fields.join('+')}] cands=${JSON.stringify((cj.atom.candidates ?? []).slice(0, 4))}` : `(${cj.t} of ${cj.t === 'and' || cj.t === 'or' ? cj.xs.length : 0})`);
    }
    return `no solution; unsatisfiable conjuncts: ${bad.join(' | ').slice(0, 600)}`;
  }
  let rows: Row[] = [rowOf(doc, 0, true)];
  for (const cmd of rowCmds) {
    try {
      rows = ctx.compiler.command(cmd)(rows);
    } catch (e) {
      return `${cmd.kind} fails: ${(e as Error).message}`;
    }
    if (rows.length === 0) return rule.query.slice(cmd.loc.start, cmd.loc.end).replace(/\s+/g, ' ').slice(0, 300);
  }
  return null;
}
