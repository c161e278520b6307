/**
 * ES|QL syntax tree, and the builders the peggy grammar calls (`options.b`, see parse.ts).
 *
 * A query is an optional list of `SET` directives, a source command (`FROM`, `TS`, `ROW`,
 * `SHOW`, `PROMQL`) and the processing commands after it, one per `|`. Every node is a member of
 * a union discriminated by `kind` and carries `loc` (UTF-16 offsets into the query text,
 * half-open, surrounding whitespace and comments excluded).
 *
 * Normalisations (so that the canonical printer round-trips): keyword case is not kept; function
 * names are upper-cased (`count_distinct(…)` → `COUNT_DISTINCT`), cast types lower-cased; field
 * names are the dotted path with backtick quoting removed (`` source.`as`.name `` →
 * `source.as.name`); `a and b and c` is one n-ary `And`; `new = old` in RENAME is the same clause
 * as `old AS new`; parentheses are not nodes. Numbers keep their text (`raw`), strings remember
 * whether they were written `"""triple-quoted"""`.
 */
import type { Loc } from '../../model/span';
import type { ParseResult } from '../shared/result';
import type { KqlQuery } from '../kql';
import type { LuceneQuery } from '../lucene';
import { decodePatternSegment, mayStep, scanBinaryOp, scanDottedTail, scanIdentifier, scanPatternSegment, scanQuotedIdentifierBody, scanStringBody, scanTripleBody, skipSpace } from './scan';

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** `a AND b AND c`, n-ary (nested `And`s are flattened). */
export interface EsqlAnd {
  kind: 'And';
  loc: Loc;
  operands: EsqlExpr[];
}

/** `a OR b OR c`, n-ary (nested `Or`s are flattened). */
export interface EsqlOr {
  kind: 'Or';
  loc: Loc;
  operands: EsqlExpr[];
}

/** `NOT expr`. */
export interface EsqlNot {
  kind: 'Not';
  loc: Loc;
  expr: EsqlExpr;
}

export type EsqlComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~';
export const ESQL_COMPARISON_OPS: readonly EsqlComparisonOp[] = ['==', '!=', '<', '<=', '>', '>=', '=~'];

/** `left op right`; comparisons do not chain (`a == b == c` is a syntax error). */
export interface EsqlComparison {
  kind: 'Comparison';
  loc: Loc;
  op: EsqlComparisonOp;
  left: EsqlExpr;
  right: EsqlExpr;
}

export type EsqlArithmeticOp = '+' | '-' | '*' | '/' | '%';

/** `left op right`, left-associative; `* / %` bind tighter than `+ -`. */
export interface EsqlArithmetic {
  kind: 'Arithmetic';
  loc: Loc;
  op: EsqlArithmeticOp;
  left: EsqlExpr;
  right: EsqlExpr;
}

/** Prefix `-expr` or `+expr`. */
export interface EsqlUnary {
  kind: 'Unary';
  loc: Loc;
  op: '-' | '+';
  expr: EsqlExpr;
}

/**
 * `expr [NOT] LIKE pattern`, `expr [NOT] RLIKE pattern`, or with a list of patterns
 * `expr LIKE ("a*", "b*")` (`list: true`; any pattern matches).
 */
export interface EsqlLike {
  kind: 'Like';
  loc: Loc;
  op: 'like' | 'rlike';
  negated: boolean;
  expr: EsqlExpr;
  patterns: (EsqlStringLiteral | EsqlParam)[];
  list: boolean;
}

/** `expr [NOT] IN (v1, v2, …)`. */
export interface EsqlIn {
  kind: 'In';
  loc: Loc;
  negated: boolean;
  expr: EsqlExpr;
  values: EsqlExpr[];
}

/** `expr [NOT] IN (FROM … | …)`: membership in the rows of a subquery. */
export interface EsqlInSubquery {
  kind: 'InSubquery';
  loc: Loc;
  negated: boolean;
  expr: EsqlExpr;
  query: EsqlSubquery;
}

/** `expr IS [NOT] NULL`. */
export interface EsqlIsNull {
  kind: 'IsNull';
  loc: Loc;
  negated: boolean;
  expr: EsqlExpr;
}

/** The match operator `field[::type] : constant` (full-text match, like `MATCH(field, value)`). */
export interface EsqlMatch {
  kind: 'Match';
  loc: Loc;
  field: EsqlField | EsqlCast;
  query: EsqlConstant;
}

/** `expr::type` (type lower-cased). */
export interface EsqlCast {
  kind: 'Cast';
  loc: Loc;
  expr: EsqlExpr;
  type: string;
}

/** A KQL or Lucene query embedded as the string argument of `KQL("…")` / `QSTR("…")`. */
export type EsqlEmbeddedQuery =
  | { language: 'kuery'; loc: Loc; linear: boolean; result: ParseResult<KqlQuery> }
  | { language: 'lucene'; loc: Loc; linear: boolean; result: ParseResult<LuceneQuery> };

/**
 * A function call, any name (upper-cased). `COUNT(*)` has `star: true` and no arguments.
 * A trailing named-parameter map `{ "fuzziness": 1 }` is the last element of `args` (a `Map`).
 * For `KQL("…")` and `QSTR("…")` with a string argument, `embedded` holds the parse of that
 * string: `embedded.loc` spans the string's content (between the quotes) in the ES|QL text, and
 * `linear` says whether offsets inside the embedded query map to the ES|QL text by adding
 * `embedded.loc.start` (true unless the string contained escape sequences).
 */
export interface EsqlFunctionCall {
  kind: 'Call';
  loc: Loc;
  name: string;
  args: EsqlExpr[];
  star: boolean;
  embedded?: EsqlEmbeddedQuery;
}

/** A column reference; `name` is the dotted path without backticks. */
export interface EsqlField {
  kind: 'Field';
  loc: Loc;
  name: string;
}

/**
 * A query parameter: `?` (name ""), `?name`, `?1`, or an identifier parameter `??name`
 * (`identifier: true`).
 */
export interface EsqlParam {
  kind: 'Param';
  loc: Loc;
  name: string;
  identifier: boolean;
}

/** `"…"` (escapes `\t \n \r \" \\` decoded) or `"""…"""` (no escapes; `triple: true`). */
export interface EsqlStringLiteral {
  kind: 'String';
  loc: Loc;
  value: string;
  triple: boolean;
}

