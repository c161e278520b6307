/**
 * TOML string values, decoded by hand: the four string forms of TOML 1.1 (`"…"`, `'…'`, `"""…"""`,
 * `'''…'''`) with their escapes (`\b \t \n \f \r \e \" \\ \xHH \uHHHH \UHHHHHHHH`) and the
 * line-ending backslash of multi-line basic strings.
 *
 * Two callers need this beside js-toml: the locator, which maps a query's characters back to the
 * file (a basic string with escapes maps through an offset table, one host offset per decoded
 * UTF-16 unit), and the TOML decoder's fast path, which decodes the big multi-line strings itself
 * and lets js-toml parse the rest. The decoder is strict: whenever it is unsure (an unknown
 * escape, a control character, a surrogate code point) it says so and the caller falls back to
 * js-toml, whose verdict stands.
 */

export type StringKind = 'basic' | 'literal' | 'ml-basic' | 'ml-literal';

/** A string token in TOML text. Offsets are UTF-16 indexes into the text. */
export interface StringToken {
  kind: StringKind;
  /** Offset of the opening delimiter. */
  start: number;
  /** Offset of the first content character (after the delimiter and, for multi-line forms, a newline right after it). */
  contentStart: number;
  /** Offset just past the content (the closing delimiter starts here). */
  contentEnd: number;
  /** Offset just past the closing delimiter. */
  end: number;
}

export type DecodeResult = { ok: true; value: string; table: number[] | null } | { ok: false; offset: number; message: string };

const BACKSLASH = 92;

/**
 * Lexes the string token starting at `pos` (which holds `"` or `'`). Returns null when the string
 * is not terminated where TOML says it must be (end of line for single-line forms, end of file).
 */
export function lexString(text: string, pos: number): StringToken | null {
  const q = text.charCodeAt(pos);
  const quote = q === 34 ? '"' : "'";
  const triple = quote + quote + quote;
  if (text.startsWith(triple, pos)) {
    const kind: StringKind = quote === '"' ? 'ml-basic' : 'ml-literal';
    let contentStart = pos + 3;
    if (text.charCodeAt(contentStart) === 10) contentStart += 1;
    else if (text.charCodeAt(contentStart) === 13 && text.charCodeAt(contentStart + 1) === 10) contentStart += 2;
    let from = pos + 3;
    for (;;) {
      const idx = text.indexOf(triple, from);
      if (idx < 0) return null;
      if (kind === 'ml-basic' && escapedAt(text, idx, pos + 3)) {
        from = idx + 1;
        continue;
      }
      let run = 3;
      while (text.charCodeAt(idx + run) === q) run++;
      // Up to two quotes may sit right before the closing delimiter: the delimiter is the last three.
      if (run > 5) return null;
      return { kind, start: pos, contentStart, contentEnd: idx + run - 3, end: idx + run };
    }
  }
  const kind: StringKind = quote === '"' ? 'basic' : 'literal';
  let from = pos + 1;
  const eol = lineEnd(text, pos + 1);
  for (;;) {
    const idx = text.indexOf(quote, from);
    if (idx < 0 || idx >= eol) return null;
    if (kind === 'basic' && escapedAt(text, idx, pos + 1)) {
      from = idx + 1;
      continue;
    }
    return { kind, start: pos, contentStart: pos + 1, contentEnd: idx, end: idx + 1 };
  }
}

/** True when the character at `idx` is preceded by an odd number of backslashes (after `floor`). */
function escapedAt(text: string, idx: number, floor: number): boolean {
  let n = 0;
  for (let i = idx - 1; i >= floor && text.charCodeAt(i) === BACKSLASH; i--) n++;
  return n % 2 === 1;
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

function hexValue(text: string, from: number, digits: number): number {
  let v = 0;
  for (let i = 0; i < digits; i++) {
    const c = text.charCodeAt(from + i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 65 && c <= 70) d = c - 55;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

/** Control characters TOML forbids inside strings: tab is allowed, newlines only in multi-line forms (CR only before LF). */
const BAD_SINGLE = /[\x00-\x08\x0A-\x1F\x7F]/;
const BAD_MULTI = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]|\r(?!\n)/;

function badControlAt(text: string, start: number, end: number, multiline: boolean): number {
  const m = (multiline ? BAD_MULTI : BAD_SINGLE).exec(text.slice(start, end));
  return m ? start + m.index : -1;
}

/**
 * Decodes a lexed string token. `controlsChecked`: the caller has already found no control
 * character (CR included) in the content, so the check is skipped.
 */
export function decodeString(text: string, tok: StringToken, wantTable = false, controlsChecked = false): DecodeResult {
  const { contentStart: s0, contentEnd: end } = tok;
  const multiline = tok.kind === 'ml-basic' || tok.kind === 'ml-literal';
  const bad = controlsChecked ? -1 : badControlAt(text, s0, end, multiline);
  if (bad >= 0) return { ok: false, offset: bad, message: 'control character in string' };
  let i = tok.kind === 'literal' || tok.kind === 'ml-literal' ? -1 : text.indexOf('\\', s0);
  if (i < 0 || i >= end) return { ok: true, value: text.slice(s0, end), table: null };
  const parts: string[] = [];
  const table: number[] | null = wantTable ? [] : null;
  let seg = s0;
  while (i >= 0 && i < end) {
    if (i > seg) {
      parts.push(text.slice(seg, i));
      if (table) for (let k = seg; k < i; k++) table.push(k);
    }
    const e = text.charCodeAt(i + 1);
    let out: string | null = null;
    let len = 2;
    switch (e) {
      case 98: out = '\b'; break;
      case 116: out = '\t'; break;
      case 110: out = '\n'; break;
      case 102: out = '\f'; break;
      case 114: out = '\r'; break;
      case 101: out = '\x1b'; break;
      case 34: out = '"'; break;
      case BACKSLASH: out = '\\'; break;
      case 120: case 117: case 85: {
        const digits = e === 120 ? 2 : e === 117 ? 4 : 8;
        const cp = i + 2 + digits <= end ? hexValue(text, i + 2, digits) : -1;
        if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { ok: false, offset: i, message: 'invalid unicode escape' };
        out = String.fromCodePoint(cp);
        len = 2 + digits;
        break;
      }
      default:
        break;
    }
    if (out === null) {
      if (!(multiline && (e === 32 || e === 9 || e === 10 || e === 13))) return { ok: false, offset: i, message: 'invalid escape sequence' };
      // Line-ending backslash: optional blanks, a newline, then every blank and newline is dropped.
      let j = i + 1;
      while (j < end && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      if (j < end && text.charCodeAt(j) === 10) j += 1;
      else if (j + 1 < end && text.charCodeAt(j) === 13 && text.charCodeAt(j + 1) === 10) j += 2;
      else return { ok: false, offset: i, message: 'invalid escape sequence' };
      for (;;) {
        const w = text.charCodeAt(j);
        if (j < end && (w === 32 || w === 9 || w === 10)) j++;
        else if (j + 1 < end && w === 13 && text.charCodeAt(j + 1) === 10) j += 2;
        else break;
      }
      seg = j;
    } else {
      parts.push(out);
      if (table) for (let k = 0; k < out.length; k++) table.push(i);
      seg = i + len;
    }
    i = text.indexOf('\\', seg);
  }
  if (end > seg) {
    parts.push(text.slice(seg, end));
    if (table) for (let k = seg; k < end; k++) table.push(k);
  }
  if (table) table.push(end);
  return { ok: true, value: parts.join(''), table };
}
