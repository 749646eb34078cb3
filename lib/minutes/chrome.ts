/**
 * Remove what list archives wrap around a post: navigation links, the
 * "[List] Subject" line, header echoes, the mailman footer and hosting notices.
 * Works on MHonArc (lists.xenproject.org), pipermail and lore renderings; what is
 * not recognised is left alone rather than guessed at.
 */
import { normalizeLines, trimEndChars, trimStartChars } from "./text";

export interface StrippedText {
  text: string;
  /** Subject found in the chrome ("[Xen-devel] X" → "X", or a "Subject:" echo), if any. */
  subject: string | null;
  /** Raw Date echo from the archive header area, if any (e.g. pipermail's "Wed May 10 ..."). */
  dateText: string | null;
  /** Human descriptions of what was removed, for the preview. */
  removed: string[];
}

/** "[Date Prev][Date Next][Thread Prev]..." — a line made only of bracketed navigation words. */
function isNavLine(l: string): boolean {
  const t = l.trim();
  // Between brackets only spaces and pipes, so each run has one way to match (was `\s*\|?\s*`: exponential).
  if (/^(?:\[[^\]\n]{1,40}\][\s|]*){2,}$/.test(t)) {
    return /prev|next|index|thread|date|author|subject/i.test(t);
  }
  return (
    /^messages sorted by:/i.test(t) ||
    /^(?:previous|next) message(?: \(by thread\))?:/i.test(t) ||
    /^next prev parent reply other threads/i.test(t) ||
    /^\^ permalink raw reply/i.test(t) ||
    /^\*?\s*\[?(?:thread overview|reply to this message|view this message)/i.test(t)
  );
}

const LIST_TAG = /^(?:(?:re|fwd?|aw)\s*:\s*)*\[[\w.+-]{1,40}\]\s+(\S.*)$/i;
/** The value (group 2) is trimmed by the caller: `:\s*(.*)` would backtrack between the two. */
const HEADER_ECHO = /^(To|From|Cc|Date|Subject|Message-id|Delivery-date|List-id|Reply-to|Sender|In-reply-to):(.*)$/i;

/** Footer start: a line of underscores/dashes shortly followed by "<list> mailing list". */
function footerStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].trim();
    // A dash line right under text is a heading's underline ("Action Items" / "------------"),
    // not a footer rule, even when the first item names lists.xenproject.org.
    const underline = /^-{10,}$/.test(t) && i > 0 && lines[i - 1].trim() !== "";
    if ((/^_{10,}$/.test(t) || /^-{10,}$/.test(t)) && !underline) {
      const next = lines.slice(i + 1, i + 4).join(" ");
      if (/mailing list|lists?\.|listinfo|unsubscribe/i.test(next)) return i;
    }
    if (/^more information about the .*mailing\s*list/i.test(t)) return i;
    if (/^more information about the\s*$/i.test(t) && /mailing list/i.test(lines[i + 1] ?? "")) return i;
  }
  return -1;
}

/** A hosting notice ("… is hosted with Rackspace, monitoring our servers 24x7x365 …"). */
function isHostingNotice(l: string): boolean {
  const hosted = l.search(/\bis hosted (?:with|by)\b/i);
  if (hosted >= 0 && /monitor|support/i.test(l.slice(hosted))) return true;
  return /fanatical support|^rackspace$|^(?:archive )?powered by|^mhonarc/i.test(l);
}

export function stripChrome(input: string): StrippedText {
  let lines = normalizeLines(input);
  const removed: string[] = [];
  let subject: string | null = null;
  let dateText: string | null = null;

  // --- Top: navigation, "[List] Subject" and header echoes, only before the first real content.
  let i = 0;
  const top: number[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === "") continue;
    if (isNavLine(l)) {
      top.push(i);
      removed.push("archive navigation");
      continue;
    }
    const tag = LIST_TAG.exec(l);
    // An underlined line is the minutes' own heading, never the archive's subject line.
    if (tag && !/^[=-]{3,}$/.test((lines[i + 1] ?? "").trim())) {
      subject ??= tag[1].trim();
      top.push(i);
      removed.push("list subject line");
      continue;
    }
    const h = HEADER_ECHO.exec(l);
    if (h) {
      const name = h[1].toLowerCase();
      if (name === "subject") subject ??= h[2].trim().replace(LIST_TAG, "$1").trim();
      if (name === "date") dateText ??= h[2].trim();
      top.push(i);
      removed.push(`archive "${h[1]}:" line`);
      continue;
    }
    break;
  }
  if (top.length) {
    const drop = new Set(top);
    lines = lines.filter((_, k) => !drop.has(k));
  }

  // --- Bottom: list footer (and everything after it: hosting notices, archive links).
  const f = footerStart(lines);
  if (f >= 0) {
    lines = lines.slice(0, f);
    removed.push("mailing list footer");
  }
  // Hosting notices and navigation may also appear without a footer; drop them from the tail only.
  for (;;) {
    while (lines.length && lines[lines.length - 1].trim() === "") lines.pop();
    const last = lines[lines.length - 1]?.trim() ?? "";
    if (last && (isHostingNotice(last) || isNavLine(last) || /^lists\.[\w.-]+ is/i.test(last))) {
      // A notice can be wrapped over a few lines: drop back to the blank line before it.
      let k = lines.length - 1;
      while (k > 0 && lines.length - k <= 4 && lines[k - 1].trim() !== "") k--;
      // Never eat a list item or a long paragraph: that is content, whatever words it uses.
      if (lines.length - k > 4 || lines.slice(k).some((l) => /^\s*[*+\-•]\s/.test(l))) break;
      lines.length = k; // in place: slicing a copy per notice would be quadratic in their number
      removed.push("hosting notice");
      continue;
    }
    break;
  }
  // A signature ("-- ") ends the mail; only when it is short, so a "--" rule in prose survives.
  const sig = lines.lastIndexOf("--");
  if (sig >= 0 && lines.length - sig <= 8 && lines[sig] === "--") {
    // normalizeLines trimmed "-- " to "--"; a bare "--" near the end is the conventional delimiter.
    lines = lines.slice(0, sig);
    removed.push("signature");
  }
  return { text: `${trimEndChars(trimStartChars(lines.join("\n"), "\n"), "\n")}\n`, subject, dateText, removed: [...new Set(removed)] };
}
