/**
 * Build-time rewrite of a peggy 5.1 generated parser (run by `scripts/grammars.ts`; never at run
 * time, never in the browser): moves everything that does not depend on one parse out of
 * `peg$parse` to module level.
 *
 * Peggy emits one `peg$parse(input, options)` function that declares, on every call, ~100–300
 * rule functions as closures, the actions, and one object per expectation and character class
 * of the grammar. For short inputs (most rule queries) that set-up is a large share of the
 * parse; worse, the closures are new on every call, so V8 optimises `peg$parse` itself (tens of
 * kilobytes of code, hundreds of milliseconds of compiler time on the first queries of a run)
 * and deoptimises calls specialised to the previous parse's closures. After the rewrite the
 * rule functions, actions, constants and helpers are module functions and constants; the
 * parser's state (`input`, `options`, `peg$currPos`, …) and the per-parse part of the grammar's
 * initializer are module variables (`var`: no temporal-dead-zone checks on every access) that
 * `peg$parse` assigns before it runs the start rule.
 *
 * Consequence: the parse is not re-entrant. An action must not call the parser it runs in (none
 * does: embedded KQL/Lucene in ES|QL is parsed after the ES|QL parse returns); if one ever does,
 * `peg$parse` throws an Error instead of corrupting the outer parse's state. Everything else —
 * results, errors, library mode — is peggy's own code, unchanged. The rewrite is strict about the shape it expects and throws
 * on anything else, so a peggy upgrade fails loudly at generation time, not at run time.
 */

const HEADER = 'function peg$parse(input, options) {';
const FIRST = '  options = options !== undefined ? options : {};';
const RUN = '  peg$result = peg$startRuleFunction();';

/** Per-parse state declarations peggy emits, in order; each becomes a module `var` assigned per call. */
const STATE = [
  '  const peg$source = options.grammarSource;',
  '  let peg$startRuleFunction = ',
  '  let peg$currPos = options.peg$currPos | 0;',
  '  let peg$savedPos = peg$currPos;',
  '  const peg$posDetailsCache = [{ line: 1, column: 1 }];',
  '  let peg$maxFailPos = peg$currPos;',
  '  let peg$maxFailExpected = options.peg$maxFailExpected || [];',
  '  let peg$silentFails = options.peg$silentFails | 0;',
  '  let peg$result;',
];

function fail(why: string): never {
  throw new Error(`peggy-hoist: unexpected generated code (${why}); peggy 5.1.0's output is assumed`);
}

/** Splits indented-by-2 code into top-level statements (by brace/bracket/paren depth). */
function statements(lines: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let depth = 0;
  for (const line of lines) {
    cur.push(line);
    depth += delta(line);
    if (depth < 0) fail(`unbalanced line ${JSON.stringify(line)}`);
    if (depth === 0) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0) fail('unterminated statement');
  return out;
}

/** Net bracket depth change of a line, skipping strings, regex-free comments and template text. */
function delta(line: string): number {
  let d = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== null) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '/' && line[i + 1] === '/') break;
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '/' && isRegexStart(line, i)) {
      // skip a regex literal (classes may hold `]`, `/` and quotes)
      let inClass = false;
      for (i++; i < line.length; i++) {
        const r = line[i]!;
        if (r === '\\') i++;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
      }
    } else if (c === '{' || c === '(' || c === '[') d++;
    else if (c === '}' || c === ')' || c === ']') d--;
  }
  return d;
}

