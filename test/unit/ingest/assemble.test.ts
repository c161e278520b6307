import { describe, expect, it } from 'vitest';
import { assembleToml } from '../../../src/ingest/assemble';
import { decodeToml } from '../../../src/ingest/decode-toml';
import type { Rule } from '../../../src/model/rule';

const META = '[metadata]\ncreation_date = "2024/01/02"\nmaturity = "production"\nupdated_date = "2024/02/03"\n';

function rule(body: string, opts: { path?: string; meta?: string } = {}) {
  const text = `${opts.meta ?? META}\n[rule]\n${body}`;
  const file = { path: opts.path ?? 'rules/windows/x.toml', text, digest: '' };
  return { ...assembleToml(decodeToml(file), file, { label: 'elastic' }), text };
}

const COMMON = `author = ["Elastic"]
description = "Desc."
license = "Elastic License v2"
name = "A Rule"
risk_score = 47
rule_id = "id-1"
severity = "medium"
tags = ["OS: Windows"]
`;

const kql = (type: string, extra = ''): string => `${COMMON}type = "${type}"\nlanguage = "kuery"\nquery = '''\nevent.category:process\n'''\n${extra}`;

describe('assembleToml', () => {
  it('reads a query rule with every common field', () => {
    const { rule: r, diagnostics, text } = rule(
      `${COMMON}type = "query"\nlanguage = "kuery"\nfrom = "now-9m"\ninterval = "5m"\nindex = ["logs-*"]\nmax_signals = 50\nenabled = false\nnote = "Guide"\nsetup = "Setup"\nreferences = ["https://x"]\nfalse_positives = ["fp"]\ntimestamp_override = "event.ingested"\nrule_name_override = "message"\ntimeline_id = "t1"\ntimeline_title = "T"\nquery = '''\nevent.category:process\n'''\n\n[rule.investigation_fields]\nfield_names = ["host.name"]\n`,
    );
    expect(diagnostics).toEqual([]);
    expect(r).toMatchObject({
      id: 'id-1',
      name: 'A Rule',
      slug: '',
      source: 'elastic',
      files: ['rules/windows/x.toml'],
      type: 'query',
      language: 'kuery',
      query: 'event.category:process\n',
      maturity: 'production',
      deprecated: false,
      buildingBlock: false,
      severity: 'medium',
      riskScore: 47,
      description: 'Desc.',
      author: ['Elastic'],
      license: 'Elastic License v2',
      tags: ['OS: Windows'],
      references: ['https://x'],
      falsePositives: ['fp'],
      index: ['logs-*'],
      from: 'now-9m',
      interval: '5m',
      maxSignals: 50,
      enabled: false,
      note: 'Guide',
      setup: 'Setup',
      timestampOverride: 'event.ingested',
      ruleNameOverride: 'message',
      timelineId: 't1',
      timelineTitle: 'T',
      investigationFields: ['host.name'],
      creationDate: '2024/01/02',
      updatedDate: '2024/02/03',
      version: null,
      versions: [],
      rawToml: text,
      extra: {},
    });
    expect(r!.span).toEqual({ file: 'rules/windows/x.toml', start: { offset: 206, line: 12, column: 1 }, end: { offset: 222, line: 12, column: 17 } });
    expect(r!.querySource).toEqual({
      language: 'kuery',
      text: 'event.category:process\n',
      span: { file: 'rules/windows/x.toml', start: expect.objectContaining({ line: 31, column: 1 }), end: expect.objectContaining({ line: 32, column: 1 }) },
    });
  });

  it('reads threat entries with techniques and sub-techniques', () => {
    const { rule: r } = rule(
      `${kql('query')}\n[[rule.threat]]\nframework = "MITRE ATT&CK"\n[[rule.threat.technique]]\nid = "T1059"\nname = "CSI"\nreference = "u1"\n[[rule.threat.technique.subtechnique]]\nid = "T1059.001"\nname = "PowerShell"\nreference = "u2"\n[rule.threat.tactic]\nid = "TA0002"\nname = "Execution"\nreference = "u3"\n`,
    );
    expect(r!.threat).toEqual([
      {
        framework: 'MITRE ATT&CK',
        tactic: { id: 'TA0002', name: 'Execution', reference: 'u3' },
        techniques: [{ id: 'T1059', name: 'CSI', reference: 'u1', subtechniques: [{ id: 'T1059.001', name: 'PowerShell', reference: 'u2' }] }],
      },
    ]);
    expect(r!.extra).toEqual({});
  });

  it('reads type-specific settings of every type', () => {
    const eql = rule(`${COMMON}type = "eql"\nlanguage = "eql"\nquery = "process where true"\nevent_category_override = "event.type"\ntiebreaker_field = "event.sequence"\n`).rule!;
    expect(eql).toMatchObject({ type: 'eql', language: 'eql', query: 'process where true', eventCategoryOverride: 'event.type', tiebreakerField: 'event.sequence' });

    const esql = rule(`${COMMON}type = "esql"\nlanguage = "esql"\nquery = "from x | limit 1"\n[rule.alert_suppression]\ngroup_by = ["host.id"]\nduration = {value = 5, unit = "m"}\nmissing_fields_strategy = "suppress"\n`).rule!;
    expect(esql).toMatchObject({ type: 'esql', language: 'esql', alertSuppression: { groupBy: ['host.id'], duration: { value: 5, unit: 'm' }, missingFieldsStrategy: 'suppress' } });

    const th = rule(`${kql('threshold')}\n[rule.threshold]\nfield = []\nvalue = 30\n[[rule.threshold.cardinality]]\nfield = "user.name"\nvalue = 5\n`).rule!;
    expect(th).toMatchObject({ type: 'threshold', threshold: { fields: [], value: 30, cardinality: [{ field: 'user.name', value: 5 }] } });

    const nt = rule(`${kql('new_terms')}\n[rule.new_terms]\nfield = "new_terms_fields"\nvalue = ["host.id", "user.name"]\n[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "now-7d"\n`).rule!;
    expect(nt).toMatchObject({ type: 'new_terms', newTerms: { fields: ['host.id', 'user.name'], historyWindowStart: 'now-7d' }, extra: {} });

    const ml1 = rule(`${COMMON}type = "machine_learning"\nmachine_learning_job_id = "job_a"\nanomaly_threshold = 50\n`).rule!;
    expect(ml1).toMatchObject({ type: 'machine_learning', language: null, query: null, querySource: null, machineLearning: { jobIds: ['job_a'], anomalyThreshold: 50 } });
    const ml2 = rule(`${COMMON}type = "machine_learning"\nmachine_learning_job_id = ["a", "b"]\nanomaly_threshold = 75\n`).rule!;
    expect(ml2).toMatchObject({ machineLearning: { jobIds: ['a', 'b'], anomalyThreshold: 75 } });

    const tm = rule(
      `${kql('threat_match')}threat_index = ["ti-*"]\nthreat_indicator_path = "threat.indicator"\nthreat_language = "kuery"\nthreat_query = """\nthreat.indicator.ip:* and x:"a\\\\b"\n"""\n\n[[rule.threat_filters]]\n[rule.threat_filters."$state"]\nstore = "appState"\n[rule.threat_filters.meta]\nnegate = false\nkey = "event.module"\n[rule.threat_filters.query.match_phrase]\n"event.module" = "threatintel"\n\n[[rule.threat_mapping]]\n[[rule.threat_mapping.entries]]\nfield = "destination.ip"\ntype = "mapping"\nvalue = "threat.indicator.ip"\n`,
    ).rule!;
    if (tm.type !== 'threat_match') throw new Error('type');
    expect(tm.threatMatch).toMatchObject({
      index: ['ti-*'],
      query: 'threat.indicator.ip:* and x:"a\\b"\n',
      language: 'kuery',
      indicatorPath: 'threat.indicator',
      mappings: [{ entries: [{ field: 'destination.ip', type: 'mapping', value: 'threat.indicator.ip' }] }],
      filters: [{ negate: false, disabled: false, query: { match_phrase: { 'event.module': 'threatintel' } }, exists: null, meta: { negate: false, key: 'event.module' }, state: { store: 'appState' } }],
    });
    // The threat query is a basic string with an escape: it maps through a table.
    expect(tm.threatMatch.querySource!.offsetTable).toHaveLength(tm.threatMatch.query!.length + 1);
  });

  it('reads Kibana filters, quoted dotted keys included', () => {
    const { rule: r } = rule(`${kql('query')}\n[[rule.filters]]\n[rule.filters.meta]\nnegate = true\n[rule.filters.query.wildcard."file.path"]\ncase_insensitive = true\nvalue = "?:\\\\\\\\Windows\\\\\\\\*"\n\n[[rule.filters]]\n[rule.filters.meta]\nnegate = false\n[rule.filters.exists]\nfield = "process.pid"\n`);
    expect(r!.filters).toEqual([
      { negate: true, disabled: false, query: { wildcard: { 'file.path': { case_insensitive: true, value: '?:\\\\Windows\\\\*' } } }, exists: null, meta: { negate: true }, state: null },
      { negate: false, disabled: false, query: null, exists: { field: 'process.pid' }, meta: { negate: false }, state: null },
    ]);
  });

  it('reads metadata: integration as string or array, stack versions, flags', () => {
    const meta = '[metadata]\ncreation_date = "2024/01/02"\nintegration = "endpoint"\nmaturity = "production"\nmin_stack_version = "8.14.0"\nmin_stack_comments = "why"\nbypass_bbr_timing = true\npromotion = true\nupdated_date = "2024/02/03"\n';
    const { rule: r } = rule(kql('query'), { meta });
    expect(r).toMatchObject({ integrations: ['endpoint'], minStackVersion: '8.14.0', minStackComments: 'why', bypassBbrTiming: true, promotion: true });
  });

  it('marks deprecated rules by maturity or by folder, and building blocks', () => {
    const dep = '[metadata]\ncreation_date = "2024/01/02"\ndeprecation_date = "2024/05/05"\ndeprecated_reason = "old"\nmaturity = "deprecated"\nupdated_date = "2024/02/03"\n';
    expect(rule(kql('query'), { meta: dep }).rule).toMatchObject({ deprecated: true, maturity: 'deprecated', deprecationDate: '2024/05/05', deprecatedReason: 'old' });
    expect(rule(kql('query'), { path: 'rules/_deprecated/x.toml' }).rule).toMatchObject({ deprecated: true, maturity: 'production' });
    expect(rule(`building_block_type = "default"\n${kql('query')}`).rule).toMatchObject({ buildingBlock: true, buildingBlockType: 'default' });
  });

  it('keeps the transform section and unknown keys, nothing lost', () => {
    const { rule: r, diagnostics } = rule(
      `${kql('query')}new_key = "x"\n[rule.threshold]\nvalue = 3\n[[rule.threat]]\nframework = "MITRE ATT&CK"\nodd = 1\n[rule.threat.tactic]\nid = "TA1"\nname = "n"\nreference = "r"\n[transform]\n[[transform.osquery]]\nlabel = "L"\nquery = "SELECT 1"\n[other]\nk = 1\n`,
      { meta: `${META}custom = true\n` },
    );
    expect(diagnostics).toEqual([]);
    expect(r!.transform).toEqual({ osquery: [{ label: 'L', query: 'SELECT 1' }] });
    expect(r!.extra).toEqual({ 'rule.new_key': 'x', 'rule.threshold': { value: 3 }, 'rule.threat[0].odd': 1, 'metadata.custom': true, other: { k: 1 } });
  });

  it('warns about values of the wrong type and keeps them in extra', () => {
    const { rule: r, diagnostics } = rule(`${kql('query')}max_signals = "many"\ntags2 = 1\n`);
    expect(r!.maxSignals).toBeNull();
    expect(r!.extra['rule.max_signals']).toBe('many');
    expect(diagnostics).toEqual([
      { severity: 'warning', code: 'toml-type', file: 'rules/windows/x.toml', line: 20, column: 1, message: 'rule.max_signals should be an integer, found string: kept in extra', ruleId: 'id-1' },
    ]);
  });

  describe('rules that cannot be built are dropped with an error at the right line', () => {
    const dropped = (body: string, meta?: string) => {
      const r = rule(body, meta === undefined ? {} : { meta });
      expect(r.rule).toBeNull();
      expect(r.diagnostics).toHaveLength(1);
      return r.diagnostics[0]!;
    };
    it('no rule_id / name / type / severity / risk score', () => {
      expect(dropped(COMMON.replace('rule_id = "id-1"\n', '') + 'type = "eql"\nquery = "x"\n')).toMatchObject({ severity: 'error', code: 'missing-key', line: 6, column: 1, message: 'missing rule.rule_id: rule dropped' });
      expect(dropped(COMMON.replace('name = "A Rule"\n', '') + 'type = "eql"\nquery = "x"\n')).toMatchObject({ code: 'missing-key', message: 'missing rule.name: rule dropped', ruleId: 'id-1' });
      expect(dropped(COMMON + 'query = "x"\n')).toMatchObject({ code: 'missing-key', message: 'missing rule.type: rule dropped' });
      expect(dropped(COMMON.replace('severity = "medium"\n', '') + 'type = "eql"\nquery = "x"\n')).toMatchObject({ code: 'missing-key', message: 'missing rule.severity: rule dropped' });
      expect(dropped(COMMON.replace('risk_score = 47\n', '') + 'type = "eql"\nquery = "x"\n')).toMatchObject({ code: 'missing-key', message: 'missing rule.risk_score: rule dropped' });
    });
    it('no [rule] table at all', () => {
      const file = { path: 'r.toml', text: META, digest: '' };
      expect(assembleToml(decodeToml(file), file, { label: 'x' }).diagnostics).toMatchObject([{ code: 'missing-key', line: 1, column: 1, message: 'no [rule] table: rule dropped' }]);
    });
    it('an unknown type, at the type line', () => {
      expect(dropped(`${COMMON}type = "sigma"\nquery = "x"\n`)).toMatchObject({ code: 'unknown-rule-type', line: 15, column: 1, message: 'unknown rule type "sigma": rule dropped' });
    });
    it('an unknown language, or one that does not fit the type', () => {
      expect(dropped(`${COMMON}type = "query"\nlanguage = "sql"\nquery = "x"\n`)).toMatchObject({ code: 'unknown-language', line: 16, message: 'unknown query language "sql": rule dropped' });
      expect(dropped(`${COMMON}type = "eql"\nlanguage = "kuery"\nquery = "x"\n`)).toMatchObject({ code: 'language-mismatch', message: 'language "kuery" does not fit rule type eql: rule dropped' });
    });
    it('a query type without a query, or type settings missing', () => {
      expect(dropped(`${COMMON}type = "eql"\n`)).toMatchObject({ code: 'missing-key', message: 'missing rule.query (required for eql rules): rule dropped' });
      expect(dropped(kql('threshold'))).toMatchObject({ code: 'missing-key', message: 'missing [rule.threshold] (required for threshold rules): rule dropped' });
      expect(dropped(kql('new_terms'))).toMatchObject({ code: 'missing-key', message: 'missing [rule.new_terms] (required for new_terms rules): rule dropped' });
      expect(dropped(`${COMMON}type = "machine_learning"\n`)).toMatchObject({ code: 'missing-key', message: 'missing rule.machine_learning_job_id: rule dropped' });
      expect(dropped(kql('threat_match'))).toMatchObject({ code: 'missing-key', message: 'missing rule.threat_index (required for threat_match rules): rule dropped' });
    });
  });

  it('reads documented defaults for softer gaps, with warnings', () => {
    const { rule: r, diagnostics } = rule(`${COMMON.replace('description = "Desc."\n', '')}type = "query"\nquery = "x"\n`, { meta: '[metadata]\n' });
    expect(r).toMatchObject({ language: 'kuery', maturity: 'development', description: '' });
    expect(diagnostics.map((d) => d.message)).toEqual([
      'missing rule.language: query rule read as kuery',
      'missing metadata.maturity: read as development',
      'missing rule.description: read as empty',
    ]);
    const eql: Rule | null = rule(`${COMMON}type = "eql"\nquery = "x"\n`).rule;
    expect(eql?.language).toBe('eql');
  });
  it('passes on decode errors and builds nothing', () => {
    const r = rule('name = \n');
    expect(r.rule).toBeNull();
    expect(r.diagnostics).toMatchObject([{ code: 'toml-syntax', line: 7 }]);
  });
});
