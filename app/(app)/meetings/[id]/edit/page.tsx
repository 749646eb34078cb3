import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requirePageRole } from "@/lib/auth/guard";
import { roleAtLeast } from "@/lib/auth/roles";
import { deleteChoices, editorChoices, meetingSnapshot } from "@/lib/meetings/reads";
import { meetingReviewForEdit } from "@/lib/reviews/reads";
import { AddMeetingItemForm, DeleteMeetingForm, MeetingReviewForm } from "@/components/meetings/CompleteMeeting";
import { MeetingEditor } from "@/components/meetings/MeetingEditor";
import { addMeetingItemAction, deleteMeetingAction, reviseReviewsAction, updateMeetingAction } from "../../actions";
import { BackLink } from "@/components/ui/BackLink";

export const metadata: Metadata = { title: "Edit meeting" };
export const dynamic = "force-dynamic";

export default async function EditMeetingPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requirePageRole("editor", `/meetings/${id}/edit`);
  const isAdmin = roleAtLeast(actor.role, "admin");
  const [m, choices, review, del] = await Promise.all([meetingSnapshot(id), editorChoices(), meetingReviewForEdit(id), isAdmin ? deleteChoices(id) : null]);
  if (!m || !review) notFound();
  return (
    <div className="space-y-8">
      <div className="space-y-4">
        <BackLink href={`/meetings/${id}`}>Back to the meeting</BackLink>
        <h1 className="text-2xl font-semibold">Edit meeting</h1>
        <p className="text-sm text-muted">
          Editing version {m.version}. If someone saves before you, you will see both versions side by side; nothing is lost.
        </p>
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

      <section aria-labelledby="edit-review-heading" className="space-y-2 border-t border-border pt-6">
        <h2 id="edit-review-heading" className="text-lg font-semibold">
          Review of action items ({review.items.length})
        </h2>
        <p className="text-sm text-muted">
          What this meeting said of the series&apos; items. Changing an outcome moves the item&apos;s status and its timeline; “Not reviewed” takes it out of
          this meeting&apos;s review.
        </p>
        <MeetingReviewForm meetingId={m.id} items={review.items} initial={review.value} action={reviseReviewsAction} />
      </section>

      <section aria-labelledby="add-item-heading" className="space-y-2 border-t border-border pt-6">
        <h2 id="add-item-heading" className="text-lg font-semibold">
          Add an action item
        </h2>
        <p className="text-sm text-muted">New items of this meeting get its series and topics.</p>
        <AddMeetingItemForm meetingId={m.id} action={addMeetingItemAction} />
      </section>

      {isAdmin && del && (
        <section aria-labelledby="delete-heading" className="space-y-2 border-t border-border pt-6">
          <h2 id="delete-heading" className="text-lg font-semibold">
            Delete this meeting
          </h2>
          <DeleteMeetingForm
            meetingId={m.id}
            title={m.title}
            items={del.items}
            reviews={del.reviews}
            otherMeetings={del.otherMeetings}
            action={deleteMeetingAction}
          />
        </section>
      )}
    </div>
  );
}