/** An integer or decimal; `raw` is the text as written (with its sign in constant-only places). */
export interface EsqlNumberLiteral {
  kind: 'Number';
  loc: Loc;
  value: number;
  raw: string;
  integer: boolean;
}

/** A time span (qualified integer): `1 hour`, `15 minutes`, `1d`; `unit` lower-cased. */
export interface EsqlTimeSpan {
  kind: 'TimeSpan';
  loc: Loc;
  value: number;
  raw: string;
  unit: string;
}

export interface EsqlBooleanLiteral {
  kind: 'Boolean';
  loc: Loc;
  value: boolean;
}

export interface EsqlNullLiteral {
  kind: 'Null';
  loc: Loc;
}

/** `[1, 2, 3]`, `["a", "b"]`, `[true, false]`. */
export interface EsqlListLiteral {
  kind: 'List';
  loc: Loc;
  values: EsqlConstant[];
}

/** `{ "key": value, … }`: named parameters of a function or command. */
export interface EsqlMapLiteral {
  kind: 'Map';
  loc: Loc;
  entries: EsqlMapEntry[];
}

export interface EsqlMapEntry {
  kind: 'MapEntry';
  loc: Loc;
  key: EsqlStringLiteral;
  value: EsqlConstant | EsqlMapLiteral;
}

/** What a constant-only position (list element, map value, option, `:` operand) accepts. */
export type EsqlConstant =
  | EsqlStringLiteral
  | EsqlNumberLiteral
  | EsqlTimeSpan
  | EsqlBooleanLiteral
  | EsqlNullLiteral
  | EsqlParam
  | EsqlListLiteral;

export type EsqlLiteral = EsqlConstant | EsqlMapLiteral;

export type EsqlExpr =
  | EsqlAnd
  | EsqlOr
  | EsqlNot
  | EsqlComparison
  | EsqlArithmetic
  | EsqlUnary
  | EsqlLike
  | EsqlIn
  | EsqlInSubquery
  | EsqlIsNull
  | EsqlMatch
  | EsqlCast
  | EsqlFunctionCall
  | EsqlField
  | EsqlParam
  | EsqlStringLiteral
  | EsqlNumberLiteral
  | EsqlTimeSpan
  | EsqlBooleanLiteral
  | EsqlNullLiteral
  | EsqlListLiteral
  | EsqlMapLiteral;

// ---------------------------------------------------------------------------------------------
// Command parts
// ---------------------------------------------------------------------------------------------

/** `[name =] expr` (EVAL, ROW, STATS … BY, RERANK … ON). */
export interface EsqlNamedExpr {
  kind: 'NamedExpr';
  loc: Loc;
  name: EsqlField | null;
  expr: EsqlExpr;
}

/** One aggregate of STATS / INLINE STATS: `[name =] expr [WHERE condition]`. */
export interface EsqlAggregate {
  kind: 'Aggregate';
  loc: Loc;
  name: EsqlField | null;
  expr: EsqlExpr;
  where: EsqlExpr | null;
}

/** A column name pattern (KEEP, DROP, RENAME, ENRICH): `host.*`, `*`; `*` is a wildcard. */
export interface EsqlNamePattern {
  kind: 'NamePattern';
  loc: Loc;
  pattern: string;
  wildcard: boolean;
}

/**
 * An index pattern of FROM / TS / LOOKUP JOIN: `logs-*`, `cluster:index`, `index::failures`,
 * `"quoted"`. `pattern` excludes the cluster and selector.
 */
export interface EsqlIndexPattern {
  kind: 'IndexPattern';
  loc: Loc;
  cluster: string | null;
  pattern: string;
  selector: string | null;
  quoted: boolean;
}

/** A parenthesised `(FROM … | …)` (in FROM, and right of IN). */
export interface EsqlSubquery {
  kind: 'Subquery';
  loc: Loc;
  commands: EsqlCommand[];
}

export interface EsqlSortKey {
  kind: 'SortKey';
  loc: Loc;
  expr: EsqlExpr;
  order: 'asc' | 'desc' | null;
  nulls: 'first' | 'last' | null;
}

/** RENAME `old AS new` (also written `new = old`). */
export interface EsqlRenameClause {
  kind: 'RenameClause';
  loc: Loc;
  oldName: EsqlNamePattern;
  newName: EsqlNamePattern;
}

/** ENRICH … WITH `[newName =] field`. */
export interface EsqlEnrichClause {
  kind: 'EnrichClause';
  loc: Loc;
  newName: EsqlNamePattern | null;
  field: EsqlNamePattern;
}

/** DISSECT option `APPEND_SEPARATOR = "…"` (name upper-cased). */
export interface EsqlCommandOption {
  kind: 'CommandOption';
  loc: Loc;
  name: string;
  value: EsqlConstant;
}

/** One `( … )` branch of FORK. */
export interface EsqlForkBranch {
  kind: 'ForkBranch';
  loc: Loc;
  commands: EsqlProcessingCommand[];
}

/** FUSE clauses, in the order written. */
export type EsqlFuseClause =
  | { kind: 'FuseScoreBy'; loc: Loc; field: EsqlField }
  | { kind: 'FuseGroupBy'; loc: Loc; field: EsqlField }
  | { kind: 'FuseKeyBy'; loc: Loc; fields: EsqlField[] }
  | { kind: 'FuseWith'; loc: Loc; options: EsqlMapLiteral };

/** PROMQL `name=value` parameter (value as written). */
export interface EsqlPromqlParam {
  kind: 'PromqlParam';
  loc: Loc;
  name: string;
  value: string;
}

/** One setting of a `SET name = value[, …];` directive before the query. */
export interface EsqlSetDirective {
  kind: 'Set';
  loc: Loc;
  name: string;
  value: EsqlConstant | EsqlMapLiteral;
}

// ---------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------

/** `FROM sources [METADATA f, …]`, or `TS …` (`timeSeries: true`). */
export interface EsqlFromCommand {
  kind: 'From';
  loc: Loc;
  timeSeries: boolean;
  sources: (EsqlIndexPattern | EsqlSubquery)[];
  metadata: string[];
}

export interface EsqlRowCommand {
  kind: 'Row';
  loc: Loc;
  fields: EsqlNamedExpr[];
}

