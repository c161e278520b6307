/**
 * `ruledex dev [--config FILE] [--source DIR ...] [--port N] [--host H] …`: builds the catalog of
 * the configured sources, serves the site with Astro's dev server, and watches the sources: on
 * a change (debounced) it rebuilds the catalog incrementally (only changed files decoded, only
 * their rules parsed and analysed), prints what changed (rules added, changed, removed, and the
 * diagnostics of the changed files with file:line:column), hands the new site context to the
 * server and reloads open pages. A broken edit is reported and the server keeps serving.
 *
 * Exit status: 2 for unusable arguments or config, 1 when the sources cannot be read at start
 * or the server cannot start; 0 after Ctrl-C.
 */
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostic';
import type { SourcesBuild, SourcesBuilder } from '../../sources/build';
import { sourceLinks } from '../../sources/links';
import { watchTree, type TreeWatcher } from '../../sources/watch';
import type { SiteContext } from '../../site/context';
import { normaliseBase, normaliseSite } from '../../views/urls';
import { buildWithProgress, INGEST_OPTIONS, ingestArgs, sourcesBuilder, type IngestArgs } from './catalog';
import { SITE_OPTIONS } from './build';
import { commandOptions } from '../args';

const HELP = `usage: ruledex dev [--config FILE] [--source DIR ...] [--port N] [--host HOST] [--cache-dir DIR]

Serves the catalog site of the configured sources (see ruledex build) with live reload: the
sources are watched, and each change rebuilds the catalog incrementally, prints what changed
and reloads the open pages.

  --config FILE    the config file; default: ruledex.config.* in this folder, if any
  --source DIR     a rule source directory instead of the config's; repeatable; default: content
  --label NAME     source label of --source rules; default: elastic
  --attack FILE    an ATT&CK STIX 2.1 bundle
  --base PATH      serve the site under this path; default: the config's, else /
  --site URL       the site's origin
  --title TEXT     the site's title
  --port N         port to listen on (0: any free port); default: 4321
  --host HOST      address to listen on; default: 127.0.0.1
  --cache-dir DIR  build cache folder; default: the config's cacheDir, else node_modules/.cache/ruledex
  --no-cache       keep the catalog cache in memory only
  --no-examples    skip synthesising example events for the evaluator
  --debounce MS    wait this long after a change before rebuilding; default: 150
  --quiet          no progress lines
  -h, --help       this help`;

const n = (x: number): string => x.toLocaleString('en-US');

interface SiteSettings {
  base: string;
  site: string | null;
  attack: string | null;
  title: string | null;
  examples: boolean;
}

async function prepare(built: SourcesBuild, a: IngestArgs, s: SiteSettings): Promise<SiteContext> {
  const { prepareSite } = await import('../../site/prepare');
  const prepared = await prepareSite(
    built.loaded,
    {
      base: s.base,
      site: s.site,
      attack: s.attack,
      ...(s.title ? { title: s.title } : {}),
      examples: s.examples,
      sourceLinks: sourceLinks(a.options.sources, built.loaded.read.roots),
    },
    built.catalog,
  );
  for (const d of prepared.diagnostics) if (d.severity === 'error') process.stderr.write(`${formatDiagnostic(d)}\n`);
  return prepared.context;
}

/** What changed between two builds, as lines to print. */
export function describeChange(before: SourcesBuild, after: SourcesBuild): string[] {
  const oldDigest = new Map(before.loaded.read.files.map((f) => [f.path, f.digest]));
  const newDigest = new Map(after.loaded.read.files.map((f) => [f.path, f.digest]));
  const changedFiles = new Set<string>();
  for (const [p, d] of newDigest) if (oldDigest.get(p) !== d) changedFiles.add(p);
  for (const p of oldDigest.keys()) if (!newDigest.has(p)) changedFiles.add(p);
  for (const e of after.loaded.read.etc) if (!before.loaded.read.etc.some((x) => x.path === e.path && x.digest === e.digest)) changedFiles.add(e.path);

  const oldRules = new Map(before.catalog.rules.map((r) => [r.id, r]));
  const newRules = new Map(after.catalog.rules.map((r) => [r.id, r]));
  const label = (r: { id: string; name: string }): string => `${r.name} (${r.id})`;
  const added = after.catalog.rules.filter((r) => !oldRules.has(r.id));
  const removed = before.catalog.rules.filter((r) => !newRules.has(r.id));
  const recomputed = new Set(after.stats.recomputed);
  const changed = after.catalog.rules.filter((r) => oldRules.has(r.id) && (recomputed.has(r.id) || r.files.some((f) => changedFiles.has(f))));
  const lines: string[] = [];
  const list = (what: string, rules: { id: string; name: string }[]): void => {
    if (rules.length === 0) return;
    const shown = rules.slice(0, 10).map(label).join('; ');
    lines.push(`  ${what} ${n(rules.length)}: ${shown}${rules.length > 10 ? `; … and ${n(rules.length - 10)} more` : ''}`);
  };
  list('added', added);
  list('changed', changed);
  list('removed', removed);
  if (lines.length === 0) lines.push(changedFiles.size === 0 ? '  no rule changed' : '  no rule changed (the changed files hold no rule)');
  const ds: Diagnostic[] = after.catalog.diagnostics.filter((d) => d.severity !== 'info' && changedFiles.has(d.file));
  for (const d of ds) lines.push(`    ${formatDiagnostic(d)}`);
  const errors = after.catalog.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = after.catalog.diagnostics.filter((d) => d.severity === 'warning').length;
  lines.push(`  ${n(after.catalog.rules.length)} rules; ${n(errors)} errors · ${n(warnings)} warnings in all; ${n(after.stats.decoded)} files decoded, ${n(after.stats.analysed)} rules analysed`);
  return lines;
}

