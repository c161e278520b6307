/**
 * `ruledex catalog [--config FILE] [--source DIR ...] [--json FILE] [--label NAME] [--cache-dir DIR]`:
 * reads the rule sources of the config (`ruledex.config.*` here, or `--config FILE`; without one,
 * `content/`), builds the catalog through the incremental cache and writes it as the catalog JSON.
 * Progress goes to stderr, the summary to stdout (to stderr when the JSON itself goes to stdout
 * with `--json -`).
 *
 * Exit status: 0 when the catalog was built (whatever diagnostics the rules have), 2 for unusable
 * arguments or config, 1 when a source directory cannot be read or the JSON cannot be written.
 */
import { corpusSummaryLines } from '../../catalog/corpus';
import { catalogChunks } from '../../catalog/json';
import { findConfig, loadConfig, resolveWithFlags, type ResolvedOptions } from '../../config';
import { DEFAULT_LABEL } from '../../ingest/ingest';
import { formatDiagnostic } from '../../model/diagnostic';
import { SourcesBuilder, type SourcesBuild } from '../../sources/build';
import { defaultCacheDir } from '../../sources/cache-store';
import { writeOutput } from '../../write-output';
import { Progress } from '../progress';
import { formatSummary } from '../summary';
import { commandOptions } from '../args';

export const DEFAULT_SOURCE = 'content';

const HELP = `usage: ruledex catalog [--config FILE] [--source DIR ...] [--json FILE] [--label NAME] [--cache-dir DIR]

Reads the rule sources of the config (ruledex.config.json, .mjs or .ts in this folder, or
--config FILE; without a config: ${DEFAULT_SOURCE}/), builds the rule catalog and prints a summary:
rules by type and language, diagnostics, time, output. Only files changed since the last build
are decoded, and only their rules parsed and analysed (the cache is in --cache-dir).

  --config FILE    the config file (sources, labels, kinds, cacheDir)
  --source DIR     a rule source directory instead of the config's; repeatable; read as a
                   detection-rules checkout when it has detection_rules/etc, else every .toml and .md
  --json FILE      write the catalog JSON to FILE ('-' for stdout)
  --label NAME     source label of --source rules ("source" in the JSON); default: ${DEFAULT_LABEL}
  --cache-dir DIR  build cache folder; default: the config's cacheDir, else node_modules/.cache/ruledex
  --no-cache       build everything, read and write no cache
  --workers N      decode in N worker threads (0: in this thread); default: by input size and cores
  --warnings N     list up to N warnings in the summary (default 10; all are in the JSON)
  --quiet          no progress lines
  -h, --help       this help`;

