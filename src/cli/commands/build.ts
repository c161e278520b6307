/**
 * `ruledex build [--config FILE] [--source DIR ...] [--out DIR] [--label NAME] [--attack FILE]
 * [--base PATH] [--site URL] [--cache-dir DIR]`: the main job. Builds the catalog of the config's
 * sources (`ruledex.config.*`, or `content/` without one; flags override the config) once,
 * through the incremental cache, then runs the steps in order over it: the static site
 * (examples, Astro pages, search index, JSON API; Astro runs in this process and reads the
 * prepared catalog instead of recomputing it), then `<out>/catalog.json` (default `dist/`; after
 * the site, because Astro empties the directory).
 *
 * Exit status as for `ruledex catalog`: 2 for unusable arguments or config, 1 for unreadable
 * sources or unwritable output, 0 otherwise (rule diagnostics are reported, not fatal).
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { catalogChunks } from '../../catalog/json';
import type { ResolvedSource } from '../../config';
import { formatDiagnostic } from '../../model/diagnostic';
import type { SourcesBuild } from '../../sources/build';
import { sourceLinks } from '../../sources/links';
import { normaliseBase, normaliseSite } from '../../views/urls';
import { Progress } from '../progress';
import { formatSummary } from '../summary';
import { buildWithProgress, cacheLine, INGEST_OPTIONS, ingestArgs } from './catalog';
import { writeOutput } from '../../write-output';
import { commandOptions } from '../args';

export const DEFAULT_OUT = 'dist';

const HELP = `usage: ruledex build [--config FILE] [--source DIR ...] [--out DIR] [--label NAME] [--attack FILE] [--base PATH] [--site URL] [--cache-dir DIR]

Builds the static catalog site of the rule sources into OUT (pages, search index, JSON API,
ATT&CK Navigator layers) and writes OUT/catalog.json. The sources, attack, base and site come
from the config (ruledex.config.json, .mjs or .ts here, or --config FILE); flags override it.
Only files changed since the last build are decoded, and only their rules parsed and analysed.

  --config FILE    the config file; default: ruledex.config.* in this folder, if any
  --source DIR     a rule source directory instead of the config's; repeatable; default: content
  --out DIR        output directory; default: ${DEFAULT_OUT}
  --label NAME     source label of --source rules; default: elastic
  --attack FILE    an ATT&CK STIX 2.1 bundle (enterprise-attack.json): full matrix, uncovered techniques
  --base PATH      serve the site under this path (/catalog/); default: /
  --site URL       the site's origin (https://example.org), for canonical URLs, sitemap and feed
  --title TEXT     the site's title; default: Ruledex
  --cache-dir DIR  build caches (catalog, examples, markdown); default: the config's cacheDir,
                   else node_modules/.cache/ruledex
  --no-cache       build the catalog without its cache
  --no-examples    skip synthesising example events for the evaluator
  --catalog-only   write only OUT/catalog.json (no site)
  --workers N      decode in N worker threads (0: in this thread)
  --warnings N     list up to N warnings in the summary (default 10)
  --quiet          no progress lines
  -h, --help       this help`;

export interface BuildOutput {
  label: string;
  path: string;
  bytes: number | null;
}

export interface SiteBuildOptions {
  base: string;
  site: string | null;
  attack: string | null;
  title: string | null;
  examples: boolean;
  site_: boolean;
  quiet: boolean;
}

/** What every step gets: the built catalog (and its ingest), the sources, the output directory, the options, and timings to add to. */
export interface BuildContext {
  built: SourcesBuild;
  sources: readonly ResolvedSource[];
  out: string;
  options: SiteBuildOptions;
  timings: Record<string, number>;
  /** The site's `api/catalog.json`, when the site step wrote it: the same text as `catalog.json`. */
  siteCatalog?: string;
}

/** One build step: gets the ingested catalog and the output directory, returns what it wrote. */
export interface BuildStep {
  name: string;
  run(ctx: BuildContext): BuildOutput[] | Promise<BuildOutput[]>;
}

