import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { saveSchedule } from "@/lib/calendar/commands";
import { setDigestSubscription, saveDigestSchedule } from "@/lib/reminders/commands";
import { smtpSender } from "@/lib/reminders/mailer";
import { digestLog } from "@/lib/reminders/reads";
import { RETRY_AFTER_MS, runDigests, STALE_SENDING_MS } from "@/lib/reminders/runner";
import { setupTestDb, type TestDb } from "../harness";
import { editor, seedChair } from "./fixtures";
import { startSmtpSink, type SmtpSink } from "./smtp";

/**
 * The digest, sent through a real SMTP server started here (Debian's aiosmtpd), with
 * what arrived read back from its Maildir.
 */
const BASE = "https://dmboard.example.org";
const igor = { userId: "u-igor", email: "igor@example.org" };
const andrew = { userId: "u-andrew", email: "andrew@example.org" };
/** Monday 16 June 2025, 08:00 London = 07:00Z; the runs below are just after. */
const RUN1 = new Date("2025-06-16T07:05:00Z");
const RUN2 = new Date("2025-06-23T07:05:00Z");
const RUN3 = new Date("2025-06-30T07:05:00Z");
const RUN4 = new Date("2025-07-07T07:05:00Z");

describe("the e-mail digest", () => {
  let t: TestDb;
  let sink: SmtpSink;
  let send: NonNullable<ReturnType<typeof smtpSender>>;
  beforeAll(async () => {
    t = await setupTestDb();
    const g = await seedChair(t.db);
    await saveSchedule(
      {
        seriesId: g.series.id,
        version: 0,
        frequency: "weekly",
        interval: 2,
        weekday: 3,
        startsOn: "2025-06-04",
        time: "15:00",
        timeZone: "Europe/London",
        durationMinutes: 60,
        location: "",
      },
      editor,
      t.db,
    );
    await saveDigestSchedule(
      { version: 0, enabled: true, frequency: "weekly", weekday: 1, time: "08:00", timeZone: "Europe/London", dueSoonDays: 7 },
      { userId: "u-admin", email: "admin@example.org" },
      t.db,
    );
    sink = await startSmtpSink();
    send = smtpSender({ SMTP_URL: sink.url, BETTER_AUTH_URL: BASE })!;
  });
  afterAll(async () => {
    await sink?.stop();
    await t.cleanup();
  });

  it("is opt-in, and only for an account linked to a person", async () => {
    await expect(setDigestSubscription({ userId: "u-viewer", email: "viewer@example.org" }, true, t.db)).rejects.toMatchObject({ code: "INVALID" });
    expect(await setDigestSubscription(igor, true, t.db)).toEqual({ subscribed: true });
    expect(await setDigestSubscription(andrew, true, t.db)).toEqual({ subscribed: true });
    expect((await digestLog(10, t.db)).subscribers).toBe(2);
  });

  it("sends each subscriber their overdue and due-soon items and the next meeting with its agenda link", async () => {
    expect((await runDigests({ send, baseUrl: BASE, now: new Date("2025-06-16T06:59:00Z") }, t.db)).period).toBeNull();
    const r = await runDigests({ send, baseUrl: BASE, now: RUN1 }, t.db);
    expect(r).toMatchObject({ period: "2025-06-16", sent: 2, failed: 0 });
    const mails = await sink.messages();
    expect(mails.map((m) => (m.to && "text" in m.to ? m.to.text : "")).sort()).toEqual(["andrew@example.org", "igor@example.org"]);
    const mine = mails.find((m) => JSON.stringify(m.to).includes("igor@"))!;
    expect(mine.subject).toBe("[dmboard] 1 overdue, 1 due soon; next meeting Wednesday 18 June 2025, 15:00 BST");
    expect(mine.from?.value).toEqual([{ name: "dmboard", address: "dmboard@dmboard.example.org" }]);
    expect(mine.text).toContain("Overdue:\n\n* Igor to implement the new physmap mechanism in QEMU. (due 10th June\n  2025; QEMU WG)");
    expect(mine.text).toContain("Due within 7 days:\n\n* Igor to move log-dirty to QMP.");
    expect(mine.text).toContain("Agenda: https://dmboard.example.org/agenda?series=qemu-wg&date=2025-06-18");
    expect(mine.text).not.toContain("Igor to post the RFC"); // done
  });

  it("never sends the same digest twice: not on a second pass, not after a restart, not from two instances at once", async () => {
    const again = await runDigests({ send, baseUrl: BASE, now: new Date(RUN1.getTime() + 60_000) }, t.db);
    expect(again).toMatchObject({ sent: 0, taken: 2 });
    // A restart: a new sender, the same database.
    const restarted = await runDigests(
      { send: smtpSender({ SMTP_URL: sink.url, BETTER_AUTH_URL: BASE })!, baseUrl: BASE, now: new Date(RUN1.getTime() + 120_000) },
      t.db,
    );
    expect(restarted.sent).toBe(0);
    expect(await sink.messages()).toHaveLength(2);
    // Two instances, each with its own connection, on the next run.
    const other: Db = createDb(t.config);
    try {
      const [a, b] = await Promise.all([runDigests({ send, baseUrl: BASE, now: RUN2 }, t.db), runDigests({ send, baseUrl: BASE, now: RUN2 }, other)]);
      expect(a.sent + b.sent).toBe(2);
      expect(a.taken + b.taken).toBe(2);
    } finally {
      await other.$disconnect();
    }
    const mails = await sink.messages();
    expect(mails).toHaveLength(4);
    expect(mails.filter((m) => JSON.stringify(m.to).includes("igor@"))).toHaveLength(2);
  });

  it("a send the server refused is tried again later, and then goes out once", async () => {
    const dead = smtpSender({ SMTP_URL: "smtp://127.0.0.1:1", BETTER_AUTH_URL: BASE })!;
    const failed = await runDigests({ send: dead, baseUrl: BASE, now: RUN3 }, t.db);
    expect(failed).toMatchObject({ sent: 0, failed: 2 });
    expect((await digestLog(10, t.db)).rows.filter((r) => r.period === "2025-06-30").map((r) => r.status)).toEqual(["failed", "failed"]);
    // Too soon to retry: nothing.
    expect((await runDigests({ send, baseUrl: BASE, now: new Date(RUN3.getTime() + 60_000) }, t.db)).sent).toBe(0);
    const retried = await runDigests({ send, baseUrl: BASE, now: new Date(RUN3.getTime() + RETRY_AFTER_MS + 1000) }, t.db);
    expect(retried.sent).toBe(2);
    const rows = (await digestLog(10, t.db)).rows.filter((r) => r.period === "2025-06-30");
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["sent", 2],
      ["sent", 2],
    ]);
    expect(await sink.messages()).toHaveLength(6);
  });

  it("a send cut off midway is recorded as unknown and never retried", async () => {
    // As if an instance claimed Igor's digest and died before it knew whether the server took it.
    await t.db.digestSend.create({
      data: { userId: igor.userId, period: "2025-07-07", status: "sending", claimedAt: new Date(RUN4.getTime() - STALE_SENDING_MS - 60_000) },
    });
    const r = await runDigests({ send, baseUrl: BASE, now: RUN4 }, t.db);
    expect(r).toMatchObject({ sent: 1, taken: 1 });
    const row = await t.db.digestSend.findUniqueOrThrow({ where: { userId_period: { userId: igor.userId, period: "2025-07-07" } } });
    expect(row.status).toBe("unknown");
    expect((await sink.messages()).filter((m) => JSON.stringify(m.to).includes("igor@"))).toHaveLength(3);
  });

  it("nothing to say (no item due, no meeting ahead): skipped, not mailed", async () => {
    await t.db.seriesSchedule.deleteMany();
    await setDigestSubscription(andrew, true, t.db);
    await t.db.actionItem.updateMany({ where: { owners: { some: { person: { userId: andrew.userId } } } }, data: { dueDate: null } });
    const r = await runDigests({ send, baseUrl: BASE, now: new Date("2025-07-14T07:05:00Z") }, t.db);
    expect(r.skipped).toBe(1);
    const rows = (await digestLog(10, t.db)).rows.filter((x) => x.period === "2025-07-14");
    expect(rows.find((x) => x.email === andrew.email)?.status).toBe("skipped");
  });
});

