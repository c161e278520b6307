/**
 * <rx-browse>: client-side filters over the server-rendered rule table. Within a facet, checked
 * values are ORed; facets are ANDed. Each value's count is the number of rules it would show
 * given the other facets' selections (live counts). The selection is mirrored in the URL query
 * (`?type=eql&severity=high`), so filtered views can be linked. The rows' facet values come from
 * the browse JSON (`data-facets`, rows in table order), fetched when the element connects; the
 * filters show once it is in.
 */
import { FACET_KEYS, type FacetKey } from '../../views/facet-keys';

interface FacetsJson {
  keys: FacetKey[];
  values: Record<FacetKey, string[]>;
  rows: [string, string, ...number[][]][];
}

interface Row {
  el: HTMLTableRowElement;
  values: Record<FacetKey, string[]>;
  updated: number;
}

const DAY = 86_400_000;

class RxBrowse extends HTMLElement {
  private rows: Row[] = [];
  private form!: HTMLFormElement;
  private reference = 0;

  connectedCallback(): void {
    void this.start();
  }

  private async start(): Promise<void> {
    const form = this.querySelector('form[data-role="filters"]');
    if (!(form instanceof HTMLFormElement) || !this.dataset.facets) return;
    this.form = form;
    this.reference = Date.parse(`${this.dataset.reference ?? ''}T00:00:00Z`);
    let data: FacetsJson;
    try {
      const res = await fetch(this.dataset.facets);
      if (!res.ok) return;
      data = (await res.json()) as FacetsJson;
    } catch {
      // No filters: the table stays whole.
      return;
    }
    const els = [...this.querySelectorAll<HTMLTableRowElement>('tbody tr')];
    if (els.length !== data.rows.length) return;
    this.rows = els.map((el, i) => {
      const row = data.rows[i] as FacetsJson['rows'][number];
      const values = {} as Record<FacetKey, string[]>;
      for (const k of FACET_KEYS) {
        const at = data.keys.indexOf(k);
        const idx = (at >= 0 ? row[2 + at] : undefined) as number[] | undefined;
        values[k] = (idx ?? []).map((n) => data.values[k]?.[n] ?? '').filter((v) => v !== '');
      }
      return { el, values, updated: Date.parse(`${row[1]}T00:00:00Z`) };
    });
    const params = new URLSearchParams(window.location.search);
    for (const k of FACET_KEYS) {
      const wanted = params.getAll(k);
      this.form.querySelectorAll<HTMLInputElement>(`input[name="${k}"]`).forEach((i) => (i.checked = wanted.includes(i.value)));
    }
    const upd = this.form.querySelector<HTMLSelectElement>('select[name="updated"]');
    if (upd) upd.value = params.get('updated') ?? '';
    form.hidden = false;
    form.addEventListener('change', () => this.apply(true));
    form.addEventListener('reset', () => setTimeout(() => this.apply(true), 0));
    this.apply(false);
  }

  private selection(): { facets: Map<FacetKey, Set<string>>; days: number | null } {
    const facets = new Map<FacetKey, Set<string>>();
    for (const k of FACET_KEYS) {
      const set = new Set<string>();
      this.form.querySelectorAll<HTMLInputElement>(`input[name="${k}"]:checked`).forEach((i) => set.add(i.value));
      if (set.size) facets.set(k, set);
    }
    const d = this.form.querySelector<HTMLSelectElement>('select[name="updated"]')?.value ?? '';
    return { facets, days: d === '' ? null : Number(d) };
  }

  private apply(pushUrl: boolean): void {
    const { facets, days } = this.selection();
    const matches = (r: Row, except: FacetKey | null): boolean => {
      if (days !== null && !(r.updated >= this.reference - days * DAY)) return false;
      for (const [k, set] of facets) {
        if (k === except) continue;
        if (!r.values[k].some((v) => set.has(v))) return false;
      }
      return true;
    };
    let shown = 0;
    for (const r of this.rows) {
      const ok = matches(r, null);
      r.el.hidden = !ok;
      if (ok) shown++;
    }
    for (const k of FACET_KEYS) {
      const counts = new Map<string, number>();
      for (const r of this.rows) if (matches(r, k)) for (const v of r.values[k]) counts.set(v, (counts.get(v) ?? 0) + 1);
      this.form.querySelectorAll<HTMLElement>(`fieldset[data-facet="${k}"] [data-count]`).forEach((span) => {
        const n = counts.get(span.dataset.count ?? '') ?? 0;
        span.textContent = String(n);
        span.closest('label')?.classList.toggle('zero', n === 0);
      });
    }
    const out = this.querySelector('[data-role="shown"]');
    if (out) out.textContent = shown.toLocaleString('en-US');
    if (pushUrl) {
      const p = new URLSearchParams();
      for (const [k, set] of facets) for (const v of set) p.append(k, v);
      if (days !== null) p.set('updated', String(days));
      const qs = p.toString();
      history.replaceState(null, '', qs ? `?${qs}` : window.location.pathname);
    }
  }
}

if (!customElements.get('rx-browse')) customElements.define('rx-browse', RxBrowse);
