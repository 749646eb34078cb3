import type { Metadata } from "next";
import { requirePageRole } from "@/lib/auth/guard";
import { editorChoices } from "@/lib/meetings/reads";
import { openItemsForReviewBySeries } from "@/lib/reviews/reads";
import { agendaStart, inAgendaOrder } from "@/lib/agenda/reads";
import { isoDay } from "@/lib/forms/fields";
import { Notice } from "@/components/ui/Notice";
import { MeetingEditor } from "@/components/meetings/MeetingEditor";
import { createMeetingAction } from "../actions";

export const metadata: Metadata = { title: "New meeting" };
export const dynamic = "force-dynamic";

export default async function NewMeetingPage({ searchParams }: { searchParams: Promise<{ series?: string; agenda?: string }> }) {
  await requirePageRole("editor", "/meetings/new");
  const choices = await editorChoices();
  const sp = await searchParams;
  const wanted = sp.series;
  const series = choices.series.find((s) => s.id === wanted || s.slug === wanted) ?? choices.defaultSeries;
  // The guided review needs each series' open items: the editor switches series without a round trip.
  const openItems = await openItemsForReviewBySeries(choices.series.map((s) => s.id));
  let today = new Date().toISOString().slice(0, 10);
  // Created from the agenda (/agenda's "Start this meeting"): its day, its topics, and its items first, in its order.
  const fromAgenda = series && isoDay.safeParse(sp.agenda).success ? await agendaStart(series.slug, sp.agenda!) : null;
  if (fromAgenda) {
    openItems[fromAgenda.seriesId] = inAgendaOrder(openItems[fromAgenda.seriesId] ?? [], fromAgenda.itemOrder);
    today = fromAgenda.date;
  }
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">New meeting</h1>
      {fromAgenda && (
        <Notice role="status">
          From the agenda of {fromAgenda.date}: the review starts with its {fromAgenda.itemOrder.length} item{fromAgenda.itemOrder.length === 1 ? "" : "s"}, by
          owner.
        </Notice>
      )}
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
          initial={{
            seriesId: series?.id ?? "",
            date: today,
            title: fromAgenda?.title ?? (series ? `${series.name} meeting ${today}` : ""),
            body: "",
            decisions: "",
            sourceUrl: "",
            attendees: [],
            topicIds: fromAgenda?.topicIds ?? [],
          }}
        />
      )}
    </div>
  );
}
