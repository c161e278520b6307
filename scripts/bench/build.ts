/**
 * Full-corpus site build benchmark (prints figures; not a test).
 *
 *   npx tsx scripts/bench/build.ts            cold build (no example cache) + the Astro floor
 *   npx tsx scripts/bench/build.ts --warm     also a second build with the example cache warm
 *   npx tsx scripts/bench/build.ts --keep     keep the built site (path printed)
 *   npx tsx scripts/bench/build.ts --no-floor skip the floor measurement
 *
 * Builds all detection-rules TOML rules, the security-docs markdown pages and the ATT&CK bundle
 * from ../shared with `ruledex build` in a child process, and prints: wall time, peak memory
 * (max RSS of the process and its worker threads), page count, total bytes, search index bytes
 * (raw and gzip), the largest page and the largest rule page, rule pages over 100 KB, and the
 * JavaScript a rule page loads on use (gzip). Then the floor: Astro building the same number of
 * trivial pages (one dynamic route, a few lines of HTML each) in a throwaway project, in the same
 * run, so the ratio is measured on the same machine under the same load.
 *
 * The first build is cold: a fresh, empty cache folder (`--cache-dir`, which also holds the
 * example and markdown caches; RULEDEX_CACHE_DIR as well) so nothing is reused from earlier
 * builds: not the catalog cache, not examples, not markdown. CPU time (user + system, of the
 * process and its threads) is printed next to wall time: on a shared machine it is the steadier
 * figure.
 *
 * Targets (issue 8): build ≤ 2× the floor; search index < 1.5 MB gzipped; a rule page < 100 KB
 * of HTML; < 150 KB gzipped of JavaScript loaded only when used.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v8PoolSize } from '../../bin/runtime.mjs';
import { gzipSync } from 'node:zlib';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const shared = resolve(process.env.RULEDEX_SHARED ?? join(root, '..', 'shared'));
const rulesRoot = join(shared, 'corpus', 'elastic-detection-rules');
const docsRoot = join(shared, 'corpus', 'elastic-security-docs');
const bundle = join(shared, 'attack', 'enterprise-attack-17.1-subset.json');
const cache = join(root, 'node_modules', '.cache', 'ruledex');
const flags = new Set(process.argv.slice(2));

/** Prints the child's resource usage on exit (max RSS covers its worker threads). */
const RUSAGE_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nRUSAGE "+JSON.stringify(process.resourceUsage())+"\\n"))`;

interface Run {
  wall: number;
  maxRssMb: number;
  /** User + system CPU seconds of the process (all its threads). */
  cpu: number;
  output: string;
}

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((ok, fail) => {
    const t = performance.now();
    const child = spawn(process.execPath, ['--import', RUSAGE_HOOK, ...args], { cwd: root, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      const wall = (performance.now() - t) / 1000;
      const m = /RUSAGE (\{.*\})/.exec(output);
      const ru = m ? (JSON.parse(m[1] as string) as { maxRSS: number; userCPUTime: number; systemCPUTime: number }) : null;
      const maxRssMb = ru ? ru.maxRSS / 1024 : NaN;
      const cpu = ru ? (ru.userCPUTime + ru.systemCPUTime) / 1e6 : NaN;
      if (code !== 0) fail(new Error(`exit ${code}:\n${output.slice(-3000)}`));
      else ok({ wall, maxRssMb, cpu, output });
    });
  });
}

interface Sizes {
  files: number;
  pages: number;
  rulePages: number;
  bytes: number;
  largest: { path: string; bytes: number };
  largestRule: { path: string; bytes: number };
  /** The five largest canonical rule pages. */
  topRules: { path: string; bytes: number }[];
  browse: number;
  /** Rule pages whose example the build gave up on (the browser makes it). */
  deferredExamples: number;
  rulePagesOver100k: number;
  medianRulePage: number;
}

