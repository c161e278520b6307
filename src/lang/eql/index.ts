/** EQL (Elasticsearch dialect): parser, canonical printer, AST types, walker and function table. */
export { parseEql, parseEqlExpression } from './parse';
export { printEql, printEqlExpr, printEqlString, printField, escapeEqlString, PRINT_WIDTH } from './print';
export { visitExprs, visitNodes, childExprs, childNodes, queryStages, isExpr } from './visit';
export { EQL_FUNCTIONS, lookupEqlFunction, canonicalFunctionName, checkEqlCall } from './functions';
export type { EqlFunctionSpec, EqlValueType, ArityProblem } from './functions';
export { TIME_UNITS } from './ast';
export type {
  EqlQuery,
  EventQuery,
  SequenceQuery,
  SampleQuery,
  Stage,
  Category,
  Maxspan,
  Pipe,
  TimeUnit,
  Expr,
  Literal,
  AndExpr,
  OrExpr,
  NotExpr,
  Comparison,
  ComparisonOp,
  MatchExpr,
  MatchOp,
  InExpr,
  Call,
  Arithmetic,
  ArithmeticOp,
  Unary,
  Field,
  StringLit,
  NumberLit,
  BooleanLit,
  NullLit,
  EqlNode,
} from './ast';
