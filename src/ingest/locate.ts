/**
 * A TOML locator: finds where keys and string values sit in a TOML file's text, without building
 * values. js-toml gives values but no positions; this gives positions, so that a rule's span (its
 * `rule_id` line) and its query spans (`rule.query`, `rule.threat_query`) map to the file's lines
 * and columns, through the escapes of basic strings too (`StringLoc.table`).
 *
 * Two scans:
 * - `quickScan`, run on every file by the decoder: the multi-line strings (for the decoder's fast
 *   path) and the three `[rule]` keys ingest places. Two regular-expression passes.
 * - `scanToml`, run only when a diagnostic needs a place: every header and key path (with `[]`
 *   for arrays of tables: `rule.threat[].technique[].id`), every string token, and on request
 *   every definition in order (to place js-toml's position-less errors).
 *
 * Both jump between significant characters with regular expressions and `indexOf` rather than
 * stepping through characters in JavaScript: ingest runs once per build, cold, where native
 * string search is many times faster than a freshly started JavaScript loop. Both find strings
 * and comments exactly; neither judges structure (js-toml does).
 */
import { decodeString, lexString, type StringToken } from './toml-strings';
import type { StringLoc, TomlLocations } from './types';

export interface KeyValueLoc {
  /** Offset of the key's first character. */
  keyStart: number;
  /** Offset of the value's first character and just past its last. */
  valueStart: number;
  valueEnd: number;
  /** The value, when it is a string. */
  string: StringToken | null;
}

export interface TomlDef {
  /** Full path without array markers: `rule.threat.tactic`, `rule.name`. */
  path: string;
  /** The dotted key as written on the line (the header's path for headers). */
  local: string;
  offset: number;
}

export interface TomlScan {
  /** False when the text is not TOML the scanner can follow (unterminated string, stray bracket, …). */
  ok: boolean;
  /** Every string token outside comments, in order. */
  strings: StringToken[];
  /** Offset of the first occurrence of each key path (`rule.query`, `rule.threat[].technique[].id`) and table header (`rule`, `rule.threat[]`). */
  keys: Map<string, number>;
  /** Key and value places of the paths asked for (first occurrence). */
  values: Map<string, KeyValueLoc>;
  /** Every header and key definition in order (only when asked for: `defs: true`). */
  defs: TomlDef[];
}

export interface ScanOptions {
  /** Paths whose key and value places to keep. */
  capture?: ReadonlySet<string>;
  /** Collect `defs` (used to place js-toml's position-less errors). */
  defs?: boolean;
}

const DEFAULT_CAPTURE: ReadonlySet<string> = new Set(['rule.rule_id', 'rule.query', 'rule.threat_query', 'rule.name']);

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')`;
const DOTTED = String.raw`${KEY_PART}(?:[ \t]*\.[ \t]*${KEY_PART})*`;
const HEADER = new RegExp(String.raw`(\[\[?)[ \t]*(${DOTTED})[ \t]*(\]\]?)[ \t]*(?:#[^\n]*)?(?:\r?\n|$)`, 'y');
const KEY = new RegExp(String.raw`(${DOTTED})[ \t]*=[ \t]*`, 'y');
const PART = new RegExp(KEY_PART, 'g');
const BARE_KEY = /^[A-Za-z0-9_-]+$/;
/**
 * The tokens that matter, leftmost first: the start of a line that may hold a header or a key, a
 * multi-line string opener, a whole single-line string, a comment, or a stray quote (a string that
 * does not end on its line). Everything in between (numbers, booleans, punctuation, blanks) is
 * skipped by the regular-expression engine, not by a JavaScript loop.
 */
const TOKEN = /^[ \t]*(?=[[A-Za-z0-9_"'-])|"""|'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|["']/gm;
/** A single-line string at a given place. */
const SINGLE = /"(?:[^"\\\n]|\\.)*"|'[^'\n]*'/y;

/**
 * Scans TOML text for string tokens and key places. Strings and comments are found exactly (a
 * leftmost-first token search is how TOML itself reads them), so the list of strings is right for
 * every valid document. Headers and keys are recognised at line starts without tracking bracket
 * depth: in a pathological file (a line of a multi-line array that looks like `[ "x" ]`, or a
 * multi-line inline table) a key path can be wrong, which moves a reported position, never a value.
 */