/** `SHOW INFO` (item upper-cased). */
export interface EsqlShowCommand {
  kind: 'Show';
  loc: Loc;
  item: string;
}

/** `PROMQL [param=value …] [name=](expr)`: the PromQL expression is kept as text. */
export interface EsqlPromqlCommand {
  kind: 'Promql';
  loc: Loc;
  params: EsqlPromqlParam[];
  valueName: EsqlField | null;
  expression: string;
}

export type EsqlSourceCommand = EsqlFromCommand | EsqlRowCommand | EsqlShowCommand | EsqlPromqlCommand;

export interface EsqlWhereCommand {
  kind: 'Where';
  loc: Loc;
  condition: EsqlExpr;
}

export interface EsqlEvalCommand {
  kind: 'Eval';
  loc: Loc;
  fields: EsqlNamedExpr[];
}

/** `STATS [aggs] [BY groups]`. */
export interface EsqlStatsCommand {
  kind: 'Stats';
  loc: Loc;
  aggregates: EsqlAggregate[];
  by: EsqlNamedExpr[];
}

/** `INLINE STATS …` (also spelled `INLINESTATS`): STATS that keeps every input row. */
export interface EsqlInlineStatsCommand {
  kind: 'InlineStats';
  loc: Loc;
  aggregates: EsqlAggregate[];
  by: EsqlNamedExpr[];
}

export interface EsqlKeepCommand {
  kind: 'Keep';
  loc: Loc;
  columns: EsqlNamePattern[];
}

export interface EsqlDropCommand {
  kind: 'Drop';
  loc: Loc;
  columns: EsqlNamePattern[];
}

export interface EsqlRenameCommand {
  kind: 'Rename';
  loc: Loc;
  clauses: EsqlRenameClause[];
}

export interface EsqlSortCommand {
  kind: 'Sort';
  loc: Loc;
  keys: EsqlSortKey[];
}

export interface EsqlLimitCommand {
  kind: 'Limit';
  loc: Loc;
  count: EsqlNumberLiteral | EsqlParam;
}

export interface EsqlMvExpandCommand {
  kind: 'MvExpand';
  loc: Loc;
  field: EsqlField;
}

export interface EsqlDissectCommand {
  kind: 'Dissect';
  loc: Loc;
  input: EsqlExpr;
  pattern: EsqlStringLiteral | EsqlParam;
  options: EsqlCommandOption[];
}

/** `GROK input "pattern"[, "pattern" …]`. */
export interface EsqlGrokCommand {
  kind: 'Grok';
  loc: Loc;
  input: EsqlExpr;
  patterns: (EsqlStringLiteral | EsqlParam)[];
}

/** `ENRICH [mode:]policy [ON field] [WITH …]`. */
export interface EsqlEnrichCommand {
  kind: 'Enrich';
  loc: Loc;
  mode: string | null;
  policy: string;
  on: EsqlNamePattern | null;
  with: EsqlEnrichClause[];
}

/** `LOOKUP JOIN index ON field, …` or `ON <boolean expression>`. */
export interface EsqlLookupJoinCommand {
  kind: 'LookupJoin';
  loc: Loc;
  index: EsqlIndexPattern;
  on: EsqlExpr[];
}

/** `CHANGE_POINT value [ON key] [AS typeName, pvalueName]`. */
export interface EsqlChangePointCommand {
  kind: 'ChangePoint';
  loc: Loc;
  value: EsqlField;
  key: EsqlField | null;
  typeName: EsqlField | null;
  pvalueName: EsqlField | null;
}

/**
 * `COMPLETION [target =] prompt WITH { "inference_id": … }` (also the older
 * `COMPLETION prompt WITH endpoint [AS target]`).
 */
export interface EsqlCompletionCommand {
  kind: 'Completion';
  loc: Loc;
  target: EsqlField | null;
  prompt: EsqlExpr;
  with: EsqlMapLiteral | EsqlField | EsqlParam | null;
  /** True when the target was written after `AS` (older syntax). */
  targetAfter: boolean;
}

export interface EsqlForkCommand {
  kind: 'Fork';
  loc: Loc;
  branches: EsqlForkBranch[];
}

/** `FUSE [method] [SCORE BY f] [GROUP BY f] [KEY BY f, …] [WITH {…}]`. */
export interface EsqlFuseCommand {
  kind: 'Fuse';
  loc: Loc;
  method: string | null;
  clauses: EsqlFuseClause[];
}

/** `RERANK [target =] query ON fields [WITH {…}]`. */
export interface EsqlRerankCommand {
  kind: 'Rerank';
  loc: Loc;
  target: EsqlField | null;
  query: EsqlConstant;
  on: EsqlNamedExpr[];
  with: EsqlMapLiteral | EsqlField | EsqlParam | null;
}

export interface EsqlSampleCommand {
  kind: 'Sample';
  loc: Loc;
  probability: EsqlNumberLiteral | EsqlParam;
}

/** `URI_PARTS prefix = expression`. */
export interface EsqlUriPartsCommand {
  kind: 'UriParts';
  loc: Loc;
  prefix: EsqlField;
  expr: EsqlExpr;
}

/** `TS_COLLAPSE` (after PROMQL). */
export interface EsqlTsCollapseCommand {
  kind: 'TsCollapse';
  loc: Loc;
}

/** `MMR [queryVector] ON field LIMIT n [WITH {…}]`: diversify the rows (maximal marginal relevance). */
export interface EsqlMmrCommand {
  kind: 'Mmr';
  loc: Loc;
  queryVector: EsqlExpr | null;
  field: EsqlField;
  limit: EsqlNumberLiteral | EsqlParam;
  with: EsqlMapLiteral | null;
}

export type EsqlProcessingCommand =
  | EsqlWhereCommand
  | EsqlEvalCommand
  | EsqlStatsCommand
  | EsqlInlineStatsCommand
  | EsqlKeepCommand
  | EsqlDropCommand
  | EsqlRenameCommand
  | EsqlSortCommand
  | EsqlLimitCommand
  | EsqlMvExpandCommand
  | EsqlDissectCommand
  | EsqlGrokCommand
  | EsqlEnrichCommand
  | EsqlLookupJoinCommand
  | EsqlChangePointCommand
  | EsqlCompletionCommand
  | EsqlForkCommand
  | EsqlFuseCommand
  | EsqlRerankCommand
  | EsqlSampleCommand
  | EsqlUriPartsCommand
  | EsqlTsCollapseCommand
  | EsqlMmrCommand;

