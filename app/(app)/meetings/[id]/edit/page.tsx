import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { editorChoices, meetingSnapshot } from "@/lib/meetings/reads";
import { MeetingEditor } from "@/components/meetings/MeetingEditor";
import { updateMeetingAction } from "../../actions";
import { BackLink } from "@/components/ui/BackLink";

export const metadata: Metadata = { title: "Edit meeting" };
export const dynamic = "force-dynamic";

export default async function EditMeetingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole("editor", `/meetings/${id}/edit`);
  const [m, choices] = await Promise.all([meetingSnapshot(id), editorChoices()]);
  if (!m) notFound();
  return (
    <div className="space-y-4">
      <BackLink href={`/meetings/${id}`}>Back to the meeting</BackLink>
      <h1 className="text-2xl font-semibold">Edit meeting</h1>
      <p className="text-sm text-muted">Editing version {m.version}. If someone saves before you, you will see both versions side by side; nothing is lost.</p>
      <MeetingEditor
        mode="edit"
        action={updateMeetingAction}
        meetingId={m.id}
        version={m.version}
        series={choices.series}
        topics={choices.topics}
        people={choices.people}
        initial={{
          seriesId: m.seriesId,
          date: m.date,
          title: m.title,
          body: m.body,
          decisions: m.decisions,
          sourceUrl: m.sourceUrl ?? "",
          attendees: m.attendees.map((a) => ({ id: a.id, name: a.displayName })),
          topicIds: m.topics.map((t) => t.id),
        }}
      />
    </div>
  );
}
