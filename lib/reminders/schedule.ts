/**
 * When digests go out: daily, or weekly on a weekday, at a wall-clock time in a time
 * zone (the admin's setting). A run is named by its local day ("2025-03-10"): that name
 * is what makes a digest "the same digest" for the never-twice rule. Pure.
 */
import { addDays, localInstant, localParts, weekdayOf } from "@/lib/calendar/schedule";

export const DIGEST_FREQUENCIES = ["daily", "weekly"] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

export interface DigestSettings {
  enabled: boolean;
  frequency: DigestFrequency;
  /** weekly: ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
  /** "HH:MM" in timeZone. */
  time: string;
  timeZone: string;
  /** Items due within this many days are "due soon". */
  dueSoonDays: number;
}

export const DEFAULT_DIGEST: DigestSettings = { enabled: false, frequency: "weekly", weekday: 1, time: "08:00", timeZone: "UTC", dueSoonDays: 7 };

/**
 * A run whose time has passed less than this long ago is still sent (a restart, or a
 * server down at the time); an older one is let go rather than mailed out of date.
 */
export const CATCH_UP_MS = 12 * 3600_000;

export interface DigestRun {
  /** The run's local day: the digest's identity. */
  period: string;
  at: Date;
}

const isRunDay = (s: DigestSettings, day: string) => s.frequency === "daily" || weekdayOf(day) === s.weekday;

/** The run due at `now`, if any: the latest scheduled time not after now, within CATCH_UP_MS. */
export function dueRun(s: DigestSettings, now: Date): DigestRun | null {
  if (!s.enabled) return null;
  const today = localParts(now, s.timeZone).day;
  for (const day of [today, addDays(today, -1)]) {
    if (!isRunDay(s, day)) continue;
    const at = localInstant(day, s.time, s.timeZone);
    if (at <= now && now.getTime() - at.getTime() <= CATCH_UP_MS) return { period: day, at };
  }
  return null;
}

/** The next run after `now` (for the admin page), or null when digests are off. */
export function nextRun(s: DigestSettings, now: Date): DigestRun | null {
  if (!s.enabled) return null;
  const today = localParts(now, s.timeZone).day;
  for (let i = 0; i <= 8; i++) {
    const day = addDays(today, i);
    if (!isRunDay(s, day)) continue;
    const at = localInstant(day, s.time, s.timeZone);
    if (at > now) return { period: day, at };
  }
  return null;
}

/** "Sent every Monday at 08:00 Europe/London." for the account and admin pages. */
export function describeDigestSchedule(s: DigestSettings, mailConfigured: boolean): string {
  if (!mailConfigured) return "Mail is not set up on this server (SMTP_URL), so none is sent.";
  if (!s.enabled) return "The admins have not switched digests on yet.";
  const days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
  return `Sent ${s.frequency === "daily" ? "every day" : `every ${days[s.weekday - 1]}`} at ${s.time} ${s.timeZone}.`;
}
