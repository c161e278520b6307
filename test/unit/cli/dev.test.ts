/**
 * `ruledex dev` end to end: a child process (its own process group, killed at the end) serving a
 * temporary copy of three content/ rules on a loopback port. Editing a rule's name shows on its
 * page after the rebuild; a malformed edit prints a diagnostic with file:line:column and the
 * server keeps serving.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../helpers/shared';

const RULE = 'rules/linux/persistence_shell_spawned_by_web_server.toml';
const ID = 'c5cb9a9c-7295-4bd3-8a7a-8508d7323a84';
const NAME = 'Shell Spawned by a Web Server Process';

let dir: string;
let child: ChildProcess;
let out = '';
let base = '';

/** Resolves when `test` holds for the child's output (polled), or rejects after `ms`. */
async function until(what: string, test: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!test()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output so far:\n${out}`);
    if (child.exitCode !== null) throw new Error(`ruledex dev exited (${child.exitCode}) waiting for ${what}:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function page(path: string): Promise<{ status: number; text: string }> {
  const r = await fetch(new URL(path, base));
  return { status: r.status, text: await r.text() };
}

/** Polls a page until `test` holds for its text; returns the milliseconds it took. */
async function pageUntil(path: string, test: (text: string) => boolean, ms: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const p = await page(path);
    if (p.status === 200 && test(p.text)) return Date.now() - t0;
    if (Date.now() - t0 > ms) throw new Error(`${path} did not change within ${ms} ms (status ${p.status}); output:\n${out}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ruledex-dev-'));
  for (const f of [RULE, 'rules/windows/execution_powershell_encoded_command.toml', 'rules/network/command_and_control_uncommon_listener_ports.toml']) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    cpSync(join(projectRoot, 'content', f), join(dir, f));
  }
  writeFileSync(join(dir, 'ruledex.config.json'), JSON.stringify({ sources: [{ label: 'Team', kind: 'toml', path: 'rules' }], cacheDir: '.cache' }));
  child = spawn(process.execPath, [join(projectRoot, 'bin/ruledex.mjs'), 'dev', '--port', '0', '--no-examples', '--quiet', '--debounce', '50'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  await until('the server', () => /serving (http:\/\/127\.0\.0\.1:\d+\/)/.test(out), 150_000);
  base = (/serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out) as RegExpExecArray)[1] as string;
}, 180_000);

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    const gone = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await gone;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('ruledex dev', () => {
  it('serves the rules of the config, built once at start', async () => {
    expect(out).toContain(`ruledex dev: 3 rules from ${join(dir, 'rules')}; 0 errors\n`);
    expect(out).toContain(`— watching ${join(dir, 'rules')} (Ctrl-C to stop)\n`);
    const p = await page(`rules/${ID}/`);
    expect(p.status).toBe(200);
    expect(p.text).toContain(`<title>${NAME} · Ruledex</title>`);
  }, 120_000);

  it('an edited rule name shows on its page after the rebuild, and the change is printed', async () => {
    const file = join(dir, RULE);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`name = "${NAME}"`, 'name = "Shell Spawned by a Renamed Server"'));
    const ms = await pageUntil(`rules/${ID}/`, (t) => t.includes('<title>Shell Spawned by a Renamed Server · Ruledex</title>'), 30_000);
    expect(ms).toBeLessThan(30_000);
    await until('the change report', () => out.includes('changed 1: Shell Spawned by a Renamed Server'), 10_000);
    expect(out).toContain(`  changed 1: Shell Spawned by a Renamed Server (${ID})\n  3 rules; 0 errors · 0 warnings in all; 1 files decoded, 1 rules analysed\n`);
  }, 60_000);

  it('a malformed edit prints a diagnostic with file:line:column and the server keeps serving', async () => {
    const file = join(dir, RULE);
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.startsWith('severity = '));
    lines[at] = 'severity = "unterminated';
    // Written the way editors save: a new file renamed over the old one.
    writeFileSync(`${file}.tmp`, lines.join('\n'));
    renameSync(`${file}.tmp`, file);
    const diag = new RegExp(`${join(dir, RULE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${at + 1}:\\d+: error \\[toml-syntax\\]`);
    await until('the diagnostic', () => diag.test(out), 30_000);
    expect(out).toContain(`  removed 1: Shell Spawned by a Renamed Server (${ID})\n`);
    const list = await page('rules/');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('Shell Spawned by a Renamed Server');
    expect(list.text).toContain('Encoded PowerShell Command Line');
    const other = await page('rules/9655c95e-1e73-4bae-9a9a-0d49db8249dd/');
    expect(other.status).toBe(200);
    expect(other.text).toContain('<title>Encoded PowerShell Command Line · Ruledex</title>');
    // Fixed again: the rule comes back.
    lines[at] = 'severity = "high"';
    writeFileSync(file, lines.join('\n'));
    await pageUntil(`rules/${ID}/`, (t) => t.includes('<title>Shell Spawned by a Renamed Server · Ruledex</title>'), 30_000);
    await until('the rule to come back', () => out.includes(`  added 1: Shell Spawned by a Renamed Server (${ID})\n`), 10_000);
  }, 90_000);
});
