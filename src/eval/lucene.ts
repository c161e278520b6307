/**
 * Lucene query syntax (Elasticsearch `query_string`, default operator OR, default field `*`)
 * → predicates, evaluated by search.ts:
 *
 * - a term is a `match`-like term query (analysed on text fields), `"a phrase"~N` a phrase with
 *   slop, `te?m*` a wildcard, `/re/` a regexp (Lucene syntax, anchored), `[a TO b]` / `{…}` /
 *   `>=a` ranges, `_exists_:f` exists, `term~N` fuzzy, `f:(…)` a default field for the group;
 *   a term without a field searches every field of the event.
 * - Boolean clauses follow Lucene's BooleanQuery: with `must` clauses, `should` clauses are
 *   optional; with only `should` clauses one must match; `must_not` excludes; a query of only
 *   `must_not` clauses matches every other event (Elasticsearch adds `match_all`).
 */
import type { Loc } from '../model/span';
import type { LuceneBool, LuceneQuery } from '../lang/lucene/ast';
import {
  ALL_FIELDS,
  existsPred,
  fieldPred,
  fuzzyTest,
  matchTest,
  phraseTest,
  rangeTest,
  regexTest,
  SearchCompileError,
  wildcardTest,
  type FieldRef,
} from './search';
import { notPred, type Pred, type TraceNode } from './trace';
import { show } from './values';
import { luceneWildcardTokens } from './wildcard';

export interface LuceneOptions {
  now?: number;
}

export type CompileLuceneResult = { ok: true; pred: Pred } | { ok: false; error: string; loc: Loc | null };

function ref(name: string): FieldRef {
  return { name, fullName: name, pattern: name.includes('*') };
}

class LuceneCompiler {
  constructor(private readonly now: number) {}

  query(q: LuceneQuery, field: string | null): Pred {
    switch (q.kind) {
      case 'Bool':
        return this.bool(q, field);
      case 'Boost':
        return this.query(q.query, field);
      case 'FieldGroup':
        return this.query(q.query, q.field);
      case 'Exists':
        return existsPred(ref(q.field), q.loc);
      case 'Term': {
        const r = this.fieldRef(q.field ?? field);
        if (q.pattern !== null) {
          const tokens = luceneWildcardTokens(q.pattern);
          if (tokens.length === 1 && tokens[0] === 0) return existsPred(r, q.loc);
          return fieldPred(r, wildcardTest(tokens), q.loc, 'wildcard', `matches ${show(q.pattern)}`);
        }
        if (q.fuzzy !== null) return fieldPred(r, fuzzyTest(q.value, q.fuzzy.distance), q.loc, 'fuzzy', `is close to ${show(q.value)}`);
        return fieldPred(r, matchTest(q.value, this.now), q.loc, 'term', `matches ${show(q.value)}`);
      }
      case 'Phrase':
        return fieldPred(this.fieldRef(q.field ?? field), phraseTest(q.value, this.now, q.slop?.distance ?? 0), q.loc, 'phrase', `matches the phrase ${show(q.value)}`);
      case 'Regex':
        return fieldPred(this.fieldRef(q.field ?? field), regexTest(q.pattern, q.loc), q.loc, 'regex', `matches /${q.pattern}/`);
      case 'Range': {
        const test = rangeTest(
          { lower: q.lower?.value ?? null, upper: q.upper?.value ?? null, includeLower: q.includeLower, includeUpper: q.includeUpper },
          this.now,
        );
        const text = `${q.includeLower ? '[' : '{'}${q.lower?.value ?? '*'} TO ${q.upper?.value ?? '*'}${q.includeUpper ? ']' : '}'}`;
        return fieldPred(this.fieldRef(q.field ?? field), test, q.loc, 'range', `is in ${text}`);
      }
    }
  }

  private fieldRef(name: string | null): FieldRef {
    return name === null || name === '*' ? ALL_FIELDS : ref(name);
  }

  private bool(q: LuceneBool, field: string | null): Pred {
    const must = q.clauses.filter((c) => c.occur === 'must').map((c) => this.query(c.query, field));
    const should = q.clauses.filter((c) => c.occur === 'should').map((c) => this.query(c.query, field));
    const mustNot = q.clauses.filter((c) => c.occur === 'must_not').map((c) => this.query(c.query, field));
    const ordered = q.clauses.map((c) => ({ occur: c.occur, pred: this.query(c.query, field), loc: c.loc }));
    const needShould = must.length === 0 && should.length > 0;
    const test = (doc: unknown): boolean => {
      for (const p of must) if (!p.test(doc)) return false;
      for (const p of mustNot) if (p.test(doc)) return false;
      if (needShould) {
        for (const p of should) if (p.test(doc)) return true;
        return false;
      }
      return true;
    };
    return {
      test,
      explain(doc) {
        const children: TraceNode[] = ordered.map((c) => {
          const t = c.occur === 'must_not' ? notPred(c.pred, c.loc).explain(doc) : c.pred.explain(doc);
          return c.occur === 'should' && must.length > 0 ? { ...t, note: `${t.note ?? ''}${t.note ? '; ' : ''}optional (should)` } : t;
        });
        const ok = test(doc);
        return { kind: 'bool', loc: q.loc, outcome: ok ? 'true' : 'false', children };
      },
    };
  }
}

/** Compiles one Lucene node (throws `SearchCompileError`), `field` being the default field of its group. */
export function compileLuceneNode(q: LuceneQuery, now: number, field: string | null = null): Pred {
  return new LuceneCompiler(now).query(q, field);
}

/** Compiles a parsed Lucene query. */
export function compileLucene(ast: LuceneQuery, opts: LuceneOptions = {}): CompileLuceneResult {
  try {
    return { ok: true, pred: new LuceneCompiler(opts.now ?? Date.now()).query(ast, null) };
  } catch (e) {
    if (e instanceof SearchCompileError) return { ok: false, error: e.message, loc: e.loc };
    throw e;
  }
}
