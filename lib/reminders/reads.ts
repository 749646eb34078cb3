/** The digest's settings, who asked for it, what each digest holds, and what was sent. */
import { agendaPath } from "@/lib/calendar/ical";
import { nextMeetings } from "@/lib/calendar/reads";
import { formatLocal } from "@/lib/calendar/schedule";
import { getDb } from "@/lib/db/client";
import { dayOf, today } from "@/lib/db/days";
import type { DbOrTx } from "@/lib/db/types";
import { OPEN_STATUSES } from "@/lib/items/statuses";
import type { DigestData } from "./digest";
import { DEFAULT_DIGEST, DIGEST_FREQUENCIES, type DigestFrequency, type DigestSettings } from "./schedule";

/** The one settings row's id. */
export const SETTINGS_ID = "digest";
const DAY_MS = 86_400_000;

export async function digestSettings(db: DbOrTx = getDb()): Promise<DigestSettings & { version: number }> {
  const row = await db.reminderSchedule.findUnique({ where: { id: SETTINGS_ID } });
  if (!row) return { ...DEFAULT_DIGEST, version: 0 };
  const frequency = (DIGEST_FREQUENCIES as readonly string[]).includes(row.frequency) ? (row.frequency as DigestFrequency) : "weekly";
  return { enabled: row.enabled, frequency, weekday: row.weekday, time: row.time, timeZone: row.timeZone, dueSoonDays: row.dueSoonDays, version: row.version };
}

/** The account page's switch: whether the user gets the digest, and whether they can (linked to a person). */
export async function digestOptIn(userId: string, db: DbOrTx = getDb()): Promise<{ subscribed: boolean; linked: boolean }> {
  const [sub, person] = await Promise.all([
    db.digestSubscription.findUnique({ where: { userId } }),
    db.person.findUnique({ where: { userId }, select: { id: true } }),
  ]);
  return { subscribed: !!sub, linked: !!person };
}

export interface DigestLogRow {
  id: string;
  email: string;
  period: string;
  status: string;
  attempts: number;
  claimedAt: string;
  sentAt: string | null;
  itemCount: number;
  error: string | null;
}

/** The latest digests, newest first: the admin's record of what went out. */
export async function digestLog(limit = 50, db: DbOrTx = getDb()): Promise<{ rows: DigestLogRow[]; subscribers: number }> {
  const [rows, subscribers] = await Promise.all([
    db.digestSend.findMany({ orderBy: [{ claimedAt: "desc" }, { id: "desc" }], take: limit, include: { user: { select: { email: true } } } }),
    db.digestSubscription.count(),
  ]);
  return {
    subscribers,
    rows: rows.map((r) => ({
      id: r.id,
      email: r.user.email,
      period: r.period,
      status: r.status,
      attempts: r.attempts,
      claimedAt: r.claimedAt.toISOString(),
      sentAt: r.sentAt?.toISOString() ?? null,
      itemCount: r.itemCount,
      error: r.error,
    })),
  };
}

/** Who gets a digest: opted-in users, not banned. */
export async function digestRecipients(db: DbOrTx = getDb()): Promise<{ userId: string; email: string; name: string }[]> {
  const subs = await db.digestSubscription.findMany({
    include: { user: { select: { id: true, email: true, name: true, banned: true } } },
    orderBy: { createdAt: "asc" },
  });
  return subs.filter((s) => !s.user.banned).map((s) => ({ userId: s.user.id, email: s.user.email, name: s.user.name }));
}

/**
 * What one user's digest holds at `now`: their person's open items overdue or due within
 * dueSoonDays, and the next meeting (of a series they have open items in, else any) with
 * its agenda link. Null when the account is linked to no person.
 */
export async function digestData(
  user: { userId: string; email: string; name: string },
  settings: Pick<DigestSettings, "dueSoonDays">,
  now: Date,
  db: DbOrTx = getDb(),
): Promise<DigestData | null> {
  const person = await db.person.findUnique({ where: { userId: user.userId }, select: { id: true, displayName: true } });
  if (!person) return null;
  const horizon = new Date(today(now).getTime() + (settings.dueSoonDays + 1) * DAY_MS);
  const open = { in: [...OPEN_STATUSES] };
  const [due, all, meetings] = await Promise.all([
    db.actionItem.findMany({
      where: { status: open, dueDate: { lt: horizon }, owners: { some: { personId: person.id } } },
      select: { id: true, text: true, dueDate: true, seriesId: true, series: { select: { name: true } } },
      orderBy: [{ dueDate: "asc" }, { createdAt: "asc" }],
    }),
    db.actionItem.findMany({ where: { status: open, owners: { some: { personId: person.id } } }, select: { seriesId: true } }),
    nextMeetings(now, db),
  ]);
  const mySeries = new Set(all.map((i) => i.seriesId));
  const next = meetings.find((m) => mySeries.has(m.series.id)) ?? meetings[0] ?? null;
  const start = today(now);
  return {
    name: person.displayName,
    email: user.email,
    items: due.map((i) => ({ id: i.id, text: i.text, dueDate: dayOf(i.dueDate!), overdue: i.dueDate! < start, series: i.series.name })),
    otherOpen: all.length - due.length,
    dueSoonDays: settings.dueSoonDays,
    meeting: next
      ? {
          title: `${next.series.name} meeting`,
          when: formatLocal(next.occurrence.start, next.timeZone),
          agendaPath: agendaPath(next.series.slug, next.occurrence.localDay),
        }
      : null,
  };
}
