/**
 * <rx-search>: the header search box as a combobox. The index (`data-index`) loads on first
 * focus (or first `/`); typing lists up to 12 results with ATT&CK ids and severity; arrows move,
 * Enter opens the selected result (or the search page), Escape closes. `/` anywhere focuses it.
 */
import type { SearchResult, Searcher } from '../../search/client';

const LIMIT = 12;

let searcherPromise: Promise<Searcher> | null = null;

function loadIndex(url: string): Promise<Searcher> {
  searcherPromise ??= import('../../search/client').then((m) => m.loadSearcher(url));
  return searcherPromise;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function resultMeta(r: SearchResult): string {
  const parts = [r.severity, r.type];
  if (r.techniques.length) parts.push(r.techniques.join(' '));
  if (r.buildingBlock) parts.push('building block');
  if (r.deprecated) parts.push('deprecated');
  return parts.join(' · ');
}

class RxSearch extends HTMLElement {
  private input!: HTMLInputElement;
  private list!: HTMLUListElement;
  private results: SearchResult[] = [];
  private active = -1;
  private seq = 0;

  connectedCallback(): void {
    const input = this.querySelector('input[type="search"]');
    const list = this.querySelector('ul[role="listbox"]');
    if (!(input instanceof HTMLInputElement) || !(list instanceof HTMLUListElement)) return;
    this.input = input;
    this.list = list;
    const url = this.dataset.index ?? '';
    input.addEventListener('focus', () => void loadIndex(url).catch(() => undefined), { once: true });
    input.addEventListener('input', () => void this.update());
    input.addEventListener('keydown', (e) => this.onKey(e));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
    document.addEventListener('keydown', (e) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target;
      if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  private base(): string {
    return this.dataset.base ?? '/';
  }

  private async update(): Promise<void> {
    const q = this.input.value.trim();
    const seq = ++this.seq;
    if (q === '') {
      this.close();
      return;
    }
    let searcher: Searcher;
    try {
      searcher = await loadIndex(this.dataset.index ?? '');
    } catch {
      this.status('The search index could not be loaded.');
      return;
    }
    if (seq !== this.seq) return;
    this.results = searcher.search(q, LIMIT);
    this.active = this.results.length > 0 ? 0 : -1;
    this.render(q);
  }

  private status(text: string): void {
    this.list.replaceChildren(el('li', 'search-status', text));
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  private render(q: string): void {
    if (this.results.length === 0) {
      this.status(`No rules match “${q}”.`);
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    const items = this.results.map((r, i) => {
      const li = el('li');
      li.id = `rx-opt-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === this.active));
      li.dataset.href = this.base() + r.path;
      const a = el('a', 'name', r.name);
      a.href = this.base() + r.path;
      a.tabIndex = -1;
      li.append(a, el('span', 'meta', resultMeta(r)));
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        window.location.assign(this.base() + r.path);
      });
      return li;
    });
    this.list.replaceChildren(...items);
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.mark();
  }

  private mark(): void {
    this.list.querySelectorAll('li[role="option"]').forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
    if (this.active >= 0) {
      this.input.setAttribute('aria-activedescendant', `rx-opt-${this.active}`);
      this.list.querySelector(`#rx-opt-${this.active}`)?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private onKey(e: KeyboardEvent): void {
    const n = this.results.length;
    if (e.key === 'ArrowDown' && n > 0) {
      e.preventDefault();
      if (this.list.hidden) this.list.hidden = false;
      this.active = (this.active + 1) % n;
      this.mark();
    } else if (e.key === 'ArrowUp' && n > 0) {
      e.preventDefault();
      this.active = (this.active - 1 + n) % n;
      this.mark();
    } else if (e.key === 'Enter') {
      const r = this.results[this.active];
      if (!this.list.hidden && r) {
        e.preventDefault();
        window.location.assign(this.base() + r.path);
      }
    } else if (e.key === 'Escape') {
      this.close();
    }
  }
}

if (!customElements.get('rx-search')) customElements.define('rx-search', RxSearch);
