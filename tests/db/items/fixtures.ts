/** A small working group with items in every state, for the action-item tests. */
import type { Db } from "@/lib/db/client";

export const editor = { userId: "u-editor", email: "editor@example.org" };
export const otherEditor = { userId: "u-other", email: "other@example.org" };

/** Fixed "now" so overdue is deterministic: 1 June 2017. */
export const NOW = new Date("2017-06-01T12:00:00Z");

export async function seedItems(db: Db) {
  const series = await db.series.create({ data: { name: "QEMU WG", slug: "qemu-wg" } });
  const other = await db.series.create({ data: { name: "Other WG", slug: "other-wg" } });
  const topics: Record<string, string> = {};
  for (const [slug, name] of [
    ["physmap-keys", "Physmap keys"],
    ["xs-restrict", "xs-restrict"],
    ["vnc-clipboard", "VNC clipboard"],
  ]) {
    topics[slug] = (await db.topic.create({ data: { slug, name } })).id;
  }
  // Jenny's person is linked to a user account: her "my items".
  await db.user.create({ data: { id: "u-jenny", email: "jenny@example.org", name: "Jenny" } });
  const people: Record<string, string> = {};
  for (const [name, userId] of [
    ["Jenny Herbert", "u-jenny"],
    ["Paul Durrant", null],
    ["Andrew Cooper", null],
    ["Igor Druzhinin", null],
  ] as const) {
    people[name.split(" ")[0]] = (await db.person.create({ data: { displayName: name, userId } })).id;
  }
  const meeting = await db.meeting.create({
    data: {
      seriesId: series.id,
      date: new Date("2017-05-10T00:00:00Z"),
      title: "WG 10 May",
      attendees: { create: [{ personId: people.Jenny }, { personId: people.Igor }] },
      topics: { create: [{ topicId: topics["physmap-keys"] }] },
    },
  });
  const later = await db.meeting.create({
    data: { seriesId: series.id, date: new Date("2017-05-24T00:00:00Z"), title: "WG 24 May", attendees: { create: [{ personId: people.Jenny }] } },
  });

  const mk = async (
    text: string,
    o: { status?: string; owners: string[]; topics?: string[]; due?: string; target?: string; seriesId?: string; meetingId?: string },
  ) =>
    (
      await db.actionItem.create({
        data: {
          text,
          status: o.status ?? "open",
          target: o.target ?? null,
          dueDate: o.due ? new Date(`${o.due}T00:00:00Z`) : null,
          closedAt: o.status === "done" || o.status === "dropped" ? new Date("2017-05-24T00:00:00Z") : null,
          seriesId: o.seriesId ?? series.id,
          meetingId: o.meetingId ?? meeting.id,
          owners: { create: o.owners.map((p) => ({ personId: people[p] })) },
          topics: { create: (o.topics ?? []).map((t) => ({ topicId: topics[t] })) },
        },
      })
    ).id;

  const items = {
    physmap: await mk("Igor to post patches for the new physmap mechanism", {
      owners: ["Igor"],
      topics: ["physmap-keys"],
      due: "2017-05-31",
      target: "Xen 4.10",
    }),
    jira: await mk("Jenny to create internal JIRA tickets", { owners: ["Jenny"], status: "in_progress", due: "2017-06-01" }),
    restrict: await mk("Andrew to look over Ian's xs-restrict series", {
      owners: ["Andrew", "Jenny"],
      topics: ["xs-restrict"],
      status: "blocked",
      due: "2017-05-01",
    }),
    clipboard: await mk("Paul to move the VNC clipboard to a shared page", { owners: ["Paul"], topics: ["vnc-clipboard"], status: "done", due: "2017-05-01" }),
    dropped: await mk("Jenny to update the Confluence page", { owners: ["Jenny"], status: "dropped" }),
    otherSeries: await mk("Paul to review the other series", { owners: ["Paul"], seriesId: other.id, meetingId: undefined }),
  };
  await db.review.create({ data: { meetingId: later.id, itemId: items.physmap, outcome: "progress", note: "RFC posted" } });
  await db.review.create({ data: { meetingId: meeting.id, itemId: items.restrict, outcome: "no_progress", note: "No progress, due to feature freeze" } });
  return { series, other, topics, people, meeting, later, items };
}
