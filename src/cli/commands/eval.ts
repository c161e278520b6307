/**
 * `ruledex eval`: run queries against events.
 *
 * Machine mode (no `--rule`): NDJSON on stdin, one request per line,
 *   {"id", "language": "eql"|"kuery"|"lucene"|"esql", "query", "events": [...],
 *    "options"?: {"timestampField", "tiebreakerField", "eventCategoryField", "size", "now"}}
 * and one NDJSON line per request on stdout, in request order:
 *   {"id", "matches": [[i, ...], ...]}   indexes into `events`: one per event-query hit, the
 *                                         ordered events of a sequence or sample, the input
 *                                         rows behind an ES|QL result row; in result order
 *   {"id", "error": "..."}
 * This contract is stable: fields are only ever added to the options.
 *
 * Human mode: `ruledex eval --rule <rule id | file> --events FILE` prints whether the rule fires
 * and the trace of every event (which predicates held, which did not, which fields were missing).
 *
 * Exit status: 0 when every request was answered (errors included) / the rule was evaluated;
 * 2 for unusable arguments; 1 when a file cannot be read or the rule is not found.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import { evaluate, parseEventsText, type QueryOptions, type TraceNode } from '../../eval';
import { compileRule, evaluateCompiledRule, explainRuleEvent, type RuleInput } from '../../eval/rules';
import { ingest } from '../../ingest/ingest';
import { loadSources } from '../../ingest/load';
import { toSourceFile } from '../../ingest/read-sources';
import { isQueryLanguage, type Rule } from '../../model/rule';

const HELP = `usage: ruledex eval                       (NDJSON requests on stdin, responses on stdout)
       ruledex eval --rule ID|FILE --events FILE [options]

Machine mode reads one JSON request per line:
  {"id": …, "language": "eql"|"kuery"|"lucene"|"esql", "query": "…", "events": [ … ],
   "options": {"timestampField", "tiebreakerField", "eventCategoryField", "size", "now"}}
and writes one line per request: {"id": …, "matches": [[0], [2, 3]]} or {"id": …, "error": "…"}.

Human mode evaluates a rule (by rule id, or a .toml / .md file) and prints the verdict and trace:
  --rule ID|FILE      the rule: a file, or a rule id found under --source
  --events FILE       events: a JSON array, one JSON object, or NDJSON
  --history FILE      new_terms: events of the history window
  --indicators FILE   threat_match: indicator documents
  --source DIR        where to look a rule id up (repeatable; default: content)
  --now DATE          reference time for date math (ISO date; default: now)
  --json              print the evaluation and traces as JSON
  -h, --help          this help`;

export interface EvalIo {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
}

function write(out: Writable, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (out.write(text)) resolve();
    else out.once('drain', () => resolve());
  });
}

type Response = { id: unknown; matches: number[][] } | { id: unknown; error: string };

const OPTION_KEYS = new Set(['timestampField', 'tiebreakerField', 'eventCategoryField', 'size', 'now']);

/** Answers one request line (never throws). */
export function answer(line: string, lineNo: number): Response {
  let req: unknown;
  try {
    req = JSON.parse(line);
  } catch (e) {
    return { id: null, error: `line ${lineNo}: invalid JSON: ${(e as Error).message}` };
  }
  if (req === null || typeof req !== 'object' || Array.isArray(req)) return { id: null, error: `line ${lineNo}: a request must be a JSON object` };
  const r = req as Record<string, unknown>;
  const id = r.id ?? null;
  if (typeof r.language !== 'string' || !isQueryLanguage(r.language)) return { id, error: '"language" must be "eql", "kuery", "lucene" or "esql"' };
  if (typeof r.query !== 'string') return { id, error: '"query" must be a string' };
  if (!Array.isArray(r.events)) return { id, error: '"events" must be an array' };
  const options: QueryOptions = {};
  if (r.options !== undefined && r.options !== null) {
    if (typeof r.options !== 'object' || Array.isArray(r.options)) return { id, error: '"options" must be an object' };
    const o = r.options as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) return { id, error: `unknown option "${k}"` };
    for (const k of ['timestampField', 'tiebreakerField', 'eventCategoryField'] as const) {
      const v = o[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string' || v === '') return { id, error: `option "${k}" must be a field name` };
      options[k] = v;
    }
    if (o.size !== undefined && o.size !== null) {
      if (typeof o.size !== 'number' || !Number.isInteger(o.size) || o.size < 0) return { id, error: 'option "size" must be a non-negative integer' };
      options.size = o.size;
    }
    if (o.now !== undefined && o.now !== null) {
      if (typeof o.now !== 'string' && typeof o.now !== 'number') return { id, error: 'option "now" must be an ISO date or epoch milliseconds' };
      options.now = o.now;
    }
  }
  try {
    const res = evaluate({ language: r.language, query: r.query, events: r.events, options });
    if (!res.ok) return { id, error: res.error };
    return { id, matches: res.run.matches.map((m) => m.events) };
  } catch (e) {
    return { id, error: `internal error: ${(e as Error).message}` };
  }
}

