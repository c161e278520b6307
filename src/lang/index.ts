/**
 * One entry point for every query language: `parseQuery(language, text)` dispatches to the
 * language's generated parser and `printQuery` to its canonical printer. The result is a union
 * on `language`, so later stages switch on it exhaustively.
 */
import type { QueryLanguage } from '../model/rule';
import { assertNever } from '../model/rule';
import type { ParseResult, QuerySyntaxError } from './shared/result';
import { parseEql, printEql, type EqlQuery } from './eql';
import { parseKql, printKql, type KqlQuery } from './kql';
import { parseLucene, printLucene, type LuceneQuery } from './lucene';
import { parseEsql, printEsql, type EsqlQuery } from './esql';

export type { ParseResult, QuerySyntaxError };
export type { EqlQuery, KqlQuery, LuceneQuery, EsqlQuery };

export type QueryAst =
  | { language: 'eql'; ast: EqlQuery }
  | { language: 'kuery'; ast: KqlQuery }
  | { language: 'lucene'; ast: LuceneQuery }
  | { language: 'esql'; ast: EsqlQuery };

export type ParsedQuery = { ok: true; query: QueryAst } | { ok: false; language: QueryLanguage; error: QuerySyntaxError };

function wrap<A>(language: QueryLanguage, r: ParseResult<A>, make: (ast: A) => QueryAst): ParsedQuery {
  return r.ok ? { ok: true, query: make(r.ast) } : { ok: false, language, error: r.error };
}

export function parseQuery(language: QueryLanguage, text: string): ParsedQuery {
  switch (language) {
    case 'eql':
      return wrap(language, parseEql(text), (ast) => ({ language, ast }));
    case 'kuery':
      return wrap(language, parseKql(text), (ast) => ({ language, ast }));
    case 'lucene':
      return wrap(language, parseLucene(text), (ast) => ({ language, ast }));
    case 'esql':
      return wrap(language, parseEsql(text), (ast) => ({ language, ast }));
    default:
      return assertNever(language, 'query language');
  }
}

export function printQuery(q: QueryAst): string {
  switch (q.language) {
    case 'eql':
      return printEql(q.ast);
    case 'kuery':
      return printKql(q.ast);
    case 'lucene':
      return printLucene(q.ast);
    case 'esql':
      return printEsql(q.ast);
    default:
      return assertNever(q, 'query');
  }
}
