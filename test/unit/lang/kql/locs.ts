/**
 * Loc sanity for KQL trees, shared by the case-table and corpus tests: every node's span lies
 * inside the query and inside its parent's span, children come in source order without
 * overlapping, spans never start or end on whitespace, and each literal's span is its own text
 * (a quoted literal's span is `"…"`; an unquoted literal's span decodes to its value).
 * Returns the list of problems (empty when all is well).
 */
import { walkKql, kqlChildren, type KqlNode, type KqlQuery } from '../../../../src/lang/kql';
import { decodeUnquoted, decodeQuoted } from '../../../../src/lang/kql/ast';

export function kqlLocProblems(text: string, ast: KqlQuery): string[] {
  const problems: string[] = [];
  const ws = /\s/;
  walkKql(ast, (node: KqlNode, parent: KqlNode | null) => {
    const { start, end } = node.loc;
    const at = `${node.kind}@${start}-${end}`;
    if (!(start >= 0 && start <= end && end <= text.length)) problems.push(`${at}: outside the query`);
    if (parent && (start < parent.loc.start || end > parent.loc.end)) problems.push(`${at}: outside its parent ${parent.kind}@${parent.loc.start}-${parent.loc.end}`);
    if (node.kind !== 'Empty' && end > start && (ws.test(text.charAt(start)) || ws.test(text.charAt(end - 1)))) problems.push(`${at}: starts or ends on whitespace`);
    let prev = -1;
    for (const k of kqlChildren(node)) {
      if (k.loc.start < prev) problems.push(`${at}: children out of order`);
      prev = k.loc.end;
    }
    if (node.kind === 'Literal') {
      const src = text.slice(start, end);
      if (node.quoted) {
        if (!(src.startsWith('"') && src.endsWith('"') && src.length >= 2)) problems.push(`${at}: quoted literal span ${JSON.stringify(src)}`);
        else if (decodeQuoted(src.slice(1, -1)) !== node.value) problems.push(`${at}: span does not decode to the value`);
      } else if (decodeUnquoted(src).parts.join('*') !== node.value) {
        problems.push(`${at}: span ${JSON.stringify(src)} does not decode to ${JSON.stringify(node.value)}`);
      }
      if (node.value !== node.parts.join('*')) problems.push(`${at}: value is not parts joined by *`);
      if (node.wildcard !== node.parts.length > 1) problems.push(`${at}: wildcard flag disagrees with parts`);
      if (node.quoted && node.wildcard) problems.push(`${at}: quoted literal with wildcard`);
    }
    return true;
  });
  return problems;
}