async function machineMode(io: Required<EvalIo>): Promise<number> {
  const rl = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    await write(io.stdout, `${JSON.stringify(answer(line, lineNo))}\n`);
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Human mode

function readEvents(path: string, what: string): unknown[] | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return `cannot read ${what} ${path}: ${(e as Error).message}`;
  }
  const r = parseEventsText(text);
  return r.ok ? r.events : `${what} ${path}: ${r.error}`;
}

async function findRule(spec: string, sources: string[]): Promise<Rule | string> {
  if (existsSync(spec) && statSync(spec).isFile()) {
    const sf = toSourceFile(spec, readFileSync(spec));
    if (!('text' in sf)) return `cannot read ${spec}: ${sf.message}`;
    const r = ingest({ files: [sf] });
    const rule = r.rules[0];
    return rule ?? `${spec} holds no rule`;
  }
  const loaded = await loadSources(sources, { workers: 0 });
  const rule = loaded.result.rules.find((x) => x.id === spec || x.slug === spec);
  return rule ?? `no rule with id ${JSON.stringify(spec)} under ${sources.join(', ')}`;
}

const MARK: Record<string, string> = { true: '✓', false: '✗', missing: '∅' };

function snippet(text: string, n: TraceNode): string {
  const s = text.slice(n.loc.start, n.loc.end).replace(/\s+/g, ' ').trim();
  return s.length > 70 ? `${s.slice(0, 69)}…` : s;
}

export function renderTrace(text: string, node: TraceNode, indent = '', out: string[] = []): string[] {
  const values = node.field !== undefined && node.values !== undefined ? `  [${node.field} = ${JSON.stringify(node.values).slice(0, 80)}]` : '';
  const note = node.note ? `  — ${node.note}` : '';
  out.push(`${indent}${MARK[node.outcome]} ${node.kind.padEnd(8)} ${snippet(text, node)}${values}${note}`);
  for (const c of node.children ?? []) renderTrace(text, c, `${indent}  `, out);
  return out;
}

