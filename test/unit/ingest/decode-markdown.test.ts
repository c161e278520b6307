import { describe, expect, it } from 'vitest';
import { decodeMarkdown, isNonRulePageName, pageNameParts, splitAtH2 } from '../../../src/ingest/decode-markdown';

const PAGE = `---
mapped_pages:
  - https://example.test/x.html
---

# Odd [Name] Rule [odd-name-rule]

First paragraph of the description.

Second paragraph with a [link](https://example.test).

**Rule type**: eql

**Rule indices**:

* logs-a-*
* logs-b-*

**Severity**: high

**Risk score**: 73

**Runs every**: 5m

**Searches indices from**: now-9m ({{ref}}/common-options.html#date-math[Date Math format], see also [\`Additional look-back time\`](docs-content://x.md))

**Maximum alerts per execution**: 100

**References**: None

**Tags**:

* Domain: Endpoint
* OS: Windows

**Version**: 12

**Rule authors**:

* Elastic
* Someone Else

**Rule license**: Elastic License v2

**Custom fact**: kept

## Investigation guide [_investigation_guide_1]

**Triage and analysis**

**Label**: not a fact here

## Config

Old pages put more headings inside the guide.

## Setup [_setup_1]

Setup text.

\`\`\`
## not a heading inside a fence
\`\`\`

## Rule query [_rule_query_1]

\`\`\`js
process where process.name == "a.exe" and
  process.args : "\\\\x"
\`\`\`

**Framework**: MITRE ATT&CKTM

* Tactic:

    * Name: Execution
    * ID: TA0002
    * Reference URL: [https://attack.mitre.org/tactics/TA0002/](https://attack.mitre.org/tactics/TA0002/)

* Technique:

    * Name: Command and Scripting Interpreter
    * ID: T1059
    * Reference URL: [https://attack.mitre.org/techniques/T1059/](https://attack.mitre.org/techniques/T1059/)

* Sub-technique:

    * Name: PowerShell
    * ID: T1059.001
    * Reference URL: [https://attack.mitre.org/techniques/T1059/001/](https://attack.mitre.org/techniques/T1059/001/)

* Tactic:

    * Name: Defense Evasion
    * ID: TA0005
    * Reference URL: [https://attack.mitre.org/tactics/TA0005/](https://attack.mitre.org/tactics/TA0005/)
`;

const file = (text: string, path = 'docs/odd-name-rule.md') => ({ path, text, digest: '' });

