/**
 * Scanners for the ES|QL tokens the grammar meets most often: whitespace and comments,
 * unquoted names, name patterns and the bodies of strings. Each takes the input and a position
 * and returns where the token ends (or -1 / the same position when there is none). The grammar
 * calls them from tiny predicates that move peggy's position; this is many times cheaper than
 * peggy's generic per-character repetition (which builds an array of characters), and these
 * tokens make up most of the characters of a query. The syntax of each token is written beside
 * its rule in grammar.peggy.
 */

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const STAR = 42;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const AT = 64;
const UPPER_A = 65;
const UPPER_Z = 90;
const BACKSLASH = 92;
const UNDERSCORE = 95;
const BACKTICK = 96;
const LOWER_A = 97;
const LOWER_N = 110;
const LOWER_R = 114;
const LOWER_T = 116;
const LOWER_Z = 122;

/**
 * Character classes, one bit each, for every UTF-16 code unit, read with `CLASS[c] & …` (or
 * `CLASS[c | 0]` where `c` may be the NaN of a read past the end: 0 has no class), so every
 * read is in bounds with a small-integer index. The loops below run mostly before V8 optimises
 * them, where a table read is much cheaper than calling a predicate per character.
 */
const LETTER = 1;
const IDENT_BODY = 2; // [A-Za-z0-9_]
const PATTERN = 4; // [A-Za-z0-9_@*]
const STEP = 8; // the first character of what may follow an operand: see mayStep
const CLASS = new Uint8Array(65536);
for (let c = 0; c < 128; c++) {
  const letter = (c >= LOWER_A && c <= LOWER_Z) || (c >= UPPER_A && c <= UPPER_Z);
  const body = letter || (c >= ZERO && c <= NINE) || c === UNDERSCORE;
  const step = '-+*/%=!<>:aAoOnNlLrRiI'.includes(String.fromCharCode(c));
  CLASS[c] = (letter ? LETTER : 0) | (body ? IDENT_BODY : 0) | (body || c === AT || c === STAR ? PATTERN : 0) | (step ? STEP : 0);
}

function isIdentBody(c: number): boolean {
  return ((CLASS[c | 0] as number) & IDENT_BODY) !== 0;
}

/**
 * Spaces, tabs, line breaks, `// …` to the end of the line and `/* … *\/` (nestable). An
 * unterminated block comment is not skipped, so that the error points at it.
 */
export function skipSpace(input: string, pos: number): number {
  // The grammar skips whitespace at the same place several times in a row (once per operator it
  // tries after an operand); remember the last answer.
  if (pos === lastSkipFrom && input === lastSkipInput) return lastSkipTo;
  const end = scanSpace(input, pos);
  lastSkipInput = input;
  lastSkipFrom = pos;
  lastSkipTo = end;
  return end;
}

let lastSkipInput = '';
let lastSkipFrom = -1;
let lastSkipTo = -1;

function scanSpace(input: string, pos: number): number {
  const n = input.length;
  for (;;) {
    // (reads stay inside the string: a read past the end makes V8 drop its optimised code once)
    if (pos >= n) return pos;
    const c = input.charCodeAt(pos);
    if (c === SPACE || c === LF || c === CR || c === TAB) {
      pos++;
    } else if (c === SLASH) {
      const d = input.charCodeAt(pos + 1);
      if (d === SLASH) {
        pos += 2;
        while (pos < n) {
          const e = input.charCodeAt(pos);
          if (e === LF || e === CR) break;
          pos++;
        }
      } else if (d === STAR) {
        let depth = 1;
        let p = pos + 2;
        while (p < n && depth > 0) {
          const e = input.charCodeAt(p);
          if (e === STAR && input.charCodeAt(p + 1) === SLASH) {
            depth--;
            p += 2;
          } else if (e === SLASH && input.charCodeAt(p + 1) === STAR) {
            depth++;
            p += 2;
          } else p++;
        }
        if (depth > 0) return pos;
        pos = p;
      } else return pos;
    } else return pos;
  }
}

/** An unquoted name: `[A-Za-z][A-Za-z0-9_]*` or `[_@][A-Za-z0-9_]+`. Returns its end, or -1. */
export function scanIdentifier(input: string, pos: number): number {
  const n = input.length;
  if (pos >= n) return -1;
  const c = input.charCodeAt(pos);
  let p = pos + 1;
  if (((CLASS[c] as number) & LETTER) !== 0) {
    // any body
  } else if (c === UNDERSCORE || c === AT) {
    if (p >= n || ((CLASS[input.charCodeAt(p)] as number) & IDENT_BODY) === 0) return -1;
  } else return -1;
  while (p < n && ((CLASS[input.charCodeAt(p)] as number) & IDENT_BODY) !== 0) p++;
  return p;
}

/** The unquoted part of a name-pattern segment: `[A-Za-z0-9_@*]+`. Returns its end, or -1. */
export function scanPatternChars(input: string, pos: number): number {
  let p = pos;
  while (((CLASS[input.charCodeAt(p) | 0] as number) & PATTERN) !== 0) p++;
  return p > pos ? p : -1;
}

