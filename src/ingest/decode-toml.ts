/**
 * Stage 1 for TOML: text → decoded document + locations.
 *
 * Three paths, fastest first, each giving exactly the document the next would give:
 * 1. `decodeTomlFast` (toml-fast.ts), a hand-written decoder for the forms rule files use, which
 *    also finds the places `quickScan` finds. It is strict: anything outside its subset, invalid or
 *    in doubt makes it return null, and the next path runs.
 * 2. The placeholder path: `quickScan` finds the multi-line strings (three quarters of the corpus
 *    bytes, which js-toml decodes character by character), this module decodes them itself
 *    (`toml-strings.ts`), swaps each for a short placeholder literal, lets js-toml parse the
 *    smaller text, and puts the decoded strings back. When anything is unusual (a string that does
 *    not end or does not decode, the placeholder character in the file, js-toml rejecting the
 *    smaller text, a placeholder gone missing) it falls back to
 * 3. js-toml's `load` on the original text, whose verdict and error positions are the ones reported.
 * A corpus test checks that every file decodes identically on all three paths, and a case table
 * and seeded mutations check that the hand-written decoder never accepts what js-toml rejects.
 * Compare `toml` and `toml-plain` in `scripts/bench/ingest.ts`.
 *
 * Values that JSON cannot hold are normalised once here: integers beyond 2^53 become strings,
 * TOML dates and times become the text TOML wrote (`toISOString()` of js-toml's `TomlDate`),
 * NaN and infinities become `"nan"`, `"inf"`, `"-inf"`.
 */
import { load, SyntaxParseError } from 'js-toml';
import { diagnostic, type Diagnostic, type Located } from '../model/diagnostic';
import { LazyLines } from './lines';
import { quickScan, scanToml, tomlLocations, type QuickScan } from './locate';
import { decodeTomlFast } from './toml-fast';
import { decodeString } from './toml-strings';
import type { DecodedToml, SourceFile } from './types';

/** Private-use character that marks placeholders; files containing it take the plain path. */
const MARK = '\uE000';

export interface DecodeTomlOptions {
  /** Skip both fast paths: js-toml on the whole text (for tests and benchmarks). */
  plain?: boolean;
  /** `false` skips the hand-written decoder only (for tests and benchmarks). */
  hand?: boolean;
}

export function decodeToml(file: SourceFile, options: DecodeTomlOptions = {}): DecodedToml {
  const { text, path } = file;
  if (!options.plain && options.hand !== false) {
    const fast = decodeTomlFast(text);
    if (fast) {
      const locations = tomlLocations(text, { values: fast.values ?? quickScan(text).values });
      return { kind: 'toml', path, doc: fast.doc, locations, diagnostics: [] };
    }
  }
  const scan = quickScan(text);
  const locations = tomlLocations(text, scan);
  let doc: Record<string, unknown> | null = null;
  if (!options.plain) doc = fastLoad(text, scan);
  if (doc === null) {
    try {
      doc = normalise(load(text), null) as Record<string, unknown>;
    } catch (e) {
      return { kind: 'toml', path, doc: null, locations, diagnostics: [tomlErrorDiagnostic(e, file)] };
    }
  }
  return { kind: 'toml', path, doc, locations, diagnostics: [] };
}

function fastLoad(text: string, scan: QuickScan): Record<string, unknown> | null {
  if (!scan.ok || text.includes(MARK)) return null;
  const values: string[] = [];
  const pieces: string[] = [];
  let at = 0;
  for (const tok of scan.multiline) {
    const d = decodeString(text, tok);
    if (!d.ok) return null;
    pieces.push(text.slice(at, tok.start), `'${MARK}${values.length}${MARK}'`);
    values.push(d.value);
    at = tok.end;
  }
  if (values.length === 0) return null;
  pieces.push(text.slice(at));
  let raw: Record<string, unknown>;
  try {
    raw = load(pieces.join(''));
  } catch {
    return null;
  }
  const used = { count: 0 };
  const doc = normalise(raw, { values, used }) as Record<string, unknown>;
  return used.count === values.length ? doc : null;
}

interface Placeholders {
  values: string[];
  used: { count: number };
}

/**
 * Swaps placeholders back and turns non-JSON values into JSON ones, in place (the document is
 * js-toml's fresh output; copying it would only feed the garbage collector).
 */
