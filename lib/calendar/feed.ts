/** A series' iCalendar feed as the feed route serves it. */
import { getDb } from "@/lib/db/client";
import type { DbOrTx } from "@/lib/db/types";
import { publicBaseUrl } from "@/lib/http/public-url";
import { scheduleFeed } from "./ical";
import { scheduleOfSeries } from "./reads";

/** The feed of the series with this slug, or null when it has no schedule (or does not exist). */
export async function seriesFeedText(slug: string, opts: { baseUrl?: string } = {}, db: DbOrTx = getDb()): Promise<{ ics: string; slug: string } | null> {
  const view = await scheduleOfSeries(slug, db);
  if (!view || view.series.slug !== slug) return null;
  return { ics: scheduleFeed(view, { baseUrl: opts.baseUrl ?? publicBaseUrl() }), slug };
}

/** The feed URL a user subscribes to: the series' feed with their feed token. */
export const feedUrl = (baseUrl: string, slug: string, token: string) =>
  `${baseUrl}/api/calendar/${encodeURIComponent(slug)}/feed.ics?token=${encodeURIComponent(token)}`;
