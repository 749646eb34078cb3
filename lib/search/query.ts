/**
 * A search as typed (websearch-style: words, "quoted phrases", -excluded) → each
 * engine's query syntax, and engine highlights → safe HTML. Pure.
 *
 * Snippets are HTML: the engine marks matches with private-use sentinels, then
 * everything is escaped and only our sentinels become <mark>…</mark>, so a body
 * containing <script> or <mark onclick> comes back as inert text.
 */

/** Sentinels the engines put around a match. */
export const OPEN = "\uE000";
export const CLOSE = "\uE001";

// ── Safe highlighting ───────────────────────────────────────────────────────

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * A snippet as read, not as typed: the Markdown marks of minutes ("**physmap**",
 * "`xs-restrict`", "# Heading", "[text](url)") are dropped, the words kept. Each
 * pattern is a single character class or a bounded run, so it stays linear.
 */
export function plainSnippet(raw: string): string {
  return raw
    .replace(/\]\([^()\s]*\)/g, "")
    .replace(/[*`[\]]+/g, "")
    .replace(/^#{1,6} /gm, "")
    .replace(/(\n|^)[ \t]{0,3}> ?/g, "$1");
}

/**
 * Engine output → safe HTML. Every character is escaped; only sentinel pairs become
 * tags, and they are balanced (a stray sentinel typed into a body opens nothing
 * that is not closed).
 */
export function highlightToHtml(raw: string): string {
  let out = "";
  let open = false;
  for (const ch of plainSnippet(raw)) {
    if (ch === OPEN) {
      if (!open) out += "<mark>";
      open = true;
    } else if (ch === CLOSE) {
      if (open) out += "</mark>";
      open = false;
    } else out += ESCAPES[ch] ?? ch;
  }
  return open ? `${out}</mark>` : out;
}

// ── Query text ──────────────────────────────────────────────────────────────

export interface ParsedQuery {
  /** Each term is a word or a quoted phrase (list of words). */
  include: string[][];
  exclude: string[][];
}

/** PostgreSQL's english configuration drops these; SQLite must too, or "the physmap keys" would need "the". */
const STOPWORDS = new Set(
  "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with".split(" "),
);

const words = (s: string) => (s.normalize("NFKC").match(/[\p{L}\p{N}_]+/gu) ?? []).map((w) => w.toLowerCase());

/** websearch-style: words (all required), "quoted phrases", -excluded. */
export function parseQuery(q: string): ParsedQuery {
  const include: string[][] = [];
  const exclude: string[][] = [];
  const re = /(-?)"([^"]*)"?|(\S+)/g;
  for (const m of q.matchAll(re)) {
    // "-word" excludes; a lone "-" is just a (wordless) term.
    const bare = m[3] !== undefined && m[3].length > 1 && m[3].startsWith("-") ? m[3].slice(1) : m[3];
    const negate = m[1] === "-" || bare !== m[3];
    const w = words(m[2] ?? bare ?? "");
    const kept = m[2] !== undefined ? w : w.filter((x) => !STOPWORDS.has(x));
    if (!kept.length) continue;
    // Outside quotes "dm-op" is one term for the user: keep its words together.
    (negate ? exclude : include).push(kept);
  }
  return { include, exclude };
}

/** FTS5 expression from parsed terms: every token double-quoted, so no user text is syntax. */
export function toFts5(p: ParsedQuery): string | null {
  if (!p.include.length) return null;
  const phrase = (t: string[]) => `"${t.join(" ").replace(/"/g, '""')}"`;
  const pos = p.include.map(phrase).join(" AND ");
  const neg = p.exclude.map((t) => ` NOT ${phrase(t)}`).join("");
  return `{title body} : (${pos})${neg}`;
}

/** websearch_to_tsquery understands the same syntax parseQuery does; give it the normalised form. */
export function toWebsearch(p: ParsedQuery): string | null {
  if (!p.include.length) return null;
  const term = (t: string[]) => (t.length > 1 ? `"${t.join(" ")}"` : t[0]);
  return [...p.include.map(term), ...p.exclude.map((t) => `-${term(t)}`)].join(" ");
}
