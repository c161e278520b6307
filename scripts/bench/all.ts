/**
 * Runs every benchmark in scripts/bench/ one after the other, each in a fresh process (so each
 * measures a cold start), and prints their figures. `npm run bench` calls this.
 *
 *   npx tsx scripts/bench/all.ts            all of them
 *   npx tsx scripts/bench/all.ts parse      only those whose name contains "parse"
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'all.ts')
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();

let failed = 0;
for (const f of benches) {
  console.log(`\n=== ${f}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(dir, f)], { stdio: 'inherit' });
  console.log(`=== ${f}: exit ${r.status}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
