/**
 * A stored meeting → the plain data `exportMinutesText` writes. Server only.
 * Owners are named the way the item's text already names them when it does
 * ("Paul to carry on…" owned by Paul Durrant stays "Paul to…", instead of
 * "Paul Durrant to paul to carry on…"), so the export reads like the group's minutes
 * and imports back to the same people.
 */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";
import { statusOfOutcome } from "./draft";
import type { ExportableMeeting } from "./export";
import { leadingOwners } from "./owners";
import { resolvePerson, type PersonRef } from "./people";

type Owner = { person: { id: string; displayName: string; aliases: { alias: string }[] } };

/**
 * An item's text and owners as the export writes them: the text's own owner names
 * when they are exactly its owners ("Paul to …" owned by Paul Durrant); otherwise
 * the stored owners replace whatever names the text starts with (minutes that said
 * "Pual to …", corrected to Paul Durrant on import, export as "Paul to …").
 */
export function exportItem(text: string, owners: Owner[], attendees: string[]): { text: string; ownerNames: string[] } {
  // The group's style: a first name when it names one attendee ("Andrew to …").
  const first = (n: string) => n.split(" ")[0];
  const display = owners.map((o) => {
    const d = o.person.displayName;
    return attendees.includes(d) && attendees.filter((a) => first(a) === first(d)).length === 1 ? first(d) : d;
  });
  const lo = leadingOwners(text);
  if (!lo || !owners.length) return { text, ownerNames: display };
  const refs: PersonRef[] = owners.map((o) => ({ id: o.person.id, displayName: o.person.displayName, aliases: o.person.aliases.map((a) => a.alias) }));
  const ids = lo.owners.map((n) => resolvePerson(n, refs, attendees).personId);
  const same = ids.every((x) => x !== null) && new Set(ids).size === owners.length && owners.every((o) => ids.includes(o.person.id));
  if (same) return { text, ownerNames: lo.owners };
  return { text: lo.connector === "names-only" ? text : lo.rest, ownerNames: display };
}

export async function meetingToExportable(meetingId: string, db: DbOrTx = getDb()): Promise<ExportableMeeting | null> {
  const person = { select: { id: true, displayName: true, aliases: { select: { alias: true } } } } as const;
  const m = await db.meeting.findUnique({
    where: { id: meetingId },
    include: {
      series: { select: { name: true } },
      attendees: { include: { person } },
      reviews: { include: { item: { include: { owners: { include: { person } } } } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      itemsCreated: {
        include: { owners: { include: { person } }, links: { select: { url: true, title: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      },
    },
  });
  if (!m) return null;
  const attendees = m.attendees.map((a) => a.person.displayName).sort((a, b) => a.localeCompare(b));
  const decisions = m.decisions.trim();
  return {
    series: m.series.name,
    date: m.date.toISOString().slice(0, 10),
    title: m.title,
    attendees,
    reviews: m.reviews.map((r) => ({ ...exportItem(r.item.text, r.item.owners, attendees), status: statusOfOutcome(r.outcome), note: r.note })),
    // Decisions have no section of their own in the group's form: they close the discussion.
    discussion: [m.body.trim(), decisions ? `Decisions:\n\n${decisions}` : ""].filter(Boolean).join("\n\n"),
    actionItems: m.itemsCreated.map((i) => ({ ...exportItem(i.text, i.owners, attendees), target: i.target, links: i.links })),
  };
}
