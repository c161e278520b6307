/**
 * The canonical ES|QL printer: `SET` directives each on a line, the source command, then one
 * processing command per line after a leading `| `. Keywords and function names upper-case,
 * one space around binary operators, `, ` between list items, parentheses only where the tree
 * needs them. For every query the parser accepts, `parseEsql(printEsql(ast))` equals `ast`
 * apart from `loc`.
 */
import { assertNever } from '../../model/rule';
import {
  ESQL_RESERVED,
  ESQL_UNQUOTED_IDENTIFIER,
  type EsqlCommand,
  type EsqlConstant,
  type EsqlExpr,
  type EsqlField,
  type EsqlFuseClause,
  type EsqlIndexPattern,
  type EsqlMapLiteral,
  type EsqlNamedExpr,
  type EsqlAggregate,
  type EsqlNamePattern,
  type EsqlParam,
  type EsqlQuery,
  type EsqlSubquery,
} from './ast';

export function printEsql(query: EsqlQuery): string {
  const lines: string[] = query.settings.map((s) => `SET ${s.name} = ${printExpr(s.value)};`);
  query.commands.forEach((c, i) => lines.push(i === 0 ? printCommand(c) : `| ${printCommand(c)}`));
  return lines.join('\n');
}

/** One command without its leading pipe. */
export function printCommand(c: EsqlCommand): string {
  switch (c.kind) {
    case 'From': {
      const kw = c.timeSeries ? 'TS' : 'FROM';
      const meta = c.metadata.length > 0 ? ` METADATA ${c.metadata.join(', ')}` : '';
      return `${kw} ${c.sources.map((s) => (s.kind === 'Subquery' ? printSubquery(s) : printIndexPattern(s))).join(', ')}${meta}`;
    }
    case 'Row':
      return `ROW ${c.fields.map(printNamedExpr).join(', ')}`;
    case 'Show':
      return `SHOW ${c.item}`;
    case 'Promql': {
      const parts = ['PROMQL', ...c.params.map((p) => `${p.name}=${p.value}`)];
      parts.push(c.valueName ? `${printField(c.valueName)}=${c.expression}` : c.expression);
      return parts.join(' ');
    }
    case 'Where':
      return `WHERE ${printExpr(c.condition)}`;
    case 'Eval':
      return `EVAL ${c.fields.map(printNamedExpr).join(', ')}`;
    case 'Stats':
    case 'InlineStats': {
      let s = c.kind === 'Stats' ? 'STATS' : 'INLINE STATS';
      if (c.aggregates.length > 0) s += ` ${c.aggregates.map(printAggregate).join(', ')}`;
      if (c.by.length > 0) s += ` BY ${c.by.map(printNamedExpr).join(', ')}`;
      return s;
    }
    case 'Keep':
      return `KEEP ${c.columns.map(printNamePattern).join(', ')}`;
    case 'Drop':
      return `DROP ${c.columns.map(printNamePattern).join(', ')}`;
    case 'Rename':
      return `RENAME ${c.clauses.map((r) => `${printNamePattern(r.oldName)} AS ${printNamePattern(r.newName)}`).join(', ')}`;
    case 'Sort':
      return `SORT ${c.keys
        .map((k) => {
          let s = printExpr(k.expr);
          if (k.order) s += ` ${k.order.toUpperCase()}`;
          if (k.nulls) s += ` NULLS ${k.nulls.toUpperCase()}`;
          return s;
        })
        .join(', ')}`;
    case 'Limit':
      return `LIMIT ${printExpr(c.count)}`;
    case 'MvExpand':
      return `MV_EXPAND ${printField(c.field)}`;
    case 'Dissect': {
      let s = `DISSECT ${printOperand(c.input, PREC.CAST)} ${printExpr(c.pattern)}`;
      if (c.options.length > 0) s += ` ${c.options.map((o) => `${o.name} = ${printExpr(o.value)}`).join(', ')}`;
      return s;
    }
    case 'Grok':
      return `GROK ${printOperand(c.input, PREC.CAST)} ${c.patterns.map(printExpr).join(', ')}`;
    case 'Enrich': {
      let s = `ENRICH ${c.mode !== null ? `${c.mode}:` : ''}${c.policy}`;
      if (c.on) s += ` ON ${printNamePattern(c.on)}`;
      if (c.with.length > 0) {
        s += ` WITH ${c.with.map((w) => (w.newName ? `${printNamePattern(w.newName)} = ${printNamePattern(w.field)}` : printNamePattern(w.field))).join(', ')}`;
      }
      return s;
    }
    case 'LookupJoin':
      return `LOOKUP JOIN ${printIndexPattern(c.index)} ON ${c.on.map(printExpr).join(', ')}`;
    case 'ChangePoint': {
      let s = `CHANGE_POINT ${printField(c.value)}`;
      if (c.key) s += ` ON ${printField(c.key)}`;
      if (c.typeName && c.pvalueName) s += ` AS ${printField(c.typeName)}, ${printField(c.pvalueName)}`;
      return s;
    }
    case 'Completion': {
      let s = 'COMPLETION ';
      if (c.target && !c.targetAfter) s += `${printField(c.target)} = `;
      s += printOperand(c.prompt, PREC.CAST);
      if (c.with) s += ` WITH ${printExpr(c.with)}`;
      if (c.target && c.targetAfter) s += ` AS ${printField(c.target)}`;
      return s;
    }
    case 'Fork':
      return `FORK ${c.branches.map((b) => `(${b.commands.map(printCommand).join(' | ')})`).join(' ')}`;
    case 'Fuse': {
      const parts = ['FUSE'];
      if (c.method !== null) parts.push(c.method);
      for (const clause of c.clauses) parts.push(printFuseClause(clause));
      return parts.join(' ');
    }
    case 'Rerank': {
      let s = 'RERANK ';
      if (c.target) s += `${printField(c.target)} = `;
      s += `${printExpr(c.query)} ON ${c.on.map(printNamedExpr).join(', ')}`;
      if (c.with) s += ` WITH ${printExpr(c.with)}`;
      return s;
    }
    case 'Sample':
      return `SAMPLE ${printExpr(c.probability)}`;
    case 'UriParts':
      return `URI_PARTS ${printField(c.prefix)} = ${printExpr(c.expr)}`;
    case 'TsCollapse':
      return 'TS_COLLAPSE';
    case 'Mmr': {
      let s = 'MMR';
      if (c.queryVector) s += ` ${printExpr(c.queryVector)}`;
      s += ` ON ${printField(c.field)} LIMIT ${printExpr(c.limit)}`;
      if (c.with) s += ` WITH ${printMap(c.with)}`;
      return s;
    }
    default:
      return assertNever(c, 'ES|QL command');
  }
}

