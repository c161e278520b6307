/**
 * Canonical Lucene printer. A Bool prints as `a AND b AND NOT c` when every clause is required or
 * prohibited, as `a OR b OR NOT c` when every clause is optional or prohibited, and with `+`/`-`
 * prefixes (`+a b -c`) when required and optional clauses mix; nested Bools are parenthesized.
 * `parseLucene(printLucene(ast))` gives back `ast` (apart from `loc`).
 */
import { assertNever } from '../../model/rule';
import type { LuceneBound, LuceneClause, LuceneFuzzy, LuceneQuery } from './ast';

const KEYWORDS = new Set(['AND', 'OR', 'NOT', '&&', '||']);

/** Escapes a term so Lucene's lexer reads it back as one term with this text. */
export function escapeLuceneTerm(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (' \t\n\r\u3000!():^[]"{}~*?\\/'.includes(c) || (i === 0 && (c === '+' || c === '-'))) out += '\\' + c;
    else out += c;
  }
  if (KEYWORDS.has(out)) out = '\\' + out;
  return out;
}

function printField(field: string | null): string {
  if (field === null) return '';
  return `${field === '*' ? '*' : escapeLuceneTerm(field)}:`;
}

function printFuzzy(f: LuceneFuzzy | null): string {
  if (f === null) return '';
  return f.distance === null ? '~' : `~${f.distance}`;
}

function printBound(b: LuceneBound | null): string {
  if (b === null) return '*';
  if (b.quoted) return `"${b.value.replace(/["\\]/g, '\\$&')}"`;
  // Unquoted range bounds end at a space, `]` or `}` whatever precedes them; the parser never
  // produces such values, so only backslashes and a leading quote need escaping.
  const s = b.value.replace(/\\/g, '\\\\');
  return s.startsWith('"') || s === '*' ? `\\${s}` : s;
}

function printClauses(clauses: LuceneClause[]): string {
  const hasMust = clauses.some((c) => c.occur === 'must');
  const hasShould = clauses.some((c) => c.occur === 'should');
  const sub = (q: LuceneQuery): string => (q.kind === 'Bool' ? `(${printLucene(q)})` : printLucene(q));
  if (clauses.length === 1) {
    const c = clauses[0] as LuceneClause;
    return c.occur === 'must_not' ? `NOT ${sub(c.query)}` : c.occur === 'must' ? `+${sub(c.query)}` : sub(c.query);
  }
  if (!(hasMust && hasShould)) {
    const joiner = hasMust || !hasShould ? ' AND ' : ' OR ';
    return clauses.map((c) => (c.occur === 'must_not' ? `NOT ${sub(c.query)}` : sub(c.query))).join(joiner);
  }
  return clauses.map((c) => (c.occur === 'must' ? '+' : c.occur === 'must_not' ? '-' : '') + sub(c.query)).join(' ');
}

export function printLucene(q: LuceneQuery): string {
  switch (q.kind) {
    case 'Bool':
      return printClauses(q.clauses);
    case 'Term':
      return `${printField(q.field)}${q.pattern ?? escapeLuceneTerm(q.value)}${printFuzzy(q.fuzzy)}`;
    case 'Phrase':
      return `${printField(q.field)}"${q.value.replace(/["\\]/g, '\\$&')}"${printFuzzy(q.slop)}`;
    case 'Regex':
      return `${printField(q.field)}/${q.pattern}/`;
    case 'Range': {
      if (q.shorthand) {
        const gt = q.lower !== null;
        const b = (gt ? q.lower : q.upper) as LuceneBound;
        const op = gt ? (q.includeLower ? '>=' : '>') : q.includeUpper ? '<=' : '<';
        return `${printField(q.field)}${op}${escapeLuceneTerm(b.value)}`;
      }
      return `${printField(q.field)}${q.includeLower ? '[' : '{'}${printBound(q.lower)} TO ${printBound(q.upper)}${q.includeUpper ? ']' : '}'}`;
    }
    case 'Exists':
      return `_exists_:${escapeLuceneTerm(q.field)}`;
    case 'FieldGroup':
      return `${printField(q.field)}(${printLucene(q.query)})`;
    case 'Boost': {
      const inner = q.query;
      const needsParens = inner.kind === 'Bool' || inner.kind === 'Boost';
      return `${needsParens ? `(${printLucene(inner)})` : printLucene(inner)}^${q.boost}`;
    }
    default:
      return assertNever(q, 'Lucene query');
  }
}
