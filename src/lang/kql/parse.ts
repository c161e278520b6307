/**
 * `parseKql(text)`: KQL text → `KqlQuery`, or a syntax error with line, column, expected and
 * found. Never throws (see `runParser`).
 */
import type { ParseResult, GeneratedParser } from '../shared/result';
import { runParser } from '../shared/result';
import * as generated from './generated/parser';
import { makeKqlBuilders, type KqlQuery } from './ast';

const parser: GeneratedParser = {
  parse: (input, options) => generated.parse(input, { ...options, b: makeKqlBuilders(input) }),
  SyntaxError: generated.SyntaxError as unknown as GeneratedParser['SyntaxError'],
};

export function parseKql(text: string): ParseResult<KqlQuery> {
  return runParser(parser, text, undefined, (raw) => raw as KqlQuery);
}
