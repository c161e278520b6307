/**
 * A fast reader for the front matter of Elastic rule pages, giving what gray-matter 4 (with
 * js-yaml 3 `safeLoad`) gives for the same text, or null when the block is outside a small YAML
 * subset; the caller then uses gray-matter, which stays the reference. Pages carry blocks like
 *
 *   ---
 *   applies_to:
 *     stack: all
 *   mapped_pages:
 *     - https://www.elastic.co/guide/en/security/current/x.html
 *   ---
 *
 * Subset: LF line ends; the block opens with a `---` line and closes at the first `\n---` which must
 * be a `---` line; no blank or comment lines; block mappings of `key:` (a letter or `_`, then
 * letters, digits, `_`; not a YAML null or boolean word, not `__…`, no duplicates) whose value is a
 * plain scalar on the same line, or a nested mapping or sequence indented deeper on the next lines;
 * sequence items `- value`. Values are plain scalars that YAML reads as strings: a letter first,
 * then letters, digits and `_ . / : % ? = & + ~ -`, not ending in `:`, and not a null or boolean
 * word. Anything else returns null.
 */

/** Words js-yaml 3's core schema reads as null or booleans (as keys they would become "null", "true"…). */
const RESERVED = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const KEY_LINE = /^( *)([A-Za-z_][A-Za-z0-9_]*):(?: (.*))?$/;
const ITEM_LINE = /^( *)- (.*)$/;
const VALUE = /^[A-Za-z][A-Za-z0-9_./:%?=&+~-]*$/;

export interface FrontMatter {
  /** The markdown after the front matter (a suffix of the text). */
  content: string;
  data: Record<string, unknown>;
}

/** The front matter of `text` (which starts with `---`), or null when gray-matter must read it. */
export function fastFrontMatter(text: string): FrontMatter | null {
  if (!text.startsWith('---\n')) return null;
  const close = text.indexOf('\n---', 3);
  if (close < 0) return null;
  const after = close + 4;
  if (after < text.length && text.charCodeAt(after) !== 10) return null;
  const block = text.slice(4, Math.max(4, close));
  if (block.includes('\r')) return null;
  const content = after < text.length ? text.slice(after + 1) : '';
  if (close === 3) return { content, data: {} };
  const data = readBlock(block.split('\n'));
  return data ? { content, data } : null;
}

function readBlock(lines: string[]): Record<string, unknown> | null {
  let i = 0;
  const value = (s: string | undefined): s is string => s !== undefined && VALUE.test(s) && !s.endsWith(':') && !RESERVED.test(s);
  const indentOf = (s: string): number => {
    let k = 0;
    while (s.charCodeAt(k) === 32) k++;
    return k;
  };
  const mapping = (indent: number): Record<string, unknown> | null => {
    const out: Record<string, unknown> = {};
    while (i < lines.length) {
      const line = lines[i]!;
      const ind = indentOf(line);
      if (ind < indent) break;
      const m = KEY_LINE.exec(line);
      if (!m || ind > indent) return null;
      const key = m[2]!;
      if (RESERVED.test(key) || key.startsWith('__') || Object.prototype.hasOwnProperty.call(out, key)) return null;
      i++;
      if (m[3] !== undefined) {
        if (!value(m[3])) return null;
        out[key] = m[3];
        continue;
      }
      const next = lines[i];
      if (next === undefined) return null;
      const childIndent = indentOf(next);
      if (childIndent <= indent) return null;
      const child = next.startsWith('- ', childIndent) ? sequence(childIndent) : mapping(childIndent);
      if (child === null) return null;
      out[key] = child;
    }
    return out;
  };
  const sequence = (indent: number): string[] | null => {
    const out: string[] = [];
    while (i < lines.length) {
      const line = lines[i]!;
      const ind = indentOf(line);
      if (ind < indent) break;
      const m = ITEM_LINE.exec(line);
      if (!m || ind > indent || !value(m[2])) return null;
      out.push(m[2]!);
      i++;
    }
    return out;
  };
  const data = mapping(0);
  return data !== null && i === lines.length ? data : null;
}
