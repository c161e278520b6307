/**
 * The CLI bundle (bin/bundle.mjs): made with esbuild on first use, used while none of its
 * inputs changed, made again when one did; the bundled CLI and its worker threads behave as the
 * sources do under tsx.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runRuledex } from '../../helpers/cli';
import { projectRoot } from '../../helpers/shared';

// Inside the project: the bundle imports its dependencies from the project's node_modules.
const cache = join(projectRoot, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'ruledex-cli-test-'));
const env = { RULEDEX_CLI_BUNDLE_DIR: dir };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Manifest {
  format: number;
  dir: string;
  inputs: Record<string, string>;
}
const manifest = (): Manifest => JSON.parse(readFileSync(join(dir, 'current.json'), 'utf8')) as Manifest;
const builds = (): string[] => readdirSync(dir).filter((n) => n.startsWith('build-')).sort();

/** Runs an ES module script in a fresh Node process; resolves with its stdout. */
function node(script: string): Promise<string> {
  const file = join(dir, 'script.mjs');
  writeFileSync(file, script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`))));
  });
}

describe('the CLI bundle', () => {
  it('is made on first use from the sources it lists, and prints what the sources print', async () => {
    const bundled = await runRuledex(['catalog', '--json', '-', '--no-cache', '--workers', '1'], { env });
    expect(bundled.status).toBe(0);
    const m = manifest();
    expect(m.format).toBe(1);
    for (const f of ['src/cli/main.ts', 'src/cli/commands/catalog.ts', 'src/ingest/decode-worker.ts', 'src/site/prep-worker.ts', 'src/paths.ts', 'tsconfig.json']) {
      expect(m.inputs[f], f).toMatch(/^\d+:\d+(\.\d+)?$/);
    }
    expect(Object.keys(m.inputs).some((f) => f.includes('node_modules'))).toBe(false);
    for (const f of ['main.mjs', 'decode-worker.mjs', 'prep-worker.mjs']) expect(existsSync(join(dir, m.dir, f)), f).toBe(true);

    const fromSources = await runRuledex(['catalog', '--json', '-', '--no-cache', '--workers', '1'], { env: { RULEDEX_NO_BUNDLE: '1' } });
    expect(fromSources.status).toBe(0);
    expect(bundled.stdout.length).toBeGreaterThan(10_000);
    expect(bundled.stdout).toBe(fromSources.stdout);
  }, 180_000);

  it('is used as long as its inputs are unchanged, and made again when one changed', async () => {
    const before = manifest().dir;
    const first = await runRuledex(['--help'], { env });
    expect(first.status).toBe(0);
    expect(manifest().dir).toBe(before);
    expect(builds()).toEqual([before]);
    // Pretend src/cli/main.ts changed since the bundle was made.
    const m = manifest();
    m.inputs['src/cli/main.ts'] = '0:0';
    writeFileSync(join(dir, 'current.json'), JSON.stringify(m));
    const second = await runRuledex(['--help'], { env });
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(manifest().dir).not.toBe(before);
    expect(builds()).toHaveLength(2);
    expect(manifest().inputs['src/cli/main.ts']).not.toBe('0:0');
  }, 120_000);

  it('runs its worker threads without a TypeScript loader', async () => {
    const m = manifest();
    const url = (f: string): string => pathToFileURL(join(dir, m.dir, f)).href;
    const out = await node(`
      import { Worker } from 'node:worker_threads';
      const results = [];
      await new Promise((resolve, reject) => {
        const w = new Worker(new URL(${JSON.stringify(url('decode-worker.mjs'))}));
        const queue = new Int32Array(new SharedArrayBuffer(16));
        queue[1] = 0; queue[2] = 1;
        // -2: the worker has loaded; -1: no more chunks.
        w.on('message', (msg) => { if (msg.chunk === -2) return; if (msg.chunk < 0) { w.terminate(); resolve(); } else results.push(msg.records[0].page.title); });
        w.on('error', reject);
        w.postMessage({ files: [{ path: 'a.md', text: '# A rule [a-rule]\\n\\nWhat it finds.\\n\\n**Rule type**: eql\\n' }], chunks: [[0, 1]], queue });
      });
      await new Promise((resolve, reject) => {
        const w = new Worker(new URL(${JSON.stringify(url('prep-worker.mjs'))}));
        w.on('message', (msg) => { if (msg.id === 7) { results.push(msg.html[0]); w.terminate(); resolve(); } });
        w.on('error', reject);
        w.postMessage({ id: 7, kind: 'markdown', texts: ['**bold** <script>alert(1)</script>'], plain: false });
      });
      console.log(JSON.stringify(results));
    `);
    expect(JSON.parse(out)).toEqual(['A rule', '<p><strong>bold</strong> </p>']);
  }, 60_000);
});
