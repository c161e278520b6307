/**
 * A static redirect page (a rule's name slug or former name → its canonical page): meta refresh,
 * rel=canonical, noindex, and a plain link. `ruledex build` writes these itself (thousands of
 * pages with nothing for Astro to do); `Redirect.astro` renders the same text for `astro dev`.
 */
import { CSP } from './chrome';
import { escapeHtml } from './html';

export interface RedirectPage {
  /** The rule's name (untrusted text). */
  name: string;
  /** Where the page leads (a site path, base included). */
  target: string;
  /** The same as an absolute URL when the site's origin is known (else the path). */
  canonical: string;
}

export function redirectHtml(p: RedirectPage): string {
  const name = escapeHtml(p.name);
  const target = escapeHtml(p.target);
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}">` +
    `<title>${name}</title><meta name="robots" content="noindex"><link rel="canonical" href="${escapeHtml(p.canonical)}">` +
    `<meta http-equiv="refresh" content="0; url=${target}"></head>` +
    `<body><p>This page has moved to <a href="${target}">${name}</a>.</p></body></html>\n`
  );
}
