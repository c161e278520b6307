/**
 * Elasticsearch's `standard` analyzer for `text` / `match_only_text` fields: the standard
 * tokenizer (Unicode word boundaries, UAX #29) followed by lower-casing.
 *
 * The word-boundary rules implemented: letters and digits form words; `_` (ExtendNumLet) joins;
 * `.` and `'` join letters on both sides (MidNumLet / single quote), `:` joins letters
 * (MidLetter); `.` `,` `;` `'` join digits on both sides (MidNum); letters and digits next to each
 * other stay one word (`abc123`); everything else separates. Ideographic scripts are split per
 * character as UAX #29 does. Tokens longer than 255 characters are split (max_token_length).
 */

const MAX_TOKEN = 255;

function isLetter(ch: string): boolean {
  return /\p{L}|\p{M}/u.test(ch);
}
function isDigit(ch: string): boolean {
  return /\p{Nd}/u.test(ch);
}
function isIdeo(ch: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch);
}

type Cls = 'L' | 'D' | 'U' | 'I' | 'midLetter' | 'midNum' | 'midBoth' | 'other';

function classify(ch: string): Cls {
  const c = ch.codePointAt(0) as number;
  if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) return 'L';
  if (c >= 48 && c <= 57) return 'D';
  if (c === 95) return 'U';
  if (c === 46 || c === 39 || c === 0x2019) return 'midBoth';
  if (c === 58 || c === 0xb7) return 'midLetter';
  if (c === 44 || c === 59) return 'midNum';
  if (c < 128) return 'other';
  if (isIdeo(ch)) return 'I';
  if (isLetter(ch)) return 'L';
  if (isDigit(ch)) return 'D';
  return 'other';
}

/** The standard analyzer's tokens of `text`, lower-cased. */
export function standardTokens(text: string): string[] {
  const chars = Array.from(text);
  const cls = chars.map(classify);
  const out: string[] = [];
  let cur = '';
  let curLen = 0;
  const emit = (): void => {
    if (cur !== '') out.push(cur.toLowerCase());
    cur = '';
    curLen = 0;
  };
  const word = (c: Cls | undefined): boolean => c === 'L' || c === 'D' || c === 'U';
  for (let i = 0; i < chars.length; i++) {
    const c = cls[i] as Cls;
    if (c === 'I') {
      emit();
      out.push((chars[i] as string).toLowerCase());
      continue;
    }
    if (word(c)) {
      if (curLen >= MAX_TOKEN) emit();
      cur += chars[i];
      curLen++;
      continue;
    }
    // A mid character joins when the previous and next characters allow it.
    if (curLen > 0 && (c === 'midBoth' || c === 'midLetter' || c === 'midNum')) {
      const prev = cls[i - 1];
      const next = cls[i + 1];
      const letters = prev === 'L' && next === 'L' && (c === 'midBoth' || c === 'midLetter');
      const digits = prev === 'D' && next === 'D' && (c === 'midBoth' || c === 'midNum');
      if (letters || digits) {
        cur += chars[i];
        curLen++;
        continue;
      }
    }
    emit();
  }
  emit();
  return out;
}
