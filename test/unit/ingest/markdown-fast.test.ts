import { toString } from 'mdast-util-to-string';
import { describe, expect, it } from 'vitest';
import { decodeMarkdown, splitAtH2 } from '../../../src/ingest/decode-markdown';
import { fastParse, inlineText, type FastStats } from '../../../src/ingest/markdown-fast';
import { remark, view } from '../../helpers/mdast-view';

const QUERY = '## Rule query [_rule_query_1]\n\n```js\nprocess where process.name == "a.exe"\n```\n';
const FRAMEWORK = `**Framework**: MITRE ATT&CKTM

* Tactic:

    * Name: Execution
    * ID: TA0002
    * Reference URL: [https://attack.mitre.org/tactics/TA0002/](https://attack.mitre.org/tactics/TA0002/)

* Technique:

    * Name: Command and Scripting Interpreter
    * ID: T1059
    * Reference URL: [https://attack.mitre.org/techniques/T1059/](https://attack.mitre.org/techniques/T1059/)
`;
const FACTS = `**Rule type**: eql

**Rule indices**:

* logs-endpoint.events.process-*
* winlogbeat-*

**Severity**: medium

**Risk score**: 47

**References**:

* [https://example.test/a](https://example.test/a)

**Tags**:

* Domain: Endpoint
* OS: Windows

**Version**: 3`;

/** A page with a header (description and facts) and a query section. */
const page = (header: string, query = QUERY, framework = FRAMEWORK) => `# Rule Name [rule-name]\n\n${header}\n\n## Investigation guide [_g]\n\nGuide *text*.\n\n${query}\n${framework}`;
const described = (description: string) => page(`${description}\n\n${FACTS}`);
const query = (section: string) => page(`A description.\n\n${FACTS}`, section);

