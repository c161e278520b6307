/** Small made-up rules for source/cache tests. */
import { createHash } from 'node:crypto';
import type { SourceFile } from '../../../src/ingest/types';

export function ruleToml(id: string, name: string, query: string): string {
  return `[metadata]
creation_date = "2025/01/01"
maturity = "production"
updated_date = "2025/01/01"

[rule]
author = ["Fixture"]
description = "A fixture rule."
license = "Apache License 2.0"
name = "${name}"
risk_score = 21
rule_id = "${id}"
severity = "low"
type = "query"
language = "kuery"
query = '''
${query}
'''
`;
}

export function sourceFile(path: string, text: string): SourceFile {
  return { path, text, digest: createHash('sha256').update(text).digest('hex') };
}