async function humanMode(values: Record<string, unknown>, io: Required<EvalIo>): Promise<number> {
  const spec = values.rule as string;
  if (typeof values.events !== 'string') {
    await write(io.stderr, 'ruledex eval: --rule needs --events FILE\n');
    return 2;
  }
  const sources = (values.source as string[] | undefined) ?? ['content'];
  const rule = await findRule(spec, sources);
  if (typeof rule === 'string') {
    await write(io.stderr, `ruledex eval: ${rule}\n`);
    return 1;
  }
  const events = readEvents(values.events, 'events');
  if (typeof events === 'string') {
    await write(io.stderr, `ruledex eval: ${events}\n`);
    return 1;
  }
  const input: RuleInput = { events };
  for (const [key, what] of [['history', 'history'], ['indicators', 'indicators']] as const) {
    if (typeof values[key] !== 'string') continue;
    const docs = readEvents(values[key] as string, what);
    if (typeof docs === 'string') {
      await write(io.stderr, `ruledex eval: ${docs}\n`);
      return 1;
    }
    input[key] = docs;
  }
  const now = typeof values.now === 'string' ? values.now : undefined;
  const compiled = compileRule(rule, now === undefined ? {} : { now });
  const result = evaluateCompiledRule(compiled, input);
  const traces = events.slice(0, 50).map((e) => explainRuleEvent(compiled, e));
  if (values.json === true) {
    await write(io.stdout, `${JSON.stringify({ evaluation: result, traces }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  lines.push(`rule: ${rule.name} (${rule.id}), ${rule.type}${rule.language ? `, ${rule.language}` : ''}`);
  if (!result.evaluable) lines.push(`verdict: not evaluable — ${result.error ?? result.notes.join('; ')}`);
  else lines.push(`verdict: ${result.fired ? `fires (${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'})` : 'does not fire'} on ${events.length} event${events.length === 1 ? '' : 's'}`);
  result.alerts.slice(0, 20).forEach((a, i) => {
    const extra = a.group ? ` ${JSON.stringify(a.group)}` : a.indicators ? ` indicators ${a.indicators.join(', ')}` : '';
    lines.push(`  alert ${i + 1}: event${a.events.length === 1 ? '' : 's'} ${a.events.join(', ')}${extra}`);
  });
  const run = result.query;
  if (run?.stages) {
    lines.push('stages:');
    for (const s of run.stages) lines.push(`  ${s.stage < 0 ? 'until' : `stage ${s.stage + 1}${s.missing ? ' (missing)' : ''}`}: matched by event${s.hits.length === 1 ? '' : 's'} ${s.hits.join(', ') || 'none'}`);
  }
  for (const n of [...(run?.notes ?? []), ...result.notes.filter((n) => !(run?.notes ?? []).includes(n))]) lines.push(`note: ${n}`);
  const text = rule.query ?? '';
  if (traces.length > 0 && text !== '') {
    lines.push('trace:');
    const stages = run?.stages ?? [];
    traces.forEach((ts, i) => {
      lines.push(`  event ${i}:`);
      ts.forEach((t, j) => {
        const s = stages[j];
        if (s && ts.length > 1) lines.push(`    ${s.stage < 0 ? 'until' : `stage ${s.stage + 1}${s.missing ? ' (missing)' : ''}`}:`);
        renderTrace(text, t, ts.length > 1 && s ? '      ' : '    ', lines);
      });
    });
    if (events.length > traces.length) lines.push(`  (${events.length - traces.length} more events not traced)`);
  }
  await write(io.stdout, `${lines.join('\n')}\n`);
  return 0;
}

export async function run(args: string[], ioIn: EvalIo = {}): Promise<number> {
  const io: Required<EvalIo> = { stdin: ioIn.stdin ?? process.stdin, stdout: ioIn.stdout ?? process.stdout, stderr: ioIn.stderr ?? process.stderr };
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        rule: { type: 'string' },
        events: { type: 'string' },
        history: { type: 'string' },
        indicators: { type: 'string' },
        source: { type: 'string', multiple: true },
        now: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    });
  } catch (e) {
    await write(io.stderr, `ruledex eval: ${(e as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const v = parsed.values as Record<string, unknown>;
  if (v.help === true) {
    await write(io.stdout, `${HELP}\n`);
    return 0;
  }
  if (typeof v.rule === 'string') return humanMode(v, io);
  if (v.events !== undefined || v.history !== undefined || v.indicators !== undefined) {
    await write(io.stderr, 'ruledex eval: --events, --history and --indicators need --rule\n');
    return 2;
  }
  return machineMode(io);
}
