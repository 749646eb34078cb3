import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { editorChoices } from "@/lib/meetings/reads";
import { openItemsForReviewBySeries } from "@/lib/reviews/reads";
import { MeetingEditor } from "@/components/meetings/MeetingEditor";
import { createMeetingAction } from "../actions";

export const metadata: Metadata = { title: "New meeting" };
export const dynamic = "force-dynamic";

export default async function NewMeetingPage({ searchParams }: { searchParams: Promise<{ series?: string }> }) {
  await requirePageRole("editor", "/meetings/new");
  const choices = await editorChoices();
  const wanted = (await searchParams).series;
  const series = choices.series.find((s) => s.id === wanted || s.slug === wanted) ?? choices.defaultSeries;
  // The guided review needs each series' open items: the editor switches series without a round trip.
  const openItems = await openItemsForReviewBySeries(choices.series.map((s) => s.id));
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New meeting</h1>
      {choices.series.length === 0 ? (
        <p>No series exists yet.</p>
      ) : (
        <MeetingEditor
          mode="create"
          action={createMeetingAction}
          series={choices.series}
          topics={choices.topics}
          people={choices.people}
          openItems={openItems}
          initial={{ seriesId: series?.id ?? "", date: today, title: series ? `${series.name} meeting ${today}` : "", body: "", decisions: "", sourceUrl: "", attendees: [], topicIds: [] }}
        />
      )}
    </div>
  );
}
