/**
 * Elasticsearch's regular-expression syntax (Lucene `RegExp`, with the `regexp` query's default
 * flags `ALL`), compiled to a DFA (see automaton.ts) and matched against the whole value:
 * Lucene patterns are always anchored, `^` and `$` are ordinary characters.
 *
 * Syntax (from the Lucene RegExp grammar and the Elasticsearch "Regular expression syntax" page):
 *   `|` union, `&` intersection, `~x` complement, concatenation,
 *   `x?` `x*` `x+` `x{n}` `x{n,}` `x{n,m}`,
 *   `.` any character, `#` the empty language, `@` any string, `"…"` a literal string,
 *   `()` the empty string, `( … )` grouping, `<n-m>` a decimal integer interval,
 *   `[…]` / `[^…]` classes with `a-z` ranges, `\d \D \s \S \w \W`, `\c` escapes any character.
 * A named automaton `<name>` is refused as Elasticsearch refuses it (no such automaton).
 *
 * Case-insensitive matching (`regex~`, `RLIKE` is not) is Lucene's ASCII_CASE_INSENSITIVE: only
 * ASCII letters fold.
 */
import { asciiCaseInsensitive, complementRanges, Lang, MAX_CODE_POINT, normaliseRanges, TooComplexError, type Dfa, type Re } from './automaton';

export const MAX_REGEX_LENGTH = 10_000;
export const MAX_REPEAT = 1_000;

export class RegexSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

const DIGIT = [48, 57];
const SPACE = normaliseRanges([9, 13, 32, 32]); // \t \n \u000B \f \r and space
const WORD = normaliseRanges([48, 57, 65, 90, 95, 95, 97, 122]);

interface ParseOptions {
  caseInsensitive: boolean;
}

class Parser {
  private pos = 0;
  private readonly cps: number[];
  constructor(
    private readonly lang: Lang,
    text: string,
    private readonly opts: ParseOptions,
  ) {
    this.cps = Array.from(text, (c) => c.codePointAt(0) as number);
  }

  private more(): boolean {
    return this.pos < this.cps.length;
  }

  private peek(chars: string): boolean {
    return this.more() && chars.includes(String.fromCodePoint(this.cps[this.pos] as number));
  }

