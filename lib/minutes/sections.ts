/**
 * Cut minutes into a title and sections ("Attendees:", "Reviewed previous
 * action points", "Action Items", …) and read the bullet lists inside them.
 * Line based, because that is how the minutes are written: hard-wrapped text
 * with setext underlines and `*` bullets.
 */
import { collapse, trimEndChars } from "./text";

export type SectionKind = "preamble" | "attendees" | "apologies" | "reviews" | "discussion" | "actions";

export interface Section {
  kind: SectionKind;
  heading: string;
  /** Text on the heading line after a colon ("Present: A, B and C"). */
  inline: string | null;
  lines: string[];
}

export interface Document {
  title: string | null;
  sections: Section[];
}

const UNDERLINE = /^\s*(?:={3,}|-{3,}|~{3,}|\*{3,})\s*$/;
const BULLET = /^(\s*)(?:[*+\-•–]|\d{1,2}[.)])\s+(\S.*)$/;

export function bullet(line: string): { indent: number; text: string } | null {
  const m = BULLET.exec(line);
  if (!m || UNDERLINE.test(line)) return null;
  return { indent: m[1].length, text: m[2] };
}

/** Recognise a section heading line; `#`, `**` and a trailing colon are all tolerated. */
export function headingKind(raw: string): { kind: Exclude<SectionKind, "preamble">; heading: string; inline: string | null } | null {
  if (/^\s/.test(raw)) return null;
  const line = raw
    .replace(/^#{1,6}\s+/, "")
    .replace(/\*\*/g, "")
    .trim();
  const inl = /^(attendees|attendance|attending|in attendance|present|participants|apologies|regrets|absent)(?:\s*\(\d+\))?\s*:\s*(\S.*)$/i.exec(line);
  if (inl) {
    return { kind: /^(?:apologies|regrets|absent)$/i.test(inl[1]) ? "apologies" : "attendees", heading: inl[1], inline: inl[2] };
  }
  const t = line.endsWith(":") ? line.slice(0, -1).trimEnd() : line;
  if (t.length > 60) return null;
  if (/^(?:attendees|attendance|attending|in attendance|present|participants)(?:\s*\(\d+\))?$/i.test(t)) return { kind: "attendees", heading: t, inline: null };
  if (/^(?:apologies|regrets|absent)$/i.test(t)) return { kind: "apologies", heading: t, inline: null };
  if (/\baction\s+(?:points|items)\b|^actions\b/i.test(t)) {
    const previous = /\b(?:previous|last|review(?:ed)?|outstanding|old|status|from last)\b/i.test(t);
    if (previous) return { kind: "reviews", heading: t, inline: null };
    if (/^(?:new\s+)?(?:action\s+(?:points|items)|actions)$/i.test(t)) return { kind: "actions", heading: t, inline: null };
    return null;
  }
  if (/^(?:discussion|notes|minutes|summary|discussion points)$/i.test(t)) return { kind: "discussion", heading: t, inline: null };
  return null;
}

/** "# Title #" → "Title" (closing hashes optional); by hand, as `/^#\s+(.+?)\s*#*$/` backtracks quadratically. */
function atxHeading(l: string): string | null {
  if (!/^#\s/.test(l)) return null;
  const body = l.slice(1).trim();
  if (!body) return null;
  return trimEndChars(body, "#").trimEnd() || body;
}

/** Find the title: the first setext/ATX heading, or a first line that names a meeting. */
function findTitle(lines: string[]): { title: string; start: number; end: number } | null {
  for (let i = 0; i < lines.length - 1; i++) {
    const l = lines[i].trim();
    if (!l || headingKind(lines[i])) continue;
    if (/^=+$/.test(lines[i + 1].trim()) && lines[i + 1].trim().length >= 3) {
      return { title: l, start: i, end: i + 2 };
    }
  }
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) continue;
    const atx = atxHeading(l);
    if (atx) return { title: atx, start: i, end: i + 1 };
    // Only the first non-blank line may be an un-underlined title, and only if it says "meeting".
    if (!headingKind(lines[i]) && /\b(?:meeting|minutes)\b/i.test(l) && l.length <= 120 && !/[.:]$/.test(l)) {
      const under = UNDERLINE.test(lines[i + 1] ?? "");
      return { title: l, start: i, end: i + (under ? 2 : 1) };
    }
    break;
  }
  return null;
}

export function splitDocument(lines: string[]): Document {
  const t = findTitle(lines);
  const sections: Section[] = [{ kind: "preamble", heading: "", inline: null, lines: [] }];
  for (let i = 0; i < lines.length; i++) {
    if (t && i >= t.start && i < t.end) continue;
    const line = lines[i];
    const atBlockStart = i === 0 || lines[i - 1].trim() === "" || (t !== null && i === t.end);
    const h = atBlockStart ? headingKind(line) : null;
    if (h) {
      sections.push({ kind: h.kind, heading: h.heading, inline: h.inline, lines: [] });
      if (UNDERLINE.test(lines[i + 1] ?? "")) i++;
      continue;
    }
    sections[sections.length - 1].lines.push(line);
  }
  return { title: t?.title ?? null, sections };
}

/** Skip blank lines from `i`. */
export function skipBlank(lines: string[], i: number): number {
  while (i < lines.length && lines[i].trim() === "") i++;
  return i;
}

/**
 * Read a bullet list starting at `start` (which must be a bullet). An item runs
 * on over wrapped lines (indented or not) and over more-indented sub-bullets;
 * a blank line ends the list unless another bullet at the list's indent follows.
 */
export function readList(lines: string[], start: number): { items: string[]; end: number } {
  const first = bullet(lines[start]);
  if (!first) return { items: [], end: start };
  const base = first.indent;
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i];
    const b = bullet(line);
    if (b && b.indent <= base) {
      items.push([b.text]);
      i++;
      continue;
    }
    if (line.trim() === "") {
      const j = skipBlank(lines, i);
      const nb = j < lines.length ? bullet(lines[j]) : null;
      if (nb && nb.indent <= base) {
        i = j;
        continue;
      }
      break;
    }
    items[items.length - 1].push(line.trim());
    i++;
  }
  return { items: items.map((p) => collapse(p.join(" "))), end: i };
}

/** Paragraphs (blank-line separated groups of lines) of a line range. */
export function paragraphs(lines: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const l of lines) {
    if (l.trim() === "") {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(l);
  }
  if (cur.length) out.push(cur);
  return out;
}
