/**
 * Where the project is, and how to start a worker thread (Node edge).
 *
 * Ruledex runs from its TypeScript sources (tsx, vitest, Vite for the Astro pages) or from the
 * CLI bundle that `bin/ruledex.mjs` makes with esbuild (`bin/bundle.mjs`): one folder of
 * `.mjs` files under `node_modules/.cache/ruledex-cli/`, built when a source file changed. The
 * bundle defines `__RULEDEX_BUNDLE__` (the project root relative to the bundle's folder, and
 * the worker entries it holds); everything else runs from sources, where each module's own URL
 * says where the project is.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

declare const __RULEDEX_BUNDLE__: { root: string } | undefined;

const bundle = typeof __RULEDEX_BUNDLE__ === 'undefined' ? null : __RULEDEX_BUNDLE__;

/** Whether this code runs from the CLI bundle. */
export const BUNDLED = bundle !== null;

/**
 * The project root: where package.json, astro.config.mjs and src/ are. From sources, this
 * module's parent folder; in the bundle, the folder the bundle was made for. When Vite bundles
 * this module for the Astro pages (its URL then says nothing), the working directory, which
 * `runAstro` sets to the project root.
 */
export const PROJECT_ROOT: string = ((): string => {
  if (bundle) return resolve(fileURLToPath(new URL(bundle.root, import.meta.url)));
  const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
  return existsSync(resolve(here, 'src', 'paths.ts')) ? here : process.cwd();
})();

/** The project's `src/`. */
export const SRC_DIR: string = resolve(PROJECT_ROOT, 'src');

/**
 * The build cache folder (catalog cache, the site's example and markdown caches):
 * RULEDEX_CACHE_DIR, else `node_modules/.cache/ruledex/` of the project; null when it is `off`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const v = env.RULEDEX_CACHE_DIR;
  if (v === 'off') return null;
  return v ? resolve(v) : resolve(PROJECT_ROOT, 'node_modules', '.cache', 'ruledex');
}

/** Worker threads Ruledex starts: the module each runs. */
export type WorkerName = 'decode-worker' | 'prep-worker';

const SOURCE_BOOT: Record<WorkerName, string> = {
  'decode-worker': 'ingest/decode-worker-boot.mjs',
  'prep-worker': 'site/prep-worker-boot.mjs',
};

/**
 * The entry of a worker thread: in the bundle, its bundled module (plain JavaScript, quick to
 * start); from sources, a boot file that registers tsx in the worker, then loads the TypeScript
 * module (workers do not inherit the main thread's loader).
 */
export function workerUrl(name: WorkerName): URL {
  if (bundle) return new URL(`./${name}.mjs`, import.meta.url);
  return pathToFileURL(resolve(SRC_DIR, SOURCE_BOOT[name]));
}
