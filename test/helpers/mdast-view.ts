/**
 * What `decodeMarkdown` reads from the top-level mdast nodes of a chunk, for comparing the fast
 * block reader (src/ingest/markdown-fast.ts) with remark node by node: type and exact positions,
 * heading text, whether a paragraph is a fact (then its label and rest), the item texts of a list
 * that follows a fact (the fast reader leaves other lists' items unparsed), code value/lang/meta.
 */
import type { RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

const parser = unified().use(remarkParse);
export const remark = (s: string) => parser.parse(s);

export function isFactNode(n: RootContent | undefined): boolean {
  if (!n || n.type !== 'paragraph') return false;
  const [a, b] = n.children;
  return !!a && a.type === 'strong' && !!b && b.type === 'text' && b.value.startsWith(':');
}

export function view(n: RootContent, k: number, all: RootContent[]): unknown {
  const base = { type: n.type, start: n.position?.start, end: n.position?.end };
  switch (n.type) {
    case 'heading':
      return { ...base, depth: n.depth, text: toString(n) };
    case 'paragraph': {
      const [a, b, ...more] = n.children;
      const fact = isFactNode(n) && a && b && b.type === 'text' ? { label: toString(a), rest: b.value.slice(1) + more.map((x) => toString(x)).join('') } : null;
      return { ...base, fact };
    }
    case 'list':
      return {
        ...base,
        items: n.children.map((li) => ({
          start: li.position?.start,
          ...(isFactNode(all[k - 1])
            ? {
                text: toString(li),
                head: li.children[0] ? toString(li.children[0]) : null,
                nested: li.children.flatMap((c) => (c.type === 'list' ? [c.children.map((x) => toString(x))] : [])),
              }
            : {}),
        })),
      };
    case 'code':
      return { ...base, value: n.value, lang: n.lang, meta: n.meta };
    default:
      return base;
  }
}