function sizes(dir: string): Sizes {
  const s: Sizes = { files: 0, pages: 0, rulePages: 0, bytes: 0, largest: { path: '', bytes: 0 }, largestRule: { path: '', bytes: 0 }, topRules: [], browse: 0, deferredExamples: 0, rulePagesOver100k: 0, medianRulePage: 0 };
  const ruleSizes: number[] = [];
  const rules: { path: string; bytes: number }[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else {
        s.files++;
        s.bytes += st.size;
        if (!n.endsWith('.html')) continue;
        s.pages++;
        const rel = relative(dir, p);
        if (st.size > s.largest.bytes) s.largest = { path: rel, bytes: st.size };
        if (rel === join('rules', 'index.html')) s.browse = st.size;
        // Canonical rule pages (not slug redirects): /rules/<id>/ with an evaluator or a body.
        if (/^rules\/[^/]+\/index\.html$/.test(rel) && st.size > 2000) {
          s.rulePages++;
          ruleSizes.push(st.size);
          rules.push({ path: rel, bytes: st.size });
          if (readFileSync(p, 'utf8').includes('data-synthesise="yes"')) s.deferredExamples++;
          if (st.size > 100 * 1024) s.rulePagesOver100k++;
          if (st.size > s.largestRule.bytes) s.largestRule = { path: rel, bytes: st.size };
        }
      }
    }
  };
  walk(dir);
  ruleSizes.sort((a, b) => a - b);
  s.topRules = rules.sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  s.medianRulePage = ruleSizes[Math.floor(ruleSizes.length / 2)] ?? 0;
  return s;
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** A throwaway Astro project with `n` trivial pages. */
function floorProject(n: number): string {
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'floor-'));
  mkdirSync(join(dir, 'src', 'pages', 'p'), { recursive: true });
  writeFileSync(join(dir, 'astro.config.mjs'), "import { defineConfig } from 'astro/config';\nexport default defineConfig({ build: { format: 'directory' }, devToolbar: { enabled: false } });\n");
  writeFileSync(
    join(dir, 'src', 'pages', 'p', '[n].astro'),
    `---\nexport function getStaticPaths() {\n  return Array.from({ length: ${n} }, (_, i) => ({ params: { n: String(i) }, props: { i } }));\n}\nconst { i } = Astro.props;\n---\n<html lang="en"><head><meta charset="utf-8" /><title>Page {i}</title></head><body><h1>Page {i}</h1><p>A trivial page.</p><a href="/">home</a></body></html>\n`,
  );
  return dir;
}

