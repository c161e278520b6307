import { describe, expect, it } from 'vitest';
import { DownloadBar } from '../../../src/cli/commands/sync';

function stream(isTTY: boolean): { isTTY: boolean; text: string; write(s: string): boolean } {
  return { isTTY, text: '', write(s: string) { this.text += s; return true; } };
}

describe('DownloadBar', () => {
  it('draws a bar in place on a terminal, throttled, and clears it', () => {
    const out = stream(true);
    let now = 0;
    const bar = new DownloadBar(out, 'fetching Elastic', true, () => now);
    bar.update(500_000, 2_000_000);
    now = 10;
    bar.update(1_000_000, 2_000_000); // within 80 ms: not drawn
    now = 100;
    bar.update(2_000_000, 2_000_000);
    bar.finish();
    expect(out.text).toBe(
      `\r\x1b[2Kfetching Elastic [${'#'.repeat(6)}${'-'.repeat(18)}]  25% 0.5 MB / 2.0 MB` +
        `\r\x1b[2Kfetching Elastic [${'#'.repeat(24)}] 100% 2.0 MB / 2.0 MB\r\x1b[2K`,
    );
  });
  it('writes a line per quarter (or per 5 MB without a length) elsewhere', () => {
    const out = stream(false);
    const bar = new DownloadBar(out, 'fetching X');
    for (const n of [100, 300, 600, 1000]) bar.update(n * 1000, 1_000_000);
    const unknown = new DownloadBar(out, 'fetching Y');
    for (const n of [1, 4, 6, 11]) unknown.update(n * 1e6, null);
    expect(out.text).toBe('fetching X: 0.3 MB of 1.0 MB (30%)\nfetching X: 0.6 MB of 1.0 MB (60%)\nfetching X: 1.0 MB of 1.0 MB (100%)\nfetching Y: 6.0 MB\nfetching Y: 11.0 MB\n');
  });
});
