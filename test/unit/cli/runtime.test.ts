/** bin/runtime.mjs: V8's background pool sized to the machine, by starting the script again. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { v8PoolSize } from '../../../bin/runtime.mjs';
import { projectRoot } from '../../helpers/shared';

const dir = mkdtempSync(join(tmpdir(), 'ruledex-runtime-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = join(dir, 'probe.mjs');
writeFileSync(
  script,
  `import { relaunch, currentPoolSize } from ${JSON.stringify(pathToFileURL(join(projectRoot, 'bin', 'runtime.mjs')).href)};
const code = await relaunch();
if (code !== null) process.exitCode = code;
else {
  let input = '';
  for await (const c of process.stdin) input += c;
  console.log(JSON.stringify({ pool: currentPoolSize(), args: process.argv.slice(2), input }));
  process.exitCode = 7;
}
`,
);
const run = (env: NodeJS.ProcessEnv, args: string[] = []) =>
  spawnSync(process.execPath, [script, ...args], { input: 'from stdin', encoding: 'utf8', env: { ...process.env, RULEDEX_NO_RELAUNCH: '', NODE_OPTIONS: '', ...env } });

describe('the runtime', () => {
  it('sizes the pool one below the cores, from 1 to 4', () => {
    expect([1, 2, 3, 4, 5, 8, 64].map((c) => v8PoolSize(c))).toEqual([1, 1, 2, 3, 4, 4, 4]);
  });

  it('runs the script again with the pool sized, passing arguments, stdin and the exit code', () => {
    const r = run({}, ['a', '--b']);
    expect(r.status).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual({ pool: v8PoolSize(), args: ['a', '--b'], input: 'from stdin' });
  });

  it('does not start again when the pool is already set, or when told not to', () => {
    const given = run({ NODE_OPTIONS: '--v8-pool-size=3' });
    expect(JSON.parse(given.stdout).pool).toBe(3);
    const told = run({ RULEDEX_NO_RELAUNCH: '1' });
    expect(JSON.parse(told.stdout).pool).toBe(4);
  });
});
