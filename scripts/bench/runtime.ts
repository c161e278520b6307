/**
 * Benchmarks run the way the `ruledex` command runs: with V8's background pool sized to the
 * machine (bin/runtime.mjs). `--node-default` measures under Node's default pool instead.
 */
import { availableParallelism } from 'node:os';
import { currentPoolSize, relaunch } from '../../bin/runtime.mjs';

const nodeDefault = process.argv.includes('--node-default');

/** Starts this benchmark again with the pool `ruledex` uses, unless it already runs so (or --node-default): the child's exit code, or null to go on here. */
export function runAsRuledex(): Promise<number | null> {
  return nodeDefault ? Promise.resolve(null) : relaunch();
}

/**
 * Runs a benchmark's `main` as `ruledex` runs (starting the process again first when needed),
 * after the line saying which pool it runs with; exits with its code (1 when it throws).
 */
export async function runBenchmark(main: () => Promise<number>): Promise<void> {
  const relaunched = await runAsRuledex();
  if (relaunched !== null) process.exit(relaunched);
  console.log(runtimeLine());
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}

/** A line saying which pool the figures were measured with. */
export function runtimeLine(): string {
  const how = nodeDefault ? "Node's default, --node-default" : `as the ruledex command runs on ${availableParallelism()} cores; --node-default measures Node's default of 4`;
  return `V8 background threads: ${currentPoolSize()} (${how})`;
}