async function main(): Promise<void> {
  if (!existsSync(rulesRoot) || !existsSync(docsRoot)) {
    console.log(`../shared is absent (looked in ${shared}): nothing to benchmark.`);
    return;
  }
  console.log(`full-corpus site build (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, 'bench-site-'));
  // A fresh cache directory: the first build is cold (no examples or markdown cached).
  const exCache = mkdtempSync(join(cache, 'bench-cache-'));
  const args = ['bin/ruledex.mjs', 'build', '--source', rulesRoot, '--source', docsRoot, '--attack', bundle, '--out', out, '--quiet'];
  // Every cache of the build in the fresh folder (when the CLI has --cache-dir).
  const help = await run(['bin/ruledex.mjs', 'build', '--help']);
  if (help.output.includes('--cache-dir')) args.push('--cache-dir', exCache);
  try {
    const cold = await run(args, { RULEDEX_CACHE_DIR: exCache });
    const s = sizes(out);
    const index = readFileSync(join(out, 'api', 'search-index.json'));
    const summary = cold.output.split('\n').filter((l) => /^\s+(elapsed|cache|site|search|JSON):/.test(l));
    const js = readdirSync(join(out, '_astro')).filter((f) => f.endsWith('.js'));
    const gz = (f: string): number => gzipSync(readFileSync(join(out, '_astro', f))).length;
    // A chunk and the chunks it imports statically (what loading it fetches).
    const closure = (start: readonly string[]): Set<string> => {
      const seen = new Set<string>();
      const todo = [...start];
      while (todo.length) {
        const f = todo.pop() as string;
        if (seen.has(f) || !js.includes(f)) continue;
        seen.add(f);
        const text = readFileSync(join(out, '_astro', f), 'utf8');
        for (const m of text.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) todo.push(m[1] as string);
      }
      return seen;
    };
    const sum = (files: Iterable<string>): number => [...files].reduce((a, f) => a + gz(f), 0);
    const evaluatorSet = closure(js.filter((f) => /^evaluator-run\./.test(f)));
    const evaluatorJs = sum(evaluatorSet);
    const synthJs = sum([...closure(js.filter((f) => /^synthesise-run\./.test(f)))].filter((f) => !evaluatorSet.has(f)));
    const searchJs = sum(closure(js.filter((f) => /client|Search|search/.test(f))));
    console.log(`  wall time:        ${cold.wall.toFixed(1)} s, CPU ${cold.cpu.toFixed(1)} s (cold: empty cache folder ${args.includes('--cache-dir') ? '--cache-dir and ' : ''}RULEDEX_CACHE_DIR)`);
    for (const l of summary) console.log(`    ${l.trim()}`);
    console.log(`  peak memory:      ${cold.maxRssMb.toFixed(0)} MB (max RSS)`);
    console.log(`  pages:            ${s.pages} HTML (${s.rulePages} rule pages), ${s.files} files, ${mb(s.bytes)}`);
    console.log(`  search index:     ${kb(index.length)} raw, ${kb(gzipSync(index).length)} gzip (target < 1.5 MB gzip)`);
    console.log(`  largest page:     ${s.largest.path} ${kb(s.largest.bytes)}`);
    console.log(`  browse page:      rules/index.html ${kb(s.browse)}`);
    console.log(`  rule pages:       median ${kb(s.medianRulePage)}, largest ${s.largestRule.path} ${kb(s.largestRule.bytes)}, ${s.rulePagesOver100k} over 100 KB (target < 100 KB)`);
    console.log(`  examples:         ${s.deferredExamples} rule pages make theirs in the browser (their synthesis needs more than the build's work budget per rule)`);
    console.log(`  largest rules:    ${s.topRules.map((r) => kb(r.bytes)).join(', ')}`);
    console.log(`  JS on use:        evaluator ${kb(evaluatorJs)} gzip (+ ${kb(synthJs)} for in-browser example synthesis, only on rules the build gave up on), search ${kb(searchJs)} gzip (target < 150 KB)`);
    if (flags.has('--warm')) {
      const warm = await run(args, { RULEDEX_CACHE_DIR: exCache });
      console.log(`  warm rebuild:     ${warm.wall.toFixed(1)} s, CPU ${warm.cpu.toFixed(1)} s (all caches warm), peak ${warm.maxRssMb.toFixed(0)} MB`);
      for (const l of warm.output.split('\n').filter((x) => /^\s+elapsed:/.test(x))) console.log(`    ${l.trim()}`);
    }
    if (!flags.has('--no-floor')) {
      const floor = floorProject(s.pages);
      try {
        // The same V8 pool as `ruledex build` runs with (bin/runtime.mjs), for a like-for-like floor.
        const f = await run([`--v8-pool-size=${v8PoolSize()}`, '-e', `import('astro').then((a) => a.build({ root: ${JSON.stringify(floor)}, logLevel: 'error' }))`]);
        console.log(`  floor:            ${f.wall.toFixed(1)} s, CPU ${f.cpu.toFixed(1)} s for ${s.pages} trivial Astro pages (peak ${f.maxRssMb.toFixed(0)} MB; V8 pool ${v8PoolSize()} as ruledex runs)`);
        console.log(`  ratio:            ${(cold.wall / f.wall).toFixed(2)}× the floor by wall time, ${(cold.cpu / f.cpu).toFixed(2)}× by CPU time (target ≤ 2× wall)`);
      } finally {
        rmSync(floor, { recursive: true, force: true });
      }
    }
  } finally {
    if (flags.has('--keep')) console.log(`  kept:             ${out}`);
    else rmSync(out, { recursive: true, force: true });
    rmSync(exCache, { recursive: true, force: true });
    console.log(`  load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  }
}

await main();