function isRegexStart(line: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && line[j] === ' ') j--;
  if (j < 0) return true;
  return /[=(,:;!&|?{}[+\-*%<>~^]/.test(line[j]!) || /\breturn$/.test(line.slice(0, j + 1));
}

function dedent(stmt: string[]): string[] {
  return stmt.map((l) => (l.startsWith('  ') ? l.slice(2) : l.trim() === '' ? '' : fail(`indentation of ${JSON.stringify(l)}`)));
}

const DECL = /^ {2}(?:const|let) ([A-Za-z_$][\w$]*) = /;
const FUNC = /^ {2}function ([A-Za-z_$][\w$]*)\(/;

export function hoistPeggyParser(source: string): string {
  const lines = source.split('\n');
  const start = lines.indexOf(HEADER);
  if (start < 0) fail('no peg$parse header');
  let end = -1;
  for (let i = start + 1; i < lines.length; i++) {
    if (lines[i] === '}') {
      end = i;
      break;
    }
  }
  if (end < 0) fail('no end of peg$parse');
  const body = lines.slice(start + 1, end);
  if (body[0] !== FIRST) fail('first statement');
  const run = body.indexOf(RUN);
  if (run < 0) fail('no start-rule call');
  const head = body.slice(1, run).filter((l) => l.trim() !== '');
  const tail = body.slice(run);

  const moduleCode: string[] = [];
  const perCall: string[] = [];
  const vars: string[] = ['input', 'options'];
  let startRule: string | null = null;
  const seen = new Set<string>();
  for (const stmt of statements(head)) {
    const first = stmt[0]!;
    if (first.trimStart().startsWith('//')) {
      perCall.push(...stmt);
      continue;
    }
    const state = STATE.find((s) => first.startsWith(s));
    if (state !== undefined) {
      if (stmt.length !== 1) fail(`multi-line state ${first}`);
      seen.add(state);
      const m = /^ {2}(?:const|let) ([\w$]+)(?: = (.*))?;$/.exec(first) ?? fail(first);
      vars.push(m[1]!);
      if (m[1] === 'peg$startRuleFunction') startRule = m[2]!;
      perCall.push(m[2] === undefined ? `  ${m[1]} = undefined;` : `  ${m[1]} = ${m[2]};`);
      continue;
    }
    if (first === '  if (options.startRule) {') {
      perCall.push(...stmt);
      continue;
    }
    const fn = FUNC.exec(first);
    if (fn) {
      moduleCode.push(...dedent(stmt), '');
      continue;
    }
    const decl = DECL.exec(first);
    if (decl) {
      const name = decl[1]!;
      // Grammar constants (literals, classes, expectations) and the start-rule table are the
      // same for every parse: module constants.
      if (/^peg\$[cre]\d+$/.test(name) || name === 'peg$FAILED' || name === 'peg$startRuleFunctions') {
        moduleCode.push(...dedent(stmt));
        continue;
      }
      // The grammar's per-parse initializer (`const b = options.b;`, …): a module variable
      // assigned on every call.
      vars.push(name);
      perCall.push(`  ${name} = ${stmt.join('\n').slice(decl[0].length)}`);
      continue;
    }
    // Any other statement of the initializer runs per call, as before.
    perCall.push(...stmt);
  }
  if (seen.size !== STATE.length) fail(`state declarations: found ${seen.size} of ${STATE.length}`);
  if (startRule === null) fail('no default start rule');

  // Module-level names must not collide with what the file already declares.
  const outside = [...lines.slice(0, start), ...lines.slice(end + 1)];
  const taken = new Set<string>();
  for (const l of outside) {
    const m = /^(?:export )?(?:const|let|var|function|class) ([A-Za-z_$][\w$]*)/.exec(l);
    if (m) taken.add(m[1]!);
  }
  for (const l of moduleCode) {
    const m = /^(?:const|let|var|function|class) ([A-Za-z_$][\w$]*)/.exec(l);
    if (m) {
      if (taken.has(m[1]!)) fail(`name ${m[1]} declared twice`);
      taken.add(m[1]!);
    }
  }
  for (const v of [...vars, 'peg$busy', 'peg$run', 'peg$matchCi']) if (taken.has(v)) fail(`name ${v} declared twice`);

  const literals = literalConstants(moduleCode);
  const rewritten = rewriteLiteralTests(moduleCode, literals);
  if (rewritten.usesCi) rewritten.code.push(...MATCH_CI);

  const out = [
    ...lines.slice(0, start),
    '// peg$parse below was rewritten by src/lang/shared/peggy-hoist.ts: rule functions, actions and',
    '// grammar constants are module-level; the parser state is module variables set per parse.',
    `var ${vars.join(', ')};`,
    'var peg$busy = false;',
    '',
    ...rewritten.code,
    'function peg$parse(input$, options$) {',
    '  if (peg$busy) throw new Error("re-entrant parse: an action called the parser it runs in (see src/lang/shared/peggy-hoist.ts)");',
    '  peg$busy = true;',
    '  try {',
    '    return peg$run(input$, options$);',
    '  } finally {',
    '    peg$busy = false;',
    '  }',
    '}',
    '',
    'function peg$run(input$, options$) {',
    '  input = input$;',
    '  options = options$ !== undefined ? options$ : {};',
    ...perCall,
    '',
    ...tail,
    '}',
    ...lines.slice(end + 1),
  ];
  return out.join('\n');
}

/** The string constants `const peg$cN = "…";` of the grammar's literals, by name. */
function literalConstants(code: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of code) {
    const m = /^const (peg\$c\d+) = ("(?:[^"\\]|\\.)*");$/.exec(l);
    if (m) out.set(m[1]!, JSON.parse(m[2]!) as string);
  }
  return out;
}

