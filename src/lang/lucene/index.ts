/**
 * Lucene query syntax as Elasticsearch's `query_string` reads it: parser, canonical printer,
 * AST types and visitors.
 */
export type * from './ast';
export { parseLucene } from './parse';
export { printLucene, escapeLuceneTerm } from './print';
export { walkLucene, luceneChildren } from './visit';
