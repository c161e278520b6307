/**
 * The EQL function table against the Elasticsearch EQL function reference, and the walker.
 */
import { describe, expect, it } from 'vitest';
import { canonicalFunctionName, checkEqlCall, EQL_FUNCTIONS, lookupEqlFunction, parseEql, visitExprs, childNodes, queryStages, type EqlNode, type Expr } from '../../../../src/lang/eql';

describe('EQL function table', () => {
  it('lists the sixteen Elasticsearch functions with the reference arities and ~ support', () => {
    const es = EQL_FUNCTIONS.filter((f) => f.elasticsearch).map((f) => [f.name, f.minArgs, f.maxArgs, f.caseInsensitive]);
    expect(es).toEqual([
      ['add', 2, 2, false],
      ['between', 3, 4, true],
      ['cidrMatch', 2, null, false],
      ['concat', 1, null, false],
      ['divide', 2, 2, false],
      ['endsWith', 2, 2, true],
      ['indexOf', 2, 3, true],
      ['length', 1, 1, false],
      ['modulo', 2, 2, false],
      ['multiply', 2, 2, false],
      ['number', 1, 2, false],
      ['startsWith', 2, 2, true],
      ['string', 1, 1, false],
      ['stringContains', 2, 2, true],
      ['substring', 2, 3, false],
      ['subtract', 2, 2, false],
    ]);
  });

  it('marks the Endgame-only functions as unsupported by Elasticsearch', () => {
    expect(EQL_FUNCTIONS.filter((f) => !f.elasticsearch).map((f) => f.name)).toEqual(['arrayContains', 'arrayCount', 'arraySearch', 'match', 'matchLite', 'wildcard']);
  });

  it('looks names up case-insensitively', () => {
    expect(lookupEqlFunction('CIDRMATCH')?.name).toBe('cidrMatch');
    expect(canonicalFunctionName('stringcontains')).toBe('stringContains');
    expect(canonicalFunctionName('MyFunc')).toBe('myfunc');
    expect(lookupEqlFunction('nope')).toBeUndefined();
  });

  it('checks calls against the table', () => {
    expect(checkEqlCall('startsWith', 2, true)).toEqual([]);
    expect(checkEqlCall('cidrmatch', 28, false)).toEqual([]);
    expect(checkEqlCall('length', 2, true)).toEqual(['too-many-arguments', 'tilde-not-allowed']);
    expect(checkEqlCall('substring', 1, false)).toEqual(['too-few-arguments']);
    expect(checkEqlCall('wildcard', 2, false)).toEqual(['not-in-elasticsearch']);
    expect(checkEqlCall('frobnicate', 0, false)).toEqual(['unknown-function']);
  });
});

describe('EQL walker', () => {
  const r = parseEql('sequence by h [a where x == f(y, 1)] by k ![b where not z : "q"] until [c where true] | tail 1');
  if (!r.ok) throw new Error(r.error.message);
  const ast = r.ast;

  it('visits every expression once, in source order, with its parent', () => {
    const seen: string[] = [];
    visitExprs(ast, (e: Expr, parent: EqlNode | null) => {
      seen.push(`${e.kind}<${parent?.kind ?? '-'}`);
    });
    expect(seen).toEqual([
      'Field<Sequence',
      'Comparison<Stage',
      'Field<Comparison',
      'Call<Comparison',
      'Field<Call',
      'Number<Call',
      'Field<Stage',
      'Not<Stage',
      'Match<Not',
      'Field<Match',
      'String<Match',
      'Boolean<Stage',
    ]);
  });

  it('skips the children of an expression when the callback returns false', () => {
    const seen: string[] = [];
    visitExprs(ast, (e) => {
      seen.push(e.kind);
      return e.kind !== 'Comparison' && e.kind !== 'Not';
    });
    expect(seen).toEqual(['Field', 'Comparison', 'Field', 'Not', 'Boolean']);
  });

  it('lists a sequence’s children and stages in source order', () => {
    expect(childNodes(ast).map((n) => n.kind)).toEqual(['Field', 'Stage', 'Stage', 'Stage', 'Pipe']);
    expect(queryStages(ast).map((s) => [s.category.name, s.missing])).toEqual([
      ['a', false],
      ['b', true],
      ['c', false],
    ]);
  });
});
