/**
 * ES|QL → stages. Each pipeline step that filters or aggregates is a stage: `WHERE` (its
 * condition's predicates), `STATS` and `INLINE STATS` (aggregates, group keys, and the per-aggregate
 * `WHERE` filters). FORK branches are walked as if inline.
 *
 * Indicators come only from `WHERE` conditions on source fields before any aggregation, including
 * what embedded `KQL()` / `QSTR()` calls test. A predicate on a column some earlier step computed
 * (EVAL, GROK, DISSECT, RENAME, ENRICH, COMPLETION, CHANGE_POINT, URI_PARTS, an INLINE STATS
 * aggregate) is `other`/`derived_field`; every predicate after a STATS is `other`/`after_aggregation`.
 *
 * Condition forms: `f == c` eq, `f != c` NOT eq, `f =~ c` case-insensitive eq, `<`… range,
 * `f [NOT] IN (…)`, `f [NOT] LIKE` wildcard patterns (`*`, `?`, `\` escapes), `RLIKE` regex,
 * `f IS [NOT] NULL` (NOT) exists, `STARTS_WITH` / `ENDS_WITH` / `CIDR_MATCH` over a field and
 * constants; `TO_LOWER(f)` / `TO_UPPER(f)` (and casts) stand for `f` matched case-insensitively.
 * Everything else (other functions, `MATCH`, the `:` match operator, arithmetic, field vs field)
 * is a `function` predicate whose value is its text.
 *
 * Texts are printed with the ES|QL canonical printer (`printExpr`).
 */
import { assertNever } from '../model/rule';
import type { Loc } from '../model/span';
import type {
  EsqlAggregate,
  EsqlCommand,
  EsqlExpr,
  EsqlFunctionCall,
  EsqlNamedExpr,
  EsqlNode,
  EsqlQuery,
  EsqlStringLiteral,
} from '../lang/esql/ast';
import { printExpr, printFieldName } from '../lang/esql';
import { classifyEscapedPattern } from './kinds';
import { and, atom, conjunctCount, not, or, predicatesOf, sortedFields, TRUE, type Atom, type Cond } from './ir';
import { KqlLowering } from './kql';
import { LuceneLowering } from './lucene';
import type { EsqlStage, OtherReason, Predicate, PredicateValue } from './types';

export interface EsqlProblem {
  loc: Loc;
  message: string;
}

type Constant = { value: string; kind: 'String' | 'Other' } | null;

function constant(e: EsqlExpr): Constant {
  switch (e.kind) {
    case 'String':
      return { value: e.value, kind: 'String' };
    case 'Number':
    case 'TimeSpan':
      return { value: e.raw, kind: 'Other' };
    case 'Boolean':
      return { value: e.value ? 'true' : 'false', kind: 'Other' };
    default:
      return null;
  }
}

/** The source column an expression stands for, and whether it is case-folded (`TO_LOWER(f)`). */
function fieldRef(e: EsqlExpr): { name: string; ci: boolean } | null {
  if (e.kind === 'Field') return { name: e.name, ci: false };
  if (e.kind === 'Cast') return fieldRef(e.expr);
  if (e.kind === 'Call' && (e.name === 'TO_LOWER' || e.name === 'TO_UPPER') && e.args.length === 1) {
    const inner = fieldRef(e.args[0] as EsqlExpr);
    return inner === null ? null : { name: inner.name, ci: true };
  }
  return null;
}

/** Every column read under `node`, in source order (embedded KQL/QSTR queries not included). */
function fieldsUnder(node: EsqlNode, out: string[] = []): string[] {
  switch (node.kind) {
    case 'Field':
      out.push(node.name);
      break;
    case 'And':
    case 'Or':
      for (const o of node.operands) fieldsUnder(o, out);
      break;
    case 'Not':
    case 'Unary':
    case 'IsNull':
    case 'Cast':
    case 'Like':
    case 'InSubquery':
      fieldsUnder(node.expr, out);
      break;
    case 'Comparison':
    case 'Arithmetic':
      fieldsUnder(node.left, out);
      fieldsUnder(node.right, out);
      break;
    case 'In':
      fieldsUnder(node.expr, out);
      for (const v of node.values) fieldsUnder(v, out);
      break;
    case 'Match':
      fieldsUnder(node.field, out);
      break;
    case 'Call':
      for (const a of node.args) fieldsUnder(a, out);
      break;
    case 'NamedExpr':
      fieldsUnder(node.expr, out);
      break;
    case 'Aggregate':
      fieldsUnder(node.expr, out);
      if (node.where) fieldsUnder(node.where, out);
      break;
    default:
      break;
  }
  return out;
}

