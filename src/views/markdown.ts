/**
 * Untrusted markdown (investigation guides, setup notes, descriptions) → safe HTML: remark parses
 * it (CommonMark), a small renderer turns the mdast into HTML (text escaped; raw HTML blocks
 * passed on), then sanitize-html keeps only a strict allow-list of tags, attributes and URL
 * schemes. Headings are shifted down so they nest under the page's own section heading.
 *
 * Raw HTML whose tag name is no HTML element is text, not markup: guides write placeholders and
 * XML that way (`kill -9 <pid>`, `<Networking>Disable</Networking>`), and the sanitiser would
 * drop those tags, and with them what the guide says. Such tags are escaped before sanitising (and
 * kept in the plain text); real HTML elements off the allow-list are still removed.
 *
 * That is the reference path (`renderMarkdownReference`, `markdownTextReference`). Most texts take
 * the fast path of markdown-fast.ts instead, which gives the same output byte for byte for the
 * subset of CommonMark it reads and hands anything else (raw HTML included) to the reference path.
 *
 * Build-time only (sanitize-html is a Node package).
 */
import type { Nodes, Root, RootContent, Definition } from 'mdast';
import remarkParse from 'remark-parse';
import sanitizeHtml from 'sanitize-html';
import { unified } from 'unified';
import { escapeHtml, trustSanitised, type SafeHtml } from './html';
import { highlight } from './highlight';
import { CODE_LANGS, fastMarkdown, WANT_HTML, WANT_TEXT } from './markdown-fast';

export interface MarkdownOptions {
  /** The level markdown `#` becomes (default 3: under a page's `<h2>` section). */
  topHeading?: number;
}

const TOKEN_CLASSES = ['t-kw', 't-str', 't-num', 't-op', 't-fld', 't-fn', 't-cmt', 't-val', 't-key', 't-sec', 't-lit', 't-cat'];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong', 'del', 'a', 'span',
    'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'kbd', 'sub', 'sup', 'dl', 'dt', 'dd',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'], span: ['class'], code: ['class'] },
  allowedClasses: { span: TOKEN_CLASSES, code: ['hl'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  enforceHtmlBoundary: false,
  transformTags: {
    // Links: absolute http(s) or mailto only (attribute values arrive entity-decoded); any other
    // link keeps its text as a plain span.
    a: (tagName, attribs) => {
      const href = (attribs.href ?? '').trim();
      if (!/^(?:https?:\/\/[^/]|mailto:)/i.test(href)) return { tagName: 'span', attribs: {} };
      return { tagName, attribs: { href, ...(attribs.title ? { title: attribs.title } : {}), rel: 'nofollow noopener noreferrer' } };
    },
    h1: 'h3',
    h2: 'h4',
  },
};

/** Element names of HTML (current and obsolete): a tag with any other name is shown as text. */
const HTML_ELEMENTS = new Set(
  (
    'a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote body br button ' +
    'canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset figcaption ' +
    'figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd ' +
    'keygen label legend li link listing main map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed ' +
    'noframes noscript object ol optgroup option output p param picture plaintext pre progress q rb rp rt rtc ruby s samp script ' +
    'search section select slot small source spacer span strike strong style sub summary sup svg table tbody td template textarea ' +
    'tfoot th thead time title tr track tt u ul var video wbr xmp'
  ).split(' '),
);

/** An opening or closing tag (attributes, if any, without markup inside), as raw HTML writes it. */
const TAG = /<\/?([A-Za-z][A-Za-z0-9:_-]*)((?:\s[^<>]*)?)\/?>/g;

/** Raw HTML with the tags that name no HTML element escaped (shown as the text they are). */
export function escapeNonHtmlTags(html: string): string {
  return html.replace(TAG, (tag: string, name: string) => (HTML_ELEMENTS.has(name.toLowerCase()) ? tag : escapeHtml(tag)));
}

/** The text a raw HTML node shows once sanitised: tags that name no element are text, the rest markup. */
function htmlNodeText(html: string): string {
  return decodeTextEntities(sanitizeHtml(escapeNonHtmlTags(html), { allowedTags: [], allowedAttributes: {} }));
}

/** Undoes sanitize-html's escaping of text (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`). */
function decodeTextEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => (e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : "'"));
}

interface Ctx {
  top: number;
  defs: Map<string, Definition>;
}

function children(nodes: readonly RootContent[], ctx: Ctx): string {
  let out = '';
  for (const n of nodes) out += node(n, ctx);
  return out;
}

function attrUrl(url: string): string {
  return escapeHtml(url.trim());
}

