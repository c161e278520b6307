/**
 * Canonical KQL printer: one line, single spaces, lowercase keywords, minimal parentheses
 * (`and` binds tighter than `or`; `not` takes a parenthesized operand unless it is a single
 * expression). Literals are printed quoted or unquoted as they were parsed, escaped so that
 * `parseKql(printKql(ast))` gives back `ast` (apart from `loc`).
 */
import { assertNever } from '../../model/rule';
import type { KqlLiteral, KqlQuery, KqlValue } from './ast';

const UNQUOTED_ESCAPES: Record<string, string> = {
  '\\': '\\\\', '(': '\\(', ')': '\\)', ':': '\\:', '<': '\\<', '>': '\\>', '"': '\\"', '*': '\\*', '{': '\\{', '}': '\\}',
  '\t': '\\t', '\r': '\\r', '\n': '\\n', '\u00a0': '\\u00a0',
};

/** Anything `escapeSegment` may escape: a special character, `not` before a space or the end, ` or`/` and` likewise. */
const NEEDS_ESCAPE = /[\\():<>"*{}\t\r\n\u00a0]|not(?: |$)| (?:or|and)(?: |$)/i;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z]/.test(c);
}

/**
 * Escapes one wildcard-free segment of an unquoted literal. Besides special characters and
 * whitespace escapes, it defuses keywords that would end the literal: ` or `/` and ` (Kibana's
 * `\or`, `\and`) and `not ` (`\NOT`, or `no\u0074` since Kibana reads `\not` as `\n` + `ot`).
 * `atEnd` says whether the segment ends the literal.
 */
function escapeSegment(s: string, atEnd: boolean): string {
  // Most segments need nothing escaped: given back as they are, without building a copy
  // character by character (the test below is looser than the loop's, never stricter).
  if (!NEEDS_ESCAPE.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const esc = UNQUOTED_ESCAPES[c];
    if (esc !== undefined) {
      out += esc;
      continue;
    }
    if (c === 'o' || c === 'O' || c === 'a' || c === 'A') {
      const word = c === 'o' || c === 'O' ? 2 : 3;
      const w = s.slice(i, i + word).toLowerCase();
      const after = s.charAt(i + word);
      // ` or ` / ` and ` inside, or at the end of the literal (the printer may follow with a space).
      if ((w === 'or' || w === 'and') && i > 0 && s.charAt(i - 1) === ' ' && (after === ' ' || (after === '' && atEnd))) {
        out += '\\' + s.slice(i, i + word);
        i += word - 1;
        continue;
      }
    }
    if (c === 'n' || c === 'N') {
      const w = s.slice(i, i + 3);
      const after = s.charAt(i + 3);
      if (w.toLowerCase() === 'not' && (after === ' ' || (after === '' && atEnd))) {
        // `\NOT` works for an uppercase N; `\not` would read as `\n` + `ot`, so a lowercase
        // `not` hides its `t` in a unicode escape instead.
        const t = w.charAt(2);
        out += c === 'N' ? `\\${w}` : `${w.slice(0, 2)}\\u${t.charCodeAt(0).toString(16).padStart(4, '0')}`;
        i += 2;
        continue;
      }
    }
    out += c;
  }
  return out;
}

function printQuotedValue(v: string): string {
  if (!/[\\"\t\r\n]/.test(v)) return `"${v}"`;
  let out = '"';
  for (const c of v) {
    if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\n') out += '\\n';
    else out += c;
  }
  return out + '"';
}

/** Prints a literal (field name, value, range bound or free text). */
export function printKqlLiteral(lit: KqlLiteral): string {
  if (lit.quoted) return printQuotedValue(lit.value);
  const parts = lit.wildcard ? lit.parts : [lit.value];
  const n = parts.length;
  return parts.map((p, i) => escapeSegment(p, i === n - 1)).join('*');
}

/** Prints a value (`a`, or a value list without the surrounding parentheses). */
export function printKqlValue(v: KqlValue): string {
  switch (v.kind) {
    case 'Literal':
      return printKqlLiteral(v);
    case 'ValueOr':
      return v.values.map((x) => printKqlValue(x)).join(' or ');
    case 'ValueAnd':
      return v.values.map((x) => (x.kind === 'ValueOr' ? `(${printKqlValue(x)})` : printKqlValue(x))).join(' and ');
    case 'ValueNot':
      return `not ${v.value.kind === 'Literal' ? printKqlValue(v.value) : `(${printKqlValue(v.value)})`}`;
    default:
      return assertNever(v, 'KQL value');
  }
}

function isAtom(q: KqlQuery): boolean {
  return q.kind !== 'Or' && q.kind !== 'And' && q.kind !== 'Not';
}

/** Prints a query in the canonical layout. */
export function printKql(q: KqlQuery): string {
  switch (q.kind) {
    case 'Or':
      return q.queries.map((x) => printKql(x)).join(' or ');
    case 'And':
      return q.queries.map((x) => (x.kind === 'Or' ? `(${printKql(x)})` : printKql(x))).join(' and ');
    case 'Not':
      return `not ${isAtom(q.query) ? printKql(q.query) : `(${printKql(q.query)})`}`;
    case 'Is':
      return `${printKqlLiteral(q.field)}:${q.value.kind === 'Literal' ? printKqlLiteral(q.value) : `(${printKqlValue(q.value)})`}`;
    case 'Exists':
      return `${printKqlLiteral(q.field)}:*`;
    case 'Range':
      return `${printKqlLiteral(q.field)} ${q.op} ${printKqlLiteral(q.value)}`;
    case 'Nested':
      return `${printKqlLiteral(q.path)}:{ ${printKql(q.query)} }`;
    case 'FreeText':
      return printKqlLiteral(q.value);
    case 'Empty':
      return '';
    default:
      return assertNever(q, 'KQL query');
  }
}
