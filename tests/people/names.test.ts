import { describe, expect, it } from "vitest";
import { resolvePerson, type PersonRef } from "@/lib/minutes/people";
import { aliasRows, firstNames, nameKey, nameKeys, sameName, sameOrder } from "@/lib/people/names";

/**
 * One normaliser for aliases (the attendee picker, the database's PersonAlias keys) and
 * the minutes import, tried on the names Xen contributors actually have and write.
 */
const same = (a: string, b: string) => expect(sameName(a, b), `${a} = ${b}`).toBe(true);
const differ = (a: string, b: string) => expect(sameName(a, b), `${a} ≠ ${b}`).toBe(false);

describe("names: one normaliser", () => {
  it("Polish: ł and the other letters, hyphenated double surnames", () => {
    // Before: the alias normaliser dropped ł ("ukasz") while the import kept it ("lukasz").
    expect(nameKey("Łukasz")).toBe("lukasz");
    same("Łukasz Hawryłko", "Lukasz Hawrylko");
    same("Marek Marczykowski-Górecki", "Marek Marczykowski-Gorecki");
    same("Marek Marczykowski-Górecki", "Marczykowski-Górecki, Marek");
    same("Michał Leszczyński", "Michal Leszczynski");
    same("Michał Żygowski", "MICHAL ZYGOWSKI");
    differ("Michał Żygowski", "Michael Zygowski"); // Michał is not Michael
  });

  it("German: Jürgen Groß is Juergen Gross on xen-devel, and Jurgen Gross too", () => {
    // Before: "jurgen gro" (aliases) vs "jurgen gross" (import).
    expect(nameKeys("Jürgen Groß")).toEqual(["gross jurgen", "gross juergen"]);
    same("Jürgen Groß", "Juergen Gross");
    same("Jürgen Groß", "Jurgen Gross");
    same("Juergen Gross", "Jürgen Groß");
    same("Jürgen Groß", "Gross, Juergen");
    same("Jan-Simon Möller", "Jan-Simon Moeller");
    // Written out "ue" only comes from a real umlaut: "Samuel" does not become "Samul".
    differ("Samuel Ortiz", "Samul Ortiz");
    // The same rule serves other languages that write ö in ASCII as plain o.
    same("Edwin Török", "Edwin Torok");
    same("Edwin Török", "Edwin Toeroek");
  });

  it("Czech: háček and čárka", () => {
    same("Jiří", "Jiri");
    same("Petr Beneš", "Petr Benes");
    same("Jiří Ovčáček", "jiri ovcacek");
  });

  it("Catalan/Spanish: accents and two surnames", () => {
    same("Roger Pau Monné", "Roger Pau Monne");
    same("Roger Pau Monné", "Pau Monné, Roger");
    differ("Roger Pau Monné", "Roger Pau"); // a shorter form is an alias, not the same key
  });

  it("Chinese in Latin transcription: either name order, any case", () => {
    same("Wei Liu", "Liu Wei");
    same("Wei Liu", "LIU Wei");
    same("Wei Liu", "Liu, Wei");
    same("Hongyang Yang", "Yang Hongyang");
    same("Penny Zheng", "ZHENG Penny");
    // Where two people's names are each other reversed, the written order decides.
    expect(sameOrder("Wei Chen", "wei chen")).toBe(true);
    expect(sameOrder("Wei Chen", "Chen Wei")).toBe(false);
  });

  it("particles: van, de, von — any case, either order, or left out", () => {
    same("Hans van Kranenburg", "Hans Van Kranenburg");
    same("Hans van Kranenburg", "van Kranenburg, Hans");
    same("Hans van Kranenburg", "Hans Kranenburg");
    same("Hans de Goede", "Hans De Goede");
    same("Karl von Lindenau", "Karl Lindenau");
    // A particle is dropped only when two words remain, and never the last word.
    differ("Di Wang", "Wang");
    differ("Wang Di", "Wang");
    // The first name is the given name, not the particle.
    expect(firstNames("Hans van Kranenburg")).toEqual(["hans"]);
    expect(firstNames("Jürgen Groß")).toEqual(["jurgen", "juergen"]);
  });

  it("stores one alias row per key, and nothing for a name without letters", () => {
    expect(aliasRows("Jürgen  Groß", "Juergen Gross")).toEqual([
      { alias: "Jürgen Groß", normalized: "gross jurgen" },
      { alias: "Jürgen Groß", normalized: "gross juergen" },
    ]);
    expect(aliasRows("—")).toEqual([]);
    expect(nameKey("  ")).toBe("");
  });
});

describe("the minutes import resolves names by the same rules", () => {
  const people: PersonRef[] = [
    { id: "juergen", displayName: "Jürgen Groß", aliases: [] },
    { id: "lukasz", displayName: "Łukasz Hawryłko", aliases: [] },
    { id: "marek", displayName: "Marek Marczykowski-Górecki", aliases: ["Marek Marczykowski"] },
    { id: "roger", displayName: "Roger Pau Monné", aliases: [] },
    { id: "petr", displayName: "Petr Beneš", aliases: [] },
    { id: "wei-liu", displayName: "Wei Liu", aliases: [] },
    { id: "wei-chen", displayName: "Wei Chen", aliases: [] },
    { id: "chen-wei", displayName: "Chen Wei", aliases: [] },
    { id: "hans", displayName: "Hans van Kranenburg", aliases: [] },
  ];
  const who = (name: string, attendees?: string[]) => resolvePerson(name, people, attendees).personId;

  it("finds each person under the spellings the aliases match", () => {
    for (const [name, id] of [
      ["Juergen Gross", "juergen"],
      ["Gross, Juergen", "juergen"],
      ["Lukasz Hawrylko", "lukasz"],
      ["Marek Marczykowski-Gorecki", "marek"],
      ["Roger Pau Monne", "roger"],
      ["Petr Benes", "petr"],
      ["LIU Wei", "wei-liu"],
      ["van Kranenburg, Hans", "hans"],
    ] as const) {
      expect(who(name), name).toBe(id);
      // The import and the aliases agree on every one.
      expect(sameName(name, people.find((p) => p.id === id)!.displayName)).toBe(true);
    }
  });

  it("two people whose names are each other reversed each keep their own", () => {
    expect(who("Wei Chen")).toBe("wei-chen");
    expect(who("Chen Wei")).toBe("chen-wei");
    expect(who("CHEN Wei")).toBe("chen-wei");
  });

  it("a first name through the attendee list, written with or without the umlaut", () => {
    expect(who("Juergen", ["Jürgen Groß", "Roger Pau Monné"])).toBe("juergen");
    expect(who("Hans", ["Hans van Kranenburg"])).toBe("hans");
  });
});
