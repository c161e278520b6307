/**
 * `parseLucene(text)`: Lucene query_string text → `LuceneQuery`, or a syntax error with line,
 * column, expected and found. Never throws (see `runParser`).
 */
import type { ParseResult, GeneratedParser } from '../shared/result';
import { runParser } from '../shared/result';
import * as generated from './generated/parser';
import { makeLuceneBuilders, type LuceneQuery } from './ast';

const builders = makeLuceneBuilders();

const parser: GeneratedParser = {
  parse: (input, options) => generated.parse(input, { ...options, b: builders }),
  SyntaxError: generated.SyntaxError as unknown as GeneratedParser['SyntaxError'],
};

export function parseLucene(text: string): ParseResult<LuceneQuery> {
  return runParser(parser, text, undefined, (raw) => raw as LuceneQuery);
}