export type EsqlCommand = EsqlSourceCommand | EsqlProcessingCommand;

/** A whole query: `SET` directives, then `commands[0]` (a source command) and the pipes. */
export interface EsqlQuery {
  kind: 'Query';
  loc: Loc;
  settings: EsqlSetDirective[];
  commands: EsqlCommand[];
}

/** Every node kind of the tree (for visitors). */
export type EsqlNode =
  | EsqlQuery
  | EsqlCommand
  | EsqlExpr
  | EsqlSetDirective
  | EsqlNamedExpr
  | EsqlAggregate
  | EsqlNamePattern
  | EsqlIndexPattern
  | EsqlSubquery
  | EsqlSortKey
  | EsqlRenameClause
  | EsqlEnrichClause
  | EsqlCommandOption
  | EsqlForkBranch
  | EsqlFuseClause
  | EsqlPromqlParam
  | EsqlMapEntry;

// ---------------------------------------------------------------------------------------------
// Lexical vocabulary shared by the grammar (through the builders) and the printer
// ---------------------------------------------------------------------------------------------

/**
 * Words that cannot start an unquoted column or function name in an expression (ES|QL lexes
 * them as keywords there); the printer backticks any name segment that is one of them.
 */
export const ESQL_RESERVED = new Set([
  'and', 'or', 'not', 'in', 'is', 'like', 'rlike', 'null', 'true', 'false',
  'by', 'as', 'on', 'with', 'where', 'asc', 'desc', 'nulls',
]);

/**
 * The documented units of time-span literals (`1 hour`, `2d`), lower-case. The grammar, like
 * Elasticsearch's, accepts any non-reserved word after an integer (`5m` occurs in the corpus);
 * checking the unit is left to later stages.
 */
export const ESQL_TIME_UNITS = new Set([
  'millisecond', 'milliseconds', 'ms',
  'second', 'seconds', 'sec', 's',
  'minute', 'minutes', 'min',
  'hour', 'hours', 'h',
  'day', 'days', 'd',
  'week', 'weeks', 'w',
  'month', 'months', 'mo',
  'quarter', 'quarters', 'q',
  'year', 'years', 'yr', 'y',
]);

/** An unquoted identifier segment as ES|QL lexes it in expressions. */
export const ESQL_UNQUOTED_IDENTIFIER = /^(?:[A-Za-z][A-Za-z0-9_]*|[_@][A-Za-z0-9_]+)$/;

// ---------------------------------------------------------------------------------------------
// Builders (called by the generated parser with `range()` offsets)
// ---------------------------------------------------------------------------------------------

interface Range {
  start: number;
  end: number;
}
/** The grammar passes a fresh `{ start, end }` per node, used as is. */
const loc = (r: Range): Loc => r;
const span = (a: { loc: Loc }, z: { loc: Loc }): Loc => ({ start: a.loc.start, end: z.loc.end });