/** Column names a GROK or DISSECT pattern creates: `%{SYNTAX:name}` / `%{name}`, modifiers dropped. */
export function patternColumns(pattern: string, grok: boolean): string[] {
  const out: string[] = [];
  let i = pattern.indexOf('%{');
  while (i >= 0) {
    const end = pattern.indexOf('}', i + 2);
    if (end < 0) break;
    const body = pattern.slice(i + 2, end);
    let name = grok ? (body.includes(':') ? body.slice(body.indexOf(':') + 1) : '') : body;
    if (grok) name = name.split(':')[0] ?? '';
    else name = name.replace(/^[+?*&]+/, '').split('->')[0] ?? '';
    if (name !== '') out.push(name);
    i = pattern.indexOf('%{', end + 1);
  }
  return out;
}

class EsqlLowering {
  /** Columns computed by earlier steps. */
  private readonly derived = new Set<string>();
  private readonly derivedPrefixes: string[] = [];
  private afterAggregation = false;
  readonly stages: EsqlStage[] = [];
  readonly problems: EsqlProblem[] = [];

  constructor(private readonly firstIndex: number) {}

  private isDerived(field: string): boolean {
    if (this.derived.has(field)) return true;
    for (const p of this.derivedPrefixes) if (field.startsWith(p)) return true;
    return false;
  }

  private reasonFor(field: string | null): OtherReason | undefined {
    if (this.afterAggregation) return 'after_aggregation';
    if (field !== null && this.isDerived(field)) return 'derived_field';
    return undefined;
  }

  private mark(a: Atom, force?: OtherReason): Cond {
    const reason = force ?? this.reasonFor(a.field);
    if (reason !== undefined) a.reason = reason;
    return atom(a);
  }

  private leaf(e: EsqlExpr, field: string, values: PredicateValue[], list: boolean, ci: boolean, force?: OtherReason): Cond {
    return this.mark({ in: 'query', loc: e.loc, text: printExpr(e), field, fields: [field], values, list, caseInsensitive: ci }, force);
  }

  private computed(e: EsqlExpr, force?: OtherReason): Cond {
    const text = printExpr(e);
    const fields = fieldsUnder(e);
    return this.mark(
      { in: 'query', loc: e.loc, text, field: fields[0] ?? null, fields: sortedFields(fields), values: [{ value: text, kind: 'function' }], list: false, caseInsensitive: false },
      force,
    );
  }

  /** Re-marks the atoms of an embedded query (derived / after aggregation) in place. */
  private markAll(c: Cond, force?: OtherReason): Cond {
    switch (c.k) {
      case 'and':
      case 'or':
        for (const i of c.items) this.markAll(i, force);
        return c;
      case 'not':
      case 'optional':
        this.markAll(c.item, force);
        return c;
      case 'atom': {
        const reason = force ?? this.reasonFor(c.atom.field);
        if (reason !== undefined) c.atom.reason = reason;
        return c;
      }
      case 'const':
        return c;
      default:
        return assertNever(c, 'condition');
    }
  }

  private embedded(call: EsqlFunctionCall, force?: OtherReason): Cond {
    const emb = call.embedded;
    if (emb === undefined) return this.computed(call, force);
    if (!emb.result.ok) {
      this.problems.push({ loc: emb.loc, message: `${call.name}() query does not parse: ${emb.result.error.message}` });
      return this.computed(call, force);
    }
    const base = emb.loc.start;
    const mapLoc = emb.linear ? (l: Loc): Loc => ({ start: l.start + base, end: l.end + base }) : (): Loc => ({ ...emb.loc });
    const cond =
      emb.language === 'kuery'
        ? new KqlLowering({ in: 'query', mapLoc }).lower(emb.result.ast)
        : new LuceneLowering({ in: 'query', mapLoc }).lower(emb.result.ast);
    return this.markAll(cond, force);
  }

