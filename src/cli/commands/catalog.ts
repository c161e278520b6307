/**
 * `ruledex catalog [--source DIR ...] [--json FILE] [--label NAME]`: reads rule sources (TOML and
 * markdown, recursively; a detection-rules checkout the way that repository lays it out), builds
 * the rule model and writes it as the catalog JSON. Progress goes to stderr, the summary to stdout
 * (to stderr when the JSON itself goes to stdout with `--json -`).
 *
 * Exit status: 0 when the catalog was built (whatever diagnostics the rules have), 2 for unusable
 * arguments, 1 when a source directory cannot be read or the JSON cannot be written.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildCatalog, type Catalog } from '../../catalog/build';
import { corpusSummaryLines } from '../../catalog/corpus';
import { serializeCatalog } from '../../catalog/json';
import { DEFAULT_LABEL } from '../../ingest/ingest';
import { loadSources, type LoadResult } from '../../ingest/load';
import { Progress } from '../progress';
import { formatSummary } from '../summary';

export const DEFAULT_SOURCE = 'content';

const HELP = `usage: ruledex catalog [--source DIR ...] [--json FILE] [--label NAME]

Reads every .toml and .md rule source under each DIR (recursively; a detection-rules checkout
reads rules/, rules_building_block/ and detection_rules/etc/), builds the rule catalog and
prints a summary: rules by type and language, diagnostics, time, output.

  --source DIR    a rule source directory; repeatable; default: ${DEFAULT_SOURCE}
  --json FILE     write the catalog JSON to FILE ('-' for stdout)
  --label NAME    source label of the rules ("source" in the JSON); default: ${DEFAULT_LABEL}
  --workers N     decode in N worker threads (0: in this thread); default: by input size and cores
  --warnings N    list up to N warnings in the summary (default 10; all are in the JSON)
  --quiet         no progress lines
  -h, --help      this help`;

export interface IngestArgs {
  sources: string[];
  label: string;
  workers: number | undefined;
  warnings: number;
  quiet: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks the options `catalog` and `build` share. */
export function ingestArgs(values: { source?: string[]; label?: string; workers?: string; warnings?: string; quiet?: boolean }): Parsed<IngestArgs> {
  const sources = values.source ?? [DEFAULT_SOURCE];
  if (sources.some((s) => s.trim() === '')) return { ok: false, status: 2, message: '--source needs a directory' };
  const label = values.label ?? DEFAULT_LABEL;
  if (!LABEL.test(label)) return { ok: false, status: 2, message: `--label must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(label)}` };
  let workers: number | undefined;
  if (values.workers !== undefined) {
    if (!/^\d{1,2}$/.test(values.workers)) return { ok: false, status: 2, message: `--workers must be a number from 0 to 99, got ${JSON.stringify(values.workers)}` };
    workers = Number(values.workers);
  }
  let warnings = 10;
  if (values.warnings !== undefined) {
    if (!/^\d{1,6}$/.test(values.warnings)) return { ok: false, status: 2, message: `--warnings must be a number, got ${JSON.stringify(values.warnings)}` };
    warnings = Number(values.warnings);
  }
  return { ok: true, value: { sources, label, workers, warnings, quiet: values.quiet === true } };
}

export const INGEST_OPTIONS = {
  source: { type: 'string', multiple: true },
  label: { type: 'string' },
  workers: { type: 'string' },
  warnings: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Reads and ingests the sources with progress on stderr; null (after saying why) when a source is unusable. */
export async function ingestWithProgress(a: IngestArgs): Promise<LoadResult | null> {
  const progress = new Progress(process.stderr, !a.quiet);
  const loaded = await loadSources(a.sources, {
    label: a.label,
    ...(a.workers === undefined ? {} : { workers: a.workers }),
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  });
  progress.finish();
  if (loaded.read.unreadable.length > 0) {
    for (const u of loaded.read.unreadable) process.stderr.write(`ruledex: cannot read source ${u.dir}: ${u.reason}\n`);
    return null;
  }
  return loaded;
}

/** Runs the catalog stages (parse, analyse, counts) over an ingest, with progress on stderr. */
export function catalogWithProgress(loaded: LoadResult, quiet: boolean): Catalog {
  const progress = new Progress(process.stderr, !quiet);
  const catalog = buildCatalog(loaded.result, { onProgress: (phase, done, total) => progress.update(phase, done, total) });
  progress.finish();
  return catalog;
}

/** Writes a file, creating its directory; returns an error message or null. */
export function writeOutput(path: string, text: string): string | null {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function run(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { ...INGEST_OPTIONS, json: { type: 'string' } }, allowPositionals: false, strict: true }));
  } catch (e) {
    process.stderr.write(`ruledex catalog: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const parsed = ingestArgs(values);
  if (!parsed.ok) {
    process.stderr.write(`ruledex catalog: ${parsed.message}\n`);
    return parsed.status;
  }
  if (values.json !== undefined && values.json.trim() === '') {
    process.stderr.write('ruledex catalog: --json needs a file name\n');
    return 2;
  }
  const start = performance.now();
  const loaded = await ingestWithProgress(parsed.value);
  if (!loaded) return 1;
  const catalog = catalogWithProgress(loaded, parsed.value.quiet);
  const outputs: { label: string; path: string; bytes: number | null }[] = [];
  let writeMs = 0;
  const toStdout = values.json === '-';
  if (values.json !== undefined) {
    const t = performance.now();
    const text = serializeCatalog({ ...catalog, corpusStats: catalog.stats });
    if (toStdout) {
      process.stdout.write(text);
      outputs.push({ label: 'JSON', path: 'stdout', bytes: Buffer.byteLength(text) });
    } else {
      const err = writeOutput(values.json, text);
      if (err) {
        process.stderr.write(`ruledex catalog: cannot write ${values.json}: ${err}\n`);
        return 1;
      }
      outputs.push({ label: 'JSON', path: values.json, bytes: Buffer.byteLength(text) });
    }
    writeMs = performance.now() - t;
  }
  const summary = formatSummary({
    result: { ...loaded.result, diagnostics: catalog.diagnostics },
    roots: loaded.read.roots,
    elapsed: performance.now() - start,
    timings: { ...loaded.timings, ...catalog.timings, ...(values.json !== undefined ? { write: writeMs } : {}) },
    outputs,
    warningLimit: parsed.value.warnings,
    analysis: corpusSummaryLines(catalog),
  });
  (toStdout ? process.stderr : process.stdout).write(`${summary}\n`);
  return 0;
}
