"use client";
import Link from "@/components/ui/Link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { FormField } from "@/components/ui/Field";
import { errorsFor } from "@/components/ui/FieldError";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, dangerButtonClass, inputClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";
import { LinkFields } from "@/components/items/LinkFields";
import { GuidedReview, type ReviewItem, type ReviewState } from "./GuidedReview";

type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

/** The edit page's review: give or change outcomes after the meeting was saved; the items' statuses and timelines follow. */
export function MeetingReviewForm({
  meetingId,
  items,
  initial,
  action,
}: {
  meetingId: string;
  items: ReviewItem[];
  initial: Record<string, { outcome: string; note: string }>;
  action: Action<{ recorded: number; removed: number }>;
}) {
  const router = useRouter();
  const [value, setValue] = useState<ReviewState>(initial as ReviewState);
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action);
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  return (
    <form ref={ref} onSubmit={onSubmit} noValidate aria-label="Review of action items" className="space-y-3">
      <input type="hidden" name="meetingId" value={meetingId} />
      <GuidedReview items={items} value={value} onChange={setValue} errors={fieldErrors} />
      <div className="flex items-center gap-3">
        {items.length > 0 && (
          <button className={buttonClass} disabled={pending}>
            {pending ? "Saving…" : "Save review"}
          </button>
        )}
        <ActionNotice state={state} ok={(d) => `Review saved: ${d.recorded} recorded${d.removed ? `, ${d.removed} removed` : ""}.`} />
      </div>
    </form>
  );
}

/** One new action item for a saved meeting: owners read from the text, target, due date and a link at once. */
export function AddMeetingItemForm({ meetingId, action }: { meetingId: string; action: Action<{ id: string }> }) {
  const router = useRouter();
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action, { resetOnSuccess: true });
  useEffect(() => {
    if (state?.ok) router.refresh();
  }, [state, router]);
  const e = (k: string) => errorsFor(fieldErrors, k);
  return (
    <form ref={ref} onSubmit={onSubmit} noValidate aria-label="Add an action item" className="space-y-3">
      <input type="hidden" name="meetingId" value={meetingId} />
      <FormField
        id="ni-text"
        label="Action item"
        hint="As the minutes write it: “Igor to post patches…”. Owners are matched to people by name or alias."
        errors={e("text")}
      >
        {(control) => <textarea name="text" rows={2} className={inputClass} {...control} />}
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="ni-target" label="Target" hint="A release (“Xen 4.10”) or a date (YYYY-MM-DD, also sets the due date)." errors={e("target")}>
          {(control) => <input name="target" className={inputClass} {...control} />}
        </FormField>
        <FormField id="ni-due" label="Due date" errors={e("dueDate")}>
          {(control) => <input name="dueDate" type="date" className={inputClass} {...control} />}
        </FormField>
      </div>
      <fieldset className="grid gap-4 sm:grid-cols-3">
        <legend className="text-sm font-medium">
          Link <span className="font-normal text-muted">(optional)</span>
        </legend>
        <LinkFields
          id="ni-link"
          names={{ kind: "linkKind", url: "linkUrl", title: "linkTitle" }}
          labels={{ kind: "Kind", url: "Link URL", title: "Link title" }}
          errors={e}
        />
      </fieldset>
      <div className="flex items-center gap-3">
        <button className={buttonClass} disabled={pending}>
          {pending ? "Adding…" : "Add action item"}
        </button>
        <ActionNotice
          state={state}
          ok={(d) => (
            <>
              Added.{" "}
              <Link href={`/items/${d.id}`} className="underline">
                Open the new item
              </Link>
            </>
          )}
        />
      </div>
    </form>
  );
}

/**
 * Admins delete a meeting here. Before confirming it says what happens to what the
 * meeting holds: its action items are kept (detached, or moved to another meeting of
 * the series), its reviews are removed from the items' timelines.
 */
export function DeleteMeetingForm({
  meetingId,
  title,
  items,
  reviews,
  otherMeetings,
  action,
}: {
  meetingId: string;
  title: string;
  items: { id: string; text: string }[];
  reviews: number;
  otherMeetings: { id: string; title: string; date: string }[];
  action: Action<unknown>;
}) {
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action);
  const [mode, setMode] = useState<"detach" | "move">("detach");
  const n = items.length;
  return (
    <form ref={ref} onSubmit={onSubmit} noValidate aria-label="Delete this meeting" className="space-y-3">
      <input type="hidden" name="id" value={meetingId} />
      <p className="text-sm" id="delete-what">
        Deleting “{title}” removes the meeting, its attendee list
        {reviews ? ` and its ${reviews} review${reviews === 1 ? "" : "s"} (from the items' timelines)` : ""}.{" "}
        {n
          ? `Its ${n} action item${n === 1 ? " is" : "s are"} kept: ${mode === "move" ? "moved to the meeting chosen below" : "detached (no creating meeting)"}.`
          : "It created no action items."}
      </p>
      {n > 0 && (
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">Its action items</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" checked={mode === "detach"} onChange={() => setMode("detach")} name="itemsMode" value="detach" />
            Keep them, detached from any meeting
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" checked={mode === "move"} onChange={() => setMode("move")} name="itemsMode" value="move" disabled={!otherMeetings.length} />
            Move them to another meeting of the series
          </label>
          {mode === "move" && (
            <FormField id="del-move" label="Move them to" errors={errorsFor(fieldErrors, "moveItemsTo")}>
              {(control) => (
                <select name="moveItemsTo" className={inputClass} {...control}>
                  {otherMeetings.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.date} — {m.title}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          )}
        </fieldset>
      )}
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="confirm" aria-describedby="delete-what" />I understand: delete this meeting
      </label>
      {errorsFor(fieldErrors, "confirm") && (
        <Notice role="alert" tone="error" plain>
          Tick the box to confirm.
        </Notice>
      )}
      <div className="flex items-center gap-3">
        <button className={dangerButtonClass} disabled={pending}>
          {pending ? "Deleting…" : "Delete meeting"}
        </button>
        {/* A refused form says it at its fields. */}
        <ActionNotice state={state} error={(f) => (f.code === "INVALID" ? null : f.message)} />
      </div>
    </form>
  );
}