  lower(e: EsqlExpr, force?: OtherReason): Cond {
    switch (e.kind) {
      case 'And':
        return and(e.operands.map((o) => this.lower(o, force)));
      case 'Or':
        return or(e.operands.map((o) => this.lower(o, force)));
      case 'Not':
        return not(this.lower(e.expr, force));
      case 'Comparison': {
        let f = fieldRef(e.left);
        let c = constant(e.right);
        let op = e.op;
        if (f === null || c === null) {
          f = fieldRef(e.right);
          c = constant(e.left);
          const flip: Record<string, typeof op> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
          op = flip[op] ?? op;
        }
        if (f === null || c === null) return this.computed(e, force);
        switch (op) {
          case '==':
            return this.leaf(e, f.name, [{ value: c.value, kind: 'eq' }], false, f.ci, force);
          case '=~':
            return this.leaf(e, f.name, [{ value: c.value, kind: 'eq' }], false, true, force);
          case '!=':
            return not(this.leaf(e, f.name, [{ value: c.value, kind: 'eq' }], false, f.ci, force));
          case '<':
          case '<=':
          case '>':
          case '>=':
            return this.leaf(e, f.name, [{ value: `${op} ${c.value}`, kind: 'range' }], false, false, force);
          default:
            return assertNever(op, 'ES|QL comparison');
        }
      }
      case 'Like': {
        const f = fieldRef(e.expr);
        if (f === null || !e.patterns.every((p): p is EsqlStringLiteral => p.kind === 'String')) return this.computed(e, force);
        const values = (e.patterns as EsqlStringLiteral[]).map((p): PredicateValue =>
          e.op === 'rlike' ? { value: p.value, kind: 'regex' } : classifyEscapedPattern(p.value),
        );
        const c = this.leaf(e, f.name, values, e.list, f.ci, force);
        return e.negated ? not(c) : c;
      }
      case 'In': {
        const f = fieldRef(e.expr);
        const cs = e.values.map(constant);
        if (f === null || cs.some((c) => c === null)) {
          const c = this.computed(e, force);
          return e.negated ? not(c) : c;
        }
        const values = cs.map((c): PredicateValue => ({ value: (c as { value: string }).value, kind: 'eq' }));
        const c = this.leaf(e, f.name, values, true, f.ci, force);
        return e.negated ? not(c) : c;
      }
      case 'IsNull': {
        const f = fieldRef(e.expr);
        if (f === null) return this.computed(e, force);
        const c = this.leaf(e, f.name, [{ value: '', kind: 'exists' }], false, false, force);
        return e.negated ? c : not(c);
      }
      case 'Call': {
        if (e.name === 'KQL' || e.name === 'QSTR') return this.embedded(e, force);
        const kind = e.name === 'STARTS_WITH' ? 'starts_with' : e.name === 'ENDS_WITH' ? 'ends_with' : e.name === 'CIDR_MATCH' ? 'cidr' : null;
        const [first, ...rest] = e.args;
        const f = first === undefined ? null : fieldRef(first);
        if (kind === null || f === null || rest.length === 0 || !rest.every((a) => a.kind === 'String')) return this.computed(e, force);
        const values = rest.map((a): PredicateValue => ({ value: (a as EsqlStringLiteral).value, kind }));
        return this.leaf(e, f.name, values, values.length > 1, f.ci, force);
      }
      case 'Field':
        return this.leaf(e, e.name, [{ value: 'true', kind: 'eq' }], false, false, force);
      case 'Boolean':
      case 'Null':
        return TRUE;
      case 'Match':
      case 'InSubquery':
      case 'Cast':
      case 'Arithmetic':
      case 'Unary':
      case 'Param':
      case 'String':
      case 'Number':
      case 'TimeSpan':
      case 'List':
      case 'Map':
        return this.computed(e, force);
      default:
        return assertNever(e, 'ES|QL expression');
    }
  }

  private stage(command: EsqlStage['command'], position: number, loc: Loc, predicates: Predicate[], fields: string[], aggregates: string[], groupBy: string[]): void {
    this.stages.push({
      kind: 'esql',
      index: this.firstIndex + this.stages.length,
      in: 'query',
      loc,
      predicates,
      fields: sortedFields(fields),
      command,
      position,
      afterAggregation: this.afterAggregation,
      aggregates,
      groupBy,
    });
  }

