/** A rule made from the `[rule]` keys a test gives, ingested as a one-file TOML source. */
import { ingest } from '../../src/ingest/ingest';
import type { Rule } from '../../src/model/rule';

let n = 0;

/** `body` holds the rule's type, language, query and any other keys; name and id are made unique. */
export function ruleFromToml(body: string): Rule {
  n++;
  const text = `[metadata]
creation_date = "2024/01/01"
maturity = "production"
updated_date = "2024/01/01"

[rule]
author = ["test"]
description = "test rule"
name = "Test rule ${n}"
risk_score = 21
rule_id = "00000000-0000-0000-0000-${String(n).padStart(12, '0')}"
severity = "low"
${body}
`;
  const out = ingest({ files: [{ path: `r${n}.toml`, text, digest: String(n) }] }).rules[0];
  if (!out) throw new Error('no rule');
  return out;
}
