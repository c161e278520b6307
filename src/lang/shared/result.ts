/**
 * The contract every query-language parser keeps: `parse(text)` never throws for any input
 * string; it returns an AST or one syntax error placed in the query text. Callers map the
 * query-relative place to the rule's own file (see `TextOrigin` in `src/model/span.ts`).
 */

export interface QuerySyntaxError {
  /** Human-readable: `Expected "]", "and" or "or" but "|" found.` */
  message: string;
  /** Offset into the query text (UTF-16 code units). */
  offset: number;
  /** 1-based line and column inside the query text. */
  line: number;
  column: number;
  /** What the parser would have accepted there, deduplicated and sorted. */
  expected: string[];
  /** What it found instead (`null` at end of input). */
  found: string | null;
}

export type ParseResult<A> = { ok: true; ast: A } | { ok: false; error: QuerySyntaxError };

/** Shape of a peggy-generated parser module, as `scripts/grammars.ts` writes it. */
export interface GeneratedParser {
  parse(input: string, options?: { startRule?: string; [key: string]: unknown }): unknown;
  SyntaxError: new (...args: never[]) => Error;
}

interface PeggyLocation {
  start: { offset: number; line: number; column: number };
}
interface PeggyExpectation {
  type: string;
  text?: string;
  description?: string;
}
interface PeggySyntaxErrorLike {
  message: string;
  location?: PeggyLocation;
  expected?: PeggyExpectation[] | null;
  found?: string | null;
}

/** Hard limits that keep parsing bounded on hostile input (the 10 MB query, 100k parentheses). */
export const MAX_QUERY_LENGTH = 2_000_000;

/**
 * Turns whatever a generated parser threw into a `QuerySyntaxError`. A peggy syntax error keeps
 * its place; anything else (a stack overflow on absurd nesting) becomes an error at offset 0
 * with the reason, so that the parse contract holds for every input.
 */
export function toSyntaxError(e: unknown, text: string): QuerySyntaxError {
  const err = e as PeggySyntaxErrorLike;
  if (err && typeof err === 'object' && err.location && typeof err.location.start?.offset === 'number') {
    const expected = describeExpected(err.expected ?? []);
    const found = err.found ?? null;
    const message =
      expected.length > 0
        ? `Expected ${joinAlternatives(expected)} but ${found === null ? 'end of input' : JSON.stringify(found)} found.`
        : err.message;
    return {
      message,
      offset: err.location.start.offset,
      line: err.location.start.line,
      column: err.location.start.column,
      expected,
      found,
    };
  }
  const tooDeep = e instanceof RangeError;
  return {
    message: tooDeep ? 'Query is nested too deeply to parse.' : `Query could not be parsed: ${String((e as Error)?.message ?? e)}`,
    offset: 0,
    line: 1,
    column: 1,
    expected: [],
    found: text.length > 0 ? text.slice(0, 1) : null,
  };
}

export function tooLong(text: string): QuerySyntaxError {
  return {
    message: `Query is ${text.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`,
    offset: 0,
    line: 1,
    column: 1,
    expected: [],
    found: null,
  };
}

function describeExpected(expected: PeggyExpectation[]): string[] {
  const out = new Set<string>();
  for (const x of expected) {
    if (x.type === 'end') out.add('end of input');
    else if (x.type === 'other') out.add(x.description ?? 'something else');
    else if (x.type === 'literal') out.add(JSON.stringify(x.text ?? ''));
    else out.add(x.description ?? x.text ?? x.type);
  }
  return [...out].sort();
}

function joinAlternatives(items: string[]): string {
  if (items.length === 1) return items[0] as string;
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * Runs a generated parser under the contract: never throws, bounded input size.
 * `build` turns the parser's raw output into the typed AST (the one place a cast happens).
 */
export function runParser<A>(parser: GeneratedParser, text: string, startRule: string | undefined, build: (raw: unknown) => A): ParseResult<A> {
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, error: tooLong(text) };
  try {
    const raw = startRule === undefined ? parser.parse(text) : parser.parse(text, { startRule });
    return { ok: true, ast: build(raw) };
  } catch (e) {
    return { ok: false, error: toSyntaxError(e, text) };
  }
}