  private named(n: EsqlNamedExpr | EsqlAggregate): string {
    const s = n.name ? `${printFieldName(n.name.name)} = ${printExpr(n.expr)}` : printExpr(n.expr);
    return n.kind === 'Aggregate' && n.where !== null ? `${s} WHERE ${printExpr(n.where)}` : s;
  }

  private addDerived(name: string | null | undefined): void {
    if (name) this.derived.add(name);
  }

  commands(commands: EsqlCommand[], positionOf: (i: number) => number): void {
    commands.forEach((c, i) => this.command(c, positionOf(i)));
  }

  private command(c: EsqlCommand, position: number): void {
    switch (c.kind) {
      case 'Where': {
        const cond = this.lower(c.condition);
        const preds = predicatesOf(cond);
        const fields = fieldsUnder(c.condition);
        for (const p of preds) fields.push(...p.fields);
        this.stage('where', position, c.loc, preds, fields, [], []);
        return;
      }
      case 'Stats':
      case 'InlineStats': {
        const preds: Predicate[] = [];
        let conj = 0;
        const fields: string[] = [];
        for (const a of c.aggregates) {
          fieldsUnder(a, fields);
          if (a.where !== null) {
            const cond = this.lower(a.where, 'aggregate_filter');
            predicatesOf(cond, preds, conj);
            conj += conjunctCount(cond);
          }
        }
        for (const b of c.by) fieldsUnder(b, fields);
        this.stage(
          c.kind === 'Stats' ? 'stats' : 'inline_stats',
          position,
          c.loc,
          preds,
          fields,
          c.aggregates.map((a) => this.named(a)),
          c.by.map((b) => this.named(b)),
        );
        if (c.kind === 'Stats') this.afterAggregation = true;
        else {
          for (const a of c.aggregates) this.addDerived(a.name?.name ?? printExpr(a.expr));
          for (const b of c.by) if (b.name !== null) this.addDerived(b.name.name);
        }
        return;
      }
      case 'Eval':
        for (const f of c.fields) this.addDerived(f.name?.name ?? printExpr(f.expr));
        return;
      case 'Rename':
        for (const r of c.clauses) this.addDerived(r.newName.pattern);
        return;
      case 'Grok':
        for (const p of c.patterns) if (p.kind === 'String') for (const n of patternColumns(p.value, true)) this.addDerived(n);
        return;
      case 'Dissect':
        if (c.pattern.kind === 'String') for (const n of patternColumns(c.pattern.value, false)) this.addDerived(n);
        return;
      case 'Enrich':
        for (const w of c.with) this.addDerived((w.newName ?? w.field).pattern);
        return;
      case 'Completion':
        this.addDerived(c.target?.name ?? 'completion');
        return;
      case 'ChangePoint':
        this.addDerived(c.typeName?.name ?? 'type');
        this.addDerived(c.pvalueName?.name ?? 'pvalue');
        return;
      case 'UriParts':
        this.derivedPrefixes.push(`${c.prefix.name}.`);
        return;
      case 'Fork':
        for (const b of c.branches) this.commands(b.commands, () => position);
        return;
      case 'Row':
        for (const f of c.fields) this.addDerived(f.name?.name ?? printExpr(f.expr));
        return;
      case 'From':
      case 'Show':
      case 'Promql':
      case 'Keep':
      case 'Drop':
      case 'Sort':
      case 'Limit':
      case 'MvExpand':
      case 'LookupJoin':
      case 'Fuse':
      case 'Rerank':
      case 'Sample':
      case 'TsCollapse':
      case 'Mmr':
        return;
      default:
        assertNever(c, 'ES|QL command');
    }
  }
}

/** The stages of an ES|QL query, numbered from `firstIndex`. */
export function esqlStages(q: EsqlQuery, firstIndex: number): { stages: EsqlStage[]; problems: EsqlProblem[] } {
  const l = new EsqlLowering(firstIndex);
  l.commands(q.commands, (i) => i);
  return { stages: l.stages, problems: l.problems };
}

/** Index patterns of the FROM command, as written. */
export function esqlSources(q: EsqlQuery): string[] {
  const first = q.commands[0];
  if (first === undefined || first.kind !== 'From') return [];
  const out: string[] = [];
  for (const s of first.sources) if (s.kind === 'IndexPattern') out.push(s.cluster ? `${s.cluster}:${s.pattern}` : s.pattern);
  return out;
}
