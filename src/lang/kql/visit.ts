/**
 * Walking KQL trees: the children of a node, and a depth-first visit of every node (queries,
 * value lists and literals) with its parent.
 */
import { assertNever } from '../../model/rule';
import type { KqlLiteral, KqlNode, KqlQuery } from './ast';

/** The direct children of a node, in source order. */
export function kqlChildren(node: KqlNode): KqlNode[] {
  switch (node.kind) {
    case 'Or':
    case 'And':
      return node.queries;
    case 'Not':
      return [node.query];
    case 'Is':
      return [node.field, node.value];
    case 'Exists':
      return [node.field];
    case 'Range':
      return [node.field, node.value];
    case 'Nested':
      return [node.path, node.query];
    case 'FreeText':
      return [node.value];
    case 'Empty':
    case 'Literal':
      return [];
    case 'ValueOr':
    case 'ValueAnd':
      return node.values;
    case 'ValueNot':
      return [node.value];
    default:
      return assertNever(node, 'KQL node');
  }
}

/**
 * Visits `root` and every node below it, depth first, parents before children. Returning
 * `false` from `enter` skips the node's children.
 */
export function walkKql(root: KqlNode, enter: (node: KqlNode, parent: KqlNode | null) => boolean | void): void {
  const stack: [KqlNode, KqlNode | null][] = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [KqlNode, KqlNode | null];
    if (enter(node, parent) === false) continue;
    const kids = kqlChildren(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as KqlNode, node]);
  }
}

/**
 * The field names a query tests, in source order, with nested paths prefixed
 * (`a:{ b:1 }` → `a.b`). Free text has no field and is not listed.
 */
export function kqlFields(root: KqlQuery): string[] {
  const out: string[] = [];
  const visit = (q: KqlQuery, prefix: string): void => {
    switch (q.kind) {
      case 'Or':
      case 'And':
        for (const x of q.queries) visit(x, prefix);
        return;
      case 'Not':
        visit(q.query, prefix);
        return;
      case 'Is':
      case 'Exists':
      case 'Range':
        out.push(prefix + fieldName(q.field));
        return;
      case 'Nested':
        visit(q.query, `${prefix}${fieldName(q.path)}.`);
        return;
      case 'FreeText':
      case 'Empty':
        return;
      default:
        assertNever(q, 'KQL query');
    }
  };
  visit(root, '');
  return out;
}

function fieldName(lit: KqlLiteral): string {
  return lit.value;
}
