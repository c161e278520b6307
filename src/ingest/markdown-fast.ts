/**
 * A fast block reader for the parts of Elastic rule pages that `decodeMarkdown` parses (the header
 * before the first `##` and the `## Rule query` section), giving the top-level mdast nodes remark
 * gives, or `null` when a chunk holds anything outside the small subset below; the caller then
 * parses that chunk with remark, which stays the reference.
 *
 * Subset (CommonMark, as remark-parse 11 reads it without extensions):
 * - blocks at indent 0-3: ATX headings, fenced code (``` or ~~~, any length, indented or not,
 *   closed or running to the end of the chunk), paragraphs (ended by a blank line, a heading, a
 *   fence or a bullet item), and bullet lists at indent 0 (`*`, `-`, `+`) of one-line items, each
 *   optionally with one nested bullet list of one-line items at one indent of 2-5 spaces (the
 *   ATT&CK block);
 * - anything else (tabs or `]:` outside code, CR, NUL, indented code, block quotes, HTML, thematic
 *   breaks, setext headings, ordered lists, lazy continuation lines, deeper nesting) makes the
 *   whole chunk `null`. `]:` anywhere outside code rules out link reference definitions, so
 *   bracketed text that is not an inline link stays literal, here and in remark.
 *
 * What the decoder reads, and so what the nodes carry: `type`, heading `depth`, top-level and
 * list-item `position` (exact, as remark gives it), the text of headings, whether a paragraph is a
 * `**Label**: rest` fact and then its label and rest, the item texts of a list that follows a fact,
 * and code `value` / `lang` / `meta`. Inline content is read by `inlineText` only when it is plain
 * text, code spans and simple inline links; otherwise that one block (a heading line, a fact
 * paragraph, a list item) goes to remark alone, which gives the same nodes as in its chunk because
 * the chunk has no link reference definitions. What the decoder does not read is not parsed inline:
 * a paragraph that cannot be a fact, and the items of a list that does not follow a fact, hold a
 * single `text` node with their source, marked `data.source = true` (the decoder reads them by
 * offset only: the description). Tests compare these nodes with remark's on every page we have.
 */
import type { Code, Heading, List, ListItem, Nodes, Paragraph, Root, RootContent, Strong, Text } from 'mdast';

/** Parses markdown with remark (the reference parser). */
export type BlockParser = (markdown: string) => Root;

/** Counters for benchmarks and tests: chunks read here or left to remark, and blocks sent to remark one by one. */
export interface FastStats {
  chunks: number;
  fallbackChunks: number;
  blocks: number;
  remarkBlocks: number;
}