export function scanToml(text: string, options: ScanOptions = {}): TomlScan {
  const capture = options.capture ?? DEFAULT_CAPTURE;
  const wantDefs = options.defs === true;
  const strings: StringToken[] = [];
  const keys = new Map<string, number>();
  const values = new Map<string, KeyValueLoc>();
  const defs: TomlDef[] = [];
  const arrayTables = new Set<string>();
  let ok = true;
  let table = '';
  let tablePlain = '';
  /** A captured key waiting for its value: the next token, if it starts at `valueStart`. */
  let pending: { path: string; keyStart: number; valueStart: number } | null = null;

  const keyParts = (raw: string, from: number): string[] | null => {
    if (BARE_KEY.test(raw)) return [raw];
    const parts: string[] = [];
    PART.lastIndex = 0;
    for (let m = PART.exec(raw); m; m = PART.exec(raw)) {
      const q = m[0].charCodeAt(0);
      if (q === 34 || q === 39) {
        const tok = lexString(text, from + m.index);
        if (!tok) return null;
        const d = decodeString(text, tok);
        if (!d.ok) return null;
        parts.push(d.value);
      } else {
        parts.push(m[0]);
      }
    }
    return parts;
  };

  const settle = (tok: StringToken | null): void => {
    if (!pending) return;
    const p = pending;
    pending = null;
    const string = tok && tok.start === p.valueStart ? tok : null;
    values.set(p.path, { keyStart: p.keyStart, valueStart: p.valueStart, valueEnd: string ? string.end : lineValueEnd(text, p.valueStart), string });
  };

  /** Reads the string token at `at` (a quote) and moves the search past it. */
  const takeString = (at: number): void => {
    const q = text.charCodeAt(at);
    let tok: StringToken | null = null;
    if (text.charCodeAt(at + 1) === q && text.charCodeAt(at + 2) === q) {
      tok = lexString(text, at);
    } else {
      SINGLE.lastIndex = at;
      const m = SINGLE.exec(text);
      if (m) tok = { kind: q === 34 ? 'basic' : 'literal', start: at, contentStart: at + 1, contentEnd: at + m[0].length - 1, end: at + m[0].length };
    }
    if (!tok) {
      // A quote that opens no string ending where TOML says it must.
      ok = false;
      settle(null);
      TOKEN.lastIndex = at + 1;
      return;
    }
    strings.push(tok);
    settle(tok);
    TOKEN.lastIndex = tok.end;
  };

  /** A line start: a header, a key, or a value line inside a multi-line array. */
  const lineStart = (start: number): void => {
    if (text.charCodeAt(start) === 91) {
      HEADER.lastIndex = start;
      const h = HEADER.exec(text);
      const parts = h && h[1]!.length === h[3]!.length ? keyParts(h[2]!, start + h[0].indexOf(h[2]!, h[1]!.length)) : null;
      if (h && parts) {
        settle(null);
        const isArray = h[1] === '[[';
        const out: string[] = [];
        let plain = '';
        parts.forEach((p, i) => {
          plain = i === 0 ? p : `${plain}.${p}`;
          out.push((i === parts.length - 1 ? isArray : arrayTables.has(plain)) ? `${p}[]` : p);
        });
        if (isArray) arrayTables.add(plain);
        table = out.join('.');
        tablePlain = plain;
        if (!keys.has(table)) keys.set(table, start);
        if (wantDefs) defs.push({ path: plain, local: plain, offset: start });
        // Quoted keys of the header are not values: go on after the header line.
        TOKEN.lastIndex = HEADER.lastIndex;
        return;
      }
      TOKEN.lastIndex = start + 1;
      return;
    }
    KEY.lastIndex = start;
    const k = KEY.exec(text);
    const parts = k ? keyParts(k[1]!, start) : null;
    if (!k || !parts) {
      // A value line (multi-line array) or text js-toml will judge: go on tokenizing from here.
      const q = text.charCodeAt(start);
      if (q === 34 || q === 39) takeString(start);
      else TOKEN.lastIndex = start + 1;
      return;
    }
    settle(null);
    const local = parts.length === 1 ? parts[0]! : parts.join('.');
    const path = table === '' ? local : `${table}.${local}`;
    if (wantDefs) defs.push({ path: tablePlain === '' ? local : `${tablePlain}.${local}`, local, offset: start });
    const valueStart = KEY.lastIndex;
    if (!keys.has(path)) {
      keys.set(path, start);
      if (capture.has(path)) {
        pending = { path, keyStart: start, valueStart };
        const v = text.charCodeAt(valueStart);
        if (v !== 34 && v !== 39) settle(null);
      }
    }
    TOKEN.lastIndex = valueStart;
  };

  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const at = m.index;
    const len = m[0].length;
    const first = len === 0 ? 32 : text.charCodeAt(at);
    if (first === 32 || first === 9) lineStart(at + len);
    else if (first !== 35) takeString(at); // not a comment
  }
  settle(null);
  return { ok, strings, keys, values, defs };
}

/** End of a non-string value on its line: before a comment and trailing blanks. */
export function lineValueEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  let end = nl < 0 ? text.length : nl;
  const hash = text.indexOf('#', from);
  if (hash >= 0 && hash < end) end = hash;
  while (end > from && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9 || text.charCodeAt(end - 1) === 13)) end--;
  return end;
}