  private match(ch: string): boolean {
    if (this.more() && this.cps[this.pos] === ch.codePointAt(0)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private next(): number {
    if (!this.more()) throw new RegexSyntaxError('unexpected end of pattern', this.pos);
    return this.cps[this.pos++] as number;
  }

  private set(r: number[]): Re {
    return this.lang.set(this.opts.caseInsensitive ? asciiCaseInsensitive(r) : normaliseRanges(r));
  }

  parse(): Re {
    const e = this.union();
    if (this.more()) throw new RegexSyntaxError('end of pattern expected', this.pos);
    return e;
  }

  private union(): Re {
    const parts = [this.inter()];
    while (this.match('|')) parts.push(this.inter());
    return this.lang.altList(parts);
  }

  private inter(): Re {
    const parts = [this.concat()];
    while (this.match('&')) parts.push(this.concat());
    return this.lang.andList(parts);
  }

  private concat(): Re {
    const parts = [this.repeat()];
    while (this.more() && !this.peek(')|&')) parts.push(this.repeat());
    return this.lang.catAll(parts);
  }

  private repeat(): Re {
    let e = this.compl();
    while (this.peek('?*+{')) {
      if (this.match('?')) e = this.lang.opt(e);
      else if (this.match('*')) e = this.lang.star(e);
      else if (this.match('+')) e = this.lang.plus(e);
      else if (this.match('{')) {
        const start = this.pos;
        const min = this.number();
        let max: number | null = min;
        if (this.match(',')) max = this.peek('}') ? null : this.number();
        if (!this.match('}')) throw new RegexSyntaxError("expected '}'", this.pos);
        if (min > MAX_REPEAT || (max !== null && max > MAX_REPEAT)) throw new RegexSyntaxError(`repetition count over ${MAX_REPEAT}`, start);
        e = this.lang.repeat(e, min, max);
      }
    }
    return e;
  }

  private number(): number {
    const start = this.pos;
    while (this.peek('0123456789')) this.pos++;
    if (this.pos === start) throw new RegexSyntaxError('integer expected', this.pos);
    return Number(String.fromCodePoint(...this.cps.slice(start, this.pos)));
  }

  private compl(): Re {
    if (this.match('~')) return this.lang.and(this.lang.not(this.compl()), this.lang.anyString);
    return this.charClassExp();
  }

  private charClassExp(): Re {
    if (this.match('[')) {
      const negate = this.match('^');
      let ranges: number[] = [];
      do {
        ranges.push(...this.charClass());
      } while (this.more() && !this.peek(']'));
      if (!this.match(']')) throw new RegexSyntaxError("expected ']'", this.pos);
      ranges = normaliseRanges(ranges);
      if (this.opts.caseInsensitive) ranges = asciiCaseInsensitive(ranges);
      return this.lang.set(negate ? complementRanges(ranges) : ranges);
    }
    return this.simple();
  }

  /** `\d`-style classes; null when the next characters are not one (position unchanged). */
  private predefined(): number[] | null {
    if (this.cps[this.pos] !== 92 || this.pos + 1 >= this.cps.length) return null;
    const c = String.fromCodePoint(this.cps[this.pos + 1] as number);
    let r: number[] | null = null;
    if (c === 'd') r = [...DIGIT];
    else if (c === 'D') r = complementRanges(DIGIT);
    else if (c === 's') r = [...SPACE];
    else if (c === 'S') r = complementRanges(SPACE);
    else if (c === 'w') r = [...WORD];
    else if (c === 'W') r = complementRanges(WORD);
    if (r !== null) this.pos += 2;
    return r;
  }

  private charClass(): number[] {
    const p = this.predefined();
    if (p !== null) return p;
    const c = this.charExp();
    if (this.match('-')) {
      // A '-' right before ']' is a literal '-'.
      if (this.peek(']')) return [c, c, 45, 45];
      const d = this.charExp();
      if (d < c) throw new RegexSyntaxError('invalid character range', this.pos);
      return [c, d];
    }
    return [c, c];
  }

  private charExp(): number {
    if (this.match('\\')) return this.next();
    return this.next();
  }

  private simple(): Re {
    const p = this.predefined();
    if (p !== null) return this.set(p);
    if (this.match('.')) return this.lang.anyChar;
    if (this.match('#')) return this.lang.empty;
    if (this.match('@')) return this.lang.anyString;
    if (this.match('"')) {
      const start = this.pos;
      while (this.more() && this.cps[this.pos] !== 34) this.pos++;
      if (!this.match('"')) throw new RegexSyntaxError("expected '\"'", this.pos);
      const chars = this.cps.slice(start, this.pos - 1);
      return this.lang.catAll(chars.map((cp) => this.set([cp, cp])));
    }
    if (this.match('(')) {
      if (this.match(')')) return this.lang.eps;
      const e = this.union();
      if (!this.match(')')) throw new RegexSyntaxError("expected ')'", this.pos);
      return e;
    }
    if (this.match('<')) {
      const start = this.pos;
      while (this.more() && this.cps[this.pos] !== 62) this.pos++;
      if (!this.match('>')) throw new RegexSyntaxError("expected '>'", this.pos);
      const body = String.fromCodePoint(...this.cps.slice(start, this.pos - 1));
      const dash = body.indexOf('-');
      if (dash < 0) throw new RegexSyntaxError(`unknown named automaton <${body}> (Elasticsearch has none)`, start - 1);
      if (dash === 0 || dash === body.length - 1 || dash !== body.lastIndexOf('-') || !/^\d+-\d+$/.test(body)) {
        throw new RegexSyntaxError(`invalid numeric interval <${body}>`, start - 1);
      }
      const smin = body.slice(0, dash);
      const smax = body.slice(dash + 1);
      return decimalInterval(this.lang, smin, smax);
    }
    const c = this.charExp();
    return this.set([c, c]);
  }
}

/** Lucene's `<min-max>`: fixed width (zero-padded) when both bounds have the same number of digits. */
function decimalInterval(lang: Lang, smin: string, smax: string): Re {
  let lo = BigInt(smin);
  let hi = BigInt(smax);
  if (lo > hi) [lo, hi] = [hi, lo];
  const digit = (a: number, b: number): Re => lang.set([48 + a, 48 + b]);
  // Strings of equal length L with lo ≤ value ≤ hi (digit by digit).
  const between = (a: string, b: string): Re => {
    if (a.length === 0) return lang.eps;
    const a0 = a.charCodeAt(0) - 48;
    const b0 = b.charCodeAt(0) - 48;
    const restA = a.slice(1);
    const restB = b.slice(1);
    if (a0 === b0) return lang.cat(digit(a0, a0), between(restA, restB));
    const parts: Re[] = [lang.cat(digit(a0, a0), between(restA, '9'.repeat(restA.length)))];
    if (a0 + 1 <= b0 - 1) parts.push(lang.cat(digit(a0 + 1, b0 - 1), lang.repeat(digit(0, 9), restA.length, restA.length)));
    parts.push(lang.cat(digit(b0, b0), between('0'.repeat(restB.length), restB)));
    return lang.altList(parts);
  };
  if (smin.length === smax.length) {
    const width = smin.length;
    return between(lo.toString().padStart(width, '0'), hi.toString().padStart(width, '0'));
  }
  const parts: Re[] = [];
  const los = lo.toString();
  const his = hi.toString();
  for (let len = los.length; len <= his.length; len++) {
    const a = len === los.length ? los : '1' + '0'.repeat(len - 1);
    const b = len === his.length ? his : '9'.repeat(len);
    parts.push(between(a, b));
  }
  return lang.cat(lang.star(digit(0, 0)), lang.altList(parts));
}

/** Parses a Lucene regular expression into `lang` (throws `RegexSyntaxError` / `TooComplexError`). */
export function parseLuceneRegex(lang: Lang, pattern: string, caseInsensitive = false): Re {
  if (pattern.length > MAX_REGEX_LENGTH) throw new RegexSyntaxError(`pattern longer than ${MAX_REGEX_LENGTH} characters`, 0);
  return new Parser(lang, pattern, { caseInsensitive }).parse();
}

export type RegexMatcher = { ok: true; dfa: Dfa; test: (s: string) => boolean } | { ok: false; error: string };

const cache = new Map<string, RegexMatcher>();

/** Compiles a Lucene regular expression into an anchored, linear-time matcher (cached). */
export function compileLuceneRegex(pattern: string, caseInsensitive = false): RegexMatcher {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let result: RegexMatcher;
  try {
    const lang = new Lang();
    const re = parseLuceneRegex(lang, pattern, caseInsensitive);
    const dfa = lang.compile(re);
    result = { ok: true, dfa, test: (s: string) => dfa.matches(s) };
  } catch (e) {
    if (e instanceof RegexSyntaxError) result = { ok: false, error: `invalid regular expression: ${e.message} at position ${e.position}` };
    else if (e instanceof TooComplexError) result = { ok: false, error: `regular expression too complex: ${e.message}` };
    else throw e;
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, result);
  return result;
}

export { MAX_CODE_POINT };
