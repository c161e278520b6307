/**
 * Walking Lucene trees: the children of a node and a depth-first visit with parents.
 */
import { assertNever } from '../../model/rule';
import type { LuceneNode } from './ast';

export function luceneChildren(node: LuceneNode): LuceneNode[] {
  switch (node.kind) {
    case 'Bool':
      return node.clauses.map((c) => c.query);
    case 'FieldGroup':
    case 'Boost':
      return [node.query];
    case 'Term':
    case 'Phrase':
    case 'Regex':
    case 'Range':
    case 'Exists':
      return [];
    default:
      return assertNever(node, 'Lucene node');
  }
}

/** Visits `root` and every node below it, parents first; `false` from `enter` skips children. */
export function walkLucene(root: LuceneNode, enter: (node: LuceneNode, parent: LuceneNode | null) => boolean | void): void {
  const stack: [LuceneNode, LuceneNode | null][] = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [LuceneNode, LuceneNode | null];
    if (enter(node, parent) === false) continue;
    const kids = luceneChildren(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as LuceneNode, node]);
  }
}
