/**
 * Loc sanity for Lucene trees: every node and clause span lies inside the query and inside its
 * parent's span, children come in source order, spans never start or end on whitespace.
 */
import { walkLucene, luceneChildren, type LuceneNode, type LuceneQuery } from '../../../../src/lang/lucene';

export function luceneLocProblems(text: string, ast: LuceneQuery): string[] {
  const problems: string[] = [];
  const ws = /\s/;
  const check = (what: string, loc: { start: number; end: number }, parent: { start: number; end: number } | null): void => {
    const at = `${what}@${loc.start}-${loc.end}`;
    if (!(loc.start >= 0 && loc.start < loc.end && loc.end <= text.length)) problems.push(`${at}: outside the query or empty`);
    if (parent && (loc.start < parent.start || loc.end > parent.end)) problems.push(`${at}: outside its parent`);
    if (ws.test(text.charAt(loc.start)) || ws.test(text.charAt(loc.end - 1))) problems.push(`${at}: starts or ends on whitespace`);
  };
  walkLucene(ast, (node: LuceneNode, parent: LuceneNode | null) => {
    check(node.kind, node.loc, parent ? parent.loc : null);
    if (node.kind === 'Bool') {
      let prev = -1;
      for (const c of node.clauses) {
        check('clause', c.loc, node.loc);
        if (c.query.loc.start < c.loc.start || c.query.loc.end > c.loc.end) problems.push(`clause@${c.loc.start}: query outside its clause`);
        if (c.loc.start < prev) problems.push(`Bool@${node.loc.start}: clauses out of order`);
        prev = c.loc.end;
      }
    }
    let prev = -1;
    for (const k of luceneChildren(node)) {
      if (k.loc.start < prev) problems.push(`${node.kind}@${node.loc.start}: children out of order`);
      prev = k.loc.end;
    }
    return true;
  });
  return problems;
}
