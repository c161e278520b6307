/**
 * The canonical EQL printer: minimal parentheses from operator precedence, a stable layout
 * (one sequence/sample stage per line, long conditions broken at `and`/`or`, long value lists
 * wrapped), and strings re-escaped so they re-parse to the same value.
 *
 * Contract (tested over the whole corpus): `stripLocs(parseEql(printEql(ast)))` deep-equals
 * `stripLocs(ast)`.
 */
import { assertNever } from '../../model/rule';
import type { Category, EqlQuery, Expr, Field, Literal, Pipe, Stage } from './ast';

/** Preferred maximum line width; a single token may exceed it. */
export const PRINT_WIDTH = 100;

const RESERVED = new Set([
  'and', 'any', 'by', 'false', 'in', 'join', 'like', 'maxspan', 'not', 'null', 'of', 'or',
  'regex', 'sample', 'sequence', 'true', 'until', 'where', 'with',
]);
const PLAIN_NAME = /^[A-Za-z_@][A-Za-z0-9_]*$/;

// Precedence, loosest first. A child printed in a context of higher precedence gets parentheses.
const P_OR = 1;
const P_AND = 2;
const P_NOT = 3;
const P_CMP = 4;
const P_ADD = 5;
const P_MUL = 6;
const P_UNARY = 7;
const P_ATOM = 8;

function precedence(e: Expr): number {
  switch (e.kind) {
    case 'Or':
      return P_OR;
    case 'And':
      return P_AND;
    case 'Not':
      return P_NOT;
    case 'Comparison':
    case 'Match':
    case 'In':
      return P_CMP;
    case 'Arithmetic':
      return e.op === '+' || e.op === '-' ? P_ADD : P_MUL;
    case 'Unary':
      return P_UNARY;
    case 'Call':
    case 'Field':
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null':
      return P_ATOM;
    default:
      return assertNever(e, 'EQL expression');
  }
}

// ---------------------------------------------------------------------------------------------
// Tokens

/** Escapes a string value for a double-quoted EQL string. */
export function escapeEqlString(value: string): string {
  return value.replace(/[\\"\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\u{${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(2, '0')}}`;
    }
  });
}

/** Prints a string literal: raw strings stay raw when their value allows it. */
export function printEqlString(value: string, raw: boolean): string {
  if (raw && !value.includes('"""')) return `"""${value}"""`;
  return `"${escapeEqlString(value)}"`;
}

