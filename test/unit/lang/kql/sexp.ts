/**
 * A compact, lossless text form of a KQL tree for case tables (test/cases/kql.toml):
 *
 *   (or Q…) (and Q…) (not Q) (is F V) (exists F) (range F OP V) (nested P Q) (text V) (empty)
 *   (vor V…) (vand V…) (vnot V)
 *   literals: "a b"  unquoted, no wildcard (JSON string of `value`)
 *             q"a"   quoted (JSON string of `value`)
 *             w["", "a*b", ""]  unquoted with wildcards (JSON array of `parts`)
 *
 * Together with the literal invariants the corpus test checks (`value === parts.join('*')`,
 * a literal without wildcard has `parts === [value]`), it determines the whole AST but `loc`.
 */
import { assertNever } from '../../../../src/model/rule';
import type { KqlLiteral, KqlNode } from '../../../../src/lang/kql';

function lit(l: KqlLiteral): string {
  if (l.quoted) return `q${JSON.stringify(l.value)}`;
  if (l.wildcard) return `w[${l.parts.map((p) => JSON.stringify(p)).join(', ')}]`;
  return JSON.stringify(l.value);
}

export function kqlSexp(n: KqlNode): string {
  switch (n.kind) {
    case 'Literal':
      return lit(n);
    case 'Or':
      return `(or ${n.queries.map(kqlSexp).join(' ')})`;
    case 'And':
      return `(and ${n.queries.map(kqlSexp).join(' ')})`;
    case 'Not':
      return `(not ${kqlSexp(n.query)})`;
    case 'Is':
      return `(is ${lit(n.field)} ${kqlSexp(n.value)})`;
    case 'Exists':
      return `(exists ${lit(n.field)})`;
    case 'Range':
      return `(range ${lit(n.field)} ${n.op} ${lit(n.value)})`;
    case 'Nested':
      return `(nested ${lit(n.path)} ${kqlSexp(n.query)})`;
    case 'FreeText':
      return `(text ${lit(n.value)})`;
    case 'Empty':
      return '(empty)';
    case 'ValueOr':
      return `(vor ${n.values.map(kqlSexp).join(' ')})`;
    case 'ValueAnd':
      return `(vand ${n.values.map(kqlSexp).join(' ')})`;
    case 'ValueNot':
      return `(vnot ${kqlSexp(n.value)})`;
    default:
      return assertNever(n, 'KQL node');
  }
}