/**
 * The body of a `"…"` string: characters other than `"`, `\`, CR and LF, and the escapes
 * `\t \n \r \" \\`. Stops before the closing quote, a line break or an invalid escape.
 */
export function scanStringBody(input: string, pos: number): number {
  const n = input.length;
  let p = pos;
  while (p < n) {
    const c = input.charCodeAt(p);
    if (c === QUOTE || c === LF || c === CR) break;
    if (c === BACKSLASH) {
      const d = input.charCodeAt(p + 1);
      if (d === LOWER_T || d === LOWER_N || d === LOWER_R || d === QUOTE || d === BACKSLASH) p += 2;
      else break;
    } else p++;
  }
  return p;
}

/** The body of a `"""…"""` string: anything but a line break, up to the first `"""`. */
export function scanTripleBody(input: string, pos: number): number {
  const n = input.length;
  let p = pos;
  while (p < n) {
    const c = input.charCodeAt(p);
    if (c === LF || c === CR) break;
    if (c === QUOTE && input.charCodeAt(p + 1) === QUOTE && input.charCodeAt(p + 2) === QUOTE) break;
    p++;
  }
  return p;
}

/** A backticked name's body: anything, with `` standing for one backtick. Stops at the closing backtick. */
export function scanQuotedIdentifierBody(input: string, pos: number): number {
  const n = input.length;
  let p = pos;
  while (p < n) {
    if (input.charCodeAt(p) === BACKTICK) {
      if (input.charCodeAt(p + 1) === BACKTICK) p += 2;
      else break;
    } else p++;
  }
  return p;
}

/**
 * A name-pattern segment (between dots): unquoted pieces `[A-Za-z0-9_@*]+` and backticked
 * pieces, in any succession (`` host*`odd.name` ``). Returns its end, or -1.
 */
export function scanPatternSegment(input: string, pos: number): number {
  let p = pos;
  for (;;) {
    const c = input.charCodeAt(p);
    if (((CLASS[c | 0] as number) & PATTERN) !== 0) {
      p++;
    } else if (c === BACKTICK) {
      const end = scanQuotedIdentifierBody(input, p + 1);
      if (end === p + 1 || input.charCodeAt(end) !== BACKTICK) break;
      p = end + 1;
    } else break;
  }
  return p > pos ? p : -1;
}

/** The text of a scanned pattern segment: backticks removed, `` in them read as one backtick. */
export function decodePatternSegment(raw: string): string {
  if (raw.indexOf('`') < 0) return raw;
  return raw.replace(/`((?:[^`]|``)+)`/g, (_m, body: string) => body.replace(/``/g, '`'));
}

const BANG = 33;
const PERCENT = 37;
const PLUS = 43;
const MINUS = 45;
const LESS = 60;
const EQUALS = 61;
const GREATER = 62;
const TILDE = 126;

/**
 * A binary operator of an expression: `OR`, `AND` (any case, whole words), a comparison
 * (`== != <= >= =~ < >`, longest first) or an arithmetic operator (`+ - * / %`; a `/` that
 * starts a comment is not one). Returns its end, or -1.
 */
export function scanBinaryOp(input: string, pos: number): number {
  const c = input.charCodeAt(pos);
  const d = input.charCodeAt(pos + 1);
  switch (c) {
    case PLUS:
    case MINUS:
    case STAR:
    case PERCENT:
      return pos + 1;
    case SLASH:
      return d === SLASH || d === STAR ? -1 : pos + 1;
    case EQUALS:
      return d === EQUALS || d === TILDE ? pos + 2 : -1;
    case BANG:
      return d === EQUALS ? pos + 2 : -1;
    case LESS:
    case GREATER:
      return d === EQUALS ? pos + 2 : pos + 1;
    case 0x61: // a
    case 0x41: // A
      return (d | 0x20) === 0x6e && (input.charCodeAt(pos + 2) | 0x20) === 0x64 && !isIdentBody(input.charCodeAt(pos + 3)) ? pos + 3 : -1;
    case 0x6f: // o
    case 0x4f: // O
      return (d | 0x20) === 0x72 && !isIdentBody(input.charCodeAt(pos + 2)) ? pos + 2 : -1;
    default:
      return -1;
  }
}

const DOT = 46;

/**
 * The unquoted segments after a name: `("." [A-Za-z][A-Za-z0-9_]* / "." [_@][A-Za-z0-9_]+)*`.
 * Returns where they end (`pos` when there is none); a backticked segment is left to the grammar.
 */
export function scanDottedTail(input: string, pos: number): number {
  let p = pos;
  while (p < input.length && input.charCodeAt(p) === DOT) {
    const end = scanIdentifier(input, p + 1);
    if (end < 0) break;
    p = end;
  }
  return p;
}

/**
 * Whether, after the whitespace at `pos`, something may continue an expression: a binary
 * operator (`+ - * / % = ! < >`, `AND`, `OR`), a cast or match `:`, or a predicate suffix
 * (`NOT`, `LIKE`, `RLIKE`, `IN`, `IS`). A quick test only: false means no step can follow.
 */
export function mayStep(input: string, pos: number): boolean {
  const p = skipSpace(input, pos);
  return p < input.length && ((CLASS[input.charCodeAt(p)] as number) & STEP) !== 0;
}
