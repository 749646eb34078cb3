/**
 * Names in the database: the attendee picker and the minutes import find a person by
 * any spelling of their name, through the same keys (lib/people/names), on both
 * providers; aliases stored under the old normaliser are re-keyed on start.
 * DMBOARD_TEST_PROVIDER=sqlite|postgresql npx vitest run --project db tests/db/people
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "@/lib/db/transaction";
import { findPersonByName, rekeyAliases, resolveOrCreatePeople } from "@/lib/people/aliases";
import { setupTestDb, type TestDb } from "../harness";

describe("people by any spelling of their name", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await setupTestDb();
  });
  afterAll(() => t.cleanup());

  const picker = (names: string[]) => inTransaction(t.db, (tx) => resolveOrCreatePeople(tx, names));
  const find = (name: string) => inTransaction(t.db, (tx) => findPersonByName(tx, name));

  it("a person typed once is found again under the ASCII, reordered or particle-less spelling", async () => {
    const first = await picker(["Jürgen Groß", "Łukasz Hawryłko", "Roger Pau Monné", "Hans van Kranenburg", "Wei Liu"]);
    expect(first.created.map((c) => c.displayName)).toEqual(["Jürgen Groß", "Łukasz Hawryłko", "Roger Pau Monné", "Hans van Kranenburg", "Wei Liu"]);
    const again = await picker(["Juergen Gross", "Lukasz Hawrylko", "Pau Monne, Roger", "Hans Kranenburg", "LIU Wei", "Jurgen Gross"]);
    expect(again.created).toEqual([]);
    // "Jurgen Gross" is the same person as "Juergen Gross": listed once.
    expect(again.ids).toEqual(first.ids);
    expect(await t.db.person.count()).toBe(5);
  });

  it("one spelling typed twice in a list creates one person", async () => {
    const r = await picker(["Petr Beneš", "Petr Benes", "BENES, Petr"]);
    expect(r.created.map((c) => c.displayName)).toEqual(["Petr Beneš"]);
    expect(r.ids).toHaveLength(1);
  });

  it("of two people whose names are each other reversed, the one written in that order", async () => {
    const { ids } = await picker(["Wei Chen"]);
    const chen = await t.db.person.create({ data: { displayName: "Chen Wei", aliases: { create: [{ alias: "Chen Wei", normalized: "chen wei" }] } } });
    expect(await find("Wei Chen")).toBe(ids[0]);
    expect(await find("Chen Wei")).toBe(chen.id);
    expect(await find("CHEN Wei")).toBe(chen.id);
  });

  it("a person with no alias row at all is found by display name", async () => {
    const bare = await t.db.person.create({ data: { displayName: "Jiří Ovčáček" } });
    expect(await find("Jiri Ovcacek")).toBe(bare.id);
  });

  it("re-keys aliases stored by the old normaliser ('ukasz', 'jurgen gro'), once", async () => {
    const p = await t.db.person.create({
      data: {
        displayName: "Michał Żygowski",
        aliases: {
          create: [
            { alias: "Michał Żygowski", normalized: "micha ygowski" },
            { alias: "Jürgen", normalized: "jurgen" },
          ],
        },
      },
    });
    expect(await find("Michal Zygowski")).toBeNull();
    const changed = await rekeyAliases(t.db);
    expect(changed).toBeGreaterThan(0);
    expect(await find("Michal Zygowski")).toBe(p.id);
    const rows = await t.db.personAlias.findMany({ where: { personId: p.id }, orderBy: { normalized: "asc" } });
    expect(rows.map((r) => [r.alias, r.normalized])).toEqual([
      ["Jürgen", "juergen"],
      ["Jürgen", "jurgen"],
      ["Michał Żygowski", "michal zygowski"],
    ]);
    expect(await rekeyAliases(t.db)).toBe(0);
  });
});
