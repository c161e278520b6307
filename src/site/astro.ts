/**
 * Runs Astro's programmatic build over a prepared site context, in this process: the context goes
 * into the global slot (`provideSite`) and the pages read it instead of recomputing the catalog.
 */
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { clearSite, provideSite, type SiteContext } from './context';
import { writeDirect } from './direct';
import { PROJECT_ROOT } from '../paths';

/** The project root: where astro.config.mjs and src/pages are. */
export { PROJECT_ROOT };

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
  if (!inside) {
    const cache = join(PROJECT_ROOT, 'node_modules', '.cache', 'ruledex');
    mkdirSync(cache, { recursive: true });
    stage = mkdtempSync(join(cache, 'build-'));
  }
  const cwd = process.cwd();
  // Pages wait for the context's background work (markdown, examples), which runs in worker
  // threads while Astro bundles; the JSON API files are written after Astro, by `writeDirect`.
  ctx.direct = true;
  provideSite(ctx.ready ? ctx.ready.then(() => ctx) : ctx);
  try {
    process.chdir(PROJECT_ROOT);
    await build({
      root: PROJECT_ROOT,
      outDir: stage,
      base: u.base,
      ...(u.site ? { site: u.site } : {}),
      logLevel: options.logLevel ?? 'warn',
      mode: 'production',
    });
    const t = performance.now();
    writeDirect(ctx, stage);
    ctx.timings.direct = performance.now() - t;
    if (!inside) {
      rmSync(out, { recursive: true, force: true });
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
    if (!inside) rmSync(stage, { recursive: true, force: true });
  }
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
