/**
 * Who owns an item, read from how the group writes items: "Paul to …",
 * "Andrew and Ian to …", "Ian - No progress …", "Jenny: …". Pure string work;
 * matching names to people is `people.ts`.
 */

const PARTICLES = "(?:van|von|de|der|den|da|di|du|del|la|le|dos|das|ter|bin)";
const TOKEN = "\\p{Lu}[\\p{L}\\p{M}'’.\\-]*";
const NAME = `${TOKEN}(?:\\s+(?:${PARTICLES}\\s+)*${TOKEN}){0,3}`;
// "(?:\s*,)?\s+", not "\s*,?\s+": without the comma the two runs would share the spaces (quadratic).
const OWNERS = `${NAME}(?:\\s*,\\s*${NAME})*(?:(?:\\s*,)?\\s+(?:and|&)\\s+${NAME})?`;
const LEADING = new RegExp(`^(?:(If)\\s+)?(${OWNERS})(?:\\s+to\\s+(\\S.*)|\\s*:\\s+(\\S.*)|\\s*)$`, "su");

/** Capitalised words that start sentences but are never an owner. */
const NOT_NAMES = new Set(
  (
    "the this that these those it its we they he she there here next then also if when while a an action actions note notes item items " +
    "need needs someone somebody everyone everybody all any each some one two three new old other both nobody no yes done agreed " +
    "discussion attendees present reviewed previous please currently instead however although after before since until"
  ).split(" "),
);

export interface LeadingOwners {
  owners: string[];
  /** The words after "to"/":" ("" when the text is only names, as in "Ian - No progress"). */
  rest: string;
  connector: "to" | "colon" | "names-only";
  /** The text started with a stray "If" ("If Andrew to double check…"), a typo seen in real minutes. */
  strayIf: boolean;
}

export function splitOwnerList(s: string): string[] {
  return s
    .split(/,|&|\band\b/)
    .map((n) => n.trim())
    .filter(Boolean);
}

/** Owners at the start of an item, or null when it does not start with names. */
export function leadingOwners(text: string): LeadingOwners | null {
  const m = LEADING.exec(text.trim());
  if (!m) return null;
  const owners = splitOwnerList(m[2]);
  if (!owners.length) return null;
  for (const o of owners) {
    const first = o.split(/\s+/)[0].toLowerCase();
    if (NOT_NAMES.has(first)) return null;
  }
  const rest = (m[3] ?? m[4] ?? "").trim();
  const connector = m[3] !== undefined ? "to" : m[4] !== undefined ? "colon" : "names-only";
  // "If Andrew" with nothing after it is a sentence fragment, not a typo we can fix.
  if (m[1] && connector === "names-only") return null;
  return { owners, rest, connector, strayIf: Boolean(m[1]) };
}

/** "A", "A and B", "A, B and C" — the form `leadingOwners` reads back. */
export function joinOwners(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
