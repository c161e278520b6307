/**
 * The EQL function table. The parser accepts any function name (a call keeps the name as
 * written); analysis and the evaluator look names up here, case-insensitively.
 *
 * Facts from the Elasticsearch EQL function reference: the sixteen functions Elasticsearch
 * supports, their arities, and which accept the case-insensitive `~` suffix. The functions of
 * the older Endgame/Python `eql` dialect that Elasticsearch does not support are listed too,
 * marked `elasticsearch: false`, so that a query using them can be reported precisely.
 */

export type EqlValueType = 'string' | 'number' | 'boolean' | 'null' | 'any';

export interface EqlFunctionSpec {
  /** Canonical spelling, as the reference writes it (`cidrMatch`, `stringContains`). */
  name: string;
  /** Fewest arguments accepted. */
  minArgs: number;
  /** Most arguments accepted; `null` means variadic. */
  maxArgs: number | null;
  /** Whether `name~(...)` (case-insensitive matching) is allowed. */
  caseInsensitive: boolean;
  /** Result type (`null` is always possible when an argument is null). */
  returns: EqlValueType;
  /** Supported by Elasticsearch EQL (false: Endgame/Python `eql` only). */
  elasticsearch: boolean;
  summary: string;
}

export const EQL_FUNCTIONS: readonly EqlFunctionSpec[] = [
  { name: 'add', minArgs: 2, maxArgs: 2, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Sum of two addends.' },
  { name: 'between', minArgs: 3, maxArgs: 4, caseInsensitive: true, returns: 'string', elasticsearch: true, summary: 'Substring between a left and a right text; optional greedy flag.' },
  { name: 'cidrMatch', minArgs: 2, maxArgs: null, caseInsensitive: false, returns: 'boolean', elasticsearch: true, summary: 'True if an IP address is in one of the CIDR blocks.' },
  { name: 'concat', minArgs: 1, maxArgs: null, caseInsensitive: false, returns: 'string', elasticsearch: true, summary: 'Concatenation of the values.' },
  { name: 'divide', minArgs: 2, maxArgs: 2, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Quotient of dividend and divisor (integer division for integers).' },
  { name: 'endsWith', minArgs: 2, maxArgs: 2, caseInsensitive: true, returns: 'boolean', elasticsearch: true, summary: 'True if the source string ends with the substring.' },
  { name: 'indexOf', minArgs: 2, maxArgs: 3, caseInsensitive: true, returns: 'number', elasticsearch: true, summary: 'First position of a substring, from an optional start position.' },
  { name: 'length', minArgs: 1, maxArgs: 1, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Character length of a string.' },
  { name: 'modulo', minArgs: 2, maxArgs: 2, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Remainder of a division.' },
  { name: 'multiply', minArgs: 2, maxArgs: 2, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Product of two factors.' },
  { name: 'number', minArgs: 1, maxArgs: 2, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Converts a string to a number, with an optional base.' },
  { name: 'startsWith', minArgs: 2, maxArgs: 2, caseInsensitive: true, returns: 'boolean', elasticsearch: true, summary: 'True if the source string begins with the substring.' },
  { name: 'string', minArgs: 1, maxArgs: 1, caseInsensitive: false, returns: 'string', elasticsearch: true, summary: 'Converts a value to a string.' },
  { name: 'stringContains', minArgs: 2, maxArgs: 2, caseInsensitive: true, returns: 'boolean', elasticsearch: true, summary: 'True if the source string contains the substring.' },
  { name: 'substring', minArgs: 2, maxArgs: 3, caseInsensitive: false, returns: 'string', elasticsearch: true, summary: 'Substring between start and optional end positions (negative offsets allowed).' },
  { name: 'subtract', minArgs: 2, maxArgs: 2, caseInsensitive: false, returns: 'number', elasticsearch: true, summary: 'Difference of minuend and subtrahend.' },
  // Endgame / Python `eql` functions that Elasticsearch EQL does not support.
  { name: 'arrayContains', minArgs: 2, maxArgs: null, caseInsensitive: false, returns: 'boolean', elasticsearch: false, summary: 'True if an array contains one of the values.' },
  { name: 'arrayCount', minArgs: 3, maxArgs: 3, caseInsensitive: false, returns: 'number', elasticsearch: false, summary: 'Counts array members matching an expression.' },
  { name: 'arraySearch', minArgs: 3, maxArgs: 3, caseInsensitive: false, returns: 'boolean', elasticsearch: false, summary: 'True if an array member matches an expression.' },
  { name: 'match', minArgs: 2, maxArgs: null, caseInsensitive: false, returns: 'boolean', elasticsearch: false, summary: 'True if the string matches one of the regular expressions.' },
  { name: 'matchLite', minArgs: 2, maxArgs: 2, caseInsensitive: false, returns: 'boolean', elasticsearch: false, summary: 'Lightweight regular expression match.' },
  { name: 'wildcard', minArgs: 2, maxArgs: null, caseInsensitive: false, returns: 'boolean', elasticsearch: false, summary: 'True if the string matches one of the wildcard patterns (use `like`/`:` instead).' },
];

const BY_KEY = new Map<string, EqlFunctionSpec>(EQL_FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

/** Looks a function up by name, ignoring case (`STARTSWITH`, `startswith`, `startsWith`). */
export function lookupEqlFunction(name: string): EqlFunctionSpec | undefined {
  return BY_KEY.get(name.toLowerCase());
}

/** The canonical name of a function: the table's spelling, or the lower-cased name if unknown. */
export function canonicalFunctionName(name: string): string {
  return BY_KEY.get(name.toLowerCase())?.name ?? name.toLowerCase();
}

export type ArityProblem = 'unknown-function' | 'too-few-arguments' | 'too-many-arguments' | 'tilde-not-allowed' | 'not-in-elasticsearch';

/**
 * Checks a call against the table (for analysis diagnostics; the parser does not reject these).
 * Returns the problems found, in a stable order; an empty list means the call is valid.
 */
export function checkEqlCall(name: string, argCount: number, caseInsensitive: boolean): ArityProblem[] {
  const spec = lookupEqlFunction(name);
  if (!spec) return ['unknown-function'];
  const out: ArityProblem[] = [];
  if (!spec.elasticsearch) out.push('not-in-elasticsearch');
  if (argCount < spec.minArgs) out.push('too-few-arguments');
  if (spec.maxArgs !== null && argCount > spec.maxArgs) out.push('too-many-arguments');
  if (caseInsensitive && !spec.caseInsensitive) out.push('tilde-not-allowed');
  return out;
}
