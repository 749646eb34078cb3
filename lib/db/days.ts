/**
 * Calendar days as the database stores them: a meeting's date and an item's due date
 * are midnight UTC of that day, whatever the server's time zone.
 */

/** Date → "YYYY-MM-DD". */
export const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** "YYYY-MM-DD" → midnight UTC of that day. */
export const startOfDay = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

/** Midnight UTC after that day: the exclusive end of a "to" filter. */
export const endOfDay = (iso: string): Date => new Date(startOfDay(iso).getTime() + 86_400_000);

/** The start of today (UTC): an item due on day D is overdue from D+1. */
export const today = (now: Date): Date => startOfDay(dayOf(now));