type Path = 'fast' | 'block' | 'chunk';
/** name, page, and which path it must take: all fast, some blocks through remark, or some chunk through remark. */
const CASES: [string, string, Path][] = [
  ['a plain page', page(`A description.\n\n${FACTS}`), 'fast'],
  ['description with emphasis, code, links', described('Detects *this* and **that**, `code` and a [link](https://x.test).\n\nSecond _para_.'), 'fast'],
  ['description starting with strong emphasis', described('**Note:** read this.'), 'fast'],
  ['description starting with emphasis', described('*Note*: read this.'), 'chunk'],
  ['description starting with underscores', described('_Note_: read this.'), 'chunk'],
  ['description that is a fact in disguise', described('**Rule type**: esql\n\nmore'), 'fast'],
  ['description with a lazy fact line', described('Some text\n**Rule type**: esql'), 'fast'],
  ['description then setext heading', described('Title\n====='), 'chunk'],
  ['description with a setext h2', described('Title\n---'), 'chunk'],
  ['description with a thematic break', described('Text\n\n* * *'), 'chunk'],
  ['description with a block quote', described('> quoted'), 'chunk'],
  ['description with HTML', described('<div>html</div>'), 'chunk'],
  ['description with an ordered list', described('1. one\n2. two'), 'chunk'],
  ['description with a number that is no list', described('2024 was a year.\n1x is not a list'), 'fast'],
  ['description with indented code', described('    indented code'), 'chunk'],
  ['description with a bullet list', described('Intro:\n\n* one\n* two'), 'fast'],
  ['description with a list interrupting it', described('Intro:\n* one\n* two'), 'fast'],
  ['description with a list of markup, after no fact', described('Intro:\n\n- **Repository:** `x` on <https://x.test>\n- **Folders:**\n  - `a/`: *b* &amp; c\n  - d\n- e_f_ ***g***'), 'fast'],
  ['description with a strong paragraph ending in strong', described('**The steps for "network_traffic" to your system:**\n\nText.'), 'fast'],
  ['description with an empty list item interrupting it', described('Intro:\n*\n* two'), 'chunk'],
  ['description with a quote item', described('* > quoted'), 'chunk'],
  ['description with a fenced block', described('Example:\n\n~~~\nx\n~~~'), 'fast'],
  ['description with a heading', described('Intro\n\n### Details\n\nMore'), 'fast'],
  ['description with a tab', described('Tab\there'), 'chunk'],
  ['description with hard breaks', described('Line one  \nline two\\\nthree'), 'fast'],
  ['description with entities', described('AT&amp;T &#58; &copy;'), 'fast'],
  ['no description', page(FACTS), 'fast'],
  ['title with inline markup', page(FACTS).replace('# Rule Name [rule-name]', '# Rule *Name* `x` [rule-name]'), 'block'],
  ['title with a closing sequence', page(FACTS).replace('# Rule Name [rule-name]', '# Rule Name [rule-name] ##'), 'block'],
  ['title with trailing spaces and indent', page(FACTS).replace('# Rule Name [rule-name]', '  #   Rule Name [rule-name]   '), 'fast'],
  ['title with brackets in the name', page(FACTS).replace('# Rule Name [rule-name]', '# Odd [Name] Rule [odd]'), 'fast'],
  ['title that is a link', page(FACTS).replace('# Rule Name [rule-name]', '# Rule [Name](https://x.test) [odd]'), 'fast'],
  ['title with an autolink', page(FACTS).replace('# Rule Name [rule-name]', '# Rule <https://x.test> [odd]'), 'block'],
  ['empty title', page(FACTS).replace('# Rule Name [rule-name]', '#'), 'block'],
  ['setext title', page(FACTS).replace('# Rule Name [rule-name]', 'Rule Name [rule-name]\n========='), 'chunk'],
  ['a link reference definition', page(`${FACTS}\n\n[rule-name]: https://x.test`), 'chunk'],
  ['fact with nothing after the colon', page(FACTS.replace('**Severity**: medium', '**Severity**:')), 'fast'],
  ['fact with trailing spaces', page(FACTS.replace('**Severity**: medium', '**Severity**: medium   ').replace('**Tags**:', '**Tags**:   ')), 'fast'],
  ['fact with no space after the colon', page(FACTS.replace('**Severity**: medium', '**Severity**:medium')), 'fast'],
  ['fact with an escaped colon', page(FACTS.replace('**Severity**: medium', '**Severity**\\: medium')), 'block'],
  ['fact with an entity colon', page(FACTS.replace('**Severity**: medium', '**Severity**&#58; medium')), 'block'],
  ['fact with a space before the colon', page(FACTS.replace('**Severity**: medium', '**Severity** : medium')), 'fast'],
  ['fact with underscores', page(FACTS.replace('**Severity**: medium', '__Severity__: medium')), 'chunk'],
  ['fact with triple stars', page(FACTS.replace('**Severity**: medium', '***Severity***: medium')), 'chunk'],
  ['fact label with a space inside the stars', page(FACTS.replace('**Severity**: medium', '** Severity**: medium')), 'chunk'],
  ['fact label ending in punctuation', page(FACTS.replace('**Severity**: medium', '**Severity.**: medium')), 'fast'],
  ['fact over two lines', page(FACTS.replace('**Severity**: medium', '**Severity**: medium\nhigh')), 'block'],
  ['fact label over two lines', page(FACTS.replace('**Severity**: medium', '**Seve\nrity**: medium')), 'block'],
  ['fact with emphasis in its value', page(FACTS.replace('**Severity**: medium', '**Severity**: *medium* high')), 'block'],
  ['fact with one star run in its value', page(FACTS.replace('**Severity**: medium', '**Severity**: logs-*')), 'fast'],
  ['fact with a link and a code span', page(FACTS.replace('**Severity**: medium', '**Severity**: now-9m ({{ref}}/x.html#d[Date Math], see [`look-back`](docs-content://a/b.md#s))')), 'fast'],
  ['fact with an autolink', page(FACTS.replace('**Severity**: medium', '**Severity**: <https://x.test>')), 'block'],
  ['fact with an escape', page(FACTS.replace('**Severity**: medium', '**Severity**: a\\*b')), 'block'],
  ['fact with an entity', page(FACTS.replace('**Severity**: medium', '**Severity**: AT&amp;T')), 'block'],
  ['fact with a bare ampersand', page(FACTS.replace('**Severity**: medium', '**Severity**: AT&T')), 'fast'],
  ['fact with an image', page(FACTS.replace('**Severity**: medium', '**Severity**: ![alt](https://x.test/i.png)')), 'block'],
  ['fact with a link with a title', page(FACTS.replace('**Severity**: medium', '**Severity**: [a](https://x.test "t")')), 'block'],
  ['fact with a code span padded with spaces', page(FACTS.replace('**Severity**: medium', '**Severity**: ` x `')), 'block'],
  ['fact with a double-backtick code span', page(FACTS.replace('**Severity**: medium', '**Severity**: ``x`y``')), 'block'],
  ['fact with an unclosed code span', page(FACTS.replace('**Severity**: medium', '**Severity**: `x')), 'block'],
  ['fact with literal brackets', page(FACTS.replace('**Severity**: medium', '**Severity**: [a] [b][c] [d] (e)')), 'fast'],
  ['fact with a reference link', page(FACTS.replace('**Severity**: medium', '**Severity**: [a][]')), 'block'],
  ['fact with a non-ASCII space in the label', page(FACTS.replace('**Severity**: medium', '**\u00a0Severity**: medium')), 'chunk'],
  ['fact with emoji and NBSP', page(FACTS.replace('**Severity**: medium', '**Severity**: \u00a0medium 🔥\u00a0')), 'fast'],
  ['a NUL character', page(FACTS.replace('**Severity**: medium', '**Severity**: med\0ium')), 'chunk'],
  ['list with links and underscores', page(FACTS.replace('* [https://example.test/a](https://example.test/a)', '* [https://x.test/a_b_c](https://x.test/a_b_c)\n* [https://x.test/_a_/](https://x.test/_a_/)\n* https://x.test/a_')), 'block'],
  ['list with two star runs', page(FACTS.replace('* winlogbeat-*', '* apm-**-transaction**\n* logs-*-x-*')), 'block'],
  ['list with - markers', page(FACTS.replace('* logs-endpoint.events.process-*\n* winlogbeat-*', '- logs-a\n- logs-b')), 'fast'],
  ['list with + markers', page(FACTS.replace('* logs-endpoint.events.process-*\n* winlogbeat-*', '+ logs-a\n+ logs-b')), 'fast'],
  ['list changing markers', page(FACTS.replace('* logs-endpoint.events.process-*\n* winlogbeat-*', '* logs-a\n\n- logs-b')), 'fast'],
  ['list changing markers without a blank line', page(FACTS.replace('* logs-endpoint.events.process-*\n* winlogbeat-*', '* logs-a\n- logs-b')), 'chunk'],
  ['loose list', page(FACTS.replace('* logs-endpoint.events.process-*\n* winlogbeat-*', '* logs-a\n\n\n* logs-b')), 'fast'],
  ['nested list in the facts', page(FACTS.replace('* OS: Windows', '* OS: Windows\n  * Server')), 'fast'],
  ['nested list four deep', page(FACTS.replace('* OS: Windows', '* OS: Windows\n  * Server\n    * 2019')), 'chunk'],
  ['list item continued on the next line', page(FACTS.replace('* OS: Windows', '* OS: Windows\n  and more')), 'chunk'],
  ['list item with a lazy line', page(FACTS.replace('* OS: Windows', '* OS: Windows\nand more')), 'chunk'],
  ['list followed by a fact without a blank line', page(FACTS.replace('* OS: Windows\n', '* OS: Windows\n**Version**: 4\n')), 'chunk'],
  ['list item with two spaces after the marker', page(FACTS.replace('* OS: Windows', '*  OS: Windows')), 'chunk'],
  ['empty list item', page(FACTS.replace('* OS: Windows', '*')), 'chunk'],
  ['list item that is a heading', page(FACTS.replace('* OS: Windows', '* # OS')), 'chunk'],
  ['list item that is a number', page(FACTS.replace('* OS: Windows', '* 1. OS')), 'chunk'],
  ['list item with a code span', page(FACTS.replace('* OS: Windows', '* `OS`: Windows')), 'fast'],
  ['list item with entities', page(FACTS.replace('* OS: Windows', '* OS &amp; Windows')), 'block'],
  ['indented list', page(FACTS.replace('* OS: Windows', ' * OS: Windows')), 'chunk'],
  ['blank lines with spaces', page(FACTS.replace(/\n\n/g, '\n   \n')), 'fast'],
  ['tilde fence', query('## Rule query [q]\n\n~~~eql\na ``` b\n~~~\n'), 'fast'],
  ['longer closing fence', query('## Rule query [q]\n\n```\na\n``````   \n'), 'fast'],
  ['shorter closing fence', query('## Rule query [q]\n\n````\na\n```\nb\n````\n'), 'fast'],
  ['closing fence of the other kind', query('## Rule query [q]\n\n```\na\n~~~\nb\n```\n'), 'fast'],
  ['closing fence with text after it', query('## Rule query [q]\n\n```\na\n``` x\nb\n```\n'), 'fast'],
  ['closing fence with a tab after it', query('## Rule query [q]\n\n```\na\n```\t\n'), 'chunk'],
  ['closing fence indented four spaces', query('## Rule query [q]\n\n```\na\n    ```\n```\n'), 'fast'],
  ['unclosed fence', `# R [r]\n\n**Rule type**: eql\n\n## Rule query [q]\n\n\`\`\`js\na\n\n\n`, 'fast'],
  ['unclosed fence without a final newline', `# R [r]\n\n**Rule type**: eql\n\n## Rule query [q]\n\n\`\`\`js\na\n\n  `, 'fast'],
  ['unclosed empty fence', `# R [r]\n\n**Rule type**: eql\n\n## Rule query [q]\n\n\`\`\``, 'fast'],
  ['indented fence', query('## Rule query [q]\n\n   ```js\n a\n    b\n  c\n\n   ```\n'), 'fast'],
  ['indented fence with a tab in the indent', query('## Rule query [q]\n\n  ```js\n \ta\n  ```\n'), 'chunk'],
  ['fence with tabs in its content', query('## Rule query [q]\n\n```js\n\ta\tb\n```\n'), 'fast'],
  ['fence with an info string and meta', query('## Rule query [q]\n\n```   eql  title="x y"  \na\n```\n'), 'fast'],
  ['fence info with an escape', query('## Rule query [q]\n\n```e\\_ql\na\n```\n'), 'chunk'],
  ['fence info with an entity', query('## Rule query [q]\n\n```e&amp;ql\na\n```\n'), 'chunk'],
  ['backtick fence info with a backtick', query('## Rule query [q]\n\n```e`ql\na\n```\n'), 'fast'],
  ['tilde fence info with a backtick', query('## Rule query [q]\n\n~~~e`ql\na\n~~~\n'), 'fast'],
  ['empty fence', query('## Rule query [q]\n\n```\n```\n'), 'fast'],
  ['fence right after the heading', query('## Rule query [q]\n```\na\n```\n'), 'fast'],
  ['fence interrupting a paragraph', query('## Rule query [q]\n\ntext\n```\na\n```\n'), 'fast'],
  ['indented code before the fence', query('## Rule query [q]\n\n    indented\n\n```\na\n```\n'), 'chunk'],
  ['query with link reference definition text inside', query('## Rule query [q]\n\n```\n[a]: b\n```\n'), 'fast'],
  ['rule query heading with a closing sequence', query('## Rule query [q] ##\n\n```\na\n```\n'), 'block'],
  ['framework with two-space nesting', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace(/ {4}\*/g, '  *')), 'fast'],
  ['framework with five-space nesting', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace(/ {4}\*/g, '     *')), 'fast'],
  ['framework with six-space nesting', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace(/ {4}\*/g, '      *')), 'chunk'],
  ['framework with mixed nesting', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace('    * ID: TA0002', '   * ID: TA0002')), 'chunk'],
  ['framework without blank lines', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace(/:\n\n {4}/g, ':\n    ')), 'fast'],
  ['framework with - items', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace(/\* /g, '- ').replace('**Framework**', '**Framework**')), 'fast'],
  ['framework with an unknown item', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace('* Technique:', '* Procedure:')), 'fast'],
  ['framework with a technique first', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace('* Tactic:', '* Technique:')), 'fast'],
  ['framework with a link with underscores', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace('tactics/TA0002/](', '_x_/](')), 'block'],
  ['framework with a lazy line', page(`A.\n\n${FACTS}`, QUERY, FRAMEWORK.replace('    * ID: TA0002', '    * ID: TA0002\nmore')), 'chunk'],
  ['page without a final newline', page(`A.\n\n${FACTS}`).trimEnd(), 'fast'],
  ['CRLF line ends', page(`A.\n\n${FACTS}`).replace(/\n/g, '\r\n'), 'chunk'],
  ['front matter and CRLF', `---\r\na: 1\r\n---\r\n${page(`A.\n\n${FACTS}`).replace(/\n/g, '\r\n')}`, 'chunk'],
  ['a page with no title', `Text.\n\n${FACTS}\n`, 'fast'],
  ['a title after a description', `Text.\n\n# R [r]\n\n${FACTS}\n`, 'fast'],
  ['two titles', `# A [a]\n\n# B [b]\n\n${FACTS}\n`, 'fast'],
  ['a heading inside the facts', page(FACTS.replace('**Severity**: medium', '### Sub\n\n**Severity**: medium')), 'fast'],
];

