import { randomBytes } from "node:crypto";
import type { Db } from "./types";
import { DEFAULT_TOPICS } from "@/lib/topics/catalog";
import { createUser } from "@/lib/auth/users";
import { audit, systemActor } from "./audit";
import { rekeyAliases } from "@/lib/people/aliases";
import { aliasRows } from "@/lib/people/names";
import { seedDevmodelReference } from "@/lib/hosts/seed";

export const DEMO_SERIES = "QEMU XenServer/XenProject Working group";

/** The people of the 10 May 2017 minutes, with the spellings the minutes use. */
const PEOPLE = [
  { displayName: "Paul Durrant", organisation: "Citrix", aliases: ["Paul", "Paul Durrent"] },
  { displayName: "Andrew Cooper", organisation: "Citrix", aliases: ["Andrew"] },
  { displayName: "Ian Jackson", organisation: "Citrix", aliases: ["Ian"] },
  { displayName: "Jenny Herbert", organisation: "Citrix", aliases: ["Jenny", "Jennifer Herbert"] },
  { displayName: "Igor Druzhinin", organisation: "Citrix", aliases: ["Igor"] },
  { displayName: "Simon Crow", organisation: "Citrix", aliases: ["Simon"] },
  { displayName: "Marcus Granado", organisation: "Citrix", aliases: ["Marcus"] },
];

export async function isEmpty(db: Db): Promise<boolean> {
  const [users, meetings] = await Promise.all([db.user.count(), db.meeting.count()]);
  return users === 0 && meetings === 0;
}

/** Reference data every install needs (idempotent): topics and the working group's series. */
export async function seedReferenceData(db: Db): Promise<void> {
  for (const t of DEFAULT_TOPICS) {
    await db.topic.upsert({ where: { slug: t.slug }, update: {}, create: { ...t } });
  }
  await db.series.upsert({
    where: { slug: "qemu-wg" },
    update: {},
    create: {
      name: DEMO_SERIES,
      slug: "qemu-wg",
      description: "Regular meeting of Xen Project, XenServer and QEMU people on taking QEMU off XenStore and running it deprivileged.",
    },
  });
  // XenStore-use rules (missing ones only) and, on an install with no host, the embedded simulator.
  await seedDevmodelReference(db);
  // Aliases stored under an older name normaliser are found again by every spelling.
  await rekeyAliases(db);
}

/**
 * Demo data for a first start on an empty database: the 10 May 2017 meeting as the
 * group posted it, and three accounts (admin, editor, viewer) sharing one password.
 */
