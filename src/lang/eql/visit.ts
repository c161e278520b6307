/**
 * Walking EQL trees: every expression of a query (conditions, join keys, call arguments,
 * list values, patterns), each with its parent node.
 */
import { assertNever } from '../../model/rule';
import type { EqlNode, EqlQuery, Expr, Stage } from './ast';

/** The direct sub-expressions of an expression, in source order. */
export function childExprs(e: Expr): Expr[] {
  switch (e.kind) {
    case 'And':
    case 'Or':
      return e.operands;
    case 'Not':
      return [e.operand];
    case 'Comparison':
    case 'Arithmetic':
      return [e.left, e.right];
    case 'Match':
      return [e.left, ...e.patterns];
    case 'In':
      return [e.left, ...e.values];
    case 'Call':
      return e.args;
    case 'Unary':
      return [e.operand];
    case 'Field':
    case 'String':
    case 'Number':
    case 'Boolean':
    case 'Null':
      return [];
    default:
      return assertNever(e, 'EQL expression');
  }
}

/** The stages of a query in source order (`until` last); none for an event query. */
export function queryStages(q: EqlQuery): Stage[] {
  switch (q.kind) {
    case 'EventQuery':
      return [];
    case 'Sequence':
      return q.until ? [...q.stages, q.until] : q.stages;
    case 'Sample':
      return q.stages;
    default:
      return assertNever(q, 'EQL query');
  }
}

/**
 * The direct children of any node, in source order: a query's stages, keys and pipes, a
 * stage's category, condition and keys, an expression's operands.
 */
export function childNodes(n: EqlNode): EqlNode[] {
  switch (n.kind) {
    case 'EventQuery':
      return [n.category, n.condition, ...n.pipes];
    case 'Sequence': {
      const out: EqlNode[] = [...n.by];
      if (n.maxspan) out.push(n.maxspan);
      out.push(...n.stages);
      if (n.until) out.push(n.until);
      out.push(...n.pipes);
      return out;
    }
    case 'Sample':
      return [...n.by, ...n.stages, ...n.pipes];
    case 'Stage':
      return [n.category, n.condition, ...n.by];
    case 'Category':
    case 'Maxspan':
    case 'Pipe':
      return [];
    default:
      return childExprs(n);
  }
}

/**
 * Calls `fn(expr, parent)` for every expression under `root` (pre-order, source order).
 * `parent` is the nearest enclosing node: an expression, a stage or the query (null for `root`
 * itself when it is an expression). Returning `false` from `fn` skips that expression's children.
 */
export function visitExprs(root: EqlNode, fn: (e: Expr, parent: EqlNode | null) => boolean | void): void {
  const stack: [EqlNode, EqlNode | null][] = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [EqlNode, EqlNode | null];
    let descend = true;
    if (isExpr(node)) descend = fn(node, parent) !== false;
    if (!descend) continue;
    const kids = childNodes(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as EqlNode, node]);
  }
}

/** Calls `fn(node, parent)` for every node under and including `root` (pre-order). */
export function visitNodes(root: EqlNode, fn: (n: EqlNode, parent: EqlNode | null) => void): void {
  const stack: [EqlNode, EqlNode | null][] = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [EqlNode, EqlNode | null];
    fn(node, parent);
    const kids = childNodes(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as EqlNode, node]);
  }
}

const EXPR_KINDS = new Set<string>(['And', 'Or', 'Not', 'Comparison', 'Match', 'In', 'Call', 'Arithmetic', 'Unary', 'Field', 'String', 'Number', 'Boolean', 'Null']);

export function isExpr(n: EqlNode): n is Expr {
  return EXPR_KINDS.has(n.kind);
}
