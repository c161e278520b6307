/**
 * `ruledex build [--source DIR ...] [--out DIR] [--label NAME]`: the main job. Builds the catalog
 * of the sources (default `content/`) and writes `<out>/catalog.json` (default `dist/`). The build
 * is a list of steps run in order over one ingest; the static site will be the next step here.
 *
 * Exit status as for `ruledex catalog`: 2 for unusable arguments, 1 for unreadable sources or
 * unwritable output, 0 otherwise (rule diagnostics are reported, not fatal).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { serializeCatalog } from '../../catalog/json';
import type { LoadResult } from '../../ingest/load';
import { formatSummary } from '../summary';
import { INGEST_OPTIONS, ingestArgs, ingestWithProgress, writeOutput } from './catalog';

export const DEFAULT_OUT = 'dist';

const HELP = `usage: ruledex build [--source DIR ...] [--out DIR] [--label NAME]

Builds the catalog of the rule sources and writes it to OUT/catalog.json.

  --source DIR    a rule source directory; repeatable; default: content
  --out DIR       output directory; default: ${DEFAULT_OUT}
  --label NAME    source label of the rules; default: elastic
  --workers N     decode in N worker threads (0: in this thread)
  --warnings N    list up to N warnings in the summary (default 10)
  --quiet         no progress lines
  -h, --help      this help`;

export interface BuildOutput {
  label: string;
  path: string;
  bytes: number | null;
}

/** One build step: gets the ingested catalog and the output directory, returns what it wrote. */
export interface BuildStep {
  name: string;
  run(loaded: LoadResult, out: string): BuildOutput[] | Promise<BuildOutput[]>;
}

export const STEPS: BuildStep[] = [
  {
    name: 'catalog',
    run(loaded, out) {
      const path = join(out, 'catalog.json');
      const text = serializeCatalog(loaded.result);
      const err = writeOutput(path, text);
      if (err) throw new Error(`cannot write ${path}: ${err}`);
      return [{ label: 'JSON', path, bytes: Buffer.byteLength(text) }];
    },
  },
  // The static site (Astro pages, search index) comes here.
];

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { ...INGEST_OPTIONS, out: { type: 'string' } }, allowPositionals: false, strict: true }));
  } catch (e) {
    process.stderr.write(`ruledex build: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const parsed = ingestArgs(values);
  if (!parsed.ok) {
    process.stderr.write(`ruledex build: ${parsed.message}\n`);
    return parsed.status;
  }
  const out = values.out ?? DEFAULT_OUT;
  if (out.trim() === '') {
    process.stderr.write('ruledex build: --out needs a directory\n');
    return 2;
  }
  const start = performance.now();
  const loaded = await ingestWithProgress(parsed.value);
  if (!loaded) return 1;
  const timings: Record<string, number> = { ...loaded.timings };
  const outputs: BuildOutput[] = [];
  for (const step of STEPS) {
    const t = performance.now();
    try {
      outputs.push(...(await step.run(loaded, out)));
    } catch (e) {
      process.stderr.write(`ruledex build: ${step.name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    timings[step.name] = performance.now() - t;
  }
  process.stdout.write(`${formatSummary({ result: loaded.result, roots: loaded.read.roots, elapsed: performance.now() - start, timings, outputs, warningLimit: parsed.value.warnings })}\n`);
  return 0;
}
