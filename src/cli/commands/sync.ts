/**
 * `ruledex sync [--config FILE] [--source LABEL ...]`: fetches the upstream sources the config
 * names (tarballs over HTTPS) into the cache folder, with a progress bar on stderr and a sha256
 * checksum (verified when the config pins one, printed otherwise so it can be pinned). A failed
 * download (offline, checksum mismatch, truncated, hostile archive) leaves the cached copy as it
 * was.
 *
 * Exit status: 0 when every selected source synced, 1 when one failed, 2 for unusable arguments
 * or config.
 */
import { dirname } from 'node:path';
import { findConfig, loadConfig, resolveAgainst, resolveOptions, type ResolvedSource } from '../../config';
import { formatDiagnostic } from '../../model/diagnostic';
import { syncUpstream } from '../../sources/sync';
import type { ProgressStream } from '../progress';
import { commandOptions } from '../args';

const HELP = `usage: ruledex sync [--config FILE] [--source LABEL ...]

Downloads each upstream source of the config (a .tar.gz over https) into its cache folder
(<cacheDir>/sources/<label>), checking its sha256 when the config gives one.

  --config FILE    the config file; default: ruledex.config.json (or .mjs) in this folder
  --source LABEL   sync only this source; repeatable; default: every source with an upstream
  --timeout SEC    give up when the server sends nothing for SEC seconds (default 30)
  --quiet          no progress bar
  -h, --help       this help`;

const mb = (n: number): string => `${(n / 1e6).toFixed(1)} MB`;

/** A byte-count progress bar: redrawn in place on a terminal, a line per quarter otherwise. */
export class DownloadBar {
  private last = Number.NEGATIVE_INFINITY;
  private step = 0;
  private drawn = false;
  constructor(
    private readonly out: ProgressStream,
    private readonly label: string,
    private readonly enabled = true,
    private readonly now: () => number = () => performance.now(),
  ) {}

  update(received: number, total: number | null): void {
    if (!this.enabled) return;
    const done = total !== null && received >= total;
    if (this.out.isTTY) {
      const t = this.now();
      if (!done && t - this.last < 80) return;
      this.last = t;
      const bar = total === null ? '' : (() => {
        const filled = Math.round((received / Math.max(1, total)) * 24);
        return `[${'#'.repeat(filled)}${'-'.repeat(24 - filled)}] ${String(Math.floor((received / Math.max(1, total)) * 100)).padStart(3)}% `;
      })();
      this.out.write(`\r\x1b[2K${this.label} ${bar}${mb(received)}${total === null ? '' : ` / ${mb(total)}`}`);
      this.drawn = true;
      return;
    }
    const step = total === null ? Math.floor(received / 5e6) : Math.floor((received / Math.max(1, total)) * 4);
    if (step > this.step) {
      this.step = step;
      this.out.write(`${this.label}: ${mb(received)}${total === null ? '' : ` of ${mb(total)} (${Math.floor((received / total) * 100)}%)`}\n`);
    }
  }

  finish(): void {
    if (this.enabled && this.out.isTTY && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = commandOptions('sync', args, { config: { type: 'string' }, source: { type: 'string', multiple: true }, timeout: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, HELP);
  if ('exit' in parsed) return parsed.exit;
  const values = parsed.values;
  let timeoutMs = 30_000;
  if (values.timeout !== undefined) {
    if (!/^\d{1,4}$/.test(values.timeout) || Number(values.timeout) === 0) {
      process.stderr.write(`ruledex sync: --timeout must be a number of seconds from 1 to 9999, got ${JSON.stringify(values.timeout)}\n`);
      return 2;
    }
    timeoutMs = Number(values.timeout) * 1000;
  }
  const file = values.config ?? findConfig('.');
  if (file === null) {
    process.stderr.write('ruledex sync: no ruledex.config.json (or .mjs) here; pass --config FILE\n');
    return 2;
  }
  const loaded = await loadConfig(file);
  for (const d of loaded.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  if (!loaded.config) return 2;
  const opts = resolveAgainst(resolveOptions(loaded.config), dirname(file));
  const wanted = values.source ?? [];
  for (const w of wanted) {
    const s = opts.sources.find((x) => x.label === w);
    if (!s) {
      process.stderr.write(`ruledex sync: no source labelled ${JSON.stringify(w)} in ${file} (labels: ${opts.sources.map((x) => JSON.stringify(x.label)).join(', ')})\n`);
      return 2;
    }
    if (!s.upstream) {
      process.stderr.write(`ruledex sync: source ${JSON.stringify(w)} has no upstream in ${file}: nothing to fetch\n`);
      return 2;
    }
  }
  const selected = opts.sources.filter((s): s is ResolvedSource & { upstream: NonNullable<ResolvedSource['upstream']> } => s.upstream !== undefined && (wanted.length === 0 || wanted.includes(s.label)));
  if (selected.length === 0) {
    process.stdout.write(`ruledex sync: no source in ${file} has an upstream: nothing to fetch\n`);
    return 0;
  }
  let failed = 0;
  for (const s of selected) {
    const bar = new DownloadBar(process.stderr, `fetching ${s.label}`, values.quiet !== true);
    const t0 = performance.now();
    const r = await syncUpstream({ url: s.upstream.url, ...(s.upstream.sha256 ? { sha256: s.upstream.sha256 } : {}), dest: s.dir, timeoutMs, onProgress: (d, t) => bar.update(d, t) });
    bar.finish();
    if (!r.ok) {
      failed++;
      process.stderr.write(`ruledex sync: ${s.label}: ${r.message}\n`);
      continue;
    }
    const ref = s.upstream.ref ? ` (${s.upstream.ref})` : '';
    process.stdout.write(`${s.label}${ref}: ${r.files} files from ${mb(r.bytes)} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${r.dir}\n`);
    process.stdout.write(r.verified ? `  sha256 ${r.sha256} (verified)\n` : `  sha256 ${r.sha256} (not pinned: add "sha256": "${r.sha256}" to its upstream to verify future syncs)\n`);
    if (r.skipped.length > 0) process.stdout.write(`  skipped ${r.skipped.length} entries that are not files or folders: ${r.skipped.slice(0, 5).join(', ')}${r.skipped.length > 5 ? ', …' : ''}\n`);
  }
  return failed === 0 ? 0 : 1;
}
