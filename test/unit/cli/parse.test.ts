import { describe, expect, it } from 'vitest';
import { runRuledex } from '../../helpers/cli';

function ruledex(args: string[], input?: string) {
  return runRuledex(args, input === undefined ? {} : { input });
}

describe('ruledex parse', () => {
  it('parses one query from stdin and prints its AST', async () => {
    const r = await ruledex(['parse', '--language', 'kuery'], 'process.name:(curl or wget)');
    expect(r.status).toBe(0);
    const ast = JSON.parse(r.stdout) as { kind: string; field: { value: string }; value: { kind: string; values: { value: string }[] } };
    expect(ast.kind).toBe('Is');
    expect(ast.field.value).toBe('process.name');
    expect(ast.value.kind).toBe('ValueOr');
    expect(ast.value.values.map((v) => v.value)).toEqual(['curl', 'wget']);
  });

  it('prints the error with line and column for a stdin query that does not parse, and exits 1', async () => {
    const r = await ruledex(['parse', '--language', 'eql'], 'process where\n  process.name == ');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { error: { line: number; column: number; message: string } };
    expect(out.error.line).toBe(2);
    expect(out.error.column).toBe(19);
    expect(r.stderr).toMatch(/^<stdin>:2:19: Expected /);
  });

  it('refuses an unknown language with exit 2', async () => {
    const r = await ruledex(['parse', '--language', 'sql'], 'select 1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown language 'sql'");
  });

  it('summarises the example content as JSON: every query parses', async () => {
    const r = await ruledex(['parse', '--json']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { languages: Record<string, { parsed: number; failed: number; seconds: number }>; failures: unknown[] };
    expect(Object.fromEntries(Object.entries(s.languages).map(([k, v]) => [k, [v.parsed, v.failed]]))).toEqual({
      eql: [5, 0],
      // six kuery rules and the threat_query of the threat-match rule
      kuery: [7, 0],
      lucene: [1, 0],
      esql: [1, 0],
    });
    expect(s.failures).toEqual([]);
  });

  it('reports a failing query with its file, line and column', async () => {
    const r = await ruledex(['parse', '--source', 'test/fixtures/parse/bad-query', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/eql +0 +1 /);
    // Line 19 of the TOML: the list opened on it is never closed; the parser stops at "and" (column 34).
    expect(r.stdout).toContain('test/fixtures/parse/bad-query/rules/broken_eql.toml:19:34: error [query-syntax] query (eql) does not parse: Expected ")" or "," but "a" found.');
  });
});
