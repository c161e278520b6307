/**
 * End-to-end helpers: build the example site into a temporary directory with the real CLI (in a
 * child process, as a user runs it), serve it on 127.0.0.1, and drive Debian's Chromium with
 * playwright-core.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../helpers/shared';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const CHROMIUM_MISSING = `${CHROMIUM} is absent: browser tests are skipped (install Debian's chromium package; .ci/run does).`;
if (!hasChromium) console.warn(CHROMIUM_MISSING);

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface BuiltSite {
  dir: string;
  output: string;
  remove(): void;
}

/** Runs `ruledex build --out <tmp> ...args` on the example content; rejects with its output on failure. */
export function buildSite(args: string[] = []): Promise<BuiltSite> {
  // Inside the project (so Astro writes its server chunks next to the output, not into a
  // `.astro/` another build running in parallel shares).
  const cache = join(projectRoot, 'node_modules', '.cache', 'ruledex');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'e2e-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'ruledex.mjs'), 'build', '--out', dir, '--quiet', ...args], {
      cwd: projectRoot,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      if (code === 0) resolve({ dir, output, remove: () => rmSync(dir, { recursive: true, force: true }) });
      else {
        rmSync(dir, { recursive: true, force: true });
        reject(new Error(`ruledex build exited with ${code}:\n${output}`));
      }
    });
  });
}
