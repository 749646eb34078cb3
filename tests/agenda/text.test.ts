import { describe, expect, it } from "vitest";
import type { AgendaDraft } from "@/lib/agenda/draft";
import { renderAgendaText } from "@/lib/agenda/text";
import { EXPORT_WIDTH } from "@/lib/minutes/export";

const draft: AgendaDraft = {
  series: { id: "s", slug: "qemu-wg", name: "QEMU XenServer/XenProject Working group" },
  date: "2025-04-09",
  title: "QEMU XenServer/XenProject Working group meeting 9th April 2025",
  when: {
    start: "2025-04-09T14:00:00.000Z",
    label: "Wednesday 9 April 2025, 15:00 BST",
    timeZone: "Europe/London",
    location: "https://meet.example.org/qemu-wg",
    moved: false,
    note: "",
  },
  lastMeeting: { id: "m1", title: "QEMU meeting", date: "2025-03-26" },
  groups: [
    {
      label: "Andrew Cooper",
      items: [
        {
          id: "i1",
          text: "Andrew to double check dm-op sub ops for continuation support.",
          status: "open",
          target: "Xen 4.10",
          dueDate: "2025-04-01",
          overdue: true,
          dueByMeeting: false,
          owners: ["Andrew Cooper"],
          lastReview: { outcome: "no_progress", note: "No progress, due to feature freeze", meetingDate: "2025-03-26" },
          evidence: null,
        },
      ],
    },
    {
      label: "Igor Druzhinin",
      items: [
        {
          id: "i2",
          text: "Igor to implement and post patches to create new mem map function, and to implement the new physmap mechanism in QEMU.",
          status: "in_progress",
          target: null,
          dueDate: null,
          overdue: false,
          dueByMeeting: false,
          owners: ["Igor Druzhinin"],
          lastReview: null,
          evidence: {
            state: "free",
            rules: ["physmap"],
            days: 7,
            checkedAt: "2025-04-08T10:00:00.000Z",
            periodStart: "2025-04-01T10:00:00.000Z",
            freeSince: "2025-03-30T08:00:00.000Z",
            freeSinceAtLeast: false,
            readyAt: null,
            hosts: [],
            vmCount: 70,
            maxVmCount: 72,
            reads: 3000,
            present: 0,
            problems: [],
            notes: [],
          },
        },
      ],
    },
  ],
  topics: [
    {
      slug: "physmap-keys",
      name: "Physmap keys",
      openItems: 1,
      measures: [{ ruleId: "physmap", label: "VRAM physmap records", topic: "physmap-keys", now: 3, was: 7 }],
      unclassified: null,
    },
    {
      slug: "xenstore-removal",
      name: "XenStore removal",
      openItems: 0,
      measures: [],
      unclassified: {
        recorded: true,
        keys: 5,
        new: [
          { pattern: "/local/domain/<g>/foo", vmCount: 2 },
          { pattern: "/local/domain/<g>/bar", vmCount: 1 },
        ],
      },
    },
  ],
  fleet: { hostsWatched: 2, hostsRead: 2, notes: [], wasAt: "2025-03-26T15:00:00.000Z" },
  generatedAt: "2025-04-08T10:00:00.000Z",
};

describe("the agenda as plain text", () => {
  const text = renderAgendaText(draft);
  const lines = text.split("\n");

  it("has the minutes' title form, sections and width", () => {
    expect(lines[0]).toBe("Agenda: QEMU XenServer/XenProject Working group meeting 9th April 2025");
    expect(lines[1]).toBe("=".repeat(lines[0].length));
    expect(text).toContain("\nReview of previous action points\n\n");
    expect(text).toContain("\nTopics\n------\n");
    expect(lines.every((l) => [...l].length <= EXPORT_WIDTH || !l.includes(" "))).toBe(true);
    expect(text.endsWith("\n") && !text.endsWith("\n\n")).toBe(true);
  });

  it("gives when and where, and the last meeting", () => {
    expect(text).toContain("When: Wednesday 9 April 2025, 15:00 BST (Europe/London)\n");
    expect(text).toContain("Where: https://meet.example.org/qemu-wg\n");
    expect(text).toContain("Last meeting: 26th March 2025\n");
  });

  it("lists items by owner with the last review, target and due date, and the fleet's evidence", () => {
    const andrew = text.slice(text.indexOf("Andrew Cooper:"), text.indexOf("Igor Druzhinin:"));
    expect(andrew).toContain("* Andrew to double check dm-op sub ops for continuation support.");
    expect(andrew.replace(/\n\s*/g, " ")).toContain(
      "Last reviewed 26th March 2025: No progress - No progress, due to feature freeze. Target: Xen 4.10, due 1st April 2025, overdue.",
    );
    const igor = text.slice(text.indexOf("Igor Druzhinin:"), text.indexOf("Topics"));
    expect(igor.replace(/\n\s*/g, " ")).toContain(
      "Not reviewed yet. Fleet: physmap: gone from every VM on 0 hosts (70 VMs) since 2025-03-30, 3000 reads over 7 days: ready to close.",
    );
  });

  it("says what the fleet measures now and at the last meeting, and the new unclassified keys", () => {
    expect(text).toContain("* Physmap keys (1 open item)\n  - physmap (VRAM physmap records): 3 VMs, was 7.\n");
    expect(text.replace(/\n\s+/g, " ")).toContain(
      "- unclassified XenStore uses: 5 keys, 2 new since the last meeting: /local/domain/<g>/foo (2 VMs), /local/domain/<g>/bar (1 VM).",
    );
    expect(text).toContain('Fleet: 2 of 2 hosts read; "was" is at the last meeting, 2025-03-26 15:00');
  });
});
