/**
 * Traces: why a predicate held or not, node by node, with spans into the query text so a page
 * can highlight them.
 *
 * Every predicate of a compiled query has a fast `test(doc)` and an `explain(doc)` that returns
 * a `TraceNode` tree: `true`, `false`, or `missing` (false because a field the predicate reads
 * is absent from the event). Composite nodes list all their children (no short-circuit), so the
 * reader sees every reason at once.
 */
import type { Loc } from '../model/span';

export type Outcome = 'true' | 'false' | 'missing';

export interface TraceNode {
  /** What kind of node: `and`, `or`, `not`, `compare`, `match`, `in`, `call`, `category`, `exists`, `range`, `term`, `phrase`, … */
  kind: string;
  /** The node's span in the query text. */
  loc: Loc;
  outcome: Outcome;
  /** The field the predicate reads, when it reads one. */
  field?: string;
  /** The event's values of that field (the first few). */
  values?: unknown[];
  /** A short human reason (`no value matched`, `value "x" is in the list`). */
  note?: string;
  children?: TraceNode[];
}

/** A compiled predicate. */
export interface Pred {
  test(doc: unknown): boolean;
  explain(doc: unknown): TraceNode;
}

export const MAX_TRACE_VALUES = 5;

export function sampleValues(values: readonly unknown[]): unknown[] {
  return values.length <= MAX_TRACE_VALUES ? values.slice() : values.slice(0, MAX_TRACE_VALUES);
}

export function outcomeOf(ok: boolean, missing: boolean): Outcome {
  return ok ? 'true' : missing ? 'missing' : 'false';
}

export function isTrue(n: TraceNode): boolean {
  return n.outcome === 'true';
}

/** A constant predicate (`where true`, an empty KQL query). */
export function constPred(value: boolean, loc: Loc, kind = 'literal'): Pred {
  const node: TraceNode = { kind, loc, outcome: value ? 'true' : 'false' };
  return { test: () => value, explain: () => ({ ...node }) };
}

export function andPred(parts: Pred[], loc: Loc): Pred {
  const n = parts.length;
  return {
    test(doc) {
      for (let i = 0; i < n; i++) if (!(parts[i] as Pred).test(doc)) return false;
      return true;
    },
    explain(doc) {
      const children = parts.map((p) => p.explain(doc));
      return { kind: 'and', loc, outcome: children.every(isTrue) ? 'true' : 'false', children };
    },
  };
}

export function orPred(parts: Pred[], loc: Loc): Pred {
  const n = parts.length;
  return {
    test(doc) {
      for (let i = 0; i < n; i++) if ((parts[i] as Pred).test(doc)) return true;
      return false;
    },
    explain(doc) {
      const children = parts.map((p) => p.explain(doc));
      return { kind: 'or', loc, outcome: children.some(isTrue) ? 'true' : 'false', children };
    },
  };
}

/** Negation as a query's `must_not`: a predicate false because of a missing field negates to true. */
export function notPred(inner: Pred, loc: Loc): Pred {
  return {
    test: (doc) => !inner.test(doc),
    explain(doc) {
      const child = inner.explain(doc);
      return { kind: 'not', loc, outcome: isTrue(child) ? 'false' : 'true', children: [child] };
    },
  };
}

/** Collects the leaves of a trace (for summaries: which predicates failed). */
export function traceLeaves(node: TraceNode, out: TraceNode[] = []): TraceNode[] {
  if (!node.children || node.children.length === 0) out.push(node);
  else for (const c of node.children) traceLeaves(c, out);
  return out;
}
