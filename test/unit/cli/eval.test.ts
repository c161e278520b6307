/**
 * The `ruledex eval` contract: NDJSON requests on stdin → one NDJSON response per request, in
 * order, `{"id", "matches"}` or `{"id", "error"}`; and the human mode (`--rule … --events …`).
 * Runs the command's `run` with injected streams, and through `node bin/ruledex.mjs eval` once
 * the command is registered in src/cli/main.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { answer, run } from '../../../src/cli/commands/eval';
import { projectRoot } from '../../helpers/shared';

async function runWith(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await run(args, { stdin: Readable.from([stdin]), stdout, stderr });
  return { code, out, err };
}

const REQUESTS = [
  { id: 1, language: 'eql', query: 'process where process.name : "cmd*"', events: [{ event: { category: 'process' }, process: { name: 'CMD.exe' } }, { event: { category: 'file' } }] },
  { id: 'seq', language: 'eql', query: 'sequence by h [process where true] [file where true]', events: [{ '@timestamp': 2, h: 1, event: { category: 'file' } }, { '@timestamp': 1, h: 1, event: { category: 'process' } }] },
  { id: 3, language: 'kuery', query: 'a:1 or b:2', events: [{ b: 2 }, { a: 1 }, { c: 3 }], options: { size: 1 } },
  { id: 4, language: 'lucene', query: 'a:1 AND NOT b:2', events: [{ a: 1, b: 2 }, { a: 1 }] },
  { id: 5, language: 'eql', query: 'info where true', events: [{ event: { type: 'info' } }], options: { eventCategoryField: 'event.type' } },
  { id: 6, language: 'eql', query: 'any where true', events: [{ t: 2 }, { t: 1 }], options: { timestampField: 't' } },
  { id: 7, language: 'eql', query: 'any where true', events: [{ '@timestamp': 1, s: 2 }, { '@timestamp': 1, s: 1 }], options: { tiebreakerField: 's' } },
  { id: 8, language: 'kuery', query: 'a:(', events: [] },
  { id: 9, language: 'sql', query: 'x', events: [] },
  { id: 10, language: 'eql', query: 'any where true', events: 'nope' },
  { id: 11, language: 'eql', query: 'any where true', events: [{}], options: { bogus: 1 } },
  { id: 12, language: 'eql', query: 'any where true', events: [{}], options: { size: -1 } },
  { id: 13, language: 'kuery', query: 'a:1', events: [{ a: 'x'.repeat(100_001) }] },
  { id: 14, language: 'esql', query: 'FROM * | WHERE a > 0 | STATS n = COUNT(*) BY k | WHERE n >= 2', events: [{ a: 1, k: 'x' }, { a: 2, k: 'y' }, { a: 3, k: 'x' }, { a: 0, k: 'y' }] },
  { id: 15, language: 'esql', query: 'FROM * | COMPLETION r = "p" WITH { "inference_id": "x" }', events: [] },
];

const EXPECTED = [
  { id: 1, matches: [[0]] },
  { id: 'seq', matches: [[1, 0]] },
  { id: 3, matches: [[0]] },
  { id: 4, matches: [[1]] },
  { id: 5, matches: [[0]] },
  { id: 6, matches: [[1], [0]] },
  { id: 7, matches: [[1], [0]] },
  { id: 8, error: expect.stringMatching(/^syntax error at line 1, column \d+: /) as unknown as string },
  { id: 9, error: '"language" must be "eql", "kuery", "lucene" or "esql"' },
  { id: 10, error: '"events" must be an array' },
  { id: 11, error: 'unknown option "bogus"' },
  { id: 12, error: 'option "size" must be a non-negative integer' },
  { id: 13, error: 'event 0 has a string of 100001 characters (limit 100000)' },
  { id: 14, matches: [[0, 2]] },
  { id: 15, error: 'not evaluable in the browser: COMPLETION calls an LLM inference endpoint' },
];

describe('ruledex eval (machine mode)', () => {
  it('answers each request line in order', async () => {
    const stdin = `${REQUESTS.map((r) => JSON.stringify(r)).join('\n')}\n\n`;
    const { code, out, err } = await runWith([], stdin);
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines).toEqual(EXPECTED);
  });

  it('reports invalid JSON lines with their line number and goes on', async () => {
    const { out } = await runWith([], `not json\n${JSON.stringify(REQUESTS[0])}\n[1]\n`);
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { id: null, error: expect.stringMatching(/^line 1: invalid JSON: /) as unknown as string },
      { id: 1, matches: [[0]] },
      { id: null, error: 'line 3: a request must be a JSON object' },
    ]);
  });

  it('answer() is the same function for one line', () => {
    expect(answer(JSON.stringify(REQUESTS[1]), 1)).toEqual(EXPECTED[1]);
  });

  it('refuses --events without --rule', async () => {
    const { code, err } = await runWith(['--events', 'x.json'], '');
    expect(code).toBe(2);
    expect(err).toBe('ruledex eval: --events, --history and --indicators need --rule\n');
  });
});

describe('ruledex eval (human mode)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ruledex-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ruleFile = join(dir, 'rule.toml');
  writeFileSync(
    ruleFile,
    `[metadata]
creation_date = "2024/01/01"
maturity = "production"
updated_date = "2024/01/01"

[rule]
author = ["test"]
description = "d"
name = "Encoded PowerShell"
risk_score = 21
rule_id = "11111111-2222-3333-4444-555555555555"
severity = "low"
type = "eql"
language = "eql"
query = '''process where process.name == "powershell.exe" and process.args : "-enc*"'''
`,
  );
  const eventsFile = join(dir, 'events.ndjson');
  writeFileSync(eventsFile, '{"event":{"category":"process"},"process":{"name":"powershell.exe","args":["-enc","x"]}}\n{"event":{"category":"process"},"process":{"name":"cmd.exe"}}\n');

  it('prints the verdict and the trace', async () => {
    const { code, out } = await runWith(['--rule', ruleFile, '--events', eventsFile], '');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'rule: Encoded PowerShell (11111111-2222-3333-4444-555555555555), eql, eql',
      'verdict: fires (1 alert) on 2 events',
      '  alert 1: event 0',
    ]);
    expect(out).toContain('  event 1:\n    ✗ and      process where process.name == "powershell.exe" and process.args : "-e…\n');
    expect(out).toContain('✗ compare  process.name == "powershell.exe"  [process.name = ["cmd.exe"]]  — no value == "powershell.exe"');
    expect(out).toContain('∅ match    process.args : "-enc*"  [process.args = []]  — the field has no value');
  });

  it('prints JSON with --json', async () => {
    const { out } = await runWith(['--rule', ruleFile, '--events', eventsFile, '--json'], '');
    const j = JSON.parse(out) as { evaluation: { fired: boolean; alerts: { events: number[] }[] }; traces: unknown[][] };
    expect(j.evaluation.fired).toBe(true);
    expect(j.evaluation.alerts).toEqual([{ events: [0] }]);
    expect(j.traces.length).toBe(2);
  });

  it('exits 1 when the rule is not found', async () => {
    const { code, err } = await runWith(['--rule', 'no-such-id', '--events', eventsFile, '--source', dir], '');
    expect(code).toBe(1);
    expect(err).toBe(`ruledex eval: no rule with id "no-such-id" under ${dir}\n`);
  });
});

const registered = readFileSync(join(projectRoot, 'src/cli/main.ts'), 'utf8').includes("import('./commands/eval')");

describe.skipIf(!registered)('node bin/ruledex.mjs eval', () => {
  it('speaks the same NDJSON contract', () => {
    const r = spawnSync(process.execPath, [join(projectRoot, 'bin/ruledex.mjs'), 'eval'], { input: REQUESTS.slice(0, 3).map((x) => JSON.stringify(x)).join('\n'), encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(EXPECTED.slice(0, 3));
  });
});
