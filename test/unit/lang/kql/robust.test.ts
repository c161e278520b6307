/**
 * The KQL parser never throws and stays linear on hostile input: absurd nesting becomes an
 * error at 1:1, over-long input is refused, and megabyte-long values (words, whitespace runs,
 * runs of `n`, which the keyword `not` check looks at) parse in bounded time.
 */
import { describe, expect, it } from 'vitest';
import { parseKql } from '../../../../src/lang/kql';
import { MAX_QUERY_LENGTH } from '../../../../src/lang/shared/result';

function timed<T>(f: () => T): { ms: number; value: T } {
  const t0 = performance.now();
  const value = f();
  return { ms: performance.now() - t0, value };
}

describe('parseKql on hostile input', () => {
  it('reports absurd nesting as an error instead of throwing', () => {
    for (const q of ['('.repeat(100_000) + 'a' + ')'.repeat(100_000), `f:${'('.repeat(50_000)}a${')'.repeat(50_000)}`, 'a:{'.repeat(30_000) + 'b']) {
      const r = parseKql(q);
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.line, r.error.column, r.error.message]).toEqual([1, 1, 'Query is nested too deeply to parse.']);
    }
  });

  it('refuses input over the length limit', () => {
    const r = parseKql('a'.repeat(MAX_QUERY_LENGTH + 1));
    expect(r.ok ? 'parsed' : r.error.message).toBe(`Query is ${MAX_QUERY_LENGTH + 1} characters long; the limit is ${MAX_QUERY_LENGTH}.`);
  });

  it('parses megabyte-long values in bounded time', () => {
    const cases = [`f:${'word '.repeat(200_000)}x`, `f:a${' '.repeat(1_000_000)}b`, `f:${'n'.repeat(1_000_000)}`, `f:"${'a\\"'.repeat(300_000)}"`];
    for (const q of cases) {
      const { ms, value } = timed(() => parseKql(q));
      expect(value.ok).toBe(true);
      // Linear parsing takes well under a second here even on a loaded machine; a quadratic
      // step would take minutes.
      expect(ms).toBeLessThan(5000);
    }
  });

  it('keeps a long run of words as one value', () => {
    const r = parseKql(`f:${'a b '.repeat(1000)}c`);
    expect(r.ok && r.ast.kind === 'Is' && r.ast.value.kind === 'Literal' ? r.ast.value.value.length : -1).toBe(4001);
  });
});
