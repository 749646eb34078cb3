/** The working group as the 10 May 2017 minutes found it: people (Simon missing on purpose) and the four open items. */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/db/client";
import { aliasRows } from "@/lib/people/names";

/** The real post, from the shared data beside the clone (CI mounts a read-only copy there). */
export { REAL_POST } from "../../fixtures/minutes/real-post";
import { REAL_POST } from "../../fixtures/minutes/real-post";
export const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/minutes");
export const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
export const realPost = () => readFileSync(REAL_POST);

export const actor = { userId: null, label: "test" };
export const SERIES_NAME = "QEMU XenServer/XenProject Working group";

const PEOPLE: [string, string[]][] = [
  ["Paul Durrant", ["Paul"]],
  ["Andrew Cooper", ["Andrew"]],
  ["Ian Jackson", []],
  ["Jenny Herbert", ["Jennifer Herbert"]],
  ["Igor Druzhinin", []],
  ["Marcus Granado", []],
];

export async function seedWg(db: Db, opts: { openItems?: boolean } = {}) {
  const series = await db.series.create({ data: { name: SERIES_NAME, slug: "qemu-wg" } });
  await db.series.create({ data: { name: "Other WG", slug: "other-wg" } });
  const people: Record<string, string> = {};
  for (const [name, aliases] of PEOPLE) {
    const p = await db.person.create({ data: { displayName: name, aliases: { create: aliasRows(name, ...aliases) } } });
    people[name.split(" ")[0]] = p.id;
  }
  const items: Record<string, string> = {};
  if (opts.openItems !== false) {
    for (const [owner, text, status] of [
      ["Paul", "Paul to carry on with Xen device model work.", "open"],
      ["Ian", "Ian to re-factor the libxl split, XenStore restrictions, and use an FD for QMP CD insert and emulated hotplug.", "open"],
      ["Andrew", "Andrew to look over Ian's patch series to see how bad extra XenStore permission would be.", "open"],
      ["Jenny", "Jenny: XenServer to make progress on its side of QEMU depriv.", "open"],
    ] as const) {
      const i = await db.actionItem.create({ data: { text, status, seriesId: series.id, owners: { create: [{ personId: people[owner] }] } } });
      items[owner] = i.id;
    }
  }
  return { series, people, items };
}

/** Row counts of everything an import writes. */
export async function counts(db: Db) {
  const [meetings, people, aliases, items, owners, reviews, attendees, audits] = await Promise.all([
    db.meeting.count(),
    db.person.count(),
    db.personAlias.count(),
    db.actionItem.count(),
    db.actionItemOwner.count(),
    db.review.count(),
    db.meetingAttendee.count(),
    db.auditEvent.count(),
  ]);
  return { meetings, people, aliases, items, owners, reviews, attendees, audits };
}

/** A plain-text mail around `body`, for Message-ID tests. */
export function eml(messageId: string, subject: string, body: string): Buffer {
  return Buffer.from(
    [
      `From: Paul Durrant <paul@example.org>`,
      `To: xen-devel@lists.xen.org`,
      `Subject: ${subject}`,
      `Date: Wed, 21 Jun 2017 17:00:00 +0100`,
      `Message-ID: ${messageId}`,
      `Content-Type: text/plain; charset=utf-8`,
      ``,
      body,
    ].join("\n"),
    "utf8",
  );
}