describe('decodeMarkdown', () => {
  const { page, diagnostics } = decodeMarkdown(file(PAGE));
  it('reads a rule page without diagnostics', () => {
    expect(diagnostics).toEqual([]);
    expect(page).not.toBeNull();
  });
  it('reads the title, anchor and front matter', () => {
    expect(page!.title).toBe('Odd [Name] Rule');
    expect(page!.anchor).toBe('odd-name-rule');
    expect(page!.slug).toBe('odd-name-rule');
    expect(page!.packageVersion).toBeNull();
    expect(page!.frontMatter).toEqual({ mapped_pages: ['https://example.test/x.html'] });
    expect(page!.places.title).toEqual({ offset: 55, line: 6, column: 1 });
    expect(page!.titleSpan.start.line).toBe(6);
  });
  it('keeps the description paragraphs as markdown', () => {
    expect(page!.description).toBe('First paragraph of the description.\n\nSecond paragraph with a [link](https://example.test).');
  });
  it('reads every fact', () => {
    expect(page).toMatchObject({
      ruleType: 'eql',
      indices: ['logs-a-*', 'logs-b-*'],
      severity: 'high',
      riskScore: 73,
      interval: '5m',
      from: 'now-9m',
      maxSignals: 100,
      references: null,
      tags: ['Domain: Endpoint', 'OS: Windows'],
      version: 12,
      authors: ['Elastic', 'Someone Else'],
      license: 'Elastic License v2',
      otherFacts: { 'Custom fact': 'kept' },
    });
    expect(page!.places.severity!.line).toBe(19);
  });
  it('keeps sections as markdown; unknown headings stay in their section; fences hide headings', () => {
    expect(page!.investigationGuide).toBe('**Triage and analysis**\n\n**Label**: not a fact here\n\n## Config\n\nOld pages put more headings inside the guide.');
    expect(page!.setup).toBe('Setup text.\n\n```\n## not a heading inside a fence\n```');
  });
  it('reads the query and where it sits in the file', () => {
    const q = page!.query!;
    expect(q.text).toBe('process where process.name == "a.exe" and\n  process.args : "\\\\x"');
    expect(q.lang).toBe('js');
    expect(PAGE.slice(q.start, q.end)).toBe(q.text);
    expect(q.table).toBeUndefined();
    expect(PAGE.split('\n')[67]).toBe('process where process.name == "a.exe" and');
    expect(page!.querySpan!.start).toEqual({ offset: 959, line: 68, column: 1 });
  });
  it('builds the ATT&CK tree', () => {
    expect(page!.threat).toEqual([
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0002', name: 'Execution', reference: 'https://attack.mitre.org/tactics/TA0002/' },
        techniques: [
          {
            id: 'T1059',
            name: 'Command and Scripting Interpreter',
            reference: 'https://attack.mitre.org/techniques/T1059/',
            subtechniques: [{ id: 'T1059.001', name: 'PowerShell', reference: 'https://attack.mitre.org/techniques/T1059/001/' }],
          },
        ],
      },
      { framework: 'MITRE ATT&CK', tactic: { id: 'TA0005', name: 'Defense Evasion', reference: 'https://attack.mitre.org/tactics/TA0005/' }, techniques: [] },
    ]);
  });
  it('gives the same page whether or not guide and setup sections are parsed', () => {
    expect(decodeMarkdown(file(PAGE), { full: true })).toEqual(decodeMarkdown(file(PAGE)));
  });
  it('reads CRLF pages the same way; the query keeps its line endings, as TOML queries do', () => {
    const crlf = PAGE.replace(/\n/g, '\r\n');
    const d = decodeMarkdown(file(crlf));
    expect(d.diagnostics).toEqual([]);
    const q = d.page!.query!;
    expect(q.text).toBe(page!.query!.text.replace(/\n/g, '\r\n'));
    expect(crlf.slice(q.start, q.end)).toBe(q.text);
    expect(d.page!.querySpan!.start.line).toBe(68);
    expect(d.page!.threat).toEqual(page!.threat);
    expect(d.page!.investigationGuide).toBe(page!.investigationGuide!.replace(/\n/g, '\r\n'));
    expect(decodeMarkdown(file(crlf), { full: true })).toEqual(d);
  });
  it('maps a query in an indented fence through a table', () => {
    const text = '# R [r]\n\n**Rule type**: eql\n\n## Rule query [q]\n\n  ```js\n  a and\n    b\n  ```\n';
    const q = decodeMarkdown(file(text, 'docs/r.md')).page!.query!;
    expect(q.text).toBe('a and\n  b');
    expect(q.table).toHaveLength(q.text.length + 1);
    for (let i = 0; i < q.text.length; i++) if (q.text[i] !== '\n') expect(text[q.table![i]!]).toBe(q.text[i]);
  });
  it('takes the package version from a downloadable-update page name', () => {
    const d = decodeMarkdown(file(PAGE.replace('[odd-name-rule]', '[prebuilt-rule-8-17-4-odd-name-rule]'), 'docs/prebuilt-rule-8-17-4-odd-name-rule.md'));
    expect(d.page).toMatchObject({ packageVersion: '8.17.4', slug: 'odd-name-rule', anchor: 'prebuilt-rule-8-17-4-odd-name-rule' });
  });
  it('reads a machine learning page: indices None, no query, ATT&CK after setup', () => {
    const ml = PAGE.replace('**Rule type**: eql', '**Rule type**: machine_learning')
      .replace(/\*\*Rule indices\*\*:\n\n\* logs-a-\*\n\* logs-b-\*/, '**Rule indices**: None')
      .replace(/## Rule query[\s\S]*?```js[\s\S]*?```\n\n/, '');
    const d = decodeMarkdown(file(ml));
    expect(d.page).toMatchObject({ ruleType: 'machine_learning', indices: null, query: null, querySpan: null });
    expect(d.page!.threat).toHaveLength(2);
    expect(decodeMarkdown(file(ml), { full: true })).toEqual(d);
  });
  it('reports a page without a title, at its first line, and reads nothing', () => {
    const d = decodeMarkdown(file('---\na: 1\n---\n\nJust text.\n\n**Rule type**: eql\n', 'docs/untitled.md'));
    expect(d.page).toBeNull();
    expect(d.diagnostics).toEqual([{ severity: 'error', code: 'markdown-no-title', file: 'docs/untitled.md', line: 5, column: 1, message: 'markdown page has no `# Title` heading: not read as a rule page' }]);
  });
  it('skips index, summary and other non-rule pages with an info diagnostic', () => {
    for (const p of ['docs/index.md', 'x/all-versions.md', 'x/prebuilt-rule-8-17-1-prebuilt-rules-8-17-1-summary.md', 'x/prebuilt-rule-0-13-1-prebuilt-rules-0-13-1-appendix.md', 'content/README.md']) {
      const d = decodeMarkdown(file('# Title\n\n**Rule type**: eql\n', p));
      expect(d.page).toBeNull();
      expect(d.diagnostics.map((x) => [x.severity, x.code])).toEqual([['info', 'markdown-not-a-rule']]);
    }
    const prose = decodeMarkdown(file('# Notes\n\nSome prose.\n', 'docs/notes.md'));
    expect(prose.page).toBeNull();
    expect(prose.diagnostics).toMatchObject([{ severity: 'info', code: 'markdown-not-a-rule', line: 1 }]);
  });
  it('drops a page that has facts but no rule type, with an error', () => {
    const d = decodeMarkdown(file('# Half a rule [half]\n\n**Severity**: low\n', 'docs/half.md'));
    expect(d.page).toBeNull();
    expect(d.diagnostics).toMatchObject([{ severity: 'error', code: 'markdown-missing-fact', line: 1, column: 1 }]);
  });
  it('warns about facts that should be numbers', () => {
    const d = decodeMarkdown(file('# R [r]\n\n**Rule type**: eql\n\n**Risk score**: high\n', 'docs/r.md'));
    expect(d.page!.riskScore).toBeNull();
    expect(d.diagnostics).toMatchObject([{ severity: 'warning', code: 'markdown-fact', line: 5 }]);
  });
  it('reports unreadable front matter and reads the page on', () => {
    const d = decodeMarkdown(file('---\na: [unclosed\n---\n# R [r]\n\n**Rule type**: eql\n', 'docs/r.md'));
    expect(d.page!.title).toBe('R');
    expect(d.diagnostics).toMatchObject([{ severity: 'warning', code: 'markdown-front-matter', line: 1 }]);
  });
});

describe('page names', () => {
  it('splits package version and slug', () => {
    expect(pageNameParts('prebuilt-rule-0-13-1-rdp-from-the-internet')).toEqual({ packageVersion: '0.13.1', slug: 'rdp-from-the-internet' });
    expect(pageNameParts('plain-rule')).toEqual({ packageVersion: null, slug: 'plain-rule' });
  });
  it('knows non-rule page names', () => {
    expect(isNonRulePageName('a/index.md')).toBe(true);
    expect(isNonRulePageName('a/indexes-of-things.md')).toBe(false);
  });
});

describe('splitAtH2', () => {
  it('cuts at level-2 headings outside fences only', () => {
    const text = '# T\n\n## A\n\n```\n## x\n```\n\n~~~~\n## y\n~~~\n## still fenced\n~~~~\n### not level 2\n   ## B indented\n##C no space\n## D';
    const cuts = splitAtH2(text).map((c) => text.slice(c.start, c.end).split('\n')[0]);
    expect(cuts).toEqual(['# T', '## A', '   ## B indented', '## D']);
  });
});
