/**
 * Large repeated page fragments (rule lists, indicator tables, the browse table) rendered as
 * HTML strings: every attribute value goes through `escapeHtml` and every text through
 * `escapeText` (or `escapeHtml`), so the result is `SafeHtml`. Rendering thousands of rows as strings instead of as Astro elements keeps the
 * full-corpus build fast.
 */
import type { RuleItem } from './common';
import { escapeHtml as e, escapeText, type SafeHtml } from './html';
import type { RowValueView, RowView } from './rule-page';
import type { BrowseRow } from './browse';

/** Rows with more values than this show them inline (a compact paragraph) instead of a list. */
export const MAX_LISTED_VALUES = 30;

/** A rule item's markup, made once per item (items are shared: see `ruleItem`). */
const innerHtml = new WeakMap<RuleItem, string>();

function ruleItemInner(r: RuleItem): string {
  let s = innerHtml.get(r);
  if (s === undefined) innerHtml.set(r, (s = makeRuleItemInner(r)));
  return s;
}

function makeRuleItemInner(r: RuleItem): string {
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

/** A row shows at most this many values; the rest are counted and the full list is in the rule's JSON (and the query). */
export const MAX_ROW_VALUES = 40;
/** A table shows at most about this many values in all: later rows show fewer (at least `MIN_ROW_VALUES`). */
export const MAX_TABLE_VALUES = 200;
export const MIN_ROW_VALUES = 8;

/** Where the full value lists are, for rows shown as a preview. */
export interface MoreValues {
  /** The rule's JSON (every value of every row). */
  href: string;
}

function valuesHtml(r: RowView, limit: number, more: MoreValues | null): string {
  const text = (v: { value: string }): string => (v.value === '' ? '<em>(any value)</em>' : escapeText(v.value));
  const count = (v: { corpus: number }): string => (v.corpus > 1 ? `<span class="corpus">${v.corpus}</span>` : '');
  const shown = r.values.length > limit ? r.values.slice(0, limit) : r.values;
  let s: string;
  if (r.values.length > MAX_LISTED_VALUES || shown.length < r.values.length) {
    s = `<p class="values-inline">${shown.map((v) => `<span>${text(v)}${count(v)}</span>`).join(' · ')}</p>`;
  } else {
    s = shown.length === 1 ? `<span class="value">${text(shown[0] as RowValueView)}${count(shown[0] as RowValueView)}</span>` : `<ul class="values">${shown.map((v) => `<li>${text(v)}${count(v)}</li>`).join('')}</ul>`;
  }
  if (shown.length < r.values.length) {
    const rest = r.values.length - shown.length;
    const shared = r.values.reduce((n, v) => n + (v.corpus > 1 ? 1 : 0), 0);
    s += `<p class="muted small">… and ${rest.toLocaleString('en-US')} more (${r.values.length.toLocaleString('en-US')} values in all${shared > 0 ? `, ${shared.toLocaleString('en-US')} of them also in other rules` : ''}): every value is in the query above${more ? ` and in <a href="${e(more.href)}">this rule as JSON</a>` : ''}.</p>`;
  }
  return s;
}

/** A table shows at most this many rows; the rest are counted by field (every row is in the query and the rule's JSON). */
export const MAX_TABLE_ROWS = 80;

/**
 * An exclusions, indicators or scope table. Rows with many values show a bounded preview (see
 * `MAX_ROW_VALUES`, `MAX_TABLE_VALUES`), and tables with many rows their first `MAX_TABLE_ROWS`,
 * with counts and a link to the full data (`more`). The markup is lean (one class on the table,
 * no per-row titles): a rule can have hundreds of rows.
 */
export function rowsTableHtml(rows: readonly RowView[], caption: string, valueHeader: string, more: MoreValues | null = null): SafeHtml {
  let s = `<table class="rows"><caption class="visually-hidden">${e(caption)}</caption><thead><tr><th scope="col">Field</th><th scope="col">Kind <span class="muted small">(ci: case-insensitive)</span></th><th scope="col">${e(valueHeader)} <span class="muted small">(and how many rules in the catalog look for it, when more than this one)</span></th></tr></thead><tbody>`;
  let budget = MAX_TABLE_VALUES;
  const shown = rows.length > MAX_TABLE_ROWS ? rows.slice(0, MAX_TABLE_ROWS) : rows;
  for (const r of shown) {
    const limit = Math.max(MIN_ROW_VALUES, Math.min(MAX_ROW_VALUES, budget));
    budget -= Math.min(limit, r.values.length);
    s += `<tr><td><a href="${e(r.fieldHref)}">${escapeText(r.field)}</a>${r.excluded ? ' <span class="muted small">(excluded)</span>' : ''}</td>`;
    s += `<td><code>${escapeText(r.kind)}</code>${r.caseInsensitive ? ' <small class="muted">ci</small>' : ''}</td>`;
    s += `<td>${valuesHtml(r, limit, more)}</td></tr>`;
  }
  s += '</tbody></table>';
  if (shown.length < rows.length) {
    const byField = new Map<string, number>();
    for (const r of rows.slice(shown.length)) byField.set(r.field, (byField.get(r.field) ?? 0) + 1);
    const fields = [...byField].map(([f, n]) => `${escapeText(f)}${n > 1 ? ` ×${n}` : ''}`).join(', ');
    s += `<p class="muted small">… and ${(rows.length - shown.length).toLocaleString('en-US')} more rows (${rows.length.toLocaleString('en-US')} in all; fields: ${fields}): every row is in the query above${more ? ` and in <a href="${e(more.href)}">this rule as JSON</a>` : ''}.</p>`;
  }
  return s as SafeHtml;
}

/**
 * The browse table's body rows (lean: the filters' facet values are in the browse JSON, see
 * `browseFacetsJson`, whose rows are in the same order).
 */
export function browseRowsHtml(rows: readonly BrowseRow[]): SafeHtml {
  let s = '';
  for (const r of rows) {
    const it = r.item;
    s += `<tr><td><a href="${e(it.href)}">${escapeText(it.name)}</a>${it.buildingBlock ? ' <span class="muted small">building block</span>' : ''}${it.deprecated ? ' <span class="muted small">deprecated</span>' : ''}</td>`;
    s += `<td><span class="badge sev-${e(it.severityClass)}">${escapeText(it.severity)}</span></td><td>${escapeText(it.typeLabel)}</td><td>${escapeText(it.techniques.join(' '))}</td><td>${escapeText(r.updated)}</td></tr>`;
  }
  return s as SafeHtml;
}
