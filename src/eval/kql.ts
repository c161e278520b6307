/**
 * KQL → predicates, with the semantics of the queries Kibana builds from KQL
 * (packages/kbn-es-query, `functions/is|range|exists|nested`), evaluated by search.ts:
 *
 * - `f:value` is a `match` query; `f:"value"` a `match_phrase`; `f:va*ue` a wildcard
 *   (`*` only: KQL has no single-character wildcard); `f:*` is `exists`.
 * - `f:(a or b and not c)` applies each value to the same field; `f > 5` is a range (date math
 *   relative to `now`); `p:{ … }` is nested: one element of the array at `p` must satisfy the
 *   whole inner query; a value without a field searches every field of the event.
 * - `not` is `must_not`: it holds for an event without the field.
 * - Field names may have wildcards (`file.hash.*:*`): the event's own fields that match.
 */
import type { Loc } from '../model/span';
import type { KqlLiteral, KqlQuery, KqlValue } from '../lang/kql/ast';
import { ALL_FIELDS, existsPred, fieldPred, matchTest, phraseTest, rangeTest, SearchCompileError, wildcardTest, type FieldRef } from './search';
import { fieldPath, fieldValues } from './fields';
import { andPred, constPred, notPred, orPred, sampleValues, type Pred } from './trace';
import { kqlWildcardTokens } from './wildcard';
import { show } from './values';

export interface KqlOptions {
  /** Reference time for date math (epoch ms). */
  now?: number;
}

export type CompileKqlResult = { ok: true; pred: Pred } | { ok: false; error: string; loc: Loc | null };

class KqlCompiler {
  constructor(
    private readonly now: number,
    /** Prefix of a nested scope (`path.`), for typing field names. */
    private readonly prefix: string,
  ) {}

  private ref(lit: KqlLiteral): FieldRef {
    const name = lit.value;
    return { name, fullName: this.prefix + name, pattern: lit.wildcard || name.includes('*') };
  }

  query(q: KqlQuery): Pred {
    switch (q.kind) {
      case 'Empty':
        return constPred(true, q.loc, 'empty');
      case 'And':
        return andPred(q.queries.map((x) => this.query(x)), q.loc);
      case 'Or':
        return orPred(q.queries.map((x) => this.query(x)), q.loc);
      case 'Not':
        return notPred(this.query(q.query), q.loc);
      case 'Exists':
        return existsPred(this.ref(q.field), q.loc);
      case 'Is':
        return this.value(this.ref(q.field), q.value);
      case 'Range': {
        const op = q.op;
        const bound = q.value.value;
        const test = rangeTest(
          {
            lower: op === '>' || op === '>=' ? bound : null,
            upper: op === '<' || op === '<=' ? bound : null,
            includeLower: op === '>=',
            includeUpper: op === '<=',
          },
          this.now,
        );
        return fieldPred(this.ref(q.field), test, q.loc, 'range', `${op} ${show(bound)}`);
      }
      case 'Nested':
        return this.nested(q.path, q.query, q.loc);
      case 'FreeText':
        return this.literal(ALL_FIELDS, q.value);
    }
  }

  private value(ref: FieldRef, v: KqlValue): Pred {
    switch (v.kind) {
      case 'Literal':
        return this.literal(ref, v);
      case 'ValueOr':
        return orPred(v.values.map((x) => this.value(ref, x)), v.loc);
      case 'ValueAnd':
        return andPred(v.values.map((x) => this.value(ref, x)), v.loc);
      case 'ValueNot':
        return notPred(this.value(ref, v.value), v.loc);
    }
  }

  private literal(ref: FieldRef, lit: KqlLiteral): Pred {
    if (lit.wildcard) {
      if (lit.parts.every((p) => p === '')) return existsPred(ref, lit.loc);
      return fieldPred(ref, wildcardTest(kqlWildcardTokens(lit.parts)), lit.loc, 'wildcard', `matches ${show(lit.value)}`);
    }
    if (lit.quoted) return fieldPred(ref, phraseTest(lit.value, this.now), lit.loc, 'phrase', `matches the phrase ${show(lit.value)}`);
    return fieldPred(ref, matchTest(lit.value, this.now), lit.loc, 'match', `matches ${show(lit.value)}`);
  }

  private nested(pathLit: KqlLiteral, inner: KqlQuery, loc: Loc): Pred {
    const name = pathLit.value;
    const path = fieldPath(name);
    const sub = new KqlCompiler(this.now, `${this.prefix}${name}.`).query(inner);
    const elements = (doc: unknown): unknown[] => fieldValues(doc, path).filter((v) => v !== null && typeof v === 'object');
    return {
      test(doc) {
        for (const el of elements(doc)) if (sub.test(el)) return true;
        return false;
      },
      explain(doc) {
        const els = elements(doc);
        const children = els.slice(0, 10).map((el) => sub.explain(el));
        const ok = els.some((el) => sub.test(el));
        return {
          kind: 'nested',
          loc,
          outcome: ok ? 'true' : els.length === 0 ? 'missing' : 'false',
          field: name,
          values: sampleValues(els),
          note: els.length === 0 ? 'the nested field has no object' : ok ? 'an element satisfies the inner query' : 'no element satisfies the inner query',
          children,
        };
      },
    };
  }
}

/** Compiles one KQL node (throws `SearchCompileError`); `prefix` is a nested scope's path (`p.`). */
export function compileKqlNode(q: KqlQuery, now: number, prefix = ''): Pred {
  return new KqlCompiler(now, prefix).query(q);
}

/** Compiles a parsed KQL query. */
export function compileKql(ast: KqlQuery, opts: KqlOptions = {}): CompileKqlResult {
  try {
    return { ok: true, pred: new KqlCompiler(opts.now ?? Date.now(), '').query(ast) };
  } catch (e) {
    if (e instanceof SearchCompileError) return { ok: false, error: e.message, loc: e.loc };
    throw e;
  }
}
