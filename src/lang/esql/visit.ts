/**
 * Walking an ES|QL tree: `esqlChildren(node)` lists a node's direct children in source order,
 * `walkEsql(root, visit)` visits every node depth-first (pre-order), and a few helpers collect
 * what later stages ask for most (function calls, field references).
 */
import { assertNever } from '../../model/rule';
import type { EsqlCommand, EsqlExpr, EsqlField, EsqlFunctionCall, EsqlNode, EsqlQuery } from './ast';

/** The direct children of `node`, in source order. */
export function esqlChildren(node: EsqlNode): EsqlNode[] {
  switch (node.kind) {
    case 'Query':
      return [...node.settings, ...node.commands];
    case 'Set':
      return [node.value];
    // source commands
    case 'From':
      return [...node.sources];
    case 'Row':
      return [...node.fields];
    case 'Show':
      return [];
    case 'Promql':
      return node.valueName ? [...node.params, node.valueName] : [...node.params];
    // processing commands
    case 'Where':
      return [node.condition];
    case 'Eval':
      return [...node.fields];
    case 'Stats':
    case 'InlineStats':
      return [...node.aggregates, ...node.by];
    case 'Keep':
    case 'Drop':
      return [...node.columns];
    case 'Rename':
      return [...node.clauses];
    case 'Sort':
      return [...node.keys];
    case 'Limit':
      return [node.count];
    case 'MvExpand':
      return [node.field];
    case 'Dissect':
      return [node.input, node.pattern, ...node.options];
    case 'Grok':
      return [node.input, ...node.patterns];
    case 'Enrich':
      return node.on ? [node.on, ...node.with] : [...node.with];
    case 'LookupJoin':
      return [node.index, ...node.on];
    case 'ChangePoint':
      return [node.value, node.key, node.typeName, node.pvalueName].filter((n): n is EsqlField => n !== null);
    case 'Completion': {
      const out: EsqlNode[] = [];
      if (node.target && !node.targetAfter) out.push(node.target);
      out.push(node.prompt);
      if (node.with) out.push(node.with);
      if (node.target && node.targetAfter) out.push(node.target);
      return out;
    }
    case 'Fork':
      return [...node.branches];
    case 'Fuse':
      return [...node.clauses];
    case 'Rerank': {
      const out: EsqlNode[] = node.target ? [node.target, node.query] : [node.query];
      out.push(...node.on);
      if (node.with) out.push(node.with);
      return out;
    }
    case 'Sample':
      return [node.probability];
    case 'UriParts':
      return [node.prefix, node.expr];
    case 'TsCollapse':
      return [];
    case 'Mmr': {
      const out: EsqlNode[] = node.queryVector ? [node.queryVector, node.field, node.limit] : [node.field, node.limit];
      if (node.with) out.push(node.with);
      return out;
    }
    // command parts
    case 'NamedExpr':
      return node.name ? [node.name, node.expr] : [node.expr];
    case 'Aggregate': {
      const out: EsqlNode[] = node.name ? [node.name, node.expr] : [node.expr];
      if (node.where) out.push(node.where);
      return out;
    }
    case 'NamePattern':
    case 'IndexPattern':
    case 'PromqlParam':
      return [];
    case 'Subquery':
    case 'ForkBranch':
      return [...node.commands];
    case 'SortKey':
      return [node.expr];
    case 'RenameClause':
      return [node.oldName, node.newName];
    case 'EnrichClause':
      return node.newName ? [node.newName, node.field] : [node.field];
    case 'CommandOption':
      return [node.value];
    case 'FuseScoreBy':
    case 'FuseGroupBy':
      return [node.field];
    case 'FuseKeyBy':
      return [...node.fields];
    case 'FuseWith':
      return [node.options];
    case 'MapEntry':
      return [node.key, node.value];
    // expressions
    case 'And':
    case 'Or':
      return [...node.operands];
    case 'Not':
    case 'Unary':
    case 'IsNull':
      return [node.expr];
    case 'Comparison':
    case 'Arithmetic':
      return [node.left, node.right];
    case 'Like':
      return [node.expr, ...node.patterns];
    case 'In':
      return [node.expr, ...node.values];
    case 'InSubquery':
      return [node.expr, node.query];
    case 'Match':
      return [node.field, node.query];
    case 'Cast':
      return [node.expr];
    case 'Call':
      return [...node.args];
    case 'List':
      return [...node.values];
    case 'Map':
      return [...node.entries];
    case 'Field':
    case 'Param':
    case 'String':
    case 'Number':
    case 'TimeSpan':
    case 'Boolean':
    case 'Null':
      return [];
    default:
      return assertNever(node, 'ES|QL node');
  }
}

/**
 * Visits `root` and every node below it, depth-first, parents before children. Returning
 * `false` from `visit` skips the node's children. Iterative, so deep trees cannot overflow.
 */
export function walkEsql(root: EsqlNode, visit: (node: EsqlNode, parent: EsqlNode | null) => boolean | void): void {
  const stack: [EsqlNode, EsqlNode | null][] = [[root, null]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop() as [EsqlNode, EsqlNode | null];
    if (visit(node, parent) === false) continue;
    const kids = esqlChildren(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i] as EsqlNode, node]);
  }
}

/** Every function call in the tree, in source order (`KQL(…)` calls carry `embedded`). */
export function esqlFunctionCalls(root: EsqlNode): EsqlFunctionCall[] {
  const out: EsqlFunctionCall[] = [];
  walkEsql(root, (n) => {
    if (n.kind === 'Call') out.push(n);
  });
  return out;
}

/** Every column reference (`Field` node) in the tree, in source order. */
export function esqlFieldRefs(root: EsqlNode): EsqlField[] {
  const out: EsqlField[] = [];
  walkEsql(root, (n) => {
    if (n.kind === 'Field') out.push(n);
  });
  return out;
}

/** The top-level pipeline of a query: its source command, then the processing commands. */
export function esqlPipeline(query: EsqlQuery): EsqlCommand[] {
  return query.commands;
}

/** Whether `node` is an expression (as opposed to a command or command part). */
export function isEsqlExpr(node: EsqlNode): node is EsqlExpr {
  switch (node.kind) {
    case 'And':
    case 'Or':
    case 'Not':
    case 'Comparison':
    case 'Arithmetic':
    case 'Unary':
    case 'Like':
    case 'In':
    case 'InSubquery':
    case 'IsNull':
    case 'Match':
    case 'Cast':
    case 'Call':
    case 'Field':
    case 'Param':
    case 'String':
    case 'Number':
    case 'TimeSpan':
    case 'Boolean':
    case 'Null':
    case 'List':
    case 'Map':
      return true;
    default:
      return false;
  }
}
