/**
 * Names → people in the database: who a typed or imported name is, and the aliases
 * (one PersonAlias row per key of a spelling, lib/people/names) that let the next
 * meeting or import find them again.
 */
import type { Db, Tx } from "@/lib/db/types";
import { inTransaction } from "@/lib/db/transaction";
import { aliasRows, nameKeys, sameName, sameOrder } from "./names";

/**
 * The person a spelling names, or null. Aliases first (every creation path stores the
 * display name as one); people with no alias at all are compared by display name.
 * Two people answering to one key ("Paul") is ambiguous: the one written in the same
 * word order wins, else the first (a duplicate is worse; the picker offers full names).
 */
export async function findPersonByName(tx: Tx, name: string): Promise<string | null> {
  const keys = nameKeys(name);
  if (!keys.length) return null;
  const hits = await tx.personAlias.findMany({
    where: { normalized: { in: keys } },
    select: { personId: true, alias: true },
    orderBy: { id: "asc" },
    take: 50,
  });
  if (hits.length) return (hits.find((h) => sameOrder(h.alias, name)) ?? hits[0]).personId;
  const bare = await tx.person.findMany({ where: { aliases: { none: {} } }, select: { id: true, displayName: true }, take: 500 });
  const same = bare.filter((p) => sameName(p.displayName, name));
  return (same.find((p) => sameOrder(p.displayName, name)) ?? same[0])?.id ?? null;
}

/**
 * Names typed in the attendee picker → Person ids. An existing person is recognised
 * by display name or any alias ("Jenny" = "Jennifer Herbert"); only a name nobody
 * answers to creates a new Person (with that name as its alias, so the next meeting
 * finds them). Returns the ids and which names were created.
 */
export async function resolveOrCreatePeople(tx: Tx, names: string[]): Promise<{ ids: string[]; created: { id: string; displayName: string }[] }> {
  const ids: string[] = [];
  const created: { id: string; displayName: string }[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const displayName = raw.replace(/\s+/g, " ").trim();
    const keys = nameKeys(displayName);
    if (!keys.length || keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    const existing = await findPersonByName(tx, displayName);
    if (existing) {
      // Two spellings that are both the person's ("Juergen Gross", "Jurgen Gross") list them once.
      if (!ids.includes(existing)) ids.push(existing);
      continue;
    }
    const person = await tx.person.create({ data: { displayName, aliases: { create: aliasRows(displayName) } } });
    ids.push(person.id);
    created.push({ id: person.id, displayName });
  }
  return { ids, created };
}

/**
 * Brings every stored alias to the current keys (run on every start): aliases written
 * before the normaliser changed, or with one key where they now have several, are
 * found again by every spelling. Returns how many rows changed.
 */
export async function rekeyAliases(db: Db): Promise<number> {
  const rows = await db.personAlias.findMany({ select: { id: true, personId: true, alias: true, normalized: true }, orderBy: { id: "asc" } });
  const wanted = new Map<string, Map<string, string>>();
  for (const r of rows) {
    const mine = wanted.get(r.personId) ?? new Map<string, string>();
    for (const k of nameKeys(r.alias)) if (!mine.has(k)) mine.set(k, r.alias);
    wanted.set(r.personId, mine);
  }
  const stale = rows.filter((r) => !wanted.get(r.personId)!.has(r.normalized)).map((r) => r.id);
  const have = new Set(rows.filter((r) => wanted.get(r.personId)!.has(r.normalized)).map((r) => `${r.personId}\n${r.normalized}`));
  const missing = [...wanted].flatMap(([personId, keys]) =>
    [...keys].filter(([k]) => !have.has(`${personId}\n${k}`)).map(([normalized, alias]) => ({ personId, alias, normalized })),
  );
  if (!stale.length && !missing.length) return 0;
  await inTransaction(db, async (tx) => {
    // In slices: SQLite binds at most 999 values per statement.
    for (let i = 0; i < stale.length; i += 500) await tx.personAlias.deleteMany({ where: { id: { in: stale.slice(i, i + 500) } } });
    for (const m of missing) await tx.personAlias.create({ data: m });
  });
  return stale.length + missing.length;
}
