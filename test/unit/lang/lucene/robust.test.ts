/**
 * The Lucene parser never throws and stays linear on hostile input.
 */
import { describe, expect, it } from 'vitest';
import { parseLucene } from '../../../../src/lang/lucene';
import { MAX_QUERY_LENGTH } from '../../../../src/lang/shared/result';

describe('parseLucene on hostile input', () => {
  it('reports absurd nesting as an error instead of throwing', () => {
    for (const q of ['('.repeat(100_000) + 'a' + ')'.repeat(100_000), 'f:('.repeat(30_000) + 'a']) {
      const r = parseLucene(q);
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.error.line, r.error.column, r.error.message]).toEqual([1, 1, 'Query is nested too deeply to parse.']);
    }
  });

  it('refuses input over the length limit', () => {
    const r = parseLucene('a'.repeat(MAX_QUERY_LENGTH + 1));
    expect(r.ok ? 'parsed' : r.error.message).toBe(`Query is ${MAX_QUERY_LENGTH + 1} characters long; the limit is ${MAX_QUERY_LENGTH}.`);
  });

  it('parses long inputs in bounded time', () => {
    for (const q of ['word '.repeat(100_000), `"${'a\\"'.repeat(200_000)}"`, 'f:a AND '.repeat(20_000) + 'b']) {
      const t0 = performance.now();
      const r = parseLucene(q);
      expect(r.ok).toBe(true);
      expect(performance.now() - t0).toBeLessThan(5000);
    }
  });
});