function decodeString(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  return raw.replace(/\\([tnr"\\])/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

type PredicateSuffix =
  | { t: 'like'; op: 'like' | 'rlike'; negated: boolean; patterns: (EsqlStringLiteral | EsqlParam)[]; list: boolean; end: number }
  | { t: 'in'; negated: boolean; values: EsqlExpr[]; end: number }
  | { t: 'inSubquery'; negated: boolean; query: EsqlSubquery; end: number }
  | { t: 'isNull'; negated: boolean; end: number }
  | { t: 'match'; query: EsqlConstant; end: number };

/** A NOT or a sign before an operand of the flat expression reading (grammar rule FastOperand). */
interface FlatPrefix {
  op: 'not' | '-' | '+';
  start: number;
}
/** An operand of the flat reading: a Primary, or one with NOT / signs before it. */
type FlatOperand = EsqlExpr | { kind: 'Prefixed'; prefixes: FlatPrefix[]; primary: EsqlExpr };
/** What follows an operand in the flat reading (grammar rule FastStep). */
type FlatStep =
  | { t: 'op'; op: string; right: FlatOperand }
  | { t: 'cast'; type: string; end: number }
  | PredicateSuffix;

/** An operand taken apart: NOTs (their starts), then signs, then the Primary; null if a NOT follows a sign. */
interface SplitOperand {
  nots: number[];
  signs: FlatPrefix[];
  primary: EsqlExpr;
}
const NO_NOTS: number[] = [];
const NO_SIGNS: FlatPrefix[] = [];

function splitOperand(o: FlatOperand): SplitOperand | null {
  if (o.kind !== 'Prefixed') return { nots: NO_NOTS, signs: NO_SIGNS, primary: o };
  const nots: number[] = [];
  const signs: FlatPrefix[] = [];
  for (const p of o.prefixes) {
    if (p.op === 'not') {
      if (signs.length > 0) return null; // `- NOT a`: a sign's operand cannot start with NOT
      nots.push(p.start);
    } else signs.push(p);
  }
  return { nots, signs, primary: o.primary };
}

function isComparisonOp(op: string): op is EsqlComparisonOp {
  return op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=' || op === '=~';
}

/** `unary(signs, casts(primary, casts))`, as UnaryExpr / CastExpr build it. */
function closeUnary(b: EsqlBuilders, signs: FlatPrefix[], primary: EsqlExpr, casts: { type: string; end: number }[]): EsqlExpr {
  let e = casts.length === 0 ? primary : b.casts(primary, casts);
  for (let i = signs.length - 1; i >= 0; i--) {
    const s = signs[i] as FlatPrefix;
    e = b.unary({ start: s.start, end: e.loc.end }, s.op as '-' | '+', e);
  }
  return e;
}

/**
 * The flat reading of an expression (`valueOnly`: of a ValueExpr, an `IN (…)` value) built into
 * exactly the tree the precedence chain BooleanExpr → AndExpr → NotExpr → Predicate → ValueExpr
 * → OperatorExpr → UnaryExpr → CastExpr builds, with the same builders (so the same nodes and
 * spans). Steps are taken while the chain would take them; at the first one it would not (a
 * second comparison, anything but AND/OR after a predicate suffix, a NOT after an operator
 * other than AND/OR, …) the expression ends, and `cut` is the end of the last step taken (else
 * -1). Throws where the chain fails at the first operand (parse.ts then runs the normal parse).
 * No closures: this runs for every expression.
 */
function buildFlat(b: EsqlBuilders, head: FlatOperand, steps: FlatStep[], valueOnly: boolean): { expr: EsqlExpr; cut: number } {
  const first = splitOperand(head);
  if (first === null || (valueOnly && first.nots.length > 0)) throw new Error('ES|QL fast path: not an expression here');
  // the current operand: NOTs of the current predicate, signs, Primary and casts
  let nots = first.nots;
  let signs = first.signs;
  let primary = first.primary;
  let casts: { type: string; end: number }[] = [];
  // OperatorExpr: the operands before the current one, and the operator before the current one
  let arithHead: EsqlExpr | null = null;
  let arithTail: [EsqlArithmeticOp, EsqlExpr][] = [];
  let arithOp: EsqlArithmeticOp = '+';
  // ValueExpr: the left side and operator of a comparison
  let cmpLeft: EsqlExpr | null = null;
  let cmpOp: EsqlComparisonOp = '==';
  // Predicate with its suffix, once read (then nothing but AND / OR may follow)
  let pred: EsqlExpr | null = null;
  // the AND operands of the current OR operand, and the OR operands
  let ands: EsqlExpr[] = [];
  const ors: EsqlExpr[] = [];

  let i = 0;
  for (; i < steps.length; i++) {
    const step = steps[i] as FlatStep;
    if (step.t === 'cast') {
      if (pred !== null) break;
      casts.push(step);
      continue;
    }
    if (step.t !== 'op') {
      // a predicate suffix, applied to the ValueExpr
      if (pred !== null || valueOnly) break;
      let value = closeUnary(b, signs, primary, casts);
      if (arithHead !== null) {
        arithTail.push([arithOp, value]);
        value = b.arithmetic(arithHead, arithTail);
        arithHead = null;
      }
      if (cmpLeft !== null) {
        value = b.comparison(cmpLeft, cmpOp, value);
        cmpLeft = null;
      }
      if (step.t === 'match' && !b.isMatchField(value)) {
        pred = value;
        break;
      }
      pred = b.predicate(value, step);
      continue;
    }
    const right = splitOperand(step.right);
    if (right === null) break;
    const op = step.op;
    if (op === '+' || op === '-' || op === '*' || op === '/' || op === '%') {
      if (pred !== null || right.nots.length > 0) break;
      const u = closeUnary(b, signs, primary, casts);
      if (arithHead === null) arithHead = u;
      else arithTail.push([arithOp, u]);
      arithOp = op;
    } else if (isComparisonOp(op)) {
      if (pred !== null || cmpLeft !== null || right.nots.length > 0) break;
      let left = closeUnary(b, signs, primary, casts);
      if (arithHead !== null) {
        arithTail.push([arithOp, left]);
        left = b.arithmetic(arithHead, arithTail);
        arithHead = null;
        arithTail = [];
      }
      cmpLeft = left;
      cmpOp = op;
    } else {
      // AND / OR: the predicate ends
      if (valueOnly) break;
      ands.push(closePredicate(b, nots, pred, signs, primary, casts, arithHead, arithTail, arithOp, cmpLeft, cmpOp));
      pred = null;
      arithHead = null;
      arithTail = [];
      cmpLeft = null;
      if ((op.charCodeAt(0) | 0x20) === 0x6f) {
        ors.push(b.and(ands[0] as EsqlExpr, ands.slice(1)));
        ands = [];
      }
      nots = right.nots;
    }
    signs = right.signs;
    primary = right.primary;
    casts = [];
  }
  let expr: EsqlExpr;
  if (valueOnly) expr = closePredicate(b, NO_NOTS, pred, signs, primary, casts, arithHead, arithTail, arithOp, cmpLeft, cmpOp);
  else {
    ands.push(closePredicate(b, nots, pred, signs, primary, casts, arithHead, arithTail, arithOp, cmpLeft, cmpOp));
    ors.push(b.and(ands[0] as EsqlExpr, ands.slice(1)));
    expr = b.or(ors[0] as EsqlExpr, ors.slice(1));
  }
  return { expr, cut: i < steps.length ? expr.loc.end : -1 };
}

/** The Predicate (or the ValueExpr, when it has no suffix) with its NOTs, as NotExpr builds it. */
function closePredicate(
  b: EsqlBuilders,
  nots: number[],
  pred: EsqlExpr | null,
  signs: FlatPrefix[],
  primary: EsqlExpr,
  casts: { type: string; end: number }[],
  arithHead: EsqlExpr | null,
  arithTail: [EsqlArithmeticOp, EsqlExpr][],
  arithOp: EsqlArithmeticOp,
  cmpLeft: EsqlExpr | null,
  cmpOp: EsqlComparisonOp,
): EsqlExpr {
  let e = pred;
  if (e === null) {
    e = closeUnary(b, signs, primary, casts);
    if (arithHead !== null) {
      arithTail.push([arithOp, e]);
      e = b.arithmetic(arithHead, arithTail);
    }
    if (cmpLeft !== null) e = b.comparison(cmpLeft, cmpOp, e);
  }
  for (let i = nots.length - 1; i >= 0; i--) e = b.not({ start: nots[i] as number, end: e.loc.end }, e);
  return e;
}

/** The length of the longest word of ESQL_RESERVED. */
const RESERVED_MAX_LENGTH = Math.max(...[...ESQL_RESERVED].map((w) => w.length));

/** Whether an (ASCII) word is reserved; most names are longer than any reserved word, and are not lower-cased. */
function isReserved(word: string): boolean {
  return word.length <= RESERVED_MAX_LENGTH && ESQL_RESERVED.has(word.toLowerCase());
}

/** The builders, typed; the grammar reaches them as `options.b`. */
export function makeEsqlBuilders() {
  /**
   * The `KQL(…)` / `QSTR(…)` calls built during a parse, for parse.ts to embed their queries
   * without walking the tree (a call built in an alternative that was then abandoned may be
   * listed too; embedding it is harmless). Reset before each parse.
   */
  const embedCandidates: EsqlFunctionCall[] = [];
  /** See `flatEnd`. */
  let flatCut = -1;
  return {
    embedCandidates,
    isReserved,
    /** Whether a predicate suffix (NOT, LIKE, RLIKE, IN, IS, `:`) can start at `pos`. */
    maySuffix: (input: string, pos: number): boolean => {
      const c = input.charCodeAt(pos) | 0x20; // lower-case a letter (`:` stays 0x3a)
      return c === 0x6e || c === 0x6c || c === 0x72 || c === 0x69 || c === 0x3a;
    },
    skipSpace,
    mayStep,
    scanBinaryOp,
    scanDottedTail,
    /** `.a.b` (scanned by scanDottedTail) and the segments after it: `['a', 'b', …tail]`. */
    dottedSegments: (text: string, tail: string[]): string[] => {
      const segments = text.slice(1).split('.');
      for (const t of tail) segments.push(t);
      return segments;
    },
    /** A call without arguments (IdentPrimary). */
    noArgs: { args: null, star: false },
    scanIdentifier,
    scanPatternSegment,
    decodePatternSegment,
    scanQuotedIdentifierBody,
    scanStringBody,
    scanTripleBody,
    isTimeUnit: (word: string): boolean => !isReserved(word),

    query(settings: EsqlSetDirective[], commands: EsqlCommand[]): EsqlQuery {
      const first = settings[0] ?? commands[0];
      const last = commands[commands.length - 1];
      return { kind: 'Query', loc: first && last ? span(first, last) : { start: 0, end: 0 }, settings, commands };
    },
    set: (r: Range, name: string, value: EsqlConstant | EsqlMapLiteral): EsqlSetDirective => ({ kind: 'Set', loc: loc(r), name, value }),

    // commands
    from: (r: Range, timeSeries: boolean, sources: (EsqlIndexPattern | EsqlSubquery)[], metadata: string[] | null): EsqlFromCommand => ({
      kind: 'From', loc: loc(r), timeSeries, sources, metadata: metadata ?? [],
    }),
    indexPattern: (r: Range, cluster: string | null, pattern: string, selector: string | null, quoted: boolean): EsqlIndexPattern => ({
      kind: 'IndexPattern', loc: loc(r), cluster, pattern, selector, quoted,
    }),
    subquery: (r: Range, commands: EsqlCommand[]): EsqlSubquery => ({ kind: 'Subquery', loc: loc(r), commands }),
    row: (r: Range, fields: EsqlNamedExpr[]): EsqlRowCommand => ({ kind: 'Row', loc: loc(r), fields }),
    show: (r: Range, item: string): EsqlShowCommand => ({ kind: 'Show', loc: loc(r), item: item.toUpperCase() }),
    promql(r: Range, params: EsqlPromqlParam[], valueName: EsqlField | null, exprStart: number, rawExpr: string): EsqlPromqlCommand {
      const expression = rawExpr.trimEnd();
      return { kind: 'Promql', loc: { start: r.start, end: exprStart + expression.length }, params, valueName, expression };
    },
    promqlParam: (r: Range, name: string, value: string): EsqlPromqlParam => ({ kind: 'PromqlParam', loc: loc(r), name, value }),
    where: (r: Range, condition: EsqlExpr): EsqlWhereCommand => ({ kind: 'Where', loc: loc(r), condition }),
    eval: (r: Range, fields: EsqlNamedExpr[]): EsqlEvalCommand => ({ kind: 'Eval', loc: loc(r), fields }),
    stats: (r: Range, inline: boolean, aggregates: EsqlAggregate[] | null, by: EsqlNamedExpr[] | null): EsqlStatsCommand | EsqlInlineStatsCommand => ({
      kind: inline ? 'InlineStats' : 'Stats', loc: loc(r), aggregates: aggregates ?? [], by: by ?? [],
    }),
    aggregate: (r: Range, field: EsqlNamedExpr, where: EsqlExpr | null): EsqlAggregate => ({
      kind: 'Aggregate', loc: loc(r), name: field.name, expr: field.expr, where,
    }),
    keep: (r: Range, columns: EsqlNamePattern[]): EsqlKeepCommand => ({ kind: 'Keep', loc: loc(r), columns }),
    drop: (r: Range, columns: EsqlNamePattern[]): EsqlDropCommand => ({ kind: 'Drop', loc: loc(r), columns }),
    rename: (r: Range, clauses: EsqlRenameClause[]): EsqlRenameCommand => ({ kind: 'Rename', loc: loc(r), clauses }),
    renameClause: (r: Range, oldName: EsqlNamePattern, newName: EsqlNamePattern): EsqlRenameClause => ({
      kind: 'RenameClause', loc: loc(r), oldName, newName,
    }),
    sort: (r: Range, keys: EsqlSortKey[]): EsqlSortCommand => ({ kind: 'Sort', loc: loc(r), keys }),
    sortKey: (r: Range, expr: EsqlExpr, order: string | null, nulls: string | null): EsqlSortKey => ({
      kind: 'SortKey', loc: loc(r), expr,
      order: order === null ? null : order.toLowerCase() === 'asc' ? 'asc' : 'desc',
      nulls: nulls === null ? null : nulls.toLowerCase() === 'first' ? 'first' : 'last',
    }),
    limit: (r: Range, count: EsqlNumberLiteral | EsqlParam): EsqlLimitCommand => ({ kind: 'Limit', loc: loc(r), count }),
    mvExpand: (r: Range, field: EsqlField): EsqlMvExpandCommand => ({ kind: 'MvExpand', loc: loc(r), field }),
    dissect: (r: Range, input: EsqlExpr, pattern: EsqlStringLiteral | EsqlParam, options: EsqlCommandOption[] | null): EsqlDissectCommand => ({
      kind: 'Dissect', loc: loc(r), input, pattern, options: options ?? [],
    }),
    commandOption: (r: Range, name: string, value: EsqlConstant): EsqlCommandOption => ({
      kind: 'CommandOption', loc: loc(r), name: name.toUpperCase(), value,
    }),
    grok: (r: Range, input: EsqlExpr, patterns: (EsqlStringLiteral | EsqlParam)[]): EsqlGrokCommand => ({ kind: 'Grok', loc: loc(r), input, patterns }),
    enrich: (r: Range, mode: string | null, policy: string, on: EsqlNamePattern | null, withClauses: EsqlEnrichClause[] | null): EsqlEnrichCommand => ({
      kind: 'Enrich', loc: loc(r), mode, policy, on, with: withClauses ?? [],
    }),
    enrichClause: (r: Range, newName: EsqlNamePattern | null, field: EsqlNamePattern): EsqlEnrichClause => ({
      kind: 'EnrichClause', loc: loc(r), newName, field,
    }),
    lookupJoin: (r: Range, index: EsqlIndexPattern, on: EsqlExpr[]): EsqlLookupJoinCommand => ({ kind: 'LookupJoin', loc: loc(r), index, on }),
    changePoint: (r: Range, value: EsqlField, key: EsqlField | null, names: [EsqlField, EsqlField] | null): EsqlChangePointCommand => ({
      kind: 'ChangePoint', loc: loc(r), value, key, typeName: names ? names[0] : null, pvalueName: names ? names[1] : null,
    }),
    completion(
      r: Range,
      target: EsqlField | null,
      prompt: EsqlExpr,
      withValue: EsqlMapLiteral | EsqlField | EsqlParam | null,
      asTarget: EsqlField | null,
    ): EsqlCompletionCommand {
      return { kind: 'Completion', loc: loc(r), target: target ?? asTarget, prompt, with: withValue, targetAfter: target === null && asTarget !== null };
    },
    fork: (r: Range, branches: EsqlForkBranch[]): EsqlForkCommand => ({ kind: 'Fork', loc: loc(r), branches }),
    forkBranch: (r: Range, commands: EsqlProcessingCommand[]): EsqlForkBranch => ({ kind: 'ForkBranch', loc: loc(r), commands }),
    fuse: (r: Range, method: string | null, clauses: EsqlFuseClause[]): EsqlFuseCommand => ({
      kind: 'Fuse', loc: loc(r), method: method === null ? null : method.toUpperCase(), clauses,
    }),
    fuseScoreBy: (r: Range, field: EsqlField): EsqlFuseClause => ({ kind: 'FuseScoreBy', loc: loc(r), field }),
    fuseGroupBy: (r: Range, field: EsqlField): EsqlFuseClause => ({ kind: 'FuseGroupBy', loc: loc(r), field }),
    fuseKeyBy: (r: Range, fields: EsqlField[]): EsqlFuseClause => ({ kind: 'FuseKeyBy', loc: loc(r), fields }),
    fuseWith: (r: Range, options: EsqlMapLiteral): EsqlFuseClause => ({ kind: 'FuseWith', loc: loc(r), options }),
    rerank: (r: Range, target: EsqlField | null, query: EsqlConstant, on: EsqlNamedExpr[], withValue: EsqlMapLiteral | EsqlField | EsqlParam | null): EsqlRerankCommand => ({
      kind: 'Rerank', loc: loc(r), target, query, on, with: withValue,
    }),
    sample: (r: Range, probability: EsqlNumberLiteral | EsqlParam): EsqlSampleCommand => ({ kind: 'Sample', loc: loc(r), probability }),
    uriParts: (r: Range, prefix: EsqlField, expr: EsqlExpr): EsqlUriPartsCommand => ({ kind: 'UriParts', loc: loc(r), prefix, expr }),
    tsCollapse: (r: Range): EsqlTsCollapseCommand => ({ kind: 'TsCollapse', loc: loc(r) }),
    mmr: (r: Range, queryVector: EsqlExpr | null, field: EsqlField, limit: EsqlNumberLiteral | EsqlParam, withValue: EsqlMapLiteral | null): EsqlMmrCommand => ({
      kind: 'Mmr', loc: loc(r), queryVector, field, limit, with: withValue,
    }),

    namedExpr: (r: Range, name: EsqlField | null, expr: EsqlExpr): EsqlNamedExpr => ({ kind: 'NamedExpr', loc: loc(r), name, expr }),
    namePattern(r: Range, segments: string[]): EsqlNamePattern {
      const pattern = segments.join('.');
      return { kind: 'NamePattern', loc: loc(r), pattern, wildcard: pattern.includes('*') };
    },

    // expressions
    or(head: EsqlExpr, tail: EsqlExpr[]): EsqlExpr {
      if (tail.length === 0) return head;
      const operands: EsqlExpr[] = [];
      for (const e of [head, ...tail]) {
        if (e.kind === 'Or') operands.push(...e.operands);
        else operands.push(e);
      }
      return { kind: 'Or', loc: span(head, tail[tail.length - 1] as EsqlExpr), operands };
    },
    and(head: EsqlExpr, tail: EsqlExpr[]): EsqlExpr {
      if (tail.length === 0) return head;
      const operands: EsqlExpr[] = [];
      for (const e of [head, ...tail]) {
        if (e.kind === 'And') operands.push(...e.operands);
        else operands.push(e);
      }
      return { kind: 'And', loc: span(head, tail[tail.length - 1] as EsqlExpr), operands };
    },
    not: (r: Range, expr: EsqlExpr): EsqlNot => ({ kind: 'Not', loc: loc(r), expr }),
    comparison: (left: EsqlExpr, op: EsqlComparisonOp, right: EsqlExpr): EsqlComparison => ({
      kind: 'Comparison', loc: span(left, right), op, left, right,
    }),
    /** `head (op operand)*`, grouped by precedence: `* / %` before `+ -`, each left to right. */
    arithmetic(head: EsqlExpr, tail: [EsqlArithmeticOp, EsqlExpr][]): EsqlExpr {
      if (tail.length === 0) return head;
      const terms: EsqlExpr[] = [];
      const addOps: EsqlArithmeticOp[] = [];
      let acc = head;
      for (const [op, right] of tail) {
        if (op === '+' || op === '-') {
          terms.push(acc);
          addOps.push(op);
          acc = right;
        } else {
          acc = { kind: 'Arithmetic', loc: span(acc, right), op, left: acc, right };
        }
      }
      terms.push(acc);
      let sum = terms[0] as EsqlExpr;
      for (let i = 0; i < addOps.length; i++) {
        const right = terms[i + 1] as EsqlExpr;
        sum = { kind: 'Arithmetic', loc: span(sum, right), op: addOps[i] as EsqlArithmeticOp, left: sum, right };
      }
      return sum;
    },
    unary: (r: Range, op: '-' | '+', expr: EsqlExpr): EsqlUnary => ({ kind: 'Unary', loc: loc(r), op, expr }),
    prefixed: (prefixes: FlatPrefix[], primary: EsqlExpr): FlatOperand => ({ kind: 'Prefixed', prefixes, primary }),
    /**
     * The flat reading of an expression (`valueOnly`: of a ValueExpr, an `IN (…)` value) built
     * into exactly the tree the precedence chain BooleanExpr → AndExpr → NotExpr → Predicate →
     * ValueExpr → OperatorExpr → UnaryExpr → CastExpr builds, with the same builders (so the
     * same nodes and spans). Steps are taken while the chain would take them; at the first one
     * it would not (a second comparison, anything but AND/OR after a predicate suffix, a NOT
     * after an operator other than AND/OR, …) the expression ends, and `flatEnd` then gives the
     * end of the last step taken. Throws where the chain fails at the first operand.
     */
    flat(head: FlatOperand, steps: FlatStep[], valueOnly: boolean): EsqlExpr {
      if (steps.length === 0 && head.kind !== 'Prefixed') {
        flatCut = -1;
        return head;
      }
      const r = buildFlat(this, head, steps, valueOnly);
      flatCut = r.cut;
      return r.expr;
    },
    /** Where the last `flat` expression ended if it stopped before its last step, else `pos`. */
    flatEnd: (pos: number): number => (flatCut < 0 ? pos : flatCut),
    /** A parenthesised expression is its inner node with `loc` widened to the parentheses. */
    paren(r: Range, expr: EsqlExpr): EsqlExpr {
      expr.loc = loc(r); // the node is fresh from this parse; widening it in place keeps its identity
      return expr;
    },
    casts(head: EsqlExpr, types: { type: string; end: number }[]): EsqlExpr {
      let acc = head;
      for (const t of types) acc = { kind: 'Cast', loc: { start: head.loc.start, end: t.end }, expr: acc, type: t.type.toLowerCase() };
      return acc;
    },
    /** Whether `e` may stand left of the match operator `:`. */
    isMatchField: (e: EsqlExpr): boolean => e.kind === 'Field' || (e.kind === 'Cast' && e.expr.kind === 'Field'),
    predicate(expr: EsqlExpr, s: PredicateSuffix | null): EsqlExpr {
      if (s === null) return expr;
      const l = { start: expr.loc.start, end: s.end };
      switch (s.t) {
        case 'like':
          return { kind: 'Like', loc: l, op: s.op, negated: s.negated, expr, patterns: s.patterns, list: s.list };
        case 'in':
          return { kind: 'In', loc: l, negated: s.negated, expr, values: s.values };
        case 'inSubquery':
          return { kind: 'InSubquery', loc: l, negated: s.negated, expr, query: s.query };
        case 'isNull':
          return { kind: 'IsNull', loc: l, negated: s.negated, expr };
        case 'match':
          return { kind: 'Match', loc: l, field: expr as EsqlField | EsqlCast, query: s.query };
      }
    },
    call(r: Range, name: string, args: EsqlExpr[] | null, star: boolean): EsqlFunctionCall {
      const node: EsqlFunctionCall = { kind: 'Call', loc: loc(r), name: name.toUpperCase(), args: args ?? [], star };
      if (node.name === 'KQL' || node.name === 'QSTR') embedCandidates.push(node);
      return node;
    },
    field: (r: Range, parts: string[]): EsqlField => ({ kind: 'Field', loc: loc(r), name: parts.join('.') }),
    /** A word (with `segments` dotted segments after it) is a column name, or `true`/`false`/`null`. */
    isWordPrimary: (head: string, segments: number): boolean => {
      if (!isReserved(head)) return true;
      const w = head.toLowerCase();
      return segments === 0 && (w === 'true' || w === 'false' || w === 'null');
    },
    wordPrimary(r: Range, head: string, tail: string[]): EsqlField | EsqlBooleanLiteral | EsqlNullLiteral {
      if (tail.length === 0 && head.length <= RESERVED_MAX_LENGTH) {
        const w = head.toLowerCase();
        if (w === 'true' || w === 'false') return { kind: 'Boolean', loc: loc(r), value: w === 'true' };
        if (w === 'null') return { kind: 'Null', loc: loc(r) };
      }
      return { kind: 'Field', loc: loc(r), name: tail.length === 0 ? head : [head, ...tail].join('.') };
    },
    numberOrSpan(r: Range, int: string, rest: string | { unit: string } | null): EsqlNumberLiteral | EsqlTimeSpan {
      if (rest === null) return { kind: 'Number', loc: loc(r), value: Number(int), raw: int, integer: true };
      if (typeof rest === 'string') return { kind: 'Number', loc: loc(r), value: Number(int + rest), raw: int + rest, integer: false };
      return { kind: 'TimeSpan', loc: loc(r), value: Number(int), raw: int, unit: rest.unit.toLowerCase() };
    },
    param: (r: Range, name: string, identifier: boolean): EsqlParam => ({ kind: 'Param', loc: loc(r), name, identifier }),
    string: (r: Range, raw: string, triple: boolean): EsqlStringLiteral => ({
      kind: 'String', loc: loc(r), value: triple ? raw : decodeString(raw), triple,
    }),
    number: (r: Range, raw: string, integer: boolean): EsqlNumberLiteral => ({ kind: 'Number', loc: loc(r), value: Number(raw), raw, integer }),
    timeSpan: (r: Range, raw: string, unit: string): EsqlTimeSpan => ({ kind: 'TimeSpan', loc: loc(r), value: Number(raw), raw, unit: unit.toLowerCase() }),
    boolean: (r: Range, value: boolean): EsqlBooleanLiteral => ({ kind: 'Boolean', loc: loc(r), value }),
    null: (r: Range): EsqlNullLiteral => ({ kind: 'Null', loc: loc(r) }),
    list: (r: Range, values: EsqlConstant[]): EsqlListLiteral => ({ kind: 'List', loc: loc(r), values }),
    map: (r: Range, entries: EsqlMapEntry[] | null): EsqlMapLiteral => ({ kind: 'Map', loc: loc(r), entries: entries ?? [] }),
    mapEntry: (r: Range, key: EsqlStringLiteral, value: EsqlConstant | EsqlMapLiteral): EsqlMapEntry => ({ kind: 'MapEntry', loc: loc(r), key, value }),
  };
}

export type EsqlBuilders = ReturnType<typeof makeEsqlBuilders>;