function normalise(v: unknown, ph: Placeholders | null): unknown {
  if (typeof v === 'string') {
    if (ph && v.charCodeAt(0) === 0xe000 && v.charCodeAt(v.length - 1) === 0xe000) {
      const key = v.slice(1, -1);
      const i = Number(key);
      const s = ph.values[i];
      if (s !== undefined && String(i) === key) {
        ph.used.count++;
        return s;
      }
    }
    return v;
  }
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
    return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  }
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (typeof v === 'boolean' || v === null || v === undefined) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = normalise(v[i], ph);
    return v;
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : v.toISOString();
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) return String(v);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      const y = normalise(x, ph);
      if (y !== x) o[k] = y;
    }
    return o;
  }
  return String(v);
}

interface ChevrotainToken {
  image?: string;
  startOffset?: number | null;
  endOffset?: number | null;
  startLine?: number | null;
  startColumn?: number | null;
  tokenType?: { name?: string };
}
interface ChevrotainError {
  name?: string;
  message?: string;
  line?: number;
  column?: number;
  offset?: number;
  token?: ChevrotainToken;
  previousToken?: ChevrotainToken;
}

/** Turns whatever js-toml threw into a `toml-syntax` error diagnostic placed in the file. */
export function tomlErrorDiagnostic(e: unknown, file: SourceFile): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  const errors = e instanceof SyntaxParseError ? ((e as unknown as { errors?: ChevrotainError[] }).errors ?? []) : [];
  const first = errors[0];
  const lines = new LazyLines(file.text);
  let where: Located | null = null;
  let detail = oneLine(message);
  if (first) {
    if (Number.isFinite(first.line) && Number.isFinite(first.column)) {
      // Lexer error: an unexpected character (an unterminated string, a stray symbol).
      where = { line: first.line!, column: first.column! };
      const ch = typeof first.offset === 'number' ? file.text[first.offset] : undefined;
      detail = ch === '"' || ch === "'" ? `unterminated or invalid string starting with ${ch}` : `unexpected character ${JSON.stringify(ch ?? '')}`;
    } else if (first.token) {
      const t = first.token;
      if (Number.isFinite(t.startLine) && Number.isFinite(t.startColumn)) {
        where = { line: t.startLine!, column: t.startColumn! };
        detail = `${parserReason(first.name)}: unexpected ${describeToken(t)}`;
      } else {
        // End of input: place it just past the previous token, or at the end of the text.
        const prevEnd = first.previousToken?.endOffset;
        const p = lines.position(Number.isFinite(prevEnd) ? prevEnd! + 1 : file.text.length);
        where = { line: p.line, column: p.column };
        detail = `${parserReason(first.name)}: unexpected end of file`;
      }
      const expecting = /Expecting[^\n]*?(?:--> ?|: )([^\n<]*)/.exec(message);
      if (expecting && expecting[1] && !expecting[1].startsWith('one of')) detail += ` (expecting ${expecting[1].trim()})`;
    }
  } else {
    where = locateSemanticError(file.text, message);
  }
  return diagnostic('error', 'toml-syntax', file.path, where, `invalid TOML: ${detail}`);
}

function parserReason(name: string | undefined): string {
  switch (name) {
    case 'NotAllInputParsedException':
      return 'extra input';
    case 'MismatchedTokenException':
      return 'mismatched token';
    case 'EarlyExitException':
      return 'incomplete value';
    default:
      return 'syntax error';
  }
}

function describeToken(t: ChevrotainToken): string {
  const img = t.image ?? '';
  if (img === '\n' || img === '\r\n') return 'end of line';
  if (img === '') return t.tokenType?.name ?? 'token';
  return JSON.stringify(img.length > 40 ? `${img.slice(0, 40)}…` : img);
}

function oneLine(s: string): string {
  const t = s.replace(/^Syntax error\s*/, '').replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 200)}…` : t || 'syntax error';
}

/**
 * js-toml's semantic errors (`Cannot assign value to 'x'`, `Cannot create table 'x'`, `Invalid
 * date time: …`) carry no position. Find the definition that clashes: among the locator's
 * definitions naming that key or table, the second (the first is the one that stood), else the
 * only one; for a bad value, where its text occurs.
 */
export function locateSemanticError(text: string, message: string): Located | null {
  const scan = scanToml(text, { defs: true });
  const lines = new LazyLines(text);
  const at = (offset: number): Located => {
    const p = lines.position(offset);
    return { line: p.line, column: p.column };
  };
  const quoted = /'([^']*)'/.exec(message)?.[1];
  if (quoted !== undefined) {
    const hits = scan.defs.filter((d) => d.path === quoted || d.local === quoted || d.path.endsWith(`.${quoted}`));
    const hit = hits[1] ?? hits[0];
    return hit ? at(hit.offset) : null;
  }
  const value = /:\s*(\S.*)$/.exec(message)?.[1];
  if (value) {
    const i = text.indexOf(value);
    if (i >= 0) return at(i);
  }
  return null;
}
