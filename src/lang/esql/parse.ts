/**
 * `parseEsql(text)`: ES|QL text → `EsqlQuery`, or a syntax error with line, column, expected
 * and found. Never throws (see `runParser`).
 *
 * After the parse, the string argument of every `KQL("…")` and `QSTR("…")` call is parsed with
 * the KQL and Lucene grammars and attached to the call as `embedded`; a string that does not
 * parse leaves the ES|QL parse successful, and `embedded.result` carries the error.
 */
import type { ParseResult, GeneratedParser } from '../shared/result';
import { runParser } from '../shared/result';
import { parseKql } from '../kql';
import { parseLucene } from '../lucene';
import * as generated from './generated/parser';
import { makeEsqlBuilders, type EsqlFunctionCall, type EsqlQuery, type EsqlStringLiteral } from './ast';

const builders = makeEsqlBuilders();

/**
 * Valid queries are parsed once with failure bookkeeping switched off (`silent`: peggy then
 * skips recording what it expected at each failed alternative, a large share of its work, and
 * the grammar reads expressions flat instead of through its precedence chain, see `Expr`);
 * only a query that fails (or that the flat reading gives up on, by throwing) is parsed again
 * normally, to report what was expected where.
 */
const parser: GeneratedParser = {
  parse: (input, options) => {
    try {
      return generated.parse(input, { ...options, b: builders, silent: true });
    } catch {
      return generated.parse(input, { ...options, b: builders });
    }
  },
  SyntaxError: generated.SyntaxError as unknown as GeneratedParser['SyntaxError'],
};

export function parseEsql(text: string): ParseResult<EsqlQuery> {
  builders.embedCandidates.length = 0;
  const result = runParser(parser, text, undefined, (raw) => raw as EsqlQuery);
  if (result.ok) {
    for (const call of builders.embedCandidates) {
      const language = embeddedLanguage(call.name);
      const arg = call.args[0];
      if (language !== null && arg !== undefined && arg.kind === 'String') embed(call, arg, language, text);
    }
  }
  builders.embedCandidates.length = 0;
  return result;
}

/** The language of the query a function's first string argument holds, if any. */
function embeddedLanguage(name: string): 'kuery' | 'lucene' | null {
  if (name === 'KQL') return 'kuery';
  if (name === 'QSTR') return 'lucene';
  return null;
}

function embed(call: EsqlFunctionCall, arg: EsqlStringLiteral, language: 'kuery' | 'lucene', text: string): void {
  const quote = arg.triple ? 3 : 1;
  const start = arg.loc.start + quote;
  // a triple-quoted string's value may end with up to two extra `"` that belong to the content
  const end = arg.triple ? start + arg.value.length : arg.loc.end - 1;
  const loc = { start, end };
  const linear = text.slice(start, end) === arg.value;
  call.embedded =
    language === 'kuery'
      ? { language, loc, linear, result: parseKql(arg.value) }
      : { language, loc, linear, result: parseLucene(arg.value) };
}