function quoteName(segment: string): string {
  return '`' + segment.replace(/`/g, '``') + '`';
}

/** Prints a field path: plain segments bare, others backticked (a first segment that is a keyword too). */
export function printField(f: Pick<Field, 'path' | 'optional'>): string {
  const segs = f.path.map((s, i) => (PLAIN_NAME.test(s) && (i > 0 || !RESERVED.has(s)) ? s : quoteName(s)));
  return (f.optional ? '?' : '') + segs.join('.');
}

function printLiteral(l: Literal): string {
  switch (l.kind) {
    case 'String':
      return printEqlString(l.value, l.raw);
    case 'Number':
      return l.raw;
    case 'Boolean':
      return l.value ? 'true' : 'false';
    case 'Null':
      return 'null';
    default:
      return assertNever(l, 'EQL literal');
  }
}

function printCategory(c: Category): string {
  if (c.any) return 'any';
  if (!c.quoted && PLAIN_NAME.test(c.name) && !RESERVED.has(c.name)) return c.name;
  return printEqlString(c.name, false);
}

// ---------------------------------------------------------------------------------------------
// Expressions on one line

/** Prints an expression on one line, parenthesised if its precedence is below `ctx`. */
export function printEqlExpr(e: Expr, ctx = 0): string {
  const s = flatBody(e);
  return precedence(e) < ctx ? `(${s})` : s;
}

function flatBody(e: Expr): string {
  switch (e.kind) {
    case 'Or':
      return e.operands.map((o) => printEqlExpr(o, P_AND)).join(' or ');
    case 'And':
      return e.operands.map((o) => printEqlExpr(o, P_NOT)).join(' and ');
    case 'Not':
      return `not ${printEqlExpr(e.operand, P_NOT)}`;
    case 'Comparison':
      return `${printEqlExpr(e.left, P_ADD)} ${e.op} ${printEqlExpr(e.right, P_ADD)}`;
    case 'Match':
      return `${printEqlExpr(e.left, P_ADD)} ${e.op} ${patternsFlat(e.patterns, e.list)}`;
    case 'In':
      return `${printEqlExpr(e.left, P_ADD)} ${inKeyword(e.negated, e.caseInsensitive)} (${e.values.map((v) => printEqlExpr(v, 0)).join(', ')})`;
    case 'Call':
      return `${e.name}${e.caseInsensitive ? '~' : ''}(${e.args.map((a) => printEqlExpr(a, 0)).join(', ')})`;
    case 'Arithmetic': {
      const p = e.op === '+' || e.op === '-' ? P_ADD : P_MUL;
      return `${printEqlExpr(e.left, p)} ${e.op} ${printEqlExpr(e.right, p + 1)}`;
    }
    case 'Unary': {
      const operand = printEqlExpr(e.operand, P_UNARY);
      // `-1` is a negative number literal, so a unary minus before a number keeps a space.
      return e.op + (/^[-+0-9.]/.test(operand) ? ' ' : '') + operand;
    }
    case 'Field':
      return printField(e);
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null':
      return printLiteral(e);
    default:
      return assertNever(e, 'EQL expression');
  }
}

function inKeyword(negated: boolean, caseInsensitive: boolean): string {
  return (negated ? 'not in' : 'in') + (caseInsensitive ? '~' : '');
}

function patternsFlat(patterns: Literal[], list: boolean): string {
  const items = patterns.map(printLiteral);
  return list || items.length !== 1 ? `(${items.join(', ')})` : (items[0] as string);
}

// ---------------------------------------------------------------------------------------------
// Expressions over several lines

const pad = (n: number): string => ' '.repeat(n);

/**
 * Prints `e` starting at column `used` of the current line; continuation lines start at
 * column `indent`. Falls back to the one-line form when it fits.
 */
function layout(e: Expr, ctx: number, indent: number, used: number): string {
  const flat = printEqlExpr(e, ctx);
  if (used + flat.length <= PRINT_WIDTH && !flat.includes('\n')) return flat;
  if (precedence(e) < ctx) {
    const inner = used + 1 <= indent + 8 ? used + 1 : indent + 2;
    return `(${layoutBody(e, inner, used + 1)})`;
  }
  return layoutBody(e, indent, used);
}

function layoutBody(e: Expr, indent: number, used: number): string {
  switch (e.kind) {
    case 'Or':
    case 'And': {
      const kw = e.kind === 'Or' ? ' or' : ' and';
      const ctx = e.kind === 'Or' ? P_AND : P_NOT;
      // An `and` chain broken inside an `or` indents its continuation lines, so the grouping
      // that precedence gives (without parentheses) stays visible.
      return e.operands
        .map((o, i) => layout(o, ctx, e.kind === 'Or' && o.kind === 'And' ? indent + 2 : indent, i === 0 ? used : indent))
        .join(`${kw}\n${pad(indent)}`);
    }
    case 'Not':
      return `not ${layout(e.operand, P_NOT, indent, used + 4)}`;
    case 'Match': {
      const head = `${printEqlExpr(e.left, P_ADD)} ${e.op} `;
      if (!e.list && e.patterns.length === 1) return head + printLiteral(e.patterns[0] as Literal);
      return head + wrapList(e.patterns.map(printLiteral), indent);
    }
    case 'In': {
      const head = `${printEqlExpr(e.left, P_ADD)} ${inKeyword(e.negated, e.caseInsensitive)} `;
      return head + wrapList(e.values.map((v) => printEqlExpr(v, 0)), indent);
    }
    case 'Call': {
      const head = `${e.name}${e.caseInsensitive ? '~' : ''}`;
      if (e.args.length === 0) return `${head}()`;
      return head + wrapList(e.args.map((a) => printEqlExpr(a, 0)), indent);
    }
    default:
      return flatBody(e);
  }
}

/** `(` + items packed into lines at `indent + 2` + `)` on its own line at `indent`. */
function wrapList(items: string[], indent: number): string {
  const inner = indent + 2;
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < items.length; i++) {
    const item = (items[i] as string) + (i < items.length - 1 ? ',' : '');
    if (line === '') line = item;
    else if (inner + line.length + 1 + item.length <= PRINT_WIDTH) line += ' ' + item;
    else {
      lines.push(line);
      line = item;
    }
  }
  if (line !== '') lines.push(line);
  return `(\n${lines.map((l) => pad(inner) + l).join('\n')}\n${pad(indent)})`;
}

// ---------------------------------------------------------------------------------------------
// Queries

function printKeys(keys: Expr[], indent: number): string {
  return keys.map((k) => layout(k, 0, indent, indent)).join(', ');
}

function printStage(s: Stage, indent: number): string {
  const head = `${s.missing ? '![' : '['}${printCategory(s.category)} where `;
  let out = head + layout(s.condition, 0, indent + 2, indent + head.length) + ']';
  if (s.by.length > 0) out += ` by ${printKeys(s.by, indent + 2)}`;
  if (s.runs !== null) out += ` with runs=${s.runs}`;
  return out;
}

function printPipes(pipes: Pipe[]): string {
  return pipes.map((p) => `\n| ${p.name} ${p.count}`).join('');
}

/** Prints a whole query in the canonical layout. */
export function printEql(q: EqlQuery): string {
  switch (q.kind) {
    case 'EventQuery': {
      const head = `${printCategory(q.category)} where `;
      return head + layout(q.condition, 0, 2, head.length) + printPipes(q.pipes);
    }
    case 'Sequence': {
      let out = 'sequence';
      if (q.by.length > 0) out += ` by ${printKeys(q.by, 2)}`;
      if (q.maxspan) out += ` with maxspan=${q.maxspan.value}${q.maxspan.unit}`;
      for (const s of q.stages) out += `\n  ${printStage(s, 2)}`;
      if (q.until) out += `\nuntil ${printStage(q.until, 6)}`;
      return out + printPipes(q.pipes);
    }
    case 'Sample': {
      let out = 'sample';
      if (q.by.length > 0) out += ` by ${printKeys(q.by, 2)}`;
      for (const s of q.stages) out += `\n  ${printStage(s, 2)}`;
      return out + printPipes(q.pipes);
    }
    default:
      return assertNever(q, 'EQL query');
  }
}
