/**
 * A hand-written TOML decoder for the forms rule files use, giving exactly the document js-toml
 * gives (after the decoder's `normalise`): same keys in the same order, same values and types,
 * tables as prototype-less objects like js-toml's. It is strict by design: whenever the text leaves
 * the subset below or anything is in doubt, it returns null and the caller runs js-toml, whose
 * verdict (and error position) stands. An invalid file is never accepted here.
 *
 * The subset: comments and blank lines anywhere TOML allows them, `[table]` and `[[array.table]]`
 * headers, `key = value` lines, bare, quoted and dotted keys (blanks around the dots), the four
 * string forms with their escapes (`toml-strings.ts`), decimal integers up to 15 digits, `0x`/`0o`/`0b`
 * integers up to 12 digits, floats, `inf` and `nan`, booleans, arrays (over several lines, with
 * comments and a trailing comma) and one-line inline tables without a trailing comma. Outside it
 * (null): dates and times, longer integers, inline tables over several lines or with a trailing
 * comma (TOML 1.1, which js-toml reads), keys named `constructor` or `__proto__`, nesting deeper
 * than 32, and every syntax error.
 *
 * Tables follow js-toml's rules for what may be defined where (facts of its behaviour, checked
 * against it by the tests): a header may not define a table twice, nor one made by dotted keys
 * or an inline table; dotted keys may not extend a table made by a header or an inline table; a
 * header path goes through the last element of an array of tables and never into a static array;
 * `[[x]]` may not extend a static array; a key may not be assigned twice.
 *
 * One pass over the text: long multi-line strings are found with `indexOf` (`lexString`) and
 * decoded by `decodeString`; everything else is read a character at a time. Characters TOML
 * forbids (control characters but tab, DEL, a carriage return not before a line feed, unpaired
 * surrogates) fail the decode: in multi-line strings `decodeString` checks them, elsewhere the
 * reader does, and `isWellFormed` checks surrogates once per file.
 *
 * The same pass finds what `quickScan` (locate.ts) reports for ingest's locations, the `rule_id`,
 * `query` and `threat_query` keys of the `[rule]` table, so that a valid file is scanned once.
 * When the text holds something that quickScan's line-based reading could take differently (a
 * line inside an array that opens with `[` and a key, which quickScan may read as a header, before
 * the `[rule]` section ends; U+2028 or U+2029 outside multi-line strings, which its regular
 * expression takes for line ends), `values` is null and the caller runs quickScan.
 */
import { lineValueEnd, type KeyValueLoc } from './locate';
import { decodeString, lexString, type StringToken } from './toml-strings';

export interface FastToml {
  doc: Record<string, unknown>;
  /** The places quickScan finds (`rule.rule_id`, `rule.query`, `rule.threat_query`), or null when the caller must run quickScan. */
  values: Map<string, KeyValueLoc> | null;
}

type Table = Record<string, unknown>;

/** Table made by a header, or assigned as an inline table value. */
const EXPLICIT = 1;
/** Table made or extended by dotted keys. */
const IMPLICIT = 2;
/** Inline table: nothing may be added to it afterwards. */
const FROZEN = 4;

const MAX_DEPTH = 32;

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const COMMA = 44;
const DOT = 46;
const EQUALS = 61;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;

/** A basic or literal string with nothing to decode or check (no escape, control character, U+2028 or U+2029). */
const SIMPLE_BASIC = /"[^"\\\x00-\x08\x0A-\x1F\x7F\u2028\u2029]*"/y;
const SIMPLE_LITERAL = /'[^'\x00-\x08\x0A-\x1F\x7F\u2028\u2029]*'/y;
/** Characters of a multi-line string that `decodeString` must check: control characters, CR included (it may be half of a CRLF). */
const CONTROL_OR_CR = /[\x00-\x08\x0B-\x1F\x7F]/;

const DEC_INT = /^[+-]?(?:[1-9](?:\d|_\d)+|\d)$/;
const RADIX_INT = /^0(?:x[0-9A-Fa-f](?:[0-9A-Fa-f]|_[0-9A-Fa-f])*|o[0-7](?:[0-7]|_[0-7])*|b[01](?:[01]|_[01])*)$/;
const FLOAT = /^[+-]?(?:[1-9](?:\d|_\d)+|\d)(?:[eE][+-]?\d(?:\d|_\d)*|\.\d(?:\d|_\d)*(?:[eE][+-]?\d(?:\d|_\d)*)?)$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|nan)$/;

