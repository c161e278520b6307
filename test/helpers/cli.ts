/**
 * Runs the real `ruledex` CLI in a child process without blocking the test worker (a blocked
 * worker misses vitest's RPC heartbeats on slow machines), collecting its output.
 */
import { spawn } from 'node:child_process';
import { projectRoot } from './shared';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runRuledex(args: string[], options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ruledex.mjs', ...args], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
