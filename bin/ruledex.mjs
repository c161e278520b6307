#!/usr/bin/env node
// Entry point of the `ruledex` command. It runs with V8's background pool sized to the machine
// (bin/runtime.mjs: it may start itself again for that). The CLI is written in TypeScript: it
// runs from the CLI bundle (bin/bundle.mjs; made or refreshed with esbuild when a source
// changed), or, when no bundle can be made, from the sources through tsx's loader. Either way
// `npx ruledex` works on a fresh clone with no build step.
import { relaunch } from './runtime.mjs';

const relaunched = await relaunch();
if (relaunched !== null) {
  process.exitCode = relaunched;
} else {
  const { cliBundle } = await import('./bundle.mjs');
  const bundled = await cliBundle();
  let main;
  if (bundled) {
    ({ main } = await import(bundled.href));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../src/cli/main.ts'));
  }
  process.exitCode = await main(process.argv.slice(2));
}