function printFuseClause(c: EsqlFuseClause): string {
  switch (c.kind) {
    case 'FuseScoreBy':
      return `SCORE BY ${printField(c.field)}`;
    case 'FuseGroupBy':
      return `GROUP BY ${printField(c.field)}`;
    case 'FuseKeyBy':
      return `KEY BY ${c.fields.map(printField).join(', ')}`;
    case 'FuseWith':
      return `WITH ${printMap(c.options)}`;
    default:
      return assertNever(c, 'FUSE clause');
  }
}

function printSubquery(s: EsqlSubquery): string {
  return `(${s.commands.map(printCommand).join(' | ')})`;
}

function printIndexPattern(p: EsqlIndexPattern): string {
  if (p.quoted) return quoteString(p.pattern);
  return `${p.cluster !== null ? `${p.cluster}:` : ''}${p.pattern}${p.selector !== null ? `::${p.selector}` : ''}`;
}

function printNamedExpr(f: EsqlNamedExpr): string {
  return f.name ? `${printField(f.name)} = ${printExpr(f.expr)}` : printExpr(f.expr);
}

function printAggregate(a: EsqlAggregate): string {
  const s = a.name ? `${printField(a.name)} = ${printExpr(a.expr)}` : printExpr(a.expr);
  return a.where ? `${s} WHERE ${printExpr(a.where)}` : s;
}

/** A column name, backticking the segments that need it (`` source.`as`.name ``). */
export function printFieldName(name: string): string {
  const segments = name.split('.');
  if (segments.some((s) => s.length === 0)) return quoteIdentifier(name);
  return segments.map((s) => (ESQL_UNQUOTED_IDENTIFIER.test(s) && !ESQL_RESERVED.has(s.toLowerCase()) ? s : quoteIdentifier(s))).join('.');
}

function printField(f: EsqlField): string {
  return printFieldName(f.name);
}

function quoteIdentifier(s: string): string {
  return `\`${s.replace(/`/g, '``')}\``;
}

function printNamePattern(p: EsqlNamePattern): string {
  const segments = p.pattern.split('.');
  if (segments.some((s) => s.length === 0)) return quoteIdentifier(p.pattern);
  return segments.map((s) => (/^[A-Za-z0-9_@*]+$/.test(s) ? s : quoteIdentifier(s))).join('.');
}