/** Thrown inside the reader to give up; never leaves this module. */
const GIVE_UP = { giveUp: true };

const isBare = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
/** Characters of a number or boolean as far as this reader takes them (a date's `:` or a blank ends it). */
const isWord = (c: number): boolean => isBare(c) || c === 43 || c === DOT;
/** What may follow a number or boolean: a blank, a comment, a line end, a separator or a closing bracket, or the end of the text. */
const endsWord = (c: number): boolean => c !== c || c === SPACE || c === TAB || c === LF || c === CR || c === HASH || c === COMMA || c === RBRACKET || c === RBRACE;
/** A character TOML allows nowhere outside multi-line strings but tab (line ends are handled by the callers). */
const isControl = (c: number): boolean => (c < 32 && c !== TAB) || c === 127;

const newTable = (): Table => Object.create(null) as Table;
const isTable = (v: unknown): v is Table => typeof v === 'object' && v !== null && !Array.isArray(v);

const hasWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function wellFormed(text: string): boolean {
  return hasWellFormed ? (text as unknown as { isWellFormed(): boolean }).isWellFormed() : !LONE_SURROGATE.test(text);
}

/**
 * Decodes `text`, or returns null (outside the subset, invalid, or in doubt). Never throws: an
 * unexpected exception also gives null, and js-toml decides (the corpus test pins how many files
 * take this path, so such a failure would not go unnoticed).
 */
export function decodeTomlFast(text: string): FastToml | null {
  if (!wellFormed(text)) return null;
  const reader = new Reader(text);
  try {
    const doc = reader.document();
    return { doc, values: reader.certain ? reader.values : null };
  } catch {
    return null;
  }
}

class Reader {
  private pos = 0;
  private readonly len: number;
  private readonly flags = new Map<Table, number>();
  /** Arrays made by `[[x]]` headers (every other array is static). */
  private readonly arrayTables = new Set<unknown[]>();
  /** 0 before the `[rule]` header, 1 in its section, 2 after it. */
  private ruleSection = 0;
  readonly values = new Map<string, KeyValueLoc>();
  certain = true;
  /** End of the last key part read by `key` (before the blanks after it). */
  private keyEnd = 0;

  constructor(private readonly text: string) {
    this.len = text.length;
  }