describe("the digest through an SMTP server that wants a password", () => {
  let t: TestDb;
  let sink: SmtpSink;
  beforeAll(async () => {
    t = await setupTestDb();
    await seedChair(t.db);
    await saveDigestSchedule(
      { version: 0, enabled: true, frequency: "daily", weekday: 1, time: "08:00", timeZone: "UTC", dueSoonDays: 30 },
      { userId: "u-admin", email: "admin@example.org" },
      t.db,
    );
    await setDigestSubscription(igor, true, t.db);
    sink = await startSmtpSink({ user: "dmboard", password: "s3cret-pass" });
  });
  afterAll(async () => {
    await sink?.stop();
    await t.cleanup();
  });

  it("a wrong password fails without the password in the record; the right one sends", async () => {
    const wrong = smtpSender({ SMTP_URL: `smtp://dmboard:wrong-pass-42@127.0.0.1:${sink.port}`, BETTER_AUTH_URL: BASE })!;
    const now = new Date("2025-06-16T08:30:00Z");
    expect((await runDigests({ send: wrong, baseUrl: BASE, now }, t.db)).failed).toBe(1);
    const row = (await digestLog(10, t.db)).rows[0];
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/auth/i);
    expect(row.error).not.toContain("wrong-pass-42");
    expect(await sink.messages()).toHaveLength(0);
    const right = smtpSender({ SMTP_URL: sink.url, BETTER_AUTH_URL: BASE })!;
    expect((await runDigests({ send: right, baseUrl: BASE, now: new Date(now.getTime() + RETRY_AFTER_MS + 1000) }, t.db)).sent).toBe(1);
    // No schedule in this database: no meeting in the subject.
    expect((await sink.messages()).map((m) => m.subject)).toEqual(["[dmboard] 1 overdue, 1 due soon"]);
  });
});
