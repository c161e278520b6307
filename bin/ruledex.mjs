#!/usr/bin/env node
// Entry point of the `ruledex` command. The CLI is written in TypeScript; tsx's loader
// compiles it on the fly, so `npx ruledex` works on a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