  document(): Table {
    const text = this.text;
    const root = newTable();
    let table = root;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.len) break;
      const c = text.charCodeAt(this.pos);
      if (c === LF) {
        this.pos++;
        continue;
      }
      if (c === CR) {
        this.newline();
        continue;
      }
      if (c === HASH) {
        this.comment();
        continue;
      }
      if (c === LBRACKET) table = this.header(root);
      else this.keyValueLine(table);
      // The rest of the line: blanks, a comment, then a line end or the end of the text.
      this.skipBlanks();
      if (this.pos >= this.len) break;
      const e = text.charCodeAt(this.pos);
      if (e === HASH) this.comment();
      if (this.pos >= this.len) break;
      this.newline();
    }
    return root;
  }

  private skipBlanks(): void {
    const text = this.text;
    let i = this.pos;
    let c = text.charCodeAt(i);
    while (c === SPACE || c === TAB) c = text.charCodeAt(++i);
    this.pos = i;
  }

  /** A line end (LF or CRLF) at `pos`, or give up. */
  private newline(): void {
    const c = this.text.charCodeAt(this.pos);
    if (c === LF) this.pos++;
    else if (c === CR && this.text.charCodeAt(this.pos + 1) === LF) this.pos += 2;
    else throw GIVE_UP;
  }

  /** A comment from `#` to the line end (left in place). */
  private comment(): void {
    const text = this.text;
    let i = this.pos + 1;
    for (;;) {
      if (i >= this.len) break;
      const c = text.charCodeAt(i);
      if (c === LF) break;
      if (c === CR) {
        if (text.charCodeAt(i + 1) !== LF) throw GIVE_UP;
        break;
      }
      if (isControl(c)) throw GIVE_UP;
      if (c === 0x2028 || c === 0x2029) this.certain = false;
      i++;
    }
    this.pos = i;
  }

  /** `[a.b]` or `[[a.b]]`: the table that the following keys go to. */
  private header(root: Table): Table {
    const text = this.text;
    const isArray = text.charCodeAt(this.pos + 1) === LBRACKET;
    this.pos += isArray ? 2 : 1;
    this.skipBlanks();
    const keyStart = this.pos;
    const parts = this.key();
    const keyEnd = this.keyEnd;
    if (text.charCodeAt(this.pos) !== RBRACKET) throw GIVE_UP;
    if (isArray) {
      if (text.charCodeAt(this.pos + 1) !== RBRACKET) throw GIVE_UP;
      this.pos += 2;
    } else {
      this.pos += 1;
    }
    // What quickScan reads: the section of the one `[rule]` header (written rule, "rule" or 'rule').
    if (this.ruleSection === 1) this.ruleSection = 2;
    else if (this.ruleSection === 0 && !isArray && parts.length === 1 && parts[0] === 'rule') {
      const raw = text.slice(keyStart, keyEnd);
      if (raw === 'rule' || raw === '"rule"' || raw === "'rule'") this.ruleSection = 1;
    }
    // Walk to the parent: through tables (not inline ones) and the last element of arrays of tables.
    let node = root;
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      const k = parts[i]!;
      const v = node[k];
      if (v === undefined) {
        const t = newTable();
        node[k] = t;
        node = t;
      } else if (Array.isArray(v)) {
        if (!this.arrayTables.has(v)) throw GIVE_UP;
        node = v[v.length - 1] as Table;
      } else if (isTable(v) && !((this.flags.get(v) ?? 0) & FROZEN)) {
        node = v;
      } else {
        throw GIVE_UP;
      }
    }
    const k = parts[last]!;
    const v = node[k];
    if (isArray) {
      let arr: unknown[];
      if (v === undefined) {
        arr = [];
        this.arrayTables.add(arr);
        node[k] = arr;
      } else if (Array.isArray(v) && this.arrayTables.has(v)) {
        arr = v;
      } else {
        throw GIVE_UP;
      }
      const t = newTable();
      arr.push(t);
      return t;
    }
    if (v === undefined) {
      const t = newTable();
      this.flags.set(t, EXPLICIT);
      node[k] = t;
      return t;
    }
    // A table made implicitly by an earlier header's path may be defined once.
    if (!isTable(v)) throw GIVE_UP;
    const f = this.flags.get(v) ?? 0;
    if (f !== 0) throw GIVE_UP;
    this.flags.set(v, EXPLICIT);
    return v;
  }

  /** `key = value` at the start of a line (after blanks). */
  private keyValueLine(table: Table): void {
    const text = this.text;
    const keyStart = this.pos;
    const parts = this.key();
    if (text.charCodeAt(this.pos) !== EQUALS) throw GIVE_UP;
    this.pos++;
    this.skipBlanks();
    const valueStart = this.pos;
    const value = this.value(0);
    this.assign(table, parts, value);
    if (this.ruleSection === 1 && parts.length === 1) {
      const k = parts[0]!;
      if ((k === 'rule_id' || k === 'query' || k === 'threat_query') && isBare(text.charCodeAt(keyStart))) this.place(`rule.${k}`, keyStart, valueStart);
    }
  }

  /** Records a key's place as quickScan does (first occurrence). */
  private place(path: string, keyStart: number, valueStart: number): void {
    if (this.values.has(path)) return;
    const text = this.text;
    const q = text.charCodeAt(valueStart);
    let string: StringToken | null = null;
    if (q === DQUOTE || q === SQUOTE) {
      if (text.charCodeAt(valueStart + 1) === q && text.charCodeAt(valueStart + 2) === q) string = lexString(text, valueStart);
      else string = { kind: q === DQUOTE ? 'basic' : 'literal', start: valueStart, contentStart: valueStart + 1, contentEnd: this.pos - 1, end: this.pos };
    }
    this.values.set(path, { keyStart, valueStart, valueEnd: string ? string.end : lineValueEnd(text, valueStart), string });
  }

  /** A key (bare, quoted or dotted) and the blanks after it. */
  private key(): string[] {
    const text = this.text;
    // Made with its first part: most keys have one, and a first push onto an empty array
    // reserves 17 slots (one such array per key line of every file).
    let parts: string[] | null = null;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      let part: string;
      if (isBare(c)) {
        const s = this.pos;
        let i = s + 1;
        while (isBare(text.charCodeAt(i))) i++;
        this.pos = i;
        part = text.slice(s, i);
      } else if (c === DQUOTE || c === SQUOTE) {
        // No multi-line strings in keys.
        if (text.charCodeAt(this.pos + 1) === c && text.charCodeAt(this.pos + 2) === c) throw GIVE_UP;
        part = c === DQUOTE ? this.basic() : this.literal();
      } else {
        throw GIVE_UP;
      }
      // js-toml tells tables from other values by their `constructor`: leave such keys to it.
      if (part === 'constructor' || part === '__proto__') throw GIVE_UP;
      if (parts === null) parts = [part];
      else parts.push(part);
      this.keyEnd = this.pos;
      this.skipBlanks();
      if (text.charCodeAt(this.pos) !== DOT) break;
      if (parts.length >= MAX_DEPTH) throw GIVE_UP;
      this.pos++;
      this.skipBlanks();
    }
    return parts;
  }

  /** Sets `parts` under `table` to `value` as a key-value line or an inline table entry does. */
  private assign(table: Table, parts: string[], value: unknown): void {
    let node = table;
    const last = parts.length - 1;
    for (let i = 0; i < last; i++) {
      const k = parts[i]!;
      const v = node[k];
      if (v === undefined) {
        const t = newTable();
        this.flags.set(t, IMPLICIT);
        node[k] = t;
        node = t;
      } else {
        if (!isTable(v)) throw GIVE_UP;
        const f = this.flags.get(v) ?? 0;
        if (f & (EXPLICIT | FROZEN)) throw GIVE_UP;
        if (!(f & IMPLICIT)) this.flags.set(v, f | IMPLICIT);
        node = v;
      }
    }
    const k = parts[last]!;
    if (node[k] !== undefined) throw GIVE_UP;
    node[k] = value;
    if (isTable(value)) this.flags.set(value, (this.flags.get(value) ?? 0) | EXPLICIT);
  }

  private value(depth: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === DQUOTE || c === SQUOTE) {
      if (text.charCodeAt(this.pos + 1) === c && text.charCodeAt(this.pos + 2) === c) return this.multiline();
      return c === DQUOTE ? this.basic() : this.literal();
    }
    if (c === LBRACKET) return this.array(depth + 1);
    if (c === LBRACE) return this.inlineTable(depth + 1);
    return this.word();
  }

  /** `"…"` at `pos`: its value, `pos` past it. */
  private basic(): string {
    const text = this.text;
    const start = this.pos;
    SIMPLE_BASIC.lastIndex = start;
    if (SIMPLE_BASIC.test(text)) {
      this.pos = SIMPLE_BASIC.lastIndex;
      return text.slice(start + 1, this.pos - 1);
    }
    let i = start + 1;
    let escapes = false;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === DQUOTE) break;
      if (c === BACKSLASH) {
        const n = text.charCodeAt(i + 1);
        if (n === LF || n === CR || n !== n) throw GIVE_UP;
        escapes = true;
        i += 2;
        continue;
      }
      if (isControl(c) || c !== c) throw GIVE_UP; // a control character, a line end, the end of the text
      if (c === 0x2028 || c === 0x2029) this.certain = false;
      i++;
    }
    this.pos = i + 1;
    if (!escapes) return text.slice(start + 1, i);
    const d = decodeString(text, { kind: 'basic', start, contentStart: start + 1, contentEnd: i, end: i + 1 });
    if (!d.ok) throw GIVE_UP;
    return d.value;
  }

  /** `'…'` at `pos`: its value, `pos` past it. */
  private literal(): string {
    const text = this.text;
    const start = this.pos;
    SIMPLE_LITERAL.lastIndex = start;
    if (SIMPLE_LITERAL.test(text)) {
      this.pos = SIMPLE_LITERAL.lastIndex;
      return text.slice(start + 1, this.pos - 1);
    }
    let i = start + 1;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SQUOTE) break;
      if (isControl(c) || c !== c) throw GIVE_UP;
      if (c === 0x2028 || c === 0x2029) this.certain = false;
      i++;
    }
    this.pos = i + 1;
    return text.slice(start + 1, i);
  }

  /**
   * `"""…"""` or `'''…'''` at `pos`. Most are returned as they stand, after one search for
   * control characters and one for backslashes (basic strings); `decodeString` takes the others.
   */
  private multiline(): string {
    const text = this.text;
    const tok = lexString(text, this.pos);
    if (!tok) throw GIVE_UP;
    this.pos = tok.end;
    const content = text.slice(tok.contentStart, tok.contentEnd);
    const controls = CONTROL_OR_CR.test(content);
    if (!controls && (tok.kind === 'ml-literal' || content.indexOf('\\') < 0)) return content;
    const d = decodeString(text, tok, false, !controls);
    if (!d.ok) throw GIVE_UP;
    return d.value;
  }

  private array(depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.skipArrayBlanks();
      if (text.charCodeAt(this.pos) === RBRACKET) break;
      out.push(this.value(depth));
      this.skipArrayBlanks();
      const c = text.charCodeAt(this.pos);
      if (c === RBRACKET) break;
      if (c !== COMMA) throw GIVE_UP;
      this.pos++;
    }
    this.pos++;
    return out;
  }

  /** Blanks, line ends and comments between the values of an array. */
  private skipArrayBlanks(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === SPACE || c === TAB) this.pos++;
      else if (c === LF || c === CR) {
        this.newline();
        if (this.ruleSection < 2) {
          // quickScan may take a line opening with `[` and a key for a header: leave the places to it.
          let i = this.pos;
          while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
          if (text.charCodeAt(i) === LBRACKET) {
            i += text.charCodeAt(i + 1) === LBRACKET ? 2 : 1;
            while (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB) i++;
            const k = text.charCodeAt(i);
            if (isBare(k) || k === DQUOTE || k === SQUOTE) this.certain = false;
          }
        }
      } else if (c === HASH) this.comment();
      else return;
    }
  }

  /** `{ k = v, … }` on one line, without a trailing comma. */
  private inlineTable(depth: number): Table {
    if (depth > MAX_DEPTH) throw GIVE_UP;
    const text = this.text;
    this.pos++;
    const table = newTable();
    this.flags.set(table, FROZEN);
    this.skipBlanks();
    if (text.charCodeAt(this.pos) === RBRACE) {
      this.pos++;
      return table;
    }
    for (;;) {
      const parts = this.key();
      if (text.charCodeAt(this.pos) !== EQUALS) throw GIVE_UP;
      this.pos++;
      this.skipBlanks();
      const v = this.value(depth);
      this.assign(table, parts, v);
      this.skipBlanks();
      const c = text.charCodeAt(this.pos);
      this.pos++;
      if (c === RBRACE) return table;
      if (c !== COMMA) throw GIVE_UP;
      this.skipBlanks();
      if (text.charCodeAt(this.pos) === RBRACE) throw GIVE_UP;
    }
  }

  /** A boolean or a number (dates and times give up). */
  private word(): unknown {
    const text = this.text;
    const s = this.pos;
    let i = s;
    while (isWord(text.charCodeAt(i))) i++;
    if (i === s || !endsWord(text.charCodeAt(i))) throw GIVE_UP;
    this.pos = i;
    const w = text.slice(s, i);
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (DEC_INT.test(w)) {
      const digits = w.replace(/_/g, '');
      const c = digits.charCodeAt(0);
      if (digits.length - (c === 43 || c === 45 ? 1 : 0) > 15) throw GIVE_UP;
      return parseInt(digits, 10) || 0;
    }
    if (RADIX_INT.test(w)) {
      const digits = w.slice(2).replace(/_/g, '');
      if (digits.length > 12) throw GIVE_UP;
      const radix = w.charCodeAt(1) === 120 ? 16 : w.charCodeAt(1) === 111 ? 8 : 2;
      return parseInt(digits, radix);
    }
    if (FLOAT.test(w)) {
      const n = parseFloat(w.replace(/_/g, ''));
      return Number.isFinite(n) ? n : n > 0 ? 'inf' : '-inf';
    }
    if (SPECIAL_FLOAT.test(w)) return w.endsWith('nan') ? 'nan' : w.charCodeAt(0) === 45 ? '-inf' : 'inf';
    throw GIVE_UP;
  }
}