const ATX = /^ {0,3}(#{1,6})(?: |$)/;
const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const THEMATIC = /^ {0,3}([*_-])(?: *\1){2,} *$/;
const ORDERED = /^ {0,3}\d{1,9}[.)](?: |$)/;
const FACT_START = /^ {0,3}\*\*[^*\s]/;
/** A character reference (`&amp;`, `&#58;`, `&#x3A;`) or something that may be one. */
const ENTITY = /^&(?:#|[A-Za-z0-9]+;)/;
/** Link destinations read without remark: no spaces, brackets, parentheses, quotes, escapes or markup. */
const DESTINATION = /^[A-Za-z0-9\-._~:/?#@$&+,;=%]+$/;
const ALNUM = /[A-Za-z0-9]/;
const BLANK = /^ *$/;

/** Any character that may start inline markup other than `*` and `_` (counted apart). */
const INLINE_SPECIAL = /[\\<[\]!&`\0\t\n\r]/;
const INLINE_SPECIAL_G = /[\\<[\]!&`\0\t\n\r]/g;

/** Whether `s` holds at most `max` runs of `*` (one run alone cannot open and close emphasis). */
function starRunsAtMost(s: string, max: number): boolean {
  let runs = 0;
  for (let k = s.indexOf('*'); k >= 0; k = s.indexOf('*', k)) {
    if (++runs > max) return false;
    while (s.charCodeAt(k) === 42) k++;
  }
  return true;
}

/** Whether `s` holds at most one run of `_` that could open or close emphasis (runs between ASCII letters or digits cannot). */
function underscoresInert(s: string): boolean {
  let live = 0;
  for (let k = s.indexOf('_'); k >= 0; k = s.indexOf('_', k)) {
    const start = k;
    while (s.charCodeAt(k) === 95) k++;
    if (!(start > 0 && ALNUM.test(s[start - 1]!) && k < s.length && ALNUM.test(s[k]!)) && ++live > 1) return false;
  }
  return true;
}

/**
 * `toString()` of the inline content of one line, when it is plain text, code spans (one backtick,
 * no brackets inside, not padded with spaces), bracketed text not followed by `(`, and inline links
 * `[text](destination)`; null otherwise. At most one run of `*` and one live run of `_` (a lone
 * delimiter run cannot open and close emphasis). Assumes the chunk has no link reference
 * definitions (no `]:`), so bracketed text not followed by `(` stays literal.
 */
export function inlineText(s: string): string | null {
  if (s.includes('*') && !starRunsAtMost(s, 1)) return null;
  if (s.includes('_') && !underscoresInert(s)) return null;
  if (!INLINE_SPECIAL.test(s)) return s;
  let out = '';
  let k = 0;
  let label: string | null = null; // text inside `[` … while reading a bracket
  for (;;) {
    INLINE_SPECIAL_G.lastIndex = k;
    const m = INLINE_SPECIAL_G.exec(s);
    const at = m ? m.index : s.length;
    if (label === null) out += s.slice(k, at);
    else label += s.slice(k, at);
    if (!m) return label === null ? out : null;
    const c = s.charCodeAt(at);
    k = at + 1;
    if (c === 96 /* ` */) {
      if (s.charCodeAt(k) === 96) return null;
      const close = s.indexOf('`', k);
      if (close < 0 || s.charCodeAt(close + 1) === 96) return null;
      const code = s.slice(k, close);
      if (code === '' || code.charCodeAt(0) === 32 || code.charCodeAt(code.length - 1) === 32 || /[[\]\n\r]/.test(code)) return null;
      if (label === null) out += code;
      else label += code;
      k = close + 1;
    } else if (c === 38 /* & */) {
      if (ENTITY.test(s.slice(at, at + 34))) return null;
      if (label === null) out += '&';
      else label += '&';
    } else if (c === 33 /* ! */) {
      if (s.charCodeAt(k) === 91) return null;
      if (label === null) out += '!';
      else label += '!';
    } else if (c === 91 /* [ */) {
      if (label !== null) return null;
      label = '';
    } else if (c === 93 /* ] */) {
      if (label === null || label === '') return null;
      if (s.charCodeAt(k) === 40 /* ( */) {
        const close = s.indexOf(')', k);
        if (close < 0 || !DESTINATION.test(s.slice(k + 1, close))) return null;
        out += label;
        k = close + 1;
      } else {
        out += `[${label}]`;
      }
      label = null;
    } else {
      return null; // backslash, `<`, NUL, tab, line ending
    }
  }
}

/** Moves every position in a node parsed from a slice of the chunk to chunk coordinates. */
function shift(node: Nodes, offset: number, lines: number): void {
  const p = node.position;
  if (p) {
    p.start = { line: p.start.line + lines, column: p.start.column, offset: (p.start.offset ?? 0) + offset };
    p.end = { line: p.end.line + lines, column: p.end.column, offset: (p.end.offset ?? 0) + offset };
  }
  if ('children' in node) for (const c of node.children) shift(c, offset, lines);
}

/**
 * The chunk's top-level nodes, or null when the chunk is outside the subset. Positions are chunk
 * offsets (add the chunk's base like remark's).
 */
export function fastParse(text: string, remark: BlockParser, stats?: FastStats): RootContent[] | null {
  if (stats) stats.chunks++;
  const out = text.includes('\r') || text.includes('\0') ? null : new ChunkReader(text, remark, stats).read();
  if (out === null && stats) stats.fallbackChunks++;
  return out;
}

type Point = { line: number; column: number; offset: number };
type Position = { start: Point; end: Point };

class ChunkReader {
  /** The chunk's lines (without line endings) and the offsets of their starts and ends. */
  private readonly lines: string[];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly n: number;
  /** Whether any line holds a tab or `]:` (then lines outside code are checked one by one). */
  private readonly suspicious: boolean;

  constructor(
    private readonly text: string,
    private readonly remark: BlockParser,
    private readonly stats: FastStats | undefined,
  ) {
    this.lines = text.split('\n');
    this.n = this.lines.length;
    for (let i = 0, at = 0; i < this.n; i++) {
      const end = at + this.lines[i]!.length;
      this.starts.push(at);
      this.ends.push(end);
      at = end + 1;
    }
    this.suspicious = text.includes('\t') || text.includes(']:');
  }

  private line(i: number): string {
    return this.lines[i]!;
  }

  private blank(i: number): boolean {
    const s = this.lines[i]!;
    return s.length === 0 || (s.charCodeAt(0) === 32 && BLANK.test(s));
  }

  /** A line outside code that this reader cannot take (a tab, or a possible link reference definition). */
  private unreadable(s: string): boolean {
    return this.suspicious && (s.includes('\t') || s.includes(']:'));
  }

  private point(i: number, offset: number): Point {
    return { line: i + 1, column: offset - this.starts[i]! + 1, offset };
  }

  private position(i: number, startOffset: number, j: number): Position {
    return { start: this.point(i, startOffset), end: this.point(j, this.ends[j]!) };
  }

  /** Lines i..j (inclusive) parsed alone by remark: their single top-level node, in chunk coordinates. */
  private alone<T extends RootContent>(i: number, j: number, type: T['type']): T | null {
    if (this.stats) this.stats.remarkBlocks++;
    const root = this.remark(this.text.slice(this.starts[i]!, this.ends[j]!));
    const node = root.children[0];
    if (root.children.length !== 1 || !node || node.type !== type) return null;
    shift(node, this.starts[i]!, i);
    return node as T;
  }

  read(): RootContent[] | null {
    const out: RootContent[] = [];
    for (let i = 0; i < this.n; ) {
      if (this.blank(i)) {
        i++;
        continue;
      }
      const line = this.line(i);
      if (this.unreadable(line)) return null;
      const indent = indentOf(line);
      if (indent >= 4) return null;
      const c = line[indent]!;
      if (this.stats) this.stats.blocks++;
      let next: number | null;
      if (c === '#' && ATX.test(line)) next = this.heading(i, line, indent, out);
      else if ((c === '`' || c === '~') && fenceOf(line)) next = this.code(i, fenceOf(line)!, out);
      else if ((c === '*' || c === '-' || c === '+') && indent === 0 && itemContent(line, 0, c) !== null) next = this.list(i, c, out);
      else next = this.paragraph(i, line, indent, out);
      if (next === null) return null;
      i = next;
    }
    return out;
  }

  private heading(i: number, line: string, indent: number, out: RootContent[]): number | null {
    const atx = ATX.exec(line)!;
    const content = line.slice(atx[0].length).replace(/^ +| +$/g, '');
    const inline = content === '' || content.includes('#') ? null : inlineText(content);
    if (inline === null) {
      const h = this.alone<Heading>(i, i, 'heading');
      if (!h) return null;
      out.push(h);
    } else {
      out.push({ type: 'heading', depth: atx[1]!.length as Heading['depth'], children: [{ type: 'text', value: inline }], position: this.position(i, this.starts[i]! + indent, i) });
    }
    return i + 1;
  }

  private code(i: number, fence: Fence, out: RootContent[]): number | null {
    if (fence.info.includes('\\') || fence.info.includes('&')) return null;
    // remark: lang is the info string's first word; meta the rest after spaces, trailing spaces kept.
    const info = fence.info.replace(/^ +/, '');
    const sp = info.indexOf(' ');
    const lang = info === '' ? null : sp < 0 ? info : info.slice(0, sp);
    const meta = sp < 0 ? null : info.slice(sp).replace(/^ +/, '') || null;
    const text = this.text;
    const fc = fence.fence.charCodeAt(0);
    let closed = -1;
    for (let j = i + 1; j < this.n; j++) {
      // A closing fence: up to 3 spaces, at least as many fence characters, then only spaces.
      let k = this.starts[j]!;
      const limit = k + 3;
      while (k < limit && text.charCodeAt(k) === 32) k++;
      if (text.charCodeAt(k) !== fc) continue;
      let e = k;
      while (text.charCodeAt(e) === fc) e++;
      if (e - k < fence.fence.length) continue;
      const end = this.ends[j]!;
      while (e < end && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9)) e++;
      if (e < end) continue;
      if (text.slice(k, end).includes('\t')) return null;
      closed = j;
      break;
    }
    const first = i + 1;
    const last = closed >= 0 ? closed - 1 : this.n - 1;
    let value: string;
    if (first > last) {
      value = '';
    } else if (fence.indent === 0) {
      value = text.slice(this.starts[first]!, this.ends[last]!);
    } else {
      // Content lines lose up to the opening fence's indent.
      const body: string[] = [];
      for (let j = first; j <= last; j++) {
        const s = this.line(j);
        let k = 0;
        while (k < fence.indent && s.charCodeAt(k) === 32) k++;
        if (k < fence.indent && s.charCodeAt(k) === 9) return null;
        body.push(s.slice(k));
      }
      value = body.join('\n');
    }
    let end: Point;
    if (closed >= 0) {
      end = this.point(closed, this.ends[closed]!);
    } else {
      // Unclosed: the block runs to the end of the chunk; a final line ending is not content.
      if (text.endsWith('\n') && value.endsWith('\n')) value = value.slice(0, -1);
      end = this.point(this.n - 1, text.length);
    }
    const node: Code = { type: 'code', lang, meta, value, position: { start: this.point(i, this.starts[i]! + fence.indent), end } };
    out.push(node);
    return closed >= 0 ? closed + 1 : this.n;
  }

  /** A bullet list at indent 0 of one-line items, each with at most one nested list of one-line items. */
  private list(i: number, marker: string, out: RootContent[]): number | null {
    // The decoder reads item text only in a list right after a fact (`**Tags**:`, `**Framework**:`).
    const needText = isFact(out[out.length - 1]);
    const items: ListItem[] = [];
    let j = i;
    let last = i;
    for (;;) {
      const headLine = this.line(j);
      const head = itemContent(headLine, 0, marker);
      if (head === null || this.unreadable(headLine) || blockyContent(head)) return null;
      const itemLine = j;
      j++;
      // Nested items: after the head line or blank lines, one-line items at one indent (2-5).
      const nested: number[] = [];
      const nestedContent: string[] = [];
      let nestIndent = -1;
      let nestMarker = '';
      for (;;) {
        let b = j;
        while (b < this.n && this.blank(b)) b++;
        if (b >= this.n) break;
        const s = this.line(b);
        const ind = indentOf(s);
        if (ind === 0) break;
        if (this.unreadable(s) || ind < 2 || ind > 5 || (nestIndent >= 0 && ind !== nestIndent)) return null;
        const m = s[ind]!;
        if (nestIndent < 0) {
          nestIndent = ind;
          nestMarker = m;
        }
        const content = m === nestMarker ? itemContent(s, ind, m) : null;
        if (content === null || blockyContent(content)) return null;
        nested.push(b);
        nestedContent.push(content);
        j = b + 1;
      }
      last = nested.length > 0 ? nested[nested.length - 1]! : itemLine;
      const headText = needText ? inlineText(head) : head;
      const nestedTexts: string[] = [];
      for (const content of nestedContent) {
        const t = needText ? inlineText(content) : content;
        if (t === null) break;
        nestedTexts.push(t);
      }
      if (headText !== null && nestedTexts.length === nested.length) {
        const children: ListItem['children'] = [this.itemParagraph(itemLine, this.starts[itemLine]! + 2, headText, needText)];
        if (nested.length > 0) {
          const nestedItems: ListItem[] = [];
          for (let k = 0; k < nested.length; k++) {
            const line = nested[k]!;
            const at = this.starts[line]! + nestIndent;
            nestedItems.push({ type: 'listItem', children: [this.itemParagraph(line, at + 2, nestedTexts[k]!, needText)], position: this.position(line, at, line) });
          }
          children.push({ type: 'list', ordered: false, start: null, children: nestedItems, position: this.position(nested[0]!, this.starts[nested[0]!]! + nestIndent, last) });
        }
        items.push({ type: 'listItem', children, position: this.position(itemLine, this.starts[itemLine]!, last) });
      } else {
        const list = this.alone<List>(itemLine, last, 'list');
        if (!list || list.children.length !== 1) return null;
        items.push(list.children[0]!);
      }
      // The next item follows directly or after blank lines; a non-blank line of another kind
      // right after an item would be a lazy continuation or an interruption: not read here.
      let b = j;
      while (b < this.n && this.blank(b)) b++;
      if (b >= this.n) break;
      if (itemContent(this.line(b), 0, marker) !== null) {
        j = b;
        continue;
      }
      if (b === j) return null;
      break;
    }
    out.push({ type: 'list', ordered: false, start: null, children: items, position: this.position(i, this.starts[i]!, last) });
    return last + 1;
  }

  /** An item's paragraph: its text, or (`read` false) its source, not parsed inline. */
  private itemParagraph(line: number, at: number, value: string, read: boolean): Paragraph {
    const position = this.position(line, at, line);
    return read ? { type: 'paragraph', children: [{ type: 'text', value }], position } : sourceParagraph(value, position);
  }

  private paragraph(i: number, line: string, indent: number, out: RootContent[]): number | null {
    const c = line[indent]!;
    if ('*-+_=><'.includes(c) && !FACT_START.test(line)) return null;
    if (c >= '0' && c <= '9' && ORDERED.test(line)) return null;
    let j = i + 1;
    for (; j < this.n; j++) {
      if (this.blank(j)) break;
      const s = this.line(j);
      if (this.unreadable(s)) return null;
      const ind = indentOf(s);
      if (ind >= 4) continue;
      const ch = s[ind]!;
      // Lines that would end the paragraph or change it: headings and fences end it (read next);
      // quotes, HTML, lists, thematic breaks, setext underlines are not read here.
      if (ch === '#' && ATX.test(s)) break;
      if ((ch === '`' || ch === '~') && fenceOf(s)) break;
      if (ind === 0 && (ch === '*' || ch === '-' || ch === '+') && itemContent(s, 0, ch) !== null) break;
      if ('>*-+_=<'.includes(ch) && !FACT_START.test(s)) return null;
      if (ch >= '0' && ch <= '9' && ORDERED.test(s)) return null;
    }
    const last = j - 1;
    const pos = this.position(i, this.starts[i]! + indent, last);
    const source = this.text.slice(this.starts[i]! + indent, this.ends[last]!);
    if (c === '*') {
      const node = factParagraph(source, last === i);
      if (node === null) {
        const p = this.alone<Paragraph>(i, last, 'paragraph');
        if (!p) return null;
        out.push(p);
        return j;
      }
      node.position = pos;
      out.push(node);
    } else {
      out.push(sourceParagraph(source, pos));
    }
    return j;
  }
}

interface Fence {
  indent: number;
  fence: string;
  info: string;
}

function indentOf(s: string): number {
  let k = 0;
  while (s.charCodeAt(k) === 32) k++;
  return k;
}

function fenceOf(s: string): Fence | null {
  const m = FENCE_OPEN.exec(s);
  if (!m) return null;
  const fence = m[2]!;
  const info = m[3]!;
  if (fence[0] === '`' && info.includes('`')) return null;
  return { indent: m[1]!.length, fence, info };
}

/** A bullet item line at indent `indent` with marker `marker`: its content, or null. */
function itemContent(s: string, indent: number, marker: string): string | null {
  if (s[indent] !== marker || s.charCodeAt(indent + 1) !== 32 || indentOf(s) !== indent) return null;
  let end = s.length;
  while (end > indent + 2 && s.charCodeAt(end - 1) === 32) end--;
  if (end === indent + 2 || s.charCodeAt(indent + 2) === 32) return null;
  // A thematic break (`* * *`) repeats the marker after it.
  if (s[indent + 2] === marker && THEMATIC.test(s)) return null;
  return s.slice(indent + 2, end);
}

/** Whether an item's content could open a block of its own (a nested list, a heading, a quote…). */
function blockyContent(content: string): boolean {
  const c = content[0]!;
  switch (c) {
    case '>':
    case '<':
      return true;
    case '*':
    case '-':
    case '+':
    case '_':
      return content.length === 1 || content[1] === ' ' || THEMATIC.test(content);
    case '#':
      return ATX.test(content);
    case '`':
      return content.startsWith('```');
    case '~':
      return content.startsWith('~~~');
    default:
      return c >= '0' && c <= '9' && ORDERED.test(content);
  }
}

/** The decoder's test for a fact paragraph: strong emphasis, then text starting with `:`. */
function isFact(node: RootContent | undefined): boolean {
  if (!node || node.type !== 'paragraph') return false;
  const [a, b] = node.children;
  return a !== undefined && a.type === 'strong' && b !== undefined && b.type === 'text' && b.value.startsWith(':');
}

function sourceParagraph(source: string, position: Paragraph['position']): Paragraph {
  return { type: 'paragraph', children: [{ type: 'text', value: source, data: { source: true } as Text['data'] }], position };
}

/**
 * A paragraph starting with `**`: a fact `**Label**: rest` read here when it is one line of plain
 * inline content; a paragraph that is surely not a fact, as source; otherwise null (remark reads it).
 */
function factParagraph(source: string, oneLine: boolean): Paragraph | null {
  const close = source.indexOf('**', 2);
  if (close < 0) return null;
  const label = source.slice(2, close);
  // The first `**` after the opening one closes the strong emphasis when the label holds no other
  // `*`, no code, links, HTML or escapes (that could hide it), and no spaces at its ends.
  if (label === '' || /[*`[\]\\<>&!\n]/.test(label) || /^\s|\s$/.test(label)) return null;
  const after = source.charCodeAt(close + 2);
  if (after !== 58 /* : */) {
    // `**Label**` and then nothing, or text that cannot start with `:`: there is no second child
    // that is text starting with `:`, whatever follows, so this is no fact.
    if (close + 2 === source.replace(/ +$/, '').length || /[A-Za-z0-9 .,;?)'"-]/.test(source[close + 2]!)) return sourceParagraph(source, undefined);
    return null;
  }
  if (!oneLine || label.includes('_')) return null;
  const rest = inlineText(source.slice(close + 2).replace(/ +$/, ''));
  if (rest === null) return null;
  const strong: Strong = { type: 'strong', children: [{ type: 'text', value: label }] };
  return { type: 'paragraph', children: [strong, { type: 'text', value: rest }] };
}