export interface IngestArgs {
  /** The sources and settings, config and flags combined. */
  options: ResolvedOptions;
  /** The config file used, or null. */
  configFile: string | null;
  /** The build cache folder, or null for none. */
  cacheDir: string | null;
  workers: number | undefined;
  warnings: number;
  quiet: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

const LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface SourceFlags {
  config?: string;
  source?: string[];
  label?: string;
  workers?: string;
  warnings?: string;
  quiet?: boolean;
  'cache-dir'?: string;
  'no-cache'?: boolean;
  attack?: string;
  base?: string;
  site?: string;
}

/**
 * Checks the options `catalog`, `build` and `dev` share and resolves the sources: the config
 * (`--config FILE` or `ruledex.config.*` in the working directory), then the flags over it.
 * Config problems are printed (file:line:column, the key's path, what was expected) and give 2.
 */
export async function ingestArgs(values: SourceFlags): Promise<Parsed<IngestArgs>> {
  if (values.source?.some((s) => s.trim() === '')) return { ok: false, status: 2, message: '--source needs a directory' };
  if (values.label !== undefined && !LABEL.test(values.label)) return { ok: false, status: 2, message: `--label must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(values.label)}` };
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
  if (values['cache-dir'] !== undefined && values['cache-dir'].trim() === '') return { ok: false, status: 2, message: '--cache-dir needs a directory' };
  if (values.config !== undefined && values.config.trim() === '') return { ok: false, status: 2, message: '--config needs a file' };
  const configFile = values.config ?? findConfig('.');
  let config = null;
  if (configFile !== null) {
    const loaded = await loadConfig(configFile);
    const problems = loaded.diagnostics.map((d) => formatDiagnostic(d));
    if (!loaded.config) return { ok: false, status: 2, message: `unusable config ${configFile}:\n${problems.map((p) => `  ${p}`).join('\n')}` };
    for (const p of problems) process.stderr.write(`${p}\n`);
    config = loaded.config;
  }
  const options = resolveWithFlags(config, configFile, {
    ...(values.source ? { source: values.source } : {}),
    ...(values.label !== undefined ? { label: values.label } : {}),
    ...(values.attack !== undefined ? { attack: values.attack } : {}),
    ...(values.base !== undefined ? { base: values.base } : {}),
    ...(values.site !== undefined ? { site: values.site } : {}),
    ...(values['cache-dir'] !== undefined ? { cacheDir: values['cache-dir'] } : {}),
  });
  const cacheDir = values['no-cache'] ? null : (options.buildCacheDir ?? defaultCacheDir());
  return { ok: true, value: { options, configFile, cacheDir, workers, warnings, quiet: values.quiet === true } };
}

export const INGEST_OPTIONS = {
  config: { type: 'string' },
  source: { type: 'string', multiple: true },
  label: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  workers: { type: 'string' },
  warnings: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A builder for the sources of `a` (keep it to rebuild incrementally in memory). */
export function sourcesBuilder(a: IngestArgs): SourcesBuilder {
  return new SourcesBuilder(a.options.sources, { cacheDir: a.cacheDir, ...(a.workers === undefined ? {} : { workers: a.workers }) });
}

/** Builds the catalog with progress on stderr; null (after saying why) when a source is unusable. */
export async function buildWithProgress(a: IngestArgs, builder: SourcesBuilder = sourcesBuilder(a)): Promise<SourcesBuild | null> {
  const progress = new Progress(process.stderr, !a.quiet);
  const built = await builder.build((phase, done, total) => progress.update(phase, done, total));
  progress.finish();
  if (built.unreadable.length > 0) {
    for (const u of built.unreadable) process.stderr.write(`ruledex: cannot read source ${u.dir}: ${u.reason}\n`);
    return null;
  }
  return built;
}

const n = (x: number): string => x.toLocaleString('en-US');

/** The summary line about the cache. */
export function cacheLine(b: SourcesBuild, cacheDir: string | null): string {
  const s = b.stats;
  const files = s.decoded + s.decodedFromCache;
  const rules = s.analysed + s.analysedFromCache;
  const where = cacheDir === null ? 'no cache' : `${b.saved ? `${b.saved.written} of ${b.saved.shards} cache shards written` : 'cache'} in ${cacheDir}`;
  return `cache:        ${n(s.decoded)} of ${n(files)} files decoded, ${n(s.analysed)} of ${n(rules)} rules analysed (${n(b.skipped)} files unopened; ${where})`;
}

export async function run(args: string[]): Promise<number> {
  const opts = commandOptions('catalog', args, { ...INGEST_OPTIONS, json: { type: 'string' } }, HELP);
  if ('exit' in opts) return opts.exit;
  const values = opts.values;
  if (values.json !== undefined && values.json.trim() === '') {
    process.stderr.write('ruledex catalog: --json needs a file name\n');
    return 2;
  }
  const parsed = await ingestArgs(values);
  if (!parsed.ok) {
    process.stderr.write(`ruledex catalog: ${parsed.message}\n`);
    return parsed.status;
  }
  const start = performance.now();
  const built = await buildWithProgress(parsed.value);
  if (!built) return 1;
  const catalog = built.catalog;
  const outputs: { label: string; path: string; bytes: number | null }[] = [];
  let writeMs = 0;
  const toStdout = values.json === '-';
  if (values.json !== undefined) {
    const t = performance.now();
    const chunks = catalogChunks({ ...catalog, corpusStats: catalog.stats });
    if (toStdout) {
      const text = [...chunks].join('');
      process.stdout.write(text);
      outputs.push({ label: 'JSON', path: 'stdout', bytes: Buffer.byteLength(text) });
    } else {
      const w = writeOutput(values.json, chunks);
      if ('error' in w) {
        process.stderr.write(`ruledex catalog: cannot write ${values.json}: ${w.error}\n`);
        return 1;
      }
      outputs.push({ label: 'JSON', path: values.json, bytes: w.bytes });
    }
    writeMs = performance.now() - t;
  }
  const tm = built.timings;
  const summary = formatSummary({
    result: { ...built.ingested, diagnostics: catalog.diagnostics },
    roots: built.loaded.read.roots,
    elapsed: performance.now() - start,
    timings: { read: tm.read, cache: tm.loadCache + tm.saveCache, decode: tm.decode, ingest: built.stats.ingestMs, analyse: catalog.timings.analyse, counts: catalog.timings.counts, ...(values.json !== undefined ? { write: writeMs } : {}) },
    outputs,
    warningLimit: parsed.value.warnings,
    analysis: [...corpusSummaryLines(catalog), cacheLine(built, built.saved ? parsed.value.cacheDir : null)],
  });
  (toStdout ? process.stderr : process.stdout).write(`${summary}\n`);
  return 0;
}