function node(n: Nodes, ctx: Ctx): string {
  switch (n.type) {
    case 'root':
      return children(n.children, ctx);
    case 'paragraph':
      return `<p>${children(n.children, ctx)}</p>\n`;
    case 'heading': {
      const level = Math.min(6, n.depth - 1 + ctx.top);
      return `<h${level}>${children(n.children, ctx)}</h${level}>\n`;
    }
    case 'thematicBreak':
      return '<hr>\n';
    case 'blockquote':
      return `<blockquote>${children(n.children, ctx)}</blockquote>\n`;
    case 'list': {
      const tag = n.ordered ? 'ol' : 'ul';
      const start = n.ordered && typeof n.start === 'number' && n.start !== 1 ? ` start="${n.start}"` : '';
      const items = n.children
        .map((li) => {
          // Tight lists: paragraphs without <p>.
          const inner = n.spread || li.spread ? children(li.children, ctx) : li.children.map((c) => (c.type === 'paragraph' ? children(c.children, ctx) : node(c, ctx))).join('');
          return `<li>${inner}</li>`;
        })
        .join('\n');
      return `<${tag}${start}>\n${items}\n</${tag}>\n`;
    }
    case 'listItem':
      return `<li>${children(n.children, ctx)}</li>`;
    case 'code': {
      const lang = n.lang ? CODE_LANGS[n.lang.toLowerCase()] : undefined;
      const body = lang ? highlight(lang, n.value) : escapeHtml(n.value);
      return `<pre><code${lang ? ' class="hl"' : ''}>${body}</code></pre>\n`;
    }
    case 'html':
      // Raw HTML goes to the sanitiser, which keeps only the allow-list; tags that are no HTML
      // element are text (see above).
      return escapeNonHtmlTags(n.value);
    case 'text':
      return escapeHtml(n.value);
    case 'emphasis':
      return `<em>${children(n.children, ctx)}</em>`;
    case 'strong':
      return `<strong>${children(n.children, ctx)}</strong>`;
    case 'delete':
      return `<del>${children(n.children, ctx)}</del>`;
    case 'inlineCode':
      return `<code>${escapeHtml(n.value)}</code>`;
    case 'break':
      return '<br>\n';
    case 'link':
      return `<a href="${attrUrl(n.url)}"${n.title ? ` title="${escapeHtml(n.title)}"` : ''}>${children(n.children, ctx)}</a>`;
    case 'linkReference': {
      const def = ctx.defs.get(n.identifier.toLowerCase());
      const inner = children(n.children, ctx);
      return def ? `<a href="${attrUrl(def.url)}">${inner}</a>` : inner;
    }
    case 'image':
      // No images: they would load from other origins. Keep the description.
      return escapeHtml(n.alt ?? '');
    case 'imageReference':
      return escapeHtml(n.alt ?? '');
    case 'definition':
    case 'footnoteDefinition':
    case 'yaml':
      return '';
    case 'footnoteReference':
      return escapeHtml(`[${n.label ?? n.identifier}]`);
    case 'table':
      return `<table>${n.children.map((r) => node(r, ctx)).join('')}</table>\n`;
    case 'tableRow':
      return `<tr>${n.children.map((c) => node(c, ctx)).join('')}</tr>`;
    case 'tableCell':
      return `<td>${children(n.children, ctx)}</td>`;
    default:
      return '';
  }
}

function collectDefs(n: Nodes, out: Map<string, Definition>): void {
  if (n.type === 'definition') {
    const key = n.identifier.toLowerCase();
    if (!out.has(key)) out.set(key, n);
  }
  if ('children' in n) for (const c of n.children) collectDefs(c as Nodes, out);
}

const parser = unified().use(remarkParse);

/** Markdown → sanitised HTML. */
export function renderMarkdown(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  const fast = fastMarkdown(markdown, options.topHeading ?? 3, WANT_HTML);
  return fast !== null ? trustSanitised(fast.html) : renderMarkdownReference(markdown, options);
}

/** `renderMarkdown` and `markdownText` of the same text, from one parse when the fast path reads it. */
export function renderMarkdownAndText(markdown: string, options: MarkdownOptions = {}): { html: SafeHtml; text: string } {
  const fast = fastMarkdown(markdown, options.topHeading ?? 3, WANT_HTML | WANT_TEXT);
  if (fast !== null) return { html: trustSanitised(fast.html), text: fast.text };
  return { html: renderMarkdownReference(markdown, options), text: markdownTextReference(markdown) };
}

/** Markdown → sanitised HTML through remark and sanitize-html (the reference the fast path must equal). */
export function renderMarkdownReference(markdown: string, options: MarkdownOptions = {}): SafeHtml {
  const tree = parser.parse(markdown) as Root;
  const defs = new Map<string, Definition>();
  collectDefs(tree, defs);
  const raw = node(tree, { top: options.topHeading ?? 3, defs });
  return sanitise(raw);
}

/** Runs HTML through the allow-list. */
export function sanitise(html: string): SafeHtml {
  return trustSanitised(sanitizeHtml(html, SANITIZE).trim());
}

/** Plain text of markdown (for meta descriptions and search): no markup, collapsed spaces. */
export function markdownText(markdown: string): string {
  const fast = fastMarkdown(markdown, 3, WANT_TEXT);
  return fast !== null ? fast.text : markdownTextReference(markdown);
}

/** `markdownText` through remark (the reference the fast path must equal). */
export function markdownTextReference(markdown: string): string {
  const tree = parser.parse(markdown) as Root;
  const parts: string[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'text' || n.type === 'inlineCode' || n.type === 'code') parts.push(n.value);
    else if (n.type === 'html') parts.push(htmlNodeText(n.value));
    else if ('children' in n) for (const c of n.children) walk(c as Nodes);
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'listItem') parts.push(' ');
  };
  walk(tree);
  return parts.join('').replace(/\s+/g, ' ').trim();
}
