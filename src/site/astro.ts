/**
 * Runs Astro's programmatic build over a prepared site context, in this process: the context goes
 * into the global slot (`provideSite`) and the pages read it instead of recomputing the catalog.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { clearSite, provideSite, type SiteContext } from './context';
import { directWriter } from './direct';
import { printAhead } from './routes';
import { PROJECT_ROOT } from '../paths';

function within(dir: string, parent: string): boolean {
  return dir === parent || dir.startsWith(parent + sep);
}

export interface AstroRunOptions {
  outDir: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/**
 * Astro renders pages from server chunks it writes next to the output when the output is inside
 * the working directory, else into `<cwd>/.astro/` (shared by every build, and unable to resolve
 * Ruledex's packages when the working directory is elsewhere). So Astro runs with the project
 * as working directory, and an output outside the project is built in a private directory under
 * `node_modules/.cache/ruledex/` and moved into place.
 */
export async function runAstro(ctx: SiteContext, options: AstroRunOptions): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  const { build } = await import('astro');
  const u = ctx.model.urls;
  const out = resolve(options.outDir);
  const inside = within(out, PROJECT_ROOT) && out !== PROJECT_ROOT;
  let stage = out;
  // The previous output (thousands of files) is moved aside and deleted in the background, not
  // deleted before Astro can start (Astro would empty it file by file on this thread).
  if (inside) moveAside(out);
  if (!inside) {
    const cache = join(PROJECT_ROOT, 'node_modules', '.cache', 'ruledex');
    mkdirSync(cache, { recursive: true });
    stage = mkdtempSync(join(cache, 'build-'));
  }
  const cwd = process.cwd();
  // The context's background work (markdown, examples) runs in worker threads while Astro
  // bundles and renders the pages that do not need it; the rule pages wait for it
  // (`getReadySite`). The JSON API files are written by `writeDirect`: those the model alone
  // makes while the rule pages wait (Astro emptied the output before bundling), the rest after.
  ctx.direct = true;
  const direct = directWriter(ctx, stage);
  let directMs = 0;
  let directLeft = true;
  let ahead = 0;
  ctx.whileWaiting = () => {
    if (directLeft) {
      const t = performance.now();
      directLeft = direct.step(20);
      directMs += performance.now() - t;
      return true;
    }
    if (ctx.printsInWorkers) return false;
    ahead = printAhead(ctx, ahead, 5);
    return ahead < ctx.model.rules.length;
  };
  provideSite(ctx);
  try {
    process.chdir(PROJECT_ROOT);
    await build({
      root: PROJECT_ROOT,
      outDir: stage,
      base: u.base,
      ...(u.site ? { site: u.site } : {}),
      logLevel: options.logLevel ?? astroLogLevel(),
      mode: 'production',
      build: { concurrency: astroConcurrency() },
    });
    const t = performance.now();
    direct.finish();
    ctx.timings.direct = directMs + performance.now() - t;
    if (!inside) {
      moveAside(out);
      mkdirSync(resolve(out, '..'), { recursive: true });
      try {
        renameSync(stage, out);
      } catch {
        cpSync(stage, out, { recursive: true });
      }
    }
  } finally {
    process.chdir(cwd);
    clearSite();
    ctx.direct = false;
    ctx.whileWaiting = null;
    if (!inside) rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * Renames `dir` (if it exists) to a hidden sibling and deletes that in the background (the
 * thread pool does the work; the process waits for it before it exits). Deleted here and now
 * when it cannot be renamed.
 */
function moveAside(dir: string): void {
  if (!existsSync(dir)) return;
  const aside = join(dirname(dir), `.${basename(dir)}.old-${process.pid}-${Date.now()}`);
  try {
    renameSync(dir, aside);
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  rm(aside, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * Pages Astro renders at once. Rendering is synchronous work on this thread, but each page then
 * waits for its file to be written: with a few in flight the thread renders the next page
 * meanwhile instead of idling (RULEDEX_ASTRO_CONCURRENCY overrides).
 */
export function astroConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.RULEDEX_ASTRO_CONCURRENCY);
  return Number.isInteger(n) && n >= 1 ? n : 4;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** Astro's log level: RULEDEX_ASTRO_LOG_LEVEL (`info` lists every page with its render time), else `warn`. */
export function astroLogLevel(env: NodeJS.ProcessEnv = process.env): (typeof LOG_LEVELS)[number] {
  const v = env.RULEDEX_ASTRO_LOG_LEVEL;
  return LOG_LEVELS.find((l) => l === v) ?? 'warn';
}

/** Refuses output directories whose emptying would be a disaster (Astro empties the output). */
export function unsafeOutDir(outDir: string, cwd = process.cwd()): string | null {
  const out = resolve(cwd, outDir);
  if (out === resolve('/')) return 'the filesystem root';
  if (within(PROJECT_ROOT, out)) return 'the project or one of its parents';
  if (within(cwd, out)) return 'the working directory or one of its parents';
  const src = join(PROJECT_ROOT, 'src');
  if (within(out, src) || within(out, join(PROJECT_ROOT, 'content')) || within(out, join(PROJECT_ROOT, 'test'))) return 'inside the project sources';
  return null;
}
