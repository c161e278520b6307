// The CLI bundle: Ruledex's command line and its worker threads, compiled from src/ by esbuild
// into plain JavaScript modules (dependencies stay imports of node_modules), so that a command
// starts in a fraction of the time tsx needs to compile and load ~300 TypeScript modules, and a
// worker thread starts without a TypeScript loader of its own.
//
// The bundle lives in node_modules/.cache/ruledex-cli/<build>/, described by current.json: the
// folder, and the size and modification time of every source file that went into it. A command
// uses it only when every one of those files is unchanged; otherwise it bundles again first
// (about half a second). When bundling is impossible (no esbuild, a read-only node_modules) the
// caller falls back to running the sources through tsx. RULEDEX_NO_BUNDLE=1 forces that;
// RULEDEX_CLI_BUNDLE_DIR puts the bundle elsewhere in the project (tests; outside it, the
// bundle could not import the project's node_modules).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIR = process.env.RULEDEX_CLI_BUNDLE_DIR ? resolve(process.env.RULEDEX_CLI_BUNDLE_DIR) : join(ROOT, 'node_modules', '.cache', 'ruledex-cli');
const MANIFEST = join(DIR, 'current.json');
/** Bumped when the bundle's layout or options change. */
const FORMAT = 1;
/** Entry modules: the CLI and the worker threads `src/paths.ts` names. */
const ENTRIES = {
  main: 'src/cli/main.ts',
  'decode-worker': 'src/ingest/decode-worker.ts',
  'prep-worker': 'src/site/prep-worker.ts',
};
/** Files that change how sources compile, besides the sources themselves. */
const CONFIG_INPUTS = ['tsconfig.json', 'package.json'];
/** Old bundle folders are removed after this long (a running command may still load chunks). */
const KEEP_OLD_MS = 6 * 60 * 60 * 1000;

function stampOf(path) {
  const s = statSync(path);
  return `${s.size}:${s.mtimeMs}`;
}

/** The up-to-date bundle's folder, or null. */
function upToDate() {
  let m;
  try {
    m = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return null;
  }
  if (!m || m.format !== FORMAT || typeof m.dir !== 'string' || typeof m.inputs !== 'object') return null;
  for (const [path, stamp] of Object.entries(m.inputs)) {
    try {
      if (stampOf(join(ROOT, path)) !== stamp) return null;
    } catch {
      return null;
    }
  }
  const dir = join(DIR, m.dir);
  return existsSync(join(dir, 'main.mjs')) ? dir : null;
}

async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(DIR, { recursive: true });
  const out = mkdtempSync(join(DIR, 'build-'));
  const started = Date.now();
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ENTRIES,
      outdir: out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      // src/paths.ts: the project root as seen from the bundle's folder.
      define: { __RULEDEX_BUNDLE__: JSON.stringify({ root: `${relative(out, ROOT).split(sep).join('/')}/` }) },
    });
  } catch (e) {
    rmSync(out, { recursive: true, force: true });
    throw e;
  }
  const inputs = {};
  let racy = false;
  for (const path of [...Object.keys(result.metafile.inputs), ...CONFIG_INPUTS]) {
    // Skip dependencies (imported at run time, not bundled) and esbuild's pseudo-files (`<define:…>`).
    if (path.startsWith('<') || path.startsWith('node_modules/') || path.includes(`${sep}node_modules${sep}`)) continue;
    const abs = resolve(ROOT, path);
    const st = statSync(abs);
    // A file changed while it was bundled (or within the clock's resolution) may be in the
    // bundle in its old form: do not vouch for it; the next command bundles again.
    if (st.mtimeMs >= started - 1000) racy = true;
    inputs[relative(ROOT, abs).split(sep).join('/')] = `${st.size}:${st.mtimeMs}`;
  }
  if (!racy) {
    const tmp = `${MANIFEST}.${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ format: FORMAT, dir: relative(DIR, out), inputs })}\n`);
    renameSync(tmp, MANIFEST);
  }
  sweep(out);
  return out;
}

/** Removes bundle folders other than `keep` that are older than KEEP_OLD_MS. */
function sweep(keep) {
  for (const name of readdirSync(DIR)) {
    const p = join(DIR, name);
    if (p === keep || !name.startsWith('build-')) continue;
    try {
      if (Date.now() - statSync(p).mtimeMs > KEEP_OLD_MS) rmSync(p, { recursive: true, force: true });
    } catch {
      // Another command removed it first.
    }
  }
}

/** The URL of the bundled CLI's main module (bundling first if a source changed), or null when bundling is impossible. */
export async function cliBundle() {
  if (process.env.RULEDEX_NO_BUNDLE) return null;
  try {
    const dir = upToDate() ?? (await build());
    return pathToFileURL(join(dir, 'main.mjs'));
  } catch (e) {
    if (process.env.RULEDEX_DEBUG) process.stderr.write(`ruledex: running from sources (no CLI bundle: ${e instanceof Error ? e.message : String(e)})\n`);
    return null;
  }
}
