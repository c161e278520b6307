/**
 * HTML strings the pages may insert with `set:html`: only values of type `SafeHtml`, and only
 * this module (escaping) and `markdown.ts` (sanitising) make them. Everything else a page prints
 * goes through Astro's own escaping.
 */

declare const safeBrand: unique symbol;
/** A string of HTML known to be safe: built from escaped text or sanitised markdown. */
export type SafeHtml = string & { readonly [safeBrand]: true };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes text for an HTML text node only (never an attribute value): quotes stay as they are,
 * which keeps quoted-string-heavy query and TOML text small.
 */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c] as string);
}

/** Text as safe HTML. */
export function text(s: string): SafeHtml {
  return escapeHtml(s) as SafeHtml;
}

/** Joins safe fragments. */
export function join(parts: readonly SafeHtml[], sep = ''): SafeHtml {
  return parts.join(escapeHtml(sep)) as SafeHtml;
}

const CLASS = /^[a-z][a-z0-9-]*$/;

/** `<span class="…">text</span>` (class names are checked, text escaped). */
export function span(cls: string, inner: SafeHtml): SafeHtml {
  if (!CLASS.test(cls)) throw new Error(`bad class name ${JSON.stringify(cls)}`);
  return `<span class="${cls}">${inner}</span>` as SafeHtml;
}

/** Marks a string produced by a trusted sanitiser as safe (for `markdown.ts` only). */
export function trustSanitised(html: string): SafeHtml {
  return html as SafeHtml;
}
