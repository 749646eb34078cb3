"use client";
import { startTransition, useActionState, useRef, useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/Field";
import type { ActionState } from "@/lib/auth/guard";
import type { MeetingSnapshot } from "@/lib/meetings/reads";
import { AttendeePicker, type Attendee, type PersonOption } from "./AttendeePicker";
import { ConflictPanel, type YourVersion } from "./ConflictPanel";
import { errorsFor, inputClass } from "./fieldErrors";
import { FieldMessage, describedBy } from "./FieldMessage";
import { GuidedReview, type ReviewItem, type ReviewState } from "./GuidedReview";
import { MarkdownField } from "./MarkdownField";

export interface EditorValues {
  seriesId: string;
  date: string;
  title: string;
  body: string;
  decisions: string;
  sourceUrl: string;
  attendees: Attendee[];
  topicIds: string[];
}

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

interface Props {
  mode: "create" | "edit";
  action: Action;
  series: { id: string; name: string }[];
  topics: { id: string; name: string }[];
  people: PersonOption[];
  initial: EditorValues;
  /** Edit: the meeting and the version the edit starts from. */
  meetingId?: string;
  version?: number;
  /** Create: the open items of each series, for the guided review. */
  openItems?: Record<string, ReviewItem[]>;
}

/**
 * The meeting editor (new and edit). Every field is controlled so that a refused
 * save keeps what was typed, and a conflict can load the stored version on request.
 * The server validates everything again (lib/meetings/schemas.ts); its messages are
 * shown next to their fields.
 */
export function MeetingEditor(p: Props) {
  const [state, dispatch, pending] = useActionState(p.action, null);
  const [v, setV] = useState<EditorValues>(p.initial);
  const [version, setVersion] = useState(p.version ?? 0);
  const [reviews, setReviews] = useState<ReviewState>({});
  const [newItems, setNewItems] = useState("");
  const [yours, setYours] = useState<YourVersion | null>(null);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [note, setNote] = useState("");
  const saveRef = useRef<HTMLButtonElement>(null);

  const errors: Record<string, string[]> = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const conflict = state && !state.ok && state.code === "CONFLICT" && state.conflict !== dismissed ? (state.conflict as MeetingSnapshot) : null;
  const set = <K extends keyof EditorValues>(k: K, value: EditorValues[K]) => setV((x) => ({ ...x, [k]: value }));
  const items = p.openItems?.[v.seriesId] ?? [];

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setNote("");
    setYours({
      seriesName: p.series.find((s) => s.id === v.seriesId)?.name ?? "",
      date: v.date,
      title: v.title,
      attendees: v.attendees.map((a) => a.name).sort((a, b) => a.localeCompare(b)),
      topics: p.topics.filter((t) => v.topicIds.includes(t.id)).map((t) => t.name).sort((a, b) => a.localeCompare(b)),
      sourceUrl: v.sourceUrl,
      body: v.body,
      decisions: v.decisions,
    });
    const data = new FormData(e.currentTarget);
    startTransition(() => dispatch(data));
  };

  const keepMine = () => {
    if (!conflict) return;
    setVersion(conflict.version);
    setDismissed(state && !state.ok ? state.conflict : null);
    setNote(`Your version is kept in the form. Saving now replaces version ${conflict.version}.`);
    saveRef.current?.focus();
  };
  const takeTheirs = () => {
    if (!conflict) return;
    setV({
      seriesId: conflict.seriesId,
      date: conflict.date,
      title: conflict.title,
      body: conflict.body,
      decisions: conflict.decisions,
      sourceUrl: conflict.sourceUrl ?? "",
      attendees: conflict.attendees.map((a) => ({ id: a.id, name: a.displayName })),
      topicIds: conflict.topics.map((t) => t.id),
    });
    setVersion(conflict.version);
    setDismissed(state && !state.ok ? state.conflict : null);
    setNote(`The form now holds version ${conflict.version}.`);
  };

  const e = (k: string) => errorsFor(errors, k);
  return (
    <form onSubmit={onSubmit} noValidate aria-label={p.mode === "create" ? "New meeting" : "Edit meeting"} className="space-y-6">
      {conflict && yours && <ConflictPanel theirs={conflict} yours={yours} onKeepMine={keepMine} onTakeTheirs={takeTheirs} />}
      {state && !state.ok && state.code !== "CONFLICT" && (
        <p role="alert" className="rounded-md border border-red-400 p-3 text-sm text-red-700 dark:text-red-300">{state.message}</p>
      )}
      {note && <p role="status" className="rounded-md border border-border p-3 text-sm">{note}</p>}

      {p.mode === "edit" && (
        <>
          <input type="hidden" name="id" value={p.meetingId} />
          <input type="hidden" name="version" value={version} />
        </>
      )}

      <div className="grid gap-4 md:grid-cols-3">
        <div>
          <label htmlFor="f-seriesId" className="block text-sm font-medium">Series</label>
          <select id="f-seriesId" name="seriesId" value={v.seriesId} onChange={(x) => set("seriesId", x.target.value)} className={inputClass} {...describedBy("f-seriesId", e("seriesId"))}>
            {p.series.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
          <FieldMessage id="f-seriesId-error" errors={e("seriesId")} />
        </div>
        <div>
          <label htmlFor="f-date" className="block text-sm font-medium">Date</label>
          <input id="f-date" name="date" type="date" value={v.date} onChange={(x) => set("date", x.target.value)} className={inputClass} {...describedBy("f-date", e("date"))} />
          <FieldMessage id="f-date-error" errors={e("date")} />
        </div>
        <div>
          <label htmlFor="f-title" className="block text-sm font-medium">Title</label>
          <input id="f-title" name="title" value={v.title} onChange={(x) => set("title", x.target.value)} className={inputClass} {...describedBy("f-title", e("title"))} />
          <FieldMessage id="f-title-error" errors={e("title")} />
        </div>
      </div>

      <AttendeePicker people={p.people} value={v.attendees} onChange={(a) => set("attendees", a)} errors={[...(e("attendeeIds") ?? []), ...(e("newAttendees") ?? [])].length ? [...(e("attendeeIds") ?? []), ...(e("newAttendees") ?? [])] : undefined} />

      <fieldset aria-describedby={e("topicIds") ? "f-topicIds-error" : undefined}>
        <legend className="text-sm font-medium">Topics</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
          {p.topics.map((t) => (
            <label key={t.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="topicIds[]" value={t.id} checked={v.topicIds.includes(t.id)} onChange={(x) => set("topicIds", x.target.checked ? [...v.topicIds, t.id] : v.topicIds.filter((id) => id !== t.id))} />
              {t.name}
            </label>
          ))}
        </div>
        <FieldMessage id="f-topicIds-error" errors={e("topicIds")} />
      </fieldset>

      {p.mode === "create" && (
        <section aria-labelledby="review-heading" className="space-y-2">
          <h2 id="review-heading" className="text-lg font-semibold">Review of open action items ({items.length})</h2>
          <p className="text-sm text-muted">Every open, in-progress or blocked item of this series. Give each an outcome; Done and Dropped close it, Progress marks it in progress.</p>
          <GuidedReview items={items} value={reviews} onChange={setReviews} errors={errors} />
        </section>
      )}

      <MarkdownField name="body" label="Minutes (Markdown)" value={v.body} onChange={(x) => set("body", x)} errors={e("body")} rows={16} />
      <MarkdownField name="decisions" label="Decisions (Markdown)" value={v.decisions} onChange={(x) => set("decisions", x)} errors={e("decisions")} rows={5} />

      {p.mode === "create" && (
        <div>
          <label htmlFor="f-newItems" className="block text-sm font-medium">New action items</label>
          <textarea id="f-newItems" name="newItems" rows={5} value={newItems} onChange={(x) => setNewItems(x.target.value)} className={`${inputClass} font-mono text-sm`} {...describedBy("f-newItems", e("newItems"), "f-newItems-hint")} />
          <p id="f-newItems-hint" className="mt-1 text-xs text-muted">One a line, as the minutes write them: “Igor to post patches…” or “Igor, Ian: …”. Owners are matched to people by name or alias.</p>
          <FieldMessage id="f-newItems-error" errors={e("newItems")} />
        </div>
      )}

      <div>
        <label htmlFor="f-sourceUrl" className="block text-sm font-medium">Source URL <span className="font-normal text-muted">(optional)</span></label>
        <input id="f-sourceUrl" name="sourceUrl" type="url" value={v.sourceUrl} onChange={(x) => set("sourceUrl", x.target.value)} className={inputClass} placeholder="https://lists.xenproject.org/…" {...describedBy("f-sourceUrl", e("sourceUrl"))} />
        <FieldMessage id="f-sourceUrl-error" errors={e("sourceUrl")} />
      </div>

      <div className="flex items-center gap-3">
        <button ref={saveRef} className={buttonClass} disabled={pending}>{pending ? "Saving…" : p.mode === "create" ? "Create meeting" : "Save meeting"}</button>
        {state && !state.ok && state.code === "INVALID" && <span className="text-sm text-red-600 dark:text-red-400">Fix the marked fields and save again.</span>}
      </div>
    </form>
  );
}