function chunksOf(text: string): string[] {
  return splitAtH2(text).map(({ start, end }) => text.slice(start, end));
}

describe('fast markdown blocks', () => {
  it.each(CASES)('%s: same page as remark on the whole text', (_name, text, path) => {
    const f = { path: 'docs/rule-name.md', text, digest: '' };
    const stats: FastStats = { chunks: 0, fallbackChunks: 0, blocks: 0, remarkBlocks: 0 };
    const fast = decodeMarkdown(f, { stats });
    expect(fast).toEqual(decodeMarkdown(f, { full: true }));
    expect(stats.chunks).toBeGreaterThan(0);
    const taken: Path = stats.fallbackChunks > 0 ? 'chunk' : stats.remarkBlocks > 0 ? 'block' : 'fast';
    expect(taken).toBe(path);
  });

  it.each(CASES)('%s: every chunk read here has the nodes remark gives', (_name, text) => {
    for (const chunk of chunksOf(text)) {
      const nodes = fastParse(chunk, remark);
      if (nodes === null) continue;
      expect(nodes.map(view)).toEqual(remark(chunk).children.map(view));
      expect(nodes.map((n) => n.type)).toEqual(remark(chunk).children.map((n) => n.type));
    }
  });

  it('reads the lead page of the case table without remark', () => {
    const stats: FastStats = { chunks: 0, fallbackChunks: 0, blocks: 0, remarkBlocks: 0 };
    const d = decodeMarkdown({ path: 'docs/rule-name.md', text: CASES[0]![1], digest: '' }, { stats });
    expect(stats).toEqual({ chunks: 2, fallbackChunks: 0, blocks: 16, remarkBlocks: 0 });
    expect(d.page).toMatchObject({
      title: 'Rule Name',
      anchor: 'rule-name',
      description: 'A description.',
      ruleType: 'eql',
      indices: ['logs-endpoint.events.process-*', 'winlogbeat-*'],
      references: ['https://example.test/a'],
      tags: ['Domain: Endpoint', 'OS: Windows'],
      version: 3,
    });
    expect(d.page!.query!.text).toBe('process where process.name == "a.exe"');
    expect(d.page!.threat.map((t) => [t.tactic.id, t.techniques.map((x) => x.id)])).toEqual([['TA0002', ['T1059']]]);
  });
});

describe('inlineText', () => {
  const CASES: [string, string | null][] = [
    ['plain text: 5m', 'plain text: 5m'],
    ['logs-*', 'logs-*'],
    ['a * b * c', null],
    ['foo_bar_baz', 'foo_bar_baz'],
    ['_a', '_a'],
    ['_a_', null],
    ['a `b` c', 'a b c'],
    ['a ``b`` c', null],
    ['a `b', null],
    ['[x](https://y.test/z) [w]', 'x [w]'],
    ['[x](y z)', null],
    ['[x]()', null],
    ['[]', null],
    ['[a [b]]', null],
    ['a ] b', null],
    ['![a](b)', null],
    ['a ! b', 'a ! b'],
    ['AT&T', 'AT&T'],
    ['AT&amp;T', null],
    ['&#58;', null],
    ['a\\*', null],
    ['<a>', null],
    ['a > b | c ~ d # e', 'a > b | c ~ d # e'],
  ];
  it.each(CASES)('%j', (s, want) => {
    expect(inlineText(s)).toBe(want);
    if (want !== null) {
      // The same text as remark gives for a paragraph holding it.
      const p = remark(s).children[0]!;
      expect(toString(p)).toBe(want);
    }
  });
});
