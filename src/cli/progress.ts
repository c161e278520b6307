/**
 * Progress on stderr while a command works. On a terminal: one counter line, rewritten in place
 * (at most every 80 ms). Otherwise (CI logs, pipes): a line when a phase ends, plus one per
 * quarter for phases that run longer than a second; never a flood.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(s: string): boolean;
}

const LABELS: Record<string, string> = { read: 'reading', decode: 'decoding', assemble: 'assembling', parse: 'parsing', analyse: 'analysing', counts: 'counting', write: 'writing' };
const UNITS: Record<string, string> = { assemble: 'rules', parse: 'rules', analyse: 'rules', counts: 'rules' };

export class Progress {
  private lastDraw = Number.NEGATIVE_INFINITY;
  private phase = '';
  private phaseStart = 0;
  private quarter = 0;
  private drawn = false;
  /** When the previous phase ended (or the progress began): the next phase starts there. */
  private mark: number;

  constructor(
    private readonly out: ProgressStream,
    private readonly enabled = true,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.mark = now();
  }

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  update(phase: string, done: number, total: number): void {
    if (!this.enabled) return;
    const t = this.now();
    if (phase !== this.phase) {
      this.phase = phase;
      this.phaseStart = this.mark;
      this.quarter = 0;
    }
    const label = LABELS[phase] ?? phase;
    const unit = UNITS[phase] ?? 'files';
    const finished = done >= total;
    if (finished) this.mark = t;
    if (this.tty) {
      if (!finished && t - this.lastDraw < 80) return;
      this.lastDraw = t;
      this.out.write(`\r\x1b[2K${label} ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}`);
      this.drawn = true;
      return;
    }
    const elapsed = t - this.phaseStart;
    if (finished) {
      if (this.quarter < 4) this.out.write(`${label}: ${total.toLocaleString('en-US')} ${unit} done (${(elapsed / 1000).toFixed(2)} s)\n`);
      this.quarter = 4;
      return;
    }
    const q = Math.floor((done / Math.max(1, total)) * 4);
    if (elapsed > 1000 && q > this.quarter) {
      this.quarter = q;
      this.out.write(`${label}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${unit}\n`);
    }
  }

  /** Clears the counter line (terminal) before the summary is printed. */
  finish(): void {
    if (this.enabled && this.tty && this.drawn) this.out.write('\r\x1b[2K');
    this.drawn = false;
  }
}
