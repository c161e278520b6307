/**
 * The fast markdown path (src/views/markdown-fast.ts): tricky and hostile constructs give exactly
 * the reference output (remark → renderer → sanitize-html), whether the fast path reads them or
 * hands them to the reference path (pinned per case), and seeded random documents built from
 * markdown's block and inline syntax agree with the reference on both outputs.
 */
import { describe, expect, it } from 'vitest';
import {
  markdownText,
  markdownTextReference,
  renderMarkdown,
  renderMarkdownAndText,
  renderMarkdownReference,
  sanitise,
} from '../../../src/views/markdown';
import { fastMarkdown, WANT_HTML, WANT_TEXT } from '../../../src/views/markdown-fast';
import { prng } from '../../helpers/shared';

describe('tricky markdown: fast path or reference path, the same output', () => {
  // name, markdown, HTML, plain text, whether the fast path reads it
  const cases: [string, string, string, string, boolean][] = [
    ['script block (raw HTML)', '<script>alert(1)</script>\n\nok', '<p>ok</p>', 'ok', false],
    ['inline script', 'hi <script>alert(1)</script> there', '<p>hi  there</p>', 'hi alert(1) there', false],
    ['inline raw HTML tag', 'a <b>bold</b> c', '<p>a bold c</p>', 'a bold c', false],
    ['javascript: link', '[click](javascript:alert(1))', '<p><span>click</span></p>', 'click', false],
    ['JavaScript: link, mixed case', '[click](JavaScript:alert(1))', '<p><span>click</span></p>', 'click', false],
    ['relative link', '[docs](/guide/x)', '<p><span>docs</span></p>', 'docs', true],
    ['http link with query and quotes', '[q](https://e.example/?a=1&b="2")', '<p><a href="https://e.example/?a=1&amp;b=&quot;2&quot;" rel="nofollow noopener noreferrer">q</a></p>', 'q', true],
    ['empty destination', '[a]()', '<p><span>a</span></p>', 'a', true],
    ['link with title', '[a](https://e.example "T")', '<p><a href="https://e.example" title="T" rel="nofollow noopener noreferrer">a</a></p>', 'a', false],
    ['link destination in angle brackets', '[a](<https://e.example>)', '<p><a href="https://e.example" rel="nofollow noopener noreferrer">a</a></p>', 'a', false],
    ['link destination with parentheses', '[a](https://e.example/x_(y))', '<p><a href="https://e.example/x_(y)" rel="nofollow noopener noreferrer">a</a></p>', 'a', false],
    ['link destination with an escape', '[a](https://e.example/\\_x)', '<p><a href="https://e.example/_x" rel="nofollow noopener noreferrer">a</a></p>', 'a', false],
    ['link text with emphasis and code', '[**b** `c`](https://e.example)', '<p><a href="https://e.example" rel="nofollow noopener noreferrer"><strong>b</strong> <code>c</code></a></p>', 'b c', true],
    ['no link in a link', '[a [b](https://x.example) c](https://y.example)', '<p>[a <a href="https://x.example" rel="nofollow noopener noreferrer">b</a> c](https://y.example)</p>', '[a b c](https://y.example)', true],
    ['shortcut reference without definition', '[not a link] and [x][y]', '<p>[not a link] and [x][y]</p>', '[not a link] and [x][y]', true],
    ['reference definition', '[r]: https://e.example\n\n[r]', '<p><a href="https://e.example" rel="nofollow noopener noreferrer">r</a></p>', 'r', false],
    [']: outside a paragraph start', 'use `[Ref]::Load` or [string]::join\n- a [b] c', '<p>use <code>[Ref]::Load</code> or [string]::join</p>\n<ul>\n<li>a [b] c</li>\n</ul>', 'use [Ref]::Load or [string]::join a [b] c', true],
    ['uri autolink', '<https://auto.example/a?b=1&c=2>', '<p><a href="https://auto.example/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">https://auto.example/a?b=1&amp;c=2</a></p>', 'https://auto.example/a?b=1&c=2', false],
    ['non-http autolink', '<ab:c>', '<p><span>ab:c</span></p>', 'ab:c', false],
    ['javascript: autolink', '<javascript:alert(1)>', '<p><span>javascript:alert(1)</span></p>', 'javascript:alert(1)', false],
    ['autolinks inside a line', 'see <javascript:alert(1)> and <HTTPS://x.example/a?b&c>', '<p>see <span>javascript:alert(1)</span> and <a href="HTTPS://x.example/a?b&amp;c" rel="nofollow noopener noreferrer">HTTPS://x.example/a?b&amp;c</a></p>', 'see javascript:alert(1) and HTTPS://x.example/a?b&c', true],
    ['quote in an href', '[x](https://a.example/"onmouseover="alert)', '<p><a href="https://a.example/&quot;onmouseover=&quot;alert" rel="nofollow noopener noreferrer">x</a></p>', 'x', true],
    ['quotes breaking out of href', '[x](https://a.example/"onmouseover="alert(1))', '<p><a href="https://a.example/&quot;onmouseover=&quot;alert(1)" rel="nofollow noopener noreferrer">x</a></p>', 'x', false],
    ['markup in link text and code', '[<b>](https://a.example) `<script>`', '<p><a href="https://a.example" rel="nofollow noopener noreferrer"></a> <code>&lt;script&gt;</code></p>', '<script>', false],
    ['e-mail autolink', '<x@example.org>', '<p><a href="mailto:x@example.org" rel="nofollow noopener noreferrer">x@example.org</a></p>', 'x@example.org', false],
    ['placeholder in angle brackets', 'replace <ACTOR_EMAIL> and <8.2', '<p>replace &lt;ACTOR_EMAIL&gt; and &lt;8.2</p>', 'replace <ACTOR_EMAIL> and <8.2', true],
    ['image', '![alt text](https://evil.example/x.png)', '<p>alt text</p>', '', false],
    ['entity', 'a &amp; b &copy; &#58;', '<p>a &amp; b © :</p>', 'a & b © :', false],
    ['bare ampersand', 'a & b && c; x&y', '<p>a &amp; b &amp;&amp; c; x&amp;y</p>', 'a & b && c; x&y', true],
    ['unclosed emphasis', '*a **b _c', '<p>*a **b _c</p>', '*a **b _c', true],
    ['rule of three', '*a **b* c**', '<p><em>a <em><em>b</em> c</em></em></p>', 'a b c', true],
    ['intraword underscore', 'x_y_z and _a_b and snake_case_', '<p>x_y_z and <em>a_b and snake_case</em></p>', 'x_y_z and a_b and snake_case', true],
    ['escaped delimiters', '\\*a\\* \\_b\\_ *\\_*a', '<p>*a* _b_ *_*a</p>', '*a* _b_ *_*a', true],
    ['strong label', '**Label**: value', '<p><strong>Label</strong>: value</p>', 'Label: value', true],
    ['code span with newline and spaces', 'x `a  \n  b` y', '<p>x <code>a  \n  b</code> y</p>', 'x a b y', true],
    ['code span stripping', '` a ` `  ` ``a`b``', '<p><code>a</code> <code>  </code> <code>a`b</code></p>', 'a a`b', true],
    ['unclosed code span', 'a `b c', '<p>a `b c</p>', 'a `b c', true],
    ['hard breaks', 'a  \nb\\\nc \nd', '<p>a<br />\nb<br />\nc\nd</p>', 'abc d', true],
    ['setext heading', 'Title\n=====', '<h3>Title</h3>', 'Title', false],
    ['setext h2', 'Title\n---', '<h4>Title</h4>', 'Title', false],
    ['thematic break', 'a\n\n* * *\n\nb', '<p>a</p>\n<hr />\n<p>b</p>', 'a b', false],
    ['ATX heading with closing sequence', '## Steps ##', '<h4>Steps</h4>', 'Steps', false],
    ['ATX levels', '# a\n## b\n### c\n#### d\n##### e\n###### f', '<h3>a</h3>\n<h4>b</h4>\n<h5>c</h5>\n<h6>d</h6>\n<h6>e</h6>\n<h6>f</h6>', 'a b c d e f', true],
    ['not a heading', '#hashtag and ####### seven', '<p>#hashtag and ####### seven</p>', '#hashtag and ####### seven', true],
    ['indented code', '    code', '<pre><code>code</code></pre>', 'code', false],
    ['fenced code', '```\n<b>x</b> & y\n```', '<pre><code>&lt;b&gt;x&lt;/b&gt; &amp; y</code></pre>', '<b>x</b> & y', true],
    ['fenced code with tilde and info', '~~~bash\nls -la\n~~~', '<pre><code>ls -la</code></pre>', 'ls -la', true],
    ['highlighted fenced code', '```eql\nprocess where true\n```', '<pre><code class="hl"><span class="t-cat">process</span> <span class="t-kw">where</span> <span class="t-kw">true</span></code></pre>', 'process where true', false],
    ['unclosed fence', '```\nx', '<pre><code>x</code></pre>', 'x', false],
    ['table (no GFM: a paragraph)', '| a | b |\n|---|---|\n| 1 | 2 |', '<p>| a | b |\n|---|---|\n| 1 | 2 |</p>', '| a | b | |---|---| | 1 | 2 |', true],
    ['tight list', '- a\n- b', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>', 'a b', true],
    ['loose list', '- a\n\n- b', '<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>', 'a b', true],
    ['loose item, tight list', '- a\n\n  b\n- c', '<ul>\n<li><p>a</p>\n<p>b</p>\n</li>\n<li>c</li>\n</ul>', 'a b c', true],
    ['nested list', '- a\n  - b\n    - c\n- d', '<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ul>', 'a b c d', true],
    ['nested list, blank line before the next outer item', '- a\n  - b\n\n- c', '<ul>\n<li><p>a</p>\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li><p>c</p>\n</li>\n</ul>', 'a b c', true],
    ['list markers change', '- a\n* b\n+ c', '<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>\n<ul>\n<li>c</li>\n</ul>', 'a b c', true],
    ['lazy continuation', '- a\nb\n> c\nd', '<ul>\n<li>a\nb</li>\n</ul>\n<blockquote><p>c\nd</p>\n</blockquote>', 'a b c d', true],
    ['ordered list', '1. a\n2. b', '<ol>\n<li>a</li>\n<li>b</li>\n</ol>', 'a b', true],
    ['ordered list start', '3) a', '<ol start="3">\n<li>a</li>\n</ol>', 'a', true],
    ['ordered list, loose, with a nested bullet list', '5. a\n   - b\n\n6. c', '<ol start="5">\n<li><p>a</p>\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li><p>c</p>\n</li>\n</ol>', 'a b c', true],
    ['only 1. interrupts a paragraph', 'text\n2. b', '<p>text\n2. b</p>', 'text 2. b', false],
    ['1. interrupts a paragraph', 'text\n1. b', '<p>text</p>\n<ol>\n<li>b</li>\n</ol>', 'text b', true],
    ['ordered list delimiters change', '1. a\n2) b', '<ol>\n<li>a</li>\n</ol>\n<ol start="2">\n<li>b</li>\n</ol>', 'a b', false],
    ['fenced code in a list item', '- a:\n  ```\n  x\n   y\n  ```\n- b', '<ul>\n<li>a:<pre><code>x\n y</code></pre>\n</li>\n<li>b</li>\n</ul>', 'a: x y b', true],
    ['fenced code in a list item, blank line inside', '- a:\n  ```\n  x\n\n  y\n  ```', '<ul>\n<li>a:<pre><code>x\n\ny</code></pre>\n</li>\n</ul>', 'a: x y', false],
    ['empty list item', '- a\n-\n- b', '<ul>\n<li>a</li>\n<li></li>\n<li>b</li>\n</ul>', 'a b', false],
    ['list in a block quote, two blank lines', '> - a\n>\n>', '<blockquote><ul>\n<li><p>a</p>\n</li>\n</ul>\n</blockquote>', 'a', false],
    ['block quote', '> **Note**:\n> text\n>\n> more', '<blockquote><p><strong>Note</strong>:\ntext</p>\n<p>more</p>\n</blockquote>', 'Note: text more', true],
    ['control characters', 'a\tb\r\nc', '<p>a\tb\r\nc</p>', 'a b c', false],
    ['heading shift for h1', '# top', '<h3>top</h3>', 'top', true],
    ['unicode punctuation flanking', '“*a*” and *—b—*', '<p>“<em>a</em>” and <em>—b—</em></p>', '“a” and —b—', true],
  ];
  it.each(cases)('%s', (_name, md, html, text, fast) => {
    expect(renderMarkdown(md)).toBe(html);
    expect(markdownText(md)).toBe(text);
    expect(renderMarkdownAndText(md)).toEqual({ html, text });
    expect(renderMarkdownReference(md)).toBe(html);
    expect(markdownTextReference(md)).toBe(text);
    expect(fastMarkdown(md, 3, WANT_HTML | WANT_TEXT) !== null).toBe(fast);
  });

  it('leaves headings above h3 (renamed by sanitize-html) to the reference path', () => {
    expect(fastMarkdown('# a', 1, WANT_HTML)).toBeNull();
    expect(renderMarkdown('# a\n\n## b\n\n### c', { topHeading: 1 })).toBe('<h3>a</h3>\n<h4>b</h4>\n<h3>c</h3>');
    expect(renderMarkdown('# a', { topHeading: 4 })).toBe('<h4>a</h4>');
    expect(fastMarkdown('# a', 4, WANT_HTML)).toEqual({ html: '<h4>a</h4>', text: '' });
  });

  it('gives only what is asked for', () => {
    expect(fastMarkdown('*a*', 3, WANT_HTML)).toEqual({ html: '<p><em>a</em></p>', text: '' });
    expect(fastMarkdown('*a*', 3, WANT_TEXT)).toEqual({ html: '', text: 'a' });
    expect(fastMarkdown('', 3, WANT_HTML | WANT_TEXT)).toEqual({ html: '', text: '' });
  });
});

/** Random documents from `gen`: how many the fast path read, and those where it differs from the reference (or is not sanitize-stable). */
function compare(seed: number, count: number, gen: (pick: <T>(xs: readonly T[]) => T, rnd: () => number) => string): { fast: number; problems: string[] } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  let fast = 0;
  const problems: string[] = [];
  for (let n = 0; n < count; n++) {
    const md = gen(pick, rnd);
    const f = fastMarkdown(md, 3, WANT_HTML | WANT_TEXT);
    if (f === null) continue;
    fast++;
    if (f.html !== renderMarkdownReference(md) || f.text !== markdownTextReference(md) || sanitise(f.html) !== f.html) problems.push(JSON.stringify(md));
  }
  return { fast, problems };
}

