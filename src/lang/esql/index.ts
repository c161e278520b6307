/**
 * ES|QL: parser (`parseEsql`), canonical printer (`printEsql`), AST types and visitors.
 */
export type * from './ast';
export { ESQL_RESERVED, ESQL_TIME_UNITS, ESQL_COMPARISON_OPS } from './ast';
export { parseEsql } from './parse';
export { printEsql, printCommand, printExpr, printFieldName, quoteString } from './print';
export { esqlChildren, walkEsql, esqlFunctionCalls, esqlFieldRefs, esqlPipeline, isEsqlExpr } from './visit';
