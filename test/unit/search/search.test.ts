import lunr from 'lunr';
import { describe, expect, it } from 'vitest';
import { buildSearchBundle, FIELD_BOOSTS, searchDocuments } from '../../../src/search/build-index';
import { Searcher } from '../../../src/search/client';
import { compactIndex, loadCompactIndex } from '../../../src/search/compact';
import { indexTokens, queryWords, words } from '../../../src/search/tokenize';
import { exampleCatalog } from '../views/fixture';

const { catalog } = await exampleCatalog();
const bundle = buildSearchBundle(catalog.rules);
// What the browser gets: the serialised text.
const searcher = new Searcher(JSON.parse(bundle.text));
const names = (q: string): string[] => searcher.search(q).map((r) => r.name).sort();

describe('tokens', () => {
  it('keeps ATT&CK ids, file names and field names whole, and adds their parts at index time', () => {
    expect(words('Uses T1059.002, osascript and process.name; (see "cmd.exe").')).toEqual(['uses', 't1059.002', 'osascript', 'and', 'process.name', 'see', 'cmd.exe']);
    expect([...indexTokens('C:\\Windows\\System32\\cmd.exe')]).toEqual(['c:\\windows\\system32\\cmd.exe', 'windows', 'system32', 'cmd', 'exe']);
    expect([...indexTokens('Single Sign-On for the users', { stopWords: true })]).toEqual(['single', 'sign-on', 'sign', 'users']);
  });
  it('query words drop lunr syntax and stop words', () => {
    expect(queryWords('+T1059.002* title:osascript ^2 -x~')).toEqual(['t1059.002', 'titleosascript', '2', 'x']);
    expect(queryWords('Command and Control')).toEqual(['command', 'control']);
    expect(queryWords('the and')).toEqual(['the', 'and']);
  });
});

describe('search over the example catalog', () => {
  it('T1059.002 finds exactly the rules mapped to it', () => {
    expect(names('T1059.002')).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections']);
  });
  it('T1059 also finds the rules mapped to its sub-techniques', () => {
    expect(names('T1059')).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections', 'Encoded PowerShell Command Line', 'Shell Spawned by a Web Server Process']);
    expect(names('t1059')).toEqual(names('T1059'));
  });
  it('finds indicator values, field names, tactic ids and names, tags, rule ids', () => {
    expect(names('osascript')).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections', 'Launch Agent Plist Written by a Script Interpreter']);
    expect(names('wevtutil.exe')).toEqual(['Deprecated - Windows Event Log Cleared with wevtutil']);
    expect(names('okta.actor.alternate_id')).toEqual(['Burst of Failed Okta Single Sign-On Attempts']);
    expect(names('TA0011')).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections', 'Connection to a Common Reverse Shell Listener Port', 'Destination IP Matches a Threat Intelligence Indicator', 'Unusual DNS Query Volume to One Domain']);
    expect(names('Command and Control')).toEqual(names('TA0011'));
    expect(names('dda66a87-5a09-42cd-a0e1-f755ece2bbf2')).toEqual(['AppleScript Interpreter Followed by Repeated Outbound Connections']);
    expect(names('Rule Type: BBR')).toEqual(['Account Context Enumeration with whoami']);
  });
  it('every word must match (prefixes count), exact matches rank first', () => {
    expect(names('okta sso')).toEqual(['Burst of Failed Okta Single Sign-On Attempts']);
    expect(names('power')).toEqual(names('powershell'));
    expect(names('powershell nonexistentword')).toEqual([]);
    expect(names('')).toEqual([]);
    expect(names('*')).toEqual([]);
  });
  it('results carry what the list shows', () => {
    expect(searcher.search('T1059.002')[0]).toMatchObject({
      name: 'AppleScript Interpreter Followed by Repeated Outbound Connections',
      path: 'rules/dda66a87-5a09-42cd-a0e1-f755ece2bbf2/',
      severity: 'medium',
      techniques: ['T1059', 'T1059.002', 'T1105'],
      type: 'EQL',
      buildingBlock: false,
      deprecated: false,
    });
    expect(searcher.search('whoami')[0]?.buildingBlock).toBe(true);
    expect(searcher.search('wevtutil')[0]?.deprecated).toBe(true);
  });
});

describe('the compact index is the index lunr.Builder makes', () => {
  const { docs } = searchDocuments(catalog.rules);
  const builder = new lunr.Builder();
  builder.pipeline.reset();
  builder.searchPipeline.reset();
  builder.ref('ref');
  for (const [name, boost] of FIELD_BOOSTS) builder.field(name, { boost });
  for (const d of docs) builder.add(d);
  const reference = builder.build();
  const ours = loadCompactIndex(JSON.parse(JSON.stringify(compactIndex(docs, FIELD_BOOSTS))));

  it('has the same field vectors (scores) and postings', () => {
    const ref = reference.toJSON() as unknown as { invertedIndex: [string, Record<string, unknown>][]; fieldVectors: [string, number[]][] };
    const termOf = new Map(ref.invertedIndex.map(([t, p]) => [p._index as number, t] as const));
    const ourIndex = (ours as unknown as { invertedIndex: Record<string, Record<string, unknown>> }).invertedIndex;
    const ourTermOf = new Map(bundle.json.index.terms.map((t, i) => [i, t] as const));
    const asTerms = (els: number[], of: Map<number, string>): string[] => {
      const out: string[] = [];
      for (let i = 0; i < els.length; i += 2) out.push(`${of.get(els[i] as number)}=${els[i + 1]}`);
      return out.sort();
    };
    const ourVectors = (ours as unknown as { fieldVectors: Record<string, { elements: number[] }> }).fieldVectors;
    expect(Object.keys(ourVectors).sort()).toEqual(ref.fieldVectors.map(([k]) => k).sort());
    for (const [key, els] of ref.fieldVectors) expect(asTerms(ourVectors[key]?.elements ?? [], ourTermOf)).toEqual(asTerms(els, termOf));
    for (const [term, posting] of ref.invertedIndex) {
      const mine = ourIndex[term];
      for (const [f] of FIELD_BOOSTS) expect(Object.keys((mine?.[f] ?? {}) as object).sort()).toEqual(Object.keys(posting[f] as object).sort());
    }
  });

  it('answers queries with the same results and scores', () => {
    for (const q of ['t1059', 'osascript', 'process', 'powershell', 'command', 'event.category', 'macos', 'sign-on']) {
      const run = (idx: lunr.Index) => idx.query((qb) => qb.term(q, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING })).map((r) => [r.ref, Math.round(r.score * 1e6)]);
      expect(run(ours)).toEqual(run(reference));
    }
  });
});
