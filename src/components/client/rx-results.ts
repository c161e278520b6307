/** <rx-results>: the search page's full result list for `?q=`. */
import { resultMeta } from './rx-search';

class RxResults extends HTMLElement {
  async connectedCallback(): Promise<void> {
    const q = new URLSearchParams(window.location.search).get('q')?.trim() ?? '';
    const status = this.querySelector('[data-role="status"]');
    const list = this.querySelector('[data-role="list"]');
    if (!status || !list || q === '') return;
    const input = document.querySelector<HTMLInputElement>('rx-search input[type="search"]');
    if (input) input.value = q;
    status.textContent = 'Searching…';
    try {
      const { loadSearcher } = await import('../../search/client');
      const s = await loadSearcher(this.dataset.index ?? '');
      const results = s.search(q);
      const base = this.dataset.base ?? '/';
      status.textContent = `${results.length} rule${results.length === 1 ? '' : 's'} match “${q}”.`;
      list.replaceChildren(
        ...results.map((r) => {
          const li = document.createElement('li');
          const a = document.createElement('a');
          a.href = base + r.path;
          a.textContent = r.name;
          const meta = document.createElement('div');
          meta.className = 'muted small';
          meta.textContent = resultMeta(r);
          li.append(a, meta);
          return li;
        }),
      );
    } catch (e) {
      status.textContent = `The search index could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
}

if (!customElements.get('rx-results')) customElements.define('rx-results', RxResults);
