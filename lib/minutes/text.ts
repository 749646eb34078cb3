/**
 * Small text helpers shared by the parser, the exporter and name resolution.
 *
 * Every pattern here and in the rest of lib/minutes runs over user input, so each
 * must take linear time (issue 10: one backtracking pattern held the server for 50 s).
 * `npm run lint` checks them with eslint-plugin-regexp; trailing runs are trimmed by
 * the loops below rather than by `/x+$/`, which is quadratic on a long run of x that
 * does not end the string.
 */

/** Non-breaking and other exotic spaces appear in archive renderings (a line holding only U+00A0). */
const EXOTIC_SPACES = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const ZERO_WIDTH = /[\u200b-\u200d\ufeff]/g;

/** LF line endings, NFC, exotic spaces as plain spaces, tabs expanded, trailing blanks removed. */
export function normalizeLines(text: string): string[] {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(ZERO_WIDTH, "")
    .replace(EXOTIC_SPACES, " ")
    .split("\n")
    .map((l) => l.replace(/\t/g, "    ").trimEnd());
}

/** `s` without the run of characters from `chars` at its end (a linear `/[chars]+$/`). */
export function trimEndChars(s: string, chars: string | ((c: string) => boolean)): string {
  const drop = typeof chars === "string" ? (c: string) => chars.includes(c) : chars;
  let end = s.length;
  while (end > 0 && drop(s[end - 1])) end--;
  return s.slice(0, end);
}

/** `s` without the run of characters from `chars` at its start. */
export function trimStartChars(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start])) start++;
  return s.slice(start);
}

/** Collapse runs of whitespace; minutes are hard-wrapped with random double spaces. */
export function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** Letters NFKD does not decompose; without these "Groß" never equals "Gross". */
const TRANSLIT: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", þ: "th", ı: "i" };

/** Case-, accent- and punctuation-insensitive form used for comparisons. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .replace(/[ßæœøłđþı]/g, (c) => TRANSLIT[c])
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Length in user-visible characters (code points), as a terminal would count columns. */
export function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** A token that would make a wrapped line look like a list item when it starts the line. */
export function looksLikeBulletMarker(token: string): boolean {
  return /^(?:[*+\-•–—]|\d+[.)]|#+|>+|=+|-{2,})$/.test(token);
}

/**
 * Greedy word wrap. Never breaks a word: a single word longer than the room left
 * goes on its own line (only URLs realistically do that). A line never starts with
 * a bullet-like token, otherwise re-parsing would see a new list item.
 */
export function wrap(text: string, opts: { width: number; first: string; rest: string }): string[] {
  const words = collapse(text).split(" ").filter(Boolean);
  const lines: string[][] = [];
  let cur: string[] = [];
  let curLen = 0;
  const room = () => opts.width - width(lines.length === 0 ? opts.first : opts.rest);
  for (const w of words) {
    const add = (cur.length ? 1 : 0) + width(w);
    if (cur.length && curLen + add > room()) {
      let carry: string[] = [];
      if (looksLikeBulletMarker(w) && cur.length > 1) {
        carry = [cur.pop() as string];
      }
      lines.push(cur);
      cur = [...carry, w];
      curLen = width(cur.join(" "));
    } else {
      cur.push(w);
      curLen += add;
    }
  }
  if (cur.length || lines.length === 0) lines.push(cur);
  return lines.map((ws, i) => (i === 0 ? opts.first : opts.rest) + ws.join(" "));
}

/** Split a paragraph into sentences; good enough for minutes prose. */
export function sentences(paragraph: string): string[] {
  return collapse(paragraph)
    .split(/(?<=[.!?])\s+(?=[\p{Lu}"'(])/u)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Damerau–Levenshtein (optimal string alignment) distance, on code points. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = 0; i <= x.length; i++) d[i][0] = i;
  for (let j = 0; j <= y.length; j++) d[0][j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[x.length][y.length];
}

const STOP = new Set(
  "a an the to of for and or in on at by with from into as is are be was were it its this that these those we they he she will would should could can may might not no do does did has have had been being also then than so if but about over via per".split(
    " ",
  ),
);

/** Content words, lightly stemmed, for comparing two sentences about the same task. */
export function contentTokens(s: string): Set<string> {
  const out = new Set<string>();
  for (const t of fold(s).split(" ")) {
    if (!t || STOP.has(t)) continue;
    out.add(t.length > 4 ? t.replace(/(?:ing|ed|es|s)$/, "") : t);
  }
  return out;
}

/** Dice coefficient of two token sets (0..1). */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return (2 * common) / (a.size + b.size);
}
