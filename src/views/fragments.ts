/**
 * Large repeated page fragments (rule lists, indicator tables, the browse table) rendered as
 * HTML strings: every text and attribute value goes through `escapeHtml`, so the result is
 * `SafeHtml`. Rendering thousands of rows as strings instead of as Astro elements keeps the
 * full-corpus build fast.
 */
import type { RuleItem } from './common';
import { escapeHtml as e, type SafeHtml } from './html';
import type { RowView } from './rule-page';
import type { BrowseRow } from './browse';
import { FACET_KEYS } from './facet-keys';

/** Rows with more values than this show them inline (a compact paragraph) instead of a list. */
export const MAX_LISTED_VALUES = 30;

function ruleItemInner(r: RuleItem): string {
  let s = `<a href="${e(r.href)}">${e(r.name)}</a> <span class="badge sev-${e(r.severityClass)}">${e(r.severity)}</span> <span class="muted small">${e(r.typeLabel)}</span>`;
  if (r.buildingBlock) s += ' <span class="muted small">building block</span>';
  if (r.deprecated) s += ' <span class="muted small">deprecated</span>';
  if (r.techniques.length) s += ` <span class="ids">${e(r.techniques.join(' '))}</span>`;
  return s;
}

/** `<ul class="rule-list">` of rules: name, severity, type, status, ATT&CK ids. */
export function ruleListHtml(rules: readonly RuleItem[]): SafeHtml {
  let s = '<ul class="rule-list">';
  for (const r of rules) s += `<li>${ruleItemInner(r)}</li>`;
  return `${s}</ul>` as SafeHtml;
}

function valuesHtml(r: RowView): string {
  const text = (v: { value: string }): string => (v.value === '' ? '<em>(any value)</em>' : e(v.value));
  const count = (v: { corpus: number }): string => (v.corpus > 1 ? `<span class="corpus">${v.corpus}</span>` : '');
  if (r.values.length > MAX_LISTED_VALUES) {
    return `<p class="values-inline">${r.values.map((v) => `<span>${text(v)}${count(v)}</span>`).join(' · ')}</p>`;
  }
  return `<ul class="values">${r.values.map((v) => `<li>${text(v)}${count(v)}</li>`).join('')}</ul>`;
}

/** An exclusions, indicators or scope table. */
export function rowsTableHtml(rows: readonly RowView[], caption: string, valueHeader: string): SafeHtml {
  let s = `<table><caption class="visually-hidden">${e(caption)}</caption><thead><tr><th scope="col">Field</th><th scope="col">Kind</th><th scope="col">${e(valueHeader)} <span class="muted small">(and how many rules in the catalog look for it, when more than this one)</span></th></tr></thead><tbody>`;
  for (const r of rows) {
    s += `<tr><td><a class="mono" href="${e(r.fieldHref)}">${e(r.field)}</a>${r.excluded ? ' <span class="muted small">(excluded)</span>' : ''}</td>`;
    s += `<td><code>${e(r.kind)}</code>${r.caseInsensitive ? ' <span class="muted small" title="matched case-insensitively">ci</span>' : ''}</td>`;
    s += `<td>${valuesHtml(r)}</td></tr>`;
  }
  return `${s}</tbody></table>` as SafeHtml;
}

/** The browse table's body rows, with facet values as data attributes. */
export function browseRowsHtml(rows: readonly BrowseRow[]): SafeHtml {
  let s = '';
  for (const r of rows) {
    s += '<tr';
    for (const k of FACET_KEYS) s += ` data-${k}="${e(r.data[k])}"`;
    s += ` data-updated="${e(r.updated)}">`;
    const it = r.item;
    s += `<td><a href="${e(it.href)}">${e(it.name)}</a>${it.buildingBlock ? ' <span class="muted small">building block</span>' : ''}${it.deprecated ? ' <span class="muted small">deprecated</span>' : ''}</td>`;
    s += `<td><span class="badge sev-${e(it.severityClass)}">${e(it.severity)}</span></td><td>${e(it.typeLabel)}</td><td class="mono small">${e(it.techniques.join(' '))}</td><td class="small">${e(r.updated)}</td></tr>`;
  }
  return s as SafeHtml;
}