describe('seeded random markdown: the fast path agrees with the reference', () => {
  it('on token soup (inline syntax, list and quote starts)', () => {
    const TOKENS = [
      '*', '**', '***', '_', '__', '`', '``', '```', '~~~', '[', ']', '](https://x.example/a)', '](', '](x)', '(', ')', '<', '>',
      '<https://a.b/c>', '<ab:c>', '<b>', '\\', '\\*', '\\_', '\\\n', '  \n', ' \n', '\n', '\n', '\n\n', '\n- ', '\n* ', '\n+ ',
      '\n  - ', '\n    - ', '\n   - ', '\n - ', '  ', '    ', '\n> ', '> ', '\n>', '\n# ', '\n## ', '#', '\n1. ', '&', '"', "'",
      '\u00a0', '\u2014', '!', '.', ',', ':', 'a', 'b', 'foo', ' ', ' ', ' ', 'x_y', '\n\n  ', '\n  ', '-', '+', '=', '\u00e9',
      '\u201c', '$', '\u{1f642}', '\n[r]: https://d.example\n', '[r]', ']:',
    ];
    const { fast, problems } = compare(1, 6000, (pick, rnd) => {
      let md = '';
      for (let k = 3 + Math.floor(rnd() * 20); k > 0; k--) md += pick(TOKENS);
      return md;
    });
    expect(problems).toEqual([]);
    expect(fast).toBe(1595);
  });

  it('on line-structured documents (containers, blank lines, fences)', () => {
    const IND = ['', '', '', '', ' ', '  ', '  ', '   ', '    ', '  ', '  '];
    const PRE = ['', '', '- ', '- ', '* ', '+ ', '-  ', '> ', '>', '## ', '```', '  ```', '  - ', '    - ', '   * ', '> - ', '1. ', '2. ', '1) ', '  10. ', '> 1. '];
    const INL = ['a', 'foo bar', '*x*', '**y**', '_z_', '`c`', '`a', 'b`', '[l](https://e.example)', '*', '**', '_', '[', ']', ' ', '  ', '\\', 'x_y', '<'];
    const { fast, problems } = compare(2, 6000, (pick, rnd) => {
      const lines: string[] = [];
      for (let k = 1 + Math.floor(rnd() * 10); k > 0; k--) {
        if (rnd() < 0.25) {
          lines.push(pick(['', '', '  ', '>', '> ']));
          continue;
        }
        let line = pick(IND) + pick(PRE);
        for (let j = Math.floor(rnd() * 4); j > 0; j--) line += pick(INL) + (rnd() < 0.5 ? ' ' : '');
        lines.push(line);
      }
      return lines.join('\n');
    });
    expect(problems).toEqual([]);
    expect(fast).toBe(755);
  });

  it('on lists of every kind with fenced code, quotes and headings', () => {
    const LINES = [
      '- a', '- b:', '* c', '1. d', '2. e', '3) f', '1) g', '10. h', '  - i', '   - j', '    - k', '  1. l', '   2. m', '  ```', '    ```',
      '   ```', '```', '~~~', '  ~~~', '  ````', '  code', '    code', '      code', '   x', ' y', 'z', '', '', '  ', '> q', '> ```',
      '>  code', '> - r', '  > s', '## h', '  ## h2', '  `x`', '\t- t',
    ];
    const { fast, problems } = compare(3, 6000, (pick, rnd) => {
      const lines: string[] = [];
      for (let k = 1 + Math.floor(rnd() * 9); k > 0; k--) lines.push(pick(LINES));
      return lines.join('\n');
    });
    expect(problems).toEqual([]);
    expect(fast).toBe(1660);
  });
});
