/**
 * How people's names are compared: the one normaliser behind aliases, the attendee
 * picker and the minutes import. Pure; client components use it too.
 *
 * A name is folded to words (lib/minutes/text `fold`: lower case, accents off, letters
 * NFKD cannot split spelled out: "Łukasz" → "lukasz", "Groß" → "gross"; hyphens,
 * commas and dots are word breaks: "Marczykowski-Górecki" → "marczykowski gorecki").
 * Two spellings are the same person when any of their keys agree. A name's keys:
 *   - its words sorted, so the order does not matter: "Wei Liu" = "Liu Wei" = "LIU Wei",
 *     "Gross, Juergen" = "Juergen Gross";
 *   - with German umlauts written out as well as dropped, because German speakers write
 *     "ü" as "ue" in ASCII: "Jürgen Groß" = "Juergen Gross" = "Jurgen Gross"
 *     (but "Michael" ≠ "Michał": only a real umlaut makes the "ue" key);
 *   - without particles (van, de, von…) as well, when two words remain:
 *     "Hans van Kranenburg" = "Hans Kranenburg".
 * Where a sorted key is ambiguous (two people "Wei Chen" and "Chen Wei"), the spelling
 * in the same word order wins (`sameOrder`).
 */
import { fold } from "@/lib/minutes/text";

/** Name particles that may be left out: Dutch, German, French, Italian, Spanish, Portuguese. */
const PARTICLES = new Set(["van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ten", "ter", "zu"]);

const UMLAUT: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue" };

/** The name's words, folded, in the order written ("O'Brien" → "obrien"). */
export function nameWords(name: string): string[] {
  return fold(name).replace(/'/g, "").split(" ").filter(Boolean);
}

/** The spellings a name stands for: as folded, and with its umlauts written out (when it has any). */
function spellings(name: string): string[][] {
  const nfc = name.normalize("NFC");
  const plain = nameWords(nfc);
  if (!/[äöü]/i.test(nfc)) return [plain];
  return [plain, nameWords(nfc.replace(/[äöü]/gi, (c) => UMLAUT[c]))];
}

/** The same words without particles, when a particle precedes another word and two words remain. */
function withoutParticles(words: string[]): string[] | null {
  const kept = words.filter((w, i) => !(PARTICLES.has(w) && i < words.length - 1));
  return kept.length < words.length && kept.length >= 2 ? kept : null;
}

const key = (words: string[]) => [...words].sort().join(" ");

/** Every key the name is known by (see above); the first is its main key. Empty for a name with no letters. */
export function nameKeys(name: string): string[] {
  const out: string[] = [];
  for (const words of spellings(name)) {
    if (!words.length) continue;
    out.push(key(words));
    const short = withoutParticles(words);
    if (short) out.push(key(short));
  }
  return [...new Set(out)];
}

/** The main key: what `PersonAlias.normalized` holds for a spelling that has one key. */
export function nameKey(name: string): string {
  return nameKeys(name)[0] ?? "";
}

/** Do two spellings name the same person? */
export function sameName(a: string, b: string): boolean {
  const kb = new Set(nameKeys(b));
  return nameKeys(a).some((k) => kb.has(k));
}

/** The same, and in the same word order: breaks the tie between "Wei Chen" and "Chen Wei". */
export function sameOrder(a: string, b: string): boolean {
  const ob = new Set(spellings(b).map((w) => w.join(" ")));
  return spellings(a).some((w) => ob.has(w.join(" ")));
}

/** The first words a name may start with, folded ("Jürgen Groß" → jurgen, juergen). */
export function firstNames(name: string): string[] {
  return [
    ...new Set(
      spellings(name)
        .map((w) => w[0])
        .filter((w): w is string => !!w),
    ),
  ];
}

/** Is this a full name (two words or more), not a lone first name? */
export const isFullName = (name: string) => nameWords(name).length > 1;

/** The PersonAlias rows of some spellings: one per key (the first spelling to give it), so any spelling finds the person. */
export function aliasRows(...aliases: string[]): { alias: string; normalized: string }[] {
  const out = new Map<string, string>();
  for (const a of aliases) {
    const shown = a.replace(/\s+/g, " ").trim();
    for (const k of nameKeys(shown)) if (!out.has(k)) out.set(k, shown);
  }
  return [...out].map(([normalized, alias]) => ({ alias, normalized }));
}