export const STEPS: BuildStep[] = [
  {
    name: 'site',
    async run(ctx) {
      const { built, sources, out, options, timings } = ctx;
      if (!options.site_) return [];
      const { prepareSite } = await import('../../site/prepare');
      const { runAstro, unsafeOutDir } = await import('../../site/astro');
      const unsafe = unsafeOutDir(out);
      if (unsafe) throw new Error(`refusing to build the site into ${out}: it is ${unsafe}, and the build empties its output directory`);
      const { distStats } = await import('../../site/dist-stats');
      const progress = new Progress(process.stderr, !options.quiet);
      const prepared = await prepareSite(built.loaded, {
        base: options.base,
        site: options.site,
        attack: options.attack,
        ...(options.title ? { title: options.title } : {}),
        examples: options.examples,
        sourceLinks: sourceLinks(sources, built.loaded.read.roots),
        onProgress: (phase, done, total) => progress.update(phase, done, total),
      }, built.catalog);
      progress.finish();
      for (const d of prepared.diagnostics) if (d.severity === 'error') process.stderr.write(`${formatDiagnostic(d)}\n`);
      for (const [k, v] of Object.entries(prepared.context.timings)) if (k !== 'analyse') timings[k] = v;
      const t = performance.now();
      if (!options.quiet) process.stderr.write('astro: building pages…\n');
      await runAstro(prepared.context, { outDir: out });
      timings.astro = performance.now() - t;
      prepared.context.saveCaches();
      // Markdown and examples are made while Astro bundles: their timings are final only now.
      for (const [k, v] of Object.entries(prepared.context.timings)) if (k !== 'analyse') timings[k] = v;
      const api = join(out, 'api', 'catalog.json');
      if (existsSync(api)) ctx.siteCatalog = api;
      const s = distStats(out);
      const outputs: BuildOutput[] = [{ label: 'site', path: `${out} (${s.pages} pages, ${s.files} files)`, bytes: s.bytes }];
      const index = join(out, 'api', 'search-index.json');
      if (existsSync(index)) outputs.push({ label: 'search', path: index, bytes: prepared.context.search ? Buffer.byteLength(prepared.context.search.text) : null });
      return outputs;
    },
  },
  {
    name: 'catalog',
    run({ built, out, siteCatalog }) {
      const path = join(out, 'catalog.json');
      // The site wrote the same text as its JSON API's catalog: a copy, not a second serialisation.
      if (siteCatalog) {
        copyFileSync(siteCatalog, path);
        return [{ label: 'JSON', path, bytes: statSync(path).size }];
      }
      // The analysed catalog with its indexes, as `ruledex catalog --json` writes it.
      const w = writeOutput(path, catalogChunks({ ...built.catalog, corpusStats: built.catalog.stats }));
      if ('error' in w) throw new Error(`cannot write ${path}: ${w.error}`);
      return [{ label: 'JSON', path, bytes: w.bytes }];
    },
  },
  // The static site (Astro pages, search index) comes here.
];

/** The site's options, which `ruledex dev` takes too. */
export const SITE_OPTIONS = {
  attack: { type: 'string' },
  base: { type: 'string' },
  site: { type: 'string' },
  title: { type: 'string' },
  'no-examples': { type: 'boolean' },
} as const;

export async function run(args: string[]): Promise<number> {
  const opts = commandOptions('build', args, {
    ...INGEST_OPTIONS,
    ...SITE_OPTIONS,
    out: { type: 'string' },
    'catalog-only': { type: 'boolean' },
  }, HELP);
  if ('exit' in opts) return opts.exit;
  const values = opts.values;
  const out = values.out ?? DEFAULT_OUT;
  if (out.trim() === '') {
    process.stderr.write('ruledex build: --out needs a directory\n');
    return 2;
  }
  const parsed = await ingestArgs(values);
  if (!parsed.ok) {
    process.stderr.write(`ruledex build: ${parsed.message}\n`);
    return parsed.status;
  }
  const resolved = parsed.value.options;
  let options: SiteBuildOptions;
  try {
    options = {
      base: normaliseBase(resolved.base),
      site: normaliseSite(resolved.site),
      attack: resolved.attack,
      title: values.title ?? null,
      examples: values['no-examples'] !== true,
      site_: values['catalog-only'] !== true,
      quiet: values.quiet === true,
    };
  } catch (e) {
    process.stderr.write(`ruledex build: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (options.attack !== null && !existsSync(options.attack)) {
    process.stderr.write(`ruledex build: cannot read ${values.attack !== undefined ? '--attack ' : 'the attack bundle '}${options.attack}: no such file\n`);
    return 1;
  }
  // An explicit cache folder holds the site's caches (examples, markdown) too.
  if (resolved.buildCacheDir !== null && parsed.value.cacheDir !== null) process.env.RULEDEX_CACHE_DIR = parsed.value.cacheDir;
  const start = performance.now();
  const built = await buildWithProgress(parsed.value);
  if (!built) return 1;
  const tm = built.timings;
  const timings: Record<string, number> = { read: tm.read, cache: tm.loadCache + tm.saveCache, decode: tm.decode, ingest: built.stats.ingestMs, analyse: built.catalog.timings.analyse, counts: built.catalog.timings.counts };
  const outputs: BuildOutput[] = [];
  const ctx: BuildContext = { built, sources: resolved.sources, out, options, timings };
  for (const step of STEPS) {
    const t = performance.now();
    try {
      outputs.push(...(await step.run(ctx)));
    } catch (e) {
      process.stderr.write(`ruledex build: ${step.name}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
    timings[step.name] = performance.now() - t;
  }
  process.stdout.write(
    `${formatSummary({ result: { ...built.ingested, diagnostics: built.catalog.diagnostics }, roots: built.loaded.read.roots, elapsed: performance.now() - start, timings, outputs, warningLimit: parsed.value.warnings, analysis: [cacheLine(built, built.saved ? parsed.value.cacheDir : null)] })}\n`,
  );
  return 0;
}