const WATCHED = /\.(toml|md|json)$/i;

export async function run(args: string[]): Promise<number> {
  const opts = commandOptions('dev', args, {
    ...INGEST_OPTIONS,
    ...SITE_OPTIONS,
    port: { type: 'string' },
    host: { type: 'string' },
    debounce: { type: 'string' },
  }, HELP);
  if ('exit' in opts) return opts.exit;
  const values = opts.values;
  const port = values.port === undefined ? 4321 : /^\d{1,5}$/.test(values.port) && Number(values.port) <= 65535 ? Number(values.port) : NaN;
  if (Number.isNaN(port)) {
    process.stderr.write(`ruledex dev: --port must be a port number (0-65535), got ${JSON.stringify(values.port)}\n`);
    return 2;
  }
  const debounce = values.debounce === undefined ? 150 : /^\d{1,5}$/.test(values.debounce) ? Number(values.debounce) : NaN;
  if (Number.isNaN(debounce)) {
    process.stderr.write(`ruledex dev: --debounce must be milliseconds, got ${JSON.stringify(values.debounce)}\n`);
    return 2;
  }
  const parsed = await ingestArgs(values);
  if (!parsed.ok) {
    process.stderr.write(`ruledex dev: ${parsed.message}\n`);
    return parsed.status;
  }
  const a = parsed.value;
  let settings: SiteSettings;
  try {
    settings = {
      base: normaliseBase(a.options.base),
      site: normaliseSite(a.options.site),
      attack: a.options.attack,
      title: values.title ?? null,
      examples: values['no-examples'] !== true,
    };
  } catch (e) {
    process.stderr.write(`ruledex dev: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  if (a.options.buildCacheDir !== null && a.cacheDir !== null) process.env.RULEDEX_CACHE_DIR = a.cacheDir;

  const builder: SourcesBuilder = sourcesBuilder(a);
  let current = await buildWithProgress(a, builder);
  if (!current) return 1;
  const errors = current.catalog.diagnostics.filter((d) => d.severity === 'error');
  process.stdout.write(`ruledex dev: ${n(current.catalog.rules.length)} rules from ${current.loaded.read.roots.map((r) => r.dir).join(', ')}; ${n(errors.length)} errors\n`);
  for (const d of errors) process.stdout.write(`    ${formatDiagnostic(d)}\n`);

  const { startDevServer } = await import('../../site/dev');
  let server;
  let ctx = await prepare(current, a, settings);
  try {
    server = await startDevServer(ctx, { base: settings.base, site: settings.site, port, ...(values.host ? { host: values.host } : {}) });
  } catch (e) {
    process.stderr.write(`ruledex dev: cannot start the server: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stdout.write(`ruledex dev: serving ${server.url} — watching ${a.options.sources.map((s) => s.dir).join(', ')} (Ctrl-C to stop)\n`);

  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let pending = false;
  const rebuild = async (): Promise<void> => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      do {
        pending = false;
        const t = performance.now();
        const next = await builder.build();
        const before = current as SourcesBuild;
        if (next.unreadable.length > 0) {
          for (const u of next.unreadable) process.stderr.write(`ruledex dev: cannot read source ${u.dir}: ${u.reason} (still serving the last build)\n`);
          continue;
        }
        const nextCtx = await prepare(next, a, settings);
        ctx.saveCaches();
        ctx = nextCtx;
        server.update(ctx);
        current = next;
        process.stdout.write(`ruledex dev: rebuilt in ${((performance.now() - t) / 1000).toFixed(2)} s\n${describeChange(before, next).join('\n')}\n`);
      } while (pending);
    } catch (e) {
      process.stderr.write(`ruledex dev: rebuild failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)} (still serving the last build)\n`);
    } finally {
      running = false;
    }
  };
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void rebuild();
    }, debounce);
  };
  const watchers: TreeWatcher[] = a.options.sources.map((s) => watchTree(s.dir, (name) => WATCHED.test(name), schedule));

  return new Promise<number>((resolvePromise) => {
    const stop = (): void => {
      for (const w of watchers) w.close();
      if (timer) clearTimeout(timer);
      ctx.saveCaches();
      // A slow or stuck shutdown of Vite or Astro must not keep the process alive.
      setTimeout(() => process.exit(0), 3000).unref();
      void server.close().finally(() => {
        resolvePromise(0);
        setTimeout(() => process.exit(0), 200).unref();
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
