import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { decodeMarkdown } from '../../../src/ingest/decode-markdown';
import { fastFrontMatter } from '../../../src/ingest/markdown-front-matter';

const BODY = '\n# Title [t]\n\n**Rule type**: eql\n';
const PAGE = `---
applies_to:
  stack: all
  serverless:
    security: all
mapped_pages:
  - https://www.elastic.co/guide/en/security/current/x-y.html
---
${BODY}`;

/** name, text, whether the fast reader takes it (else it must return null). */
const CASES: [string, string, boolean][] = [
  ['a current page', PAGE, true],
  ['only mapped pages', `---\nmapped_pages:\n  - https://x.test/a.html\n  - https://x.test/b.html\n---\n${BODY}`, true],
  ['a scalar at the top', `---\nlayout: rule\nid: abc_def-1\n---\n${BODY}`, true],
  ['empty block', `---\n---\n${BODY}`, true],
  ['closing delimiter at the end of the text', `---\na: b\n---`, true],
  ['closing delimiter followed by text', `---\na: b\n---x\n${BODY}`, false],
  ['four dashes', `----\na: b\n----\n${BODY}`, false],
  ['no closing delimiter', `---\na: b\n${BODY}`, false],
  ['a language after the opener', `---yaml\na: b\n---\n${BODY}`, false],
  ['trailing space after the opener', `--- \na: b\n---\n${BODY}`, false],
  ['CRLF', PAGE.replace(/\n/g, '\r\n'), false],
  ['a number', `---\na: 1\n---\n${BODY}`, false],
  ['a version', `---\na: 8.17.1\n---\n${BODY}`, false],
  ['a date', `---\na: 2024-01-02\n---\n${BODY}`, false],
  ['a boolean word', `---\na: True\n---\n${BODY}`, false],
  ['a null word', `---\na: null\n---\n${BODY}`, false],
  ['a word that YAML 1.2 reads as a string', `---\na: yes\nb: off\n---\n${BODY}`, true],
  ['a boolean key', `---\nTrue: a\n---\n${BODY}`, false],
  ['a __proto__ key', `---\n__proto__: a\n---\n${BODY}`, false],
  ['a duplicate key', `---\na: b\na: c\n---\n${BODY}`, false],
  ['a quoted value', `---\na: "b:c(d)"\n---\n${BODY}`, false],
  ['a value with a space', `---\na: b c\n---\n${BODY}`, false],
  ['a value with a comment', `---\na: b #c\n---\n${BODY}`, false],
  ['a value ending in a colon', `---\na: b:\n---\n${BODY}`, false],
  ['a key without value or children', `---\na:\nb: c\n---\n${BODY}`, false],
  ['a comment line', `---\n# note\na: b\n---\n${BODY}`, false],
  ['a blank line', `---\na: b\n\nc: d\n---\n${BODY}`, false],
  ['a sequence at the key indent', `---\na:\n- b\n---\n${BODY}`, false],
  ['a deeper second item', `---\na:\n  - b\n    - c\n---\n${BODY}`, false],
  ['an item holding a mapping', `---\na:\n  - b: c\n---\n${BODY}`, false],
  ['uneven indentation', `---\na:\n    b: c\n  d: e\n---\n${BODY}`, false],
  ['a tab', `---\na:\n\tb: c\n---\n${BODY}`, false],
  ['a flow sequence', `---\na: [b, c]\n---\n${BODY}`, false],
  ['an anchor', `---\na: &x b\n---\n${BODY}`, false],
  ['trailing spaces', `---\na: b  \n---\n${BODY}`, false],
];

describe('fastFrontMatter', () => {
  it.each(CASES)('%s', (_name, text, fast) => {
    const got = fastFrontMatter(text);
    const f = { path: 'docs/t.md', text, digest: '' };
    expect(decodeMarkdown(f)).toEqual(decodeMarkdown(f, { full: true }));
    if (!fast) {
      expect(got).toBeNull();
      return;
    }
    const m = matter(text, {});
    expect(got).toEqual({ content: m.content, data: m.data });
    expect(text.endsWith(got!.content)).toBe(true);
  });
  it('reads the usual page exactly', () => {
    expect(fastFrontMatter(PAGE)).toEqual({
      content: BODY,
      data: { applies_to: { stack: 'all', serverless: { security: 'all' } }, mapped_pages: ['https://www.elastic.co/guide/en/security/current/x-y.html'] },
    });
  });
});