/** A `"…"` string with `\\ \" \n \r \t` escaped. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"\n\r\t]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\${c}`))}"`;
}

function printString(value: string, triple: boolean): string {
  // a triple-quoted string cannot hold a line break or `"""`, and ends with at most two `"`
  if (triple && !/[\r\n]/.test(value) && !value.includes('"""')) return `"""${value}"""`;
  return quoteString(value);
}

function printParam(p: EsqlParam): string {
  return `${p.identifier ? '??' : '?'}${p.name}`;
}

function printMap(m: EsqlMapLiteral): string {
  if (m.entries.length === 0) return '{}';
  return `{ ${m.entries.map((e) => `${printString(e.key.value, e.key.triple)}: ${printExpr(e.value)}`).join(', ')} }`;
}

// Binding strength, loosest first.
const PREC = {
  OR: 1,
  AND: 2,
  NOT: 3,
  PREDICATE: 4, // IN, LIKE, IS NULL, `:` (their left operand is a comparison or tighter)
  COMPARISON: 5,
  ADD: 6,
  MUL: 7,
  UNARY: 8,
  CAST: 9,
  PRIMARY: 10,
} as const;

function precedence(e: EsqlExpr): number {
  switch (e.kind) {
    case 'Or':
      return PREC.OR;
    case 'And':
      return PREC.AND;
    case 'Not':
      return PREC.NOT;
    case 'Like':
    case 'In':
    case 'InSubquery':
    case 'IsNull':
    case 'Match':
      return PREC.PREDICATE;
    case 'Comparison':
      return PREC.COMPARISON;
    case 'Arithmetic':
      return e.op === '+' || e.op === '-' ? PREC.ADD : PREC.MUL;
    case 'Unary':
      return PREC.UNARY;
    case 'Cast':
      return PREC.CAST;
    default:
      return PREC.PRIMARY;
  }
}

/** `e` printed where the grammar expects an operand binding at least as tight as `min`. */
function printOperand(e: EsqlExpr, min: number): string {
  const s = printExpr(e);
  return precedence(e) < min ? `(${s})` : s;
}

export function printExpr(e: EsqlExpr | EsqlConstant): string {
  switch (e.kind) {
    case 'Or':
      return e.operands.map((o) => printOperand(o, PREC.AND)).join(' OR ');
    case 'And':
      return e.operands.map((o) => printOperand(o, PREC.NOT)).join(' AND ');
    case 'Not':
      return `NOT ${printOperand(e.expr, PREC.NOT)}`;
    case 'Comparison':
      return `${printOperand(e.left, PREC.ADD)} ${e.op} ${printOperand(e.right, PREC.ADD)}`;
    case 'Arithmetic': {
      const p = precedence(e);
      return `${printOperand(e.left, p)} ${e.op} ${printOperand(e.right, p + 1)}`;
    }
    case 'Unary': {
      const inner = printOperand(e.expr, PREC.UNARY);
      // `- -x` rather than `--x`, and `- 1` never merges into a signed constant
      return inner.startsWith('-') || inner.startsWith('+') ? `${e.op} ${inner}` : `${e.op}${inner}`;
    }
    case 'Like': {
      const pats = e.list ? `(${e.patterns.map(printExpr).join(', ')})` : printExpr(e.patterns[0] as EsqlExpr);
      return `${printOperand(e.expr, PREC.COMPARISON)} ${e.negated ? 'NOT ' : ''}${e.op.toUpperCase()} ${pats}`;
    }
    case 'In':
      return `${printOperand(e.expr, PREC.COMPARISON)} ${e.negated ? 'NOT ' : ''}IN (${e.values.map((v) => printOperand(v, PREC.COMPARISON)).join(', ')})`;
    case 'InSubquery':
      return `${printOperand(e.expr, PREC.COMPARISON)} ${e.negated ? 'NOT ' : ''}IN ${printSubquery(e.query)}`;
    case 'IsNull':
      return `${printOperand(e.expr, PREC.COMPARISON)} IS ${e.negated ? 'NOT ' : ''}NULL`;
    case 'Match':
      return `${printExpr(e.field)} : ${printExpr(e.query)}`;
    case 'Cast':
      return `${printOperand(e.expr, PREC.CAST)}::${e.type}`;
    case 'Call':
      return `${e.name}(${e.star ? '*' : e.args.map((a) => printExpr(a)).join(', ')})`;
    case 'Field':
      return printField(e);
    case 'Param':
      return printParam(e);
    case 'String':
      return printString(e.value, e.triple);
    case 'Number':
      return e.raw;
    case 'TimeSpan':
      return `${e.raw} ${e.unit}`;
    case 'Boolean':
      return e.value ? 'true' : 'false';
    case 'Null':
      return 'null';
    case 'List':
      return `[${e.values.map((v) => printExpr(v)).join(', ')}]`;
    case 'Map':
      return printMap(e);
    default:
      return assertNever(e, 'ES|QL expression');
  }
}