export async function seedDemo(db: Db, opts: { password?: string } = {}): Promise<{ password: string; accounts: string[] }> {
  await seedReferenceData(db);
  const password = opts.password ?? randomBytes(9).toString("base64url");
  const accounts = [
    { email: "admin@dmboard.local", name: "Demo Admin", role: "admin" as const },
    { email: "editor@dmboard.local", name: "Demo Editor", role: "editor" as const },
    { email: "viewer@dmboard.local", name: "Demo Viewer", role: "viewer" as const },
  ];
  for (const a of accounts) await createUser({ ...a, password });

  const series = await db.series.findUniqueOrThrow({ where: { slug: "qemu-wg" } });
  const topic = async (slug: string) => (await db.topic.findUniqueOrThrow({ where: { slug } })).id;
  const people: Record<string, string> = {};
  for (const p of PEOPLE) {
    const row = await db.person.create({
      data: {
        displayName: p.displayName,
        organisation: p.organisation,
        aliases: { create: aliasRows(p.displayName, ...p.aliases) },
      },
    });
    people[p.displayName.split(" ")[0]] = row.id;
  }

  const meeting = await db.meeting.create({
    data: {
      seriesId: series.id,
      date: new Date("2017-05-10T00:00:00Z"),
      title: "QEMU XenServer/XenProject Working group meeting 10th May 2017",
      source: "typed",
      body: DISCUSSION,
      decisions:
        "- Remove the physmap keys rather than rely on xs-restrict; xs-restrict stays as an intermediate plan if physmap takes long.\n- The VNC clipboard moves from XenStore to a shared page (XenServer's own work).\n- Log-dirty and shutdown keys should move to QMP; then XenStore use moves to the PV-specific code.",
      attendees: { create: Object.values(people).map((personId) => ({ personId })) },
      topics: {
        create: await Promise.all(
          ["physmap-keys", "xenstore-removal", "vnc-clipboard", "xs-restrict", "log-dirty", "shutdown-keys"].map(async (s) => ({ topicId: await topic(s) })),
        ),
      },
    },
  });

  // The points this meeting reviewed came from earlier meetings, not in this database.
  const reviewed = [
    { owner: "Paul", text: "Paul to carry on with Xen device model work.", status: "done", outcome: "done", note: "", topics: ["qemu-depriv"] },
    {
      owner: "Ian",
      text: "Ian to re-factor the libxl split, XenStore restrictions, and use an FD for QMP CD insert and emulated hotplug.",
      status: "open",
      outcome: "no_progress",
      note: "No progress, due to feature freeze on 4.8.9.",
      topics: ["libxl-two-qemu-split", "xs-restrict", "cd-insert-fd", "emulated-hotplug"],
    },
    {
      owner: "Andrew",
      text: "Andrew to look over Ian's patch series to see how bad extra XenStore permission would be.",
      status: "open",
      outcome: "no_progress",
      note: "No.",
      topics: ["xs-restrict"],
    },
    {
      owner: "Jenny",
      text: "Jenny: XenServer to make progress on its side of QEMU depriv.",
      status: "in_progress",
      outcome: "progress",
      note: "XenServer is continuing to make slow progress. We have XenCentre patch that means it can talk to QEMU trad, working on some bugs. Various other small bit of work done.",
      topics: ["qemu-depriv"],
    },
  ];
  for (const r of reviewed) {
    const item = await db.actionItem.create({
      data: {
        text: r.text,
        status: r.status,
        seriesId: series.id,
        closedAt: r.status === "done" ? meeting.date : null,
        owners: { create: [{ personId: people[r.owner] }] },
        topics: { create: await Promise.all(r.topics.map(async (s) => ({ topicId: await topic(s) }))) },
      },
    });
    await db.review.create({ data: { meetingId: meeting.id, itemId: item.id, outcome: r.outcome, note: r.note } });
  }

  const created = [
    { owner: "Andrew", text: "Andrew to double check dm-op sub ops for continuation support.", topics: ["dm-op-continuations"], target: null },
    {
      owner: "Igor",
      text: "Igor to implement and post patches to create new mem map function, and to implement the new physmap mechanism in QEMU.",
      topics: ["physmap-keys"],
      target: "Xen 4.10",
    },
    {
      owner: "Ian",
      text: "Ian to look at using an FD for QMP CD insert and emulated hotplug, as well as splitting two QEMUs.",
      topics: ["cd-insert-fd", "emulated-hotplug", "libxl-two-qemu-split"],
      target: null,
    },
    {
      owner: "Jenny",
      text: "Jenny to create internal jira tickets looking at removing other uses of XenStore in QEMU, as well as update the confluence page.",
      topics: ["xenstore-removal", "log-dirty", "shutdown-keys"],
      target: null,
    },
  ];
  for (const c of created) {
    await db.actionItem.create({
      data: {
        text: c.text,
        status: "open",
        target: c.target,
        seriesId: series.id,
        meetingId: meeting.id,
        owners: { create: [{ personId: people[c.owner] }] },
        topics: { create: await Promise.all(c.topics.map(async (s) => ({ topicId: await topic(s) }))) },
        links:
          c.owner === "Igor"
            ? { create: [{ kind: "thread", title: "Minutes posted to xen-devel", url: "https://lists.xenproject.org/archives/html/xen-devel/2017-05/" }] }
            : undefined,
      },
    });
  }
  await audit(db, systemActor, "meeting", meeting.id, "seed", { title: meeting.title });
  return { password, accounts: accounts.map((a) => `${a.email} (${a.role})`) };
}

const DISCUSSION = `XenServer uses XenStore to communicate the VNC QEMU clipboard to the guest and back. It was concluded this isn't nice, as it has caused various security problems in the past. New plan is to implement this using a shared page.

Next, XenStore restriction was discussed, including an approach using a shared ring buffer and removing the previous xs-restrict, instead implementing an xs restriction prefixing command within the xenbus command. Slightly fiddly, but a small number of parts. It's doable and not controversial.

Andrew had a different plan: remove any use of XenStore from QEMU, specifically for the HVM case. Two uses should be trivial to implement in QMP, and the other is **physmap**, which Igor has been working on.

It's agreed the physmap key needs removing, and that removing the last few uses of XenStore would be a good idea; if dealing with physmap were to take a long time, xs-restrict could be used as an intermediate plan.

The other uses of XenStore are thought to be *start log dirty* and the *shutdown* keys. QEMU might already have QMP commands for these; if not, they are likely to be happy to allow them to be added. After this, XenStore can be moved into the PV-specific part of the code.

Jenny has already created a Confluence page linking to previously posted meeting notes; it could be extended to include action points, links to code and related discussions.`;
