/**
 * <rx-evaluator>: wires the server-rendered evaluator form. The evaluator itself (src/eval with
 * the query parsers) is a separate chunk imported when the form scrolls into view or is used;
 * large examples and the near miss come from the rule's examples JSON, fetched on demand.
 */
import type { EvalSession } from './evaluator-run';

type Input = { events?: readonly unknown[]; history?: readonly unknown[]; indicators?: readonly unknown[] };
interface ExamplesJson {
  example: Input;
  nearMiss: Input | null;
  nearMissNote: string;
}

const pretty = (events: readonly unknown[] | undefined): string =>
  !events || events.length === 0 ? '[]' : `[\n${events.map((e) => `  ${JSON.stringify(e)}`).join(',\n')}\n]`;

class RxEvaluator extends HTMLElement {
  private session: Promise<EvalSession> | null = null;
  private examples: Promise<ExamplesJson> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  connectedCallback(): void {
    const controls = this.el('controls');
    if (controls) controls.hidden = false;
    const start = (): void => void this.first();
    if ('IntersectionObserver' in window) {
      const io = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          io.disconnect();
          start();
        }
      });
      io.observe(this);
    }
    this.addEventListener('focusin', start, { once: true });
    this.querySelectorAll('textarea').forEach((t) =>
      t.addEventListener('input', () => {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.run(), 250);
      }),
    );
    this.querySelector('[data-action="run"]')?.addEventListener('click', () => void this.run());
    this.querySelector('[data-action="example"]')?.addEventListener('click', () => void this.load('example'));
    this.querySelector('[data-action="near-miss"]')?.addEventListener('click', () => void this.load('nearMiss'));
    this.el('pick')?.addEventListener('change', () => void this.session?.then((s) => s.showTrace()));
  }

  private el<T extends HTMLElement = HTMLElement>(role: string): T | null {
    return this.querySelector<T>(`[data-role="${role}"]`);
  }

  private fetchExamples(): Promise<ExamplesJson> {
    if (this.dataset.synthesise === 'yes') {
      // The build gave up on this example: make it here (a separate chunk, loaded only for such rules).
      const loading = this.el('loading');
      if (loading && !this.examples) loading.textContent = 'Making an example in your browser…';
      this.examples ??= new Promise((ok) => setTimeout(ok, 20))
        .then(() => import('./synthesise-run'))
        .then((m) => {
          const r = m.synthesise(this);
          if ('error' in r) throw new Error(r.error);
          if (loading) loading.textContent = '';
          return r as ExamplesJson;
        });
      return this.examples;
    }
    this.examples ??= fetch(this.dataset.examples ?? '').then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.json() as Promise<ExamplesJson>;
    });
    return this.examples;
  }

  private fill(input: Input): void {
    for (const role of ['events', 'history', 'indicators'] as const) {
      const t = this.el<HTMLTextAreaElement>(role);
      if (t) t.value = pretty(input[role]);
    }
  }

  /** Puts the example (or the near miss) in the editors, then evaluates. */
  private async load(which: 'example' | 'nearMiss'): Promise<void> {
    const inline = this.dataset.external !== 'yes' && this.dataset.synthesise !== 'yes';
    if (which === 'example' && inline) {
      this.querySelectorAll('textarea').forEach((t) => (t.value = t.defaultValue));
    } else {
      const loading = this.el('loading');
      try {
        const ex = await this.fetchExamples();
        const input = which === 'example' ? ex.example : ex.nearMiss;
        if (input) this.fill(input);
      } catch (e) {
        if (loading) loading.textContent = `The example could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
        return;
      }
    }
    await this.run();
  }

  /** First use: load a large example into the empty editor, then evaluate. */
  private async first(): Promise<void> {
    const events = this.el<HTMLTextAreaElement>('events');
    if ((this.dataset.external === 'yes' || this.dataset.synthesise === 'yes') && events && events.value.trim() === '') await this.load('example');
    else await this.run();
  }

  private async run(): Promise<void> {
    const loading = this.el('loading');
    if (!this.session) {
      if (loading) loading.textContent = 'Loading the evaluator…';
      this.session = import('./evaluator-run').then((m) => m.createSession(this));
    }
    let s: EvalSession;
    try {
      s = await this.session;
    } catch (e) {
      if (loading) loading.textContent = `The evaluator could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
      this.session = null;
      return;
    }
    if (loading) loading.textContent = '';
    s.evaluate();
  }
}

if (!customElements.get('rx-evaluator')) customElements.define('rx-evaluator', RxEvaluator);
