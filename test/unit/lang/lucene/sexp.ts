/**
 * A compact, lossless text form of a Lucene tree for case tables (test/cases/lucene.toml):
 *
 *   (bool +Q Q -Q)                  clauses; + must, - must_not, bare = should
 *   (term F "value")                F = field name as a JSON string, or _ for the default field
 *   (term F "value" pattern="p*")   wildcard term (pattern as written)
 *   (term F "value" ~) (term F "value" ~2)    fuzzy
 *   (phrase F "a b") (phrase F "a b" ~2)
 *   (regex F "pattern")
 *   (range F [lo TO hi])            brackets as written, bounds as JSON strings, q"…" if quoted, * open;
 *                                   `(range F >= "v")` etc. for the shorthand forms
 *   (exists "field") (group "field" Q) (boost Q 2)
 */
import { assertNever } from '../../../../src/model/rule';
import type { LuceneBound, LuceneFuzzy, LuceneQuery } from '../../../../src/lang/lucene';

const f = (field: string | null): string => (field === null ? '_' : JSON.stringify(field));
const fz = (x: LuceneFuzzy | null): string => (x === null ? '' : x.distance === null ? ' ~' : ` ~${x.distance}`);
const bound = (b: LuceneBound | null): string => (b === null ? '*' : b.quoted ? `q${JSON.stringify(b.value)}` : JSON.stringify(b.value));

export function luceneSexp(q: LuceneQuery): string {
  switch (q.kind) {
    case 'Bool':
      return `(bool ${q.clauses.map((c) => (c.occur === 'must' ? '+' : c.occur === 'must_not' ? '-' : '') + luceneSexp(c.query)).join(' ')})`;
    case 'Term':
      return `(term ${f(q.field)} ${JSON.stringify(q.value)}${q.pattern === null ? '' : ` pattern=${JSON.stringify(q.pattern)}`}${fz(q.fuzzy)})`;
    case 'Phrase':
      return `(phrase ${f(q.field)} ${JSON.stringify(q.value)}${fz(q.slop)})`;
    case 'Regex':
      return `(regex ${f(q.field)} ${JSON.stringify(q.pattern)})`;
    case 'Range':
      if (q.shorthand) {
        const gt = q.lower !== null;
        const op = gt ? (q.includeLower ? '>=' : '>') : q.includeUpper ? '<=' : '<';
        return `(range ${f(q.field)} ${op} ${bound(gt ? q.lower : q.upper)})`;
      }
      return `(range ${f(q.field)} ${q.includeLower ? '[' : '{'}${bound(q.lower)} TO ${bound(q.upper)}${q.includeUpper ? ']' : '}'})`;
    case 'Exists':
      return `(exists ${JSON.stringify(q.field)})`;
    case 'FieldGroup':
      return `(group ${f(q.field)} ${luceneSexp(q.query)})`;
    case 'Boost':
      return `(boost ${luceneSexp(q.query)} ${q.boost})`;
    default:
      return assertNever(q, 'Lucene query');
  }
}
