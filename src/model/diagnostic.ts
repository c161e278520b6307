/**
 * Diagnostics: how every stage reports bad input. No stage throws on bad input; it returns
 * diagnostics beside its value, and only the CLI decides what they mean for the exit code.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  /** Stable kebab-case identifier, e.g. `toml-syntax`, `duplicate-rule-id`, `query-syntax`. */
  code: string;
  /** Path of the file the problem is in, as the source reader named it. */
  file: string;
  /** 1-based line in `file`, or null when the problem has no place (an unreadable file). */
  line: number | null;
  /** 1-based column (UTF-16 code units) in `file`, or null. */
  column: number | null;
  message: string;
  /** The rule the diagnostic is about, when there is one. */
  ruleId?: string;
}

export interface Located {
  line: number | null;
  column: number | null;
}

export function diagnostic(
  severity: Severity,
  code: string,
  file: string,
  where: Located | null,
  message: string,
  ruleId?: string,
): Diagnostic {
  const d: Diagnostic = {
    severity,
    code,
    file,
    line: where?.line ?? null,
    column: where?.column ?? null,
    message,
  };
  if (ruleId !== undefined) d.ruleId = ruleId;
  return d;
}

/** Sort order used everywhere diagnostics are listed: file, line, column, code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const la = a.line ?? 0, lb = b.line ?? 0;
  if (la !== lb) return la - lb;
  const ca = a.column ?? 0, cb = b.column ?? 0;
  if (ca !== cb) return ca - cb;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

/** `file:line:column: severity [code] message`, the one format the CLI prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === null ? d.file : d.column === null ? `${d.file}:${d.line}` : `${d.file}:${d.line}:${d.column}`;
  return `${where}: ${d.severity} [${d.code}] ${d.message}`;
}
