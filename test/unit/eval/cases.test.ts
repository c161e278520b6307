/**
 * Runs the evaluation case tables test/cases/eval-{eql,kql,lucene,esql}.toml: each case's query
 * over its events must give exactly the expected matches (and, for ES|QL, rows), or fail to
 * compile with the expected error.
 * Every case is also checked through `explain` (the trace's verdict must agree with `test`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-toml';
import { describe, expect, it } from 'vitest';
import { compileQuery, type QueryOptions, type TraceNode } from '../../../src/eval';
import type { QueryLanguage } from '../../../src/model/rule';
import { projectRoot } from '../../helpers/shared';

interface Case {
  name: string;
  doc?: string;
  query: string;
  events?: string;
  matches?: number[][];
  /** ES|QL: the result rows, as JSON. */
  rows?: string;
  error?: string;
  options?: QueryOptions;
}

function loadCases(file: string): Case[] {
  const doc = load(readFileSync(join(projectRoot, 'test', 'cases', file), 'utf8')) as { case: Case[] };
  return doc.case;
}

const TABLES: [string, QueryLanguage][] = [
  ['eval-eql.toml', 'eql'],
  ['eval-kql.toml', 'kuery'],
  ['eval-lucene.toml', 'lucene'],
  ['eval-esql.toml', 'esql'],
];

for (const [file, language] of TABLES) {
  const cases = loadCases(file);
  describe(file, () => {
    it('has uniquely named cases', () => {
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
      expect(cases.length).toBeGreaterThan(20);
    });
    for (const c of cases) {
      it(c.name, () => {
        const now = language === 'esql' ? '2025-01-01T00:00:00Z' : '2024-06-01T00:00:00Z';
        const compiled = compileQuery(language, c.query, { now, ...(c.options ?? {}) });
        if (c.error !== undefined) {
          expect(compiled.ok).toBe(false);
          if (!compiled.ok) expect(compiled.error).toContain(c.error);
          return;
        }
        if (!compiled.ok) throw new Error(compiled.error);
        const events = JSON.parse(c.events ?? (language === 'esql' ? '[]' : '[{}]')) as unknown[];
        const run = compiled.query.run(events);
        expect(c.matches !== undefined || c.rows !== undefined).toBe(true);
        if (c.matches !== undefined) expect(run.matches.map((m) => m.events)).toEqual(c.matches);
        if (c.rows !== undefined) expect(run.matches.map((m) => m.row)).toEqual(JSON.parse(c.rows));
        if (language === 'esql') expect(run.notes).toEqual([]);
        // The trace agrees with the verdict for event queries.
        if (run.kind === 'event' && compiled.query.kind === 'event') {
          const hits = new Set(run.matches.map((m) => m.events[0]));
          events.forEach((e, i) => {
            const trees: TraceNode[] = compiled.query.explain(e);
            const outcome = trees.every((t) => t.outcome === 'true');
            if (c.options?.size === undefined && !/\| (head|tail)/.test(c.query)) expect(outcome).toBe(hits.has(i));
          });
        }
      });
    }
  });
}
