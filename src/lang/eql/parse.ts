/**
 * `parseEql(text)`: the EQL parser under the shared contract (src/lang/shared/result.ts): it
 * never throws, and a query that does not parse yields one error with its line and column in
 * the query, what was expected and what was found.
 */
import { runParser, type GeneratedParser, type ParseResult } from '../shared/result';
import { builders, type EqlQuery, type Expr } from './ast';
import { parse as generatedParse, SyntaxError as GeneratedSyntaxError } from './generated/parser';

/**
 * Two passes. The first runs with peggy's failure bookkeeping switched off
 * (`peg$silentFails`, the generated parser's own option): a query that parses — nearly every
 * query — does not pay for recording what was expected at each position. Only when that pass
 * fails for want of an expected token does a second, normal pass rebuild the precise error.
 * Errors raised by the grammar's own `error(...)` (unterminated string, bad escape, …) and
 * stack overflows are final after the first pass.
 */
function twoPass(startRule: string): GeneratedParser {
  const fast = { b: builders, startRule, peg$silentFails: 1 };
  const full = { b: builders, startRule };
  return {
    parse(input: string): unknown {
      try {
        return generatedParse(input, fast);
      } catch (e) {
        if (e instanceof GeneratedSyntaxError && e.expected !== null) return generatedParse(input, full);
        throw e;
      }
    },
    SyntaxError: GeneratedSyntaxError,
  };
}

const queryParser = twoPass('Start');
const expressionParser = twoPass('ExpressionStart');

/** Parses a whole EQL query (event query, sequence or sample, with its pipes). */
export function parseEql(text: string): ParseResult<EqlQuery> {
  return runParser(queryParser, text, undefined, (raw) => raw as EqlQuery);
}

/** Parses a bare EQL condition (`process.name == "x" and …`), as found after `where`. */
export function parseEqlExpression(text: string): ParseResult<Expr> {
  return runParser(expressionParser, text, undefined, (raw) => raw as Expr);
}