/**
 * Literal tests without allocation. Peggy tests a literal of N characters with
 * `input.substr(peg$currPos, N) === peg$cK`, a new string per test; `input.startsWith(peg$cK,
 * peg$currPos)` is the same test. A case-insensitive literal is
 * `s = input.substr(peg$currPos, N); if (s.toLowerCase() === peg$cK) {`, two new strings per
 * test (keywords are tried after nearly every token); `peg$matchCi` compares ASCII in place and
 * falls back to exactly peggy's test when the text holds anything else (`toLowerCase` is not
 * one-to-one outside ASCII). Both keep the match's value and every other line as peggy wrote it.
 */
function rewriteLiteralTests(code: readonly string[], literals: ReadonlyMap<string, string>): { code: string[]; usesCi: boolean } {
  const out: string[] = [];
  let usesCi = false;
  const known = (name: string, n: string): boolean => {
    const lit = literals.get(name);
    return lit !== undefined && lit.length === Number(n);
  };
  for (let i = 0; i < code.length; i++) {
    const line = code[i]!;
    const ci = /^(\s*)(s\d+) = input\.substr\(peg\$currPos, (\d+)\);$/.exec(line);
    const next = code[i + 1];
    if (ci && next !== undefined) {
      const test = new RegExp(`^${ci[1]}if \\(${ci[2]!.replace('$', '\\$')}\\.toLowerCase\\(\\) === (peg\\$c\\d+)\\) \\{$`).exec(next);
      if (test && known(test[1]!, ci[3]!)) {
        out.push(`${ci[1]}${ci[2]} = peg$matchCi(${test[1]}, ${ci[3]});`, `${ci[1]}if (${ci[2]} !== peg$FAILED) {`);
        usesCi = true;
        i++;
        continue;
      }
    }
    out.push(
      line.replace(/input\.substr\(peg\$currPos, (\d+)\) === (peg\$c\d+)/g, (m, n: string, name: string) =>
        known(name, n) ? `input.startsWith(${name}, peg$currPos)` : m,
      ),
    );
  }
  return { code: out, usesCi };
}

const MATCH_CI = [
  '// A case-insensitive literal at peg$currPos (see peggy-hoist.ts): the matched text, or peg$FAILED.',
  'function peg$matchCi(lit, n) {',
  '  const p = peg$currPos;',
  '  if (p + n <= input.length) {',
  '    let i = 0;',
  '    for (; i < n; i++) {',
  '      let c = input.charCodeAt(p + i);',
  '      if (c >= 128) break;',
  '      if (c >= 65 && c <= 90) c += 32;',
  '      if (c !== lit.charCodeAt(i)) return peg$FAILED;',
  '    }',
  '    if (i === n) return input.substr(p, n);',
  '  }',
  '  const s = input.substr(p, n);',
  '  return s.toLowerCase() === lit ? s : peg$FAILED;',
  '}',
  '',
];