function stringLoc(text: string, tok: StringToken | null): StringLoc | null {
  if (!tok) return null;
  const loc: StringLoc = { start: tok.contentStart, end: tok.contentEnd };
  if (tok.kind === 'basic' || tok.kind === 'ml-basic') {
    const d = decodeString(text, tok, true);
    if (d.ok && d.table) loc.table = d.table;
  }
  return loc;
}

/** Locations ingest reports: the `rule_id` entry and the query strings. */
export function tomlLocations(text: string, scan: { values: Map<string, KeyValueLoc> }): TomlLocations {
  const ruleId = scan.values.get('rule.rule_id');
  return {
    ruleId: ruleId ? { start: ruleId.keyStart, end: ruleId.valueEnd } : null,
    query: stringLoc(text, scan.values.get('rule.query')?.string ?? null),
    threatQuery: stringLoc(text, scan.values.get('rule.threat_query')?.string ?? null),
  };
}

/** What the decoder needs from every file, found cheaply: multi-line strings and the rule's query places. */
export interface QuickScan {
  /** False when a string does not end where TOML says it must. */
  ok: boolean;
  /** The multi-line string tokens (`"""`, `'''`), in order. */
  multiline: StringToken[];
  /** `rule_id`, `query`, `threat_query` of the `[rule]` table (first occurrence each). */
  values: Map<string, KeyValueLoc>;
}

const QUICK = /"""|'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*|["']/g;
const RULE_LINE = /^[ \t]*(?:\[|(rule_id|query|threat_query)[ \t]*=[ \t]*)/gm;

/**
 * The decoder's scan of every file: one regular-expression pass for strings and comments (which
 * finds the multi-line strings exactly, as TOML reads them), then one for header lines and the
 * three `[rule]` keys ingest places, skipping lines inside multi-line strings and stopping at the
 * first header after `[rule]` (a table's keys all follow its header). A line start can
 * never be inside a single-line string or a comment, so that is exact too. Everything else about
 * a key's place (used only to place a diagnostic) comes from `scanToml`, when needed.
 */
export function quickScan(text: string): QuickScan {
  const multiline: StringToken[] = [];
  let ok = true;
  QUICK.lastIndex = 0;
  for (let m = QUICK.exec(text); m; m = QUICK.exec(text)) {
    const len = m[0].length;
    if (len === 3 && m[0] !== '"""' && m[0] !== "'''") continue; // a short string such as "ab"
    if (m[0] === '"""' || m[0] === "'''") {
      const tok = lexString(text, m.index);
      if (!tok) {
        ok = false;
        break;
      }
      multiline.push(tok);
      QUICK.lastIndex = tok.end;
    } else if (len === 1 && m[0] !== '#') ok = false;
  }
  const values = new Map<string, KeyValueLoc>();
  let inRule = false;
  let ml = 0;
  RULE_LINE.lastIndex = 0;
  for (let m = RULE_LINE.exec(text); m; m = RULE_LINE.exec(text)) {
    const at = m.index;
    while (ml < multiline.length && multiline[ml]!.end <= at) ml++;
    const inside = ml < multiline.length && multiline[ml]!.start < at;
    if (inside) {
      RULE_LINE.lastIndex = multiline[ml]!.end;
      continue;
    }
    const lineStart = at + (m[0].length - m[0].trimStart().length);
    if (m[1] === undefined) {
      HEADER.lastIndex = lineStart;
      const h = HEADER.exec(text);
      if (h && h[1]!.length === h[3]!.length) {
        const isRule = h[1] === '[' && /^rule$|^"rule"$|^'rule'$/.test(h[2]!);
        // A table's keys all follow its header: once past [rule], nothing more to find.
        if (inRule && !isRule) break;
        inRule = isRule;
      }
      continue;
    }
    const key = `rule.${m[1]}`;
    if (!inRule || values.has(key)) continue;
    const valueStart = at + m[0].length;
    const q = text.charCodeAt(valueStart);
    let string: StringToken | null = null;
    if (q === 34 || q === 39) {
      const found = multiline.find((t) => t.start === valueStart);
      if (found) string = found;
      else {
        SINGLE.lastIndex = valueStart;
        const s = SINGLE.exec(text);
        if (s) string = { kind: q === 34 ? 'basic' : 'literal', start: valueStart, contentStart: valueStart + 1, contentEnd: valueStart + s[0].length - 1, end: valueStart + s[0].length };
      }
    }
    values.set(key, { keyStart: lineStart, valueStart, valueEnd: string ? string.end : lineValueEnd(text, valueStart), string });
  }
  return { ok, multiline, values };
}
