import { normalizeName } from "./names";
import type { Tx } from "@/lib/db/types";

/**
 * Names typed in the attendee picker → Person ids. An existing person is recognised
 * by display name or any alias ("Jenny" = "Jennifer Herbert"), compared normalized;
 * only a name nobody answers to creates a new Person (with that name as its alias,
 * so the next meeting finds them). Returns the ids and which names were created.
 */
export async function resolveOrCreatePeople(tx: Tx, names: string[]): Promise<{ ids: string[]; created: { id: string; displayName: string }[] }> {
  const ids: string[] = [];
  const created: { id: string; displayName: string }[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const displayName = raw.replace(/\s+/g, " ").trim();
    const normalized = normalizeName(displayName);
    if (!normalized || seen.has(normalized)) continue;
    seen.add(normalized);
    const existing = await findPersonByName(tx, normalized);
    if (existing) {
      ids.push(existing);
      continue;
    }
    const person = await tx.person.create({ data: { displayName, aliases: { create: [{ alias: displayName, normalized }] } } });
    ids.push(person.id);
    created.push({ id: person.id, displayName });
  }
  return { ids, created };
}

/** Alias first (covers display names the seed/importer stored as aliases), then display names. */
async function findPersonByName(tx: Tx, normalized: string): Promise<string | null> {
  const aliases = await tx.personAlias.findMany({ where: { normalized }, select: { personId: true }, distinct: ["personId"], take: 2 });
  // Two people answering to one alias ("Paul") is ambiguous; take the first rather
  // than create a third "Paul" (a duplicate is worse; the picker offers full names).
  if (aliases.length) return aliases[0].personId;
  // Display names are not stored normalized: compare on the few candidates sharing the first word.
  const first = normalized.split(" ")[0];
  const candidates = await tx.person.findMany({ where: { displayName: { startsWith: first.slice(0, 1).toUpperCase() + first.slice(1) } }, select: { id: true, displayName: true }, take: 200 });
  const more = await tx.person.findMany({ where: { displayName: { startsWith: first } }, select: { id: true, displayName: true }, take: 200 });
  const hit = [...candidates, ...more].find((p) => normalizeName(p.displayName) === normalized);
  return hit?.id ?? null;
}
