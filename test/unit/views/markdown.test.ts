import { describe, expect, it } from 'vitest';
import { markdownText, renderMarkdown, sanitise } from '../../../src/views/markdown';

describe('markdown rendering', () => {
  it('renders CommonMark with headings shifted under the page section', () => {
    expect(renderMarkdown('# Triage\n\nSome *text* and `code`.\n\n## Steps\n\n- one\n- two')).toBe(
      '<h3>Triage</h3>\n<p>Some <em>text</em> and <code>code</code>.</p>\n<h4>Steps</h4>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>',
    );
  });

  it('keeps http(s) links with rel=nofollow noopener noreferrer', () => {
    expect(renderMarkdown('[docs](https://www.elastic.co/guide)')).toBe(
      '<p><a href="https://www.elastic.co/guide" rel="nofollow noopener noreferrer">docs</a></p>',
    );
  });

  it('highlights code blocks of query languages', () => {
    expect(renderMarkdown('```eql\nprocess where true\n```')).toBe(
      '<pre><code class="hl"><span class="t-cat">process</span> <span class="t-kw">where</span> <span class="t-kw">true</span></code></pre>',
    );
  });

  it('escapes text that looks like markup', () => {
    expect(renderMarkdown('a < b && c > "d"')).toBe('<p>a &lt; b &amp;&amp; c &gt; "d"</p>');
  });
});

describe('hostile markdown is sanitised', () => {
  const cases: [string, string, string][] = [
    ['script block', '<script>alert(1)</script>\n\nok', '<p>ok</p>'],
    ['inline script', 'hi <script>alert(1)</script> there', '<p>hi  there</p>'],
    ['javascript: link keeps its text only', '[click](javascript:alert(1))', '<p><span>click</span></p>'],
    ['javascript: behind entities', '<a href="jav&#x61;script:alert(1)">x</a>', '<p><span>x</span></p>'],
    ['data: link', '[x](data:text/html;base64,PHNjcmlwdD4=)', '<p><span>x</span></p>'],
    ['protocol-relative link', '<a href="//evil.example/">x</a>', '<p><span>x</span></p>'],
    ['img onerror', '<img src=x onerror=alert(1)>', ''],
    ['markdown image (no external loads)', '![alt text](https://evil.example/x.png)', '<p>alt text</p>'],
    ['event handler on a kept tag', '<a href="https://e.example" onclick="steal()">e</a>', '<p><a href="https://e.example" rel="nofollow noopener noreferrer">e</a></p>'],
    ['iframe', '<iframe src="https://evil.example"></iframe>', ''],
    ['style attribute and tag', '<p style="color:red">x</p><style>body{}</style>', '<p>x</p>'],
    ['svg with script', '<svg><script>alert(1)</script></svg>', '<p></p>'],
    ['form', '<form action="https://evil.example"><input name=a></form>', ''],
    ['class injection on span', '<span class="t-kw evil">k</span>', '<p><span class="t-kw">k</span></p>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">', ''],
    ['mailto and autolinks', '[a](mailto:x@example.org) <https://auto.example/>', '<p><a href="mailto:x@example.org" rel="nofollow noopener noreferrer">a</a> <a href="https://auto.example/" rel="nofollow noopener noreferrer">https://auto.example/</a></p>'],
  ];
  it.each(cases)('%s', (_name, md, want) => {
    expect(renderMarkdown(md)).toBe(want);
  });

  it('sanitise keeps only the allow-list', () => {
    expect(sanitise('<div><b>x</b><em>y</em></div>')).toBe('x<em>y</em>');
  });
});

describe('tags that name no HTML element are text', () => {
  it('shows placeholders and XML as written, in the HTML and in the plain text', () => {
    const md = 'Kill <pid> on <node-ip>, then set\n\n<Networking>Disable</Networking>\n\nin the <LogonCommand> file.';
    expect(renderMarkdown(md)).toBe('<p>Kill &lt;pid&gt; on &lt;node-ip&gt;, then set</p>\n<p>&lt;Networking&gt;Disable&lt;/Networking&gt;</p>\n<p>in the &lt;LogonCommand&gt; file.</p>');
    expect(markdownText(md)).toBe('Kill <pid> on <node-ip>, then set <Networking>Disable</Networking> in the <LogonCommand> file.');
  });
  it('keeps the HTML elements as markup: allowed ones kept, the others removed', () => {
    expect(renderMarkdown('a <kbd>x</kbd> <var>v</var> <path> <SCRIPT>alert(1)</SCRIPT> b')).toBe('<p>a <kbd>x</kbd> v &lt;path&gt;  b</p>');
    expect(renderMarkdown('<iframe src="https://evil.example"></iframe>\n\n<pid>')).toBe('&lt;pid&gt;');
  });
  it('escapes a made-up tag with its attributes as inert text', () => {
    const html = String(renderMarkdown('x <foo onclick="steal()">y'));
    expect(html).toBe('<p>x &lt;foo onclick="steal()"&gt;y</p>');
    expect(html).not.toContain('<foo');
  });
});

describe('markdownText', () => {
  it('is the plain text, spaces collapsed', () => {
    expect(markdownText('# Title\n\nSome **bold** [link](https://x.example) `code`.\n\n- a\n- b')).toBe('Title Some bold link code. a b');
  });
});
