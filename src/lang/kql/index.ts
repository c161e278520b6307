/**
 * KQL (Kibana Query Language, "kuery"): parser, canonical printer, AST types and visitors.
 */
export type * from './ast';
export { parseKql } from './parse';
export { isLoneWildcard, KQL_RANGE_OPS } from './ast';
export { printKql, printKqlValue, printKqlLiteral } from './print';
export { walkKql, kqlChildren, kqlFields } from './visit';
