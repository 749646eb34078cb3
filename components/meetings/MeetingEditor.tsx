"use client";
import { startTransition, useActionState, useRef, useState, type FormEvent } from "react";
import type { ActionState } from "@/lib/auth/guard";
import type { MeetingSnapshot } from "@/lib/meetings/reads";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { CheckboxGroup } from "@/components/ui/CheckboxGroup";
import { ConflictPanel, type ConflictRow } from "@/components/ui/ConflictPanel";
import { FormField } from "@/components/ui/Field";
import { errorsFor } from "@/components/ui/FieldError";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { useFocusFirstInvalid } from "@/components/ui/useFocusFirstInvalid";
import { AttendeePicker, withTyped, type Attendee, type PersonOption } from "./AttendeePicker";
import { GuidedReview, type ReviewItem, type ReviewState } from "./GuidedReview";
import { MarkdownField } from "./MarkdownField";
import { useHydrated } from "@/components/ui/useHydrated";

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

/** The editor's values at the moment of the refused save. */
interface YourVersion {
  seriesName: string;
  date: string;
  title: string;
  attendees: string[];
  topics: string[];
  sourceUrl: string;
  body: string;
  decisions: string;
}

/** Their stored version and yours, field by field, for the conflict panel. */
function conflictRows(theirs: MeetingSnapshot, yours: YourVersion): ConflictRow[] {
  return [
    { label: "Series", theirs: theirs.seriesName, yours: yours.seriesName },
    { label: "Date", theirs: theirs.date, yours: yours.date },
    { label: "Title", theirs: theirs.title, yours: yours.title },
    { label: "Attendees", theirs: theirs.attendees.map((a) => a.displayName).join(", "), yours: yours.attendees.join(", ") },
    { label: "Topics", theirs: theirs.topics.map((t) => t.name).join(", "), yours: yours.topics.join(", ") },
    { label: "Source URL", theirs: theirs.sourceUrl ?? "", yours: yours.sourceUrl },
    { label: "Minutes", theirs: theirs.body, yours: yours.body, long: true },
    { label: "Decisions", theirs: theirs.decisions, yours: yours.decisions, long: true },
  ];
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
  const [attendeeText, setAttendeeText] = useState("");
  const saveRef = useRef<HTMLButtonElement>(null);
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);

  const errors: Record<string, string[]> = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  const conflict = state && !state.ok && state.code === "CONFLICT" && state.conflict !== dismissed ? (state.conflict as MeetingSnapshot) : null;
  const set = <K extends keyof EditorValues>(k: K, value: EditorValues[K]) => setV((x) => ({ ...x, [k]: value }));
  // A new meeting's title follows its series and date ("<series> meeting <date>") until the user edits the title.
  const autoTitle = (seriesId: string, date: string) => `${p.series.find((s) => s.id === seriesId)?.name ?? "Meeting"} meeting ${date}`;
  const [titleEdited, setTitleEdited] = useState(p.mode !== "create" || p.initial.title !== autoTitle(p.initial.seriesId, p.initial.date));
  const setFollowing = (k: "seriesId" | "date", value: string) =>
    setV((x) => {
      const next = { ...x, [k]: value };
      return titleEdited ? next : { ...next, title: autoTitle(next.seriesId, next.date) };
    });
  const items = p.openItems?.[v.seriesId] ?? [];

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setNote("");
    // A name typed in the attendee field but not added is added now, not dropped.
    const typed = attendeeText.trim() ? withTyped(p.people, v.attendees, attendeeText) : v.attendees;
    const added = typed.slice(v.attendees.length);
    if (added.length) {
      set("attendees", typed);
      setAttendeeText("");
    }
    setYours({
      seriesName: p.series.find((s) => s.id === v.seriesId)?.name ?? "",
      date: v.date,
      title: v.title,
      attendees: typed.map((a) => a.name).sort((a, b) => a.localeCompare(b)),
      topics: p.topics
        .filter((t) => v.topicIds.includes(t.id))
        .map((t) => t.name)
        .sort((a, b) => a.localeCompare(b)),
      sourceUrl: v.sourceUrl,
      body: v.body,
      decisions: v.decisions,
    });
    const data = new FormData(e.currentTarget);
    for (const a of added) data.append(a.id ? "attendeeIds[]" : "newAttendees[]", a.id ?? a.name);
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
    <form ref={formRef} method="post" onSubmit={onSubmit} noValidate aria-label={p.mode === "create" ? "New meeting" : "Edit meeting"} className="space-y-6">
      {conflict && yours && (
        <ConflictPanel what="meeting" theirs={conflict} rows={conflictRows(conflict, yours)} onKeepMine={keepMine} onTakeTheirs={takeTheirs} />
      )}
      <ActionNotice state={state} error={(f) => (f.code === "CONFLICT" ? null : f.message)} as="p" boxed />
      {note && <Notice role="status">{note}</Notice>}

      {p.mode === "edit" && (
        <>
          <input type="hidden" name="id" value={p.meetingId} />
          <input type="hidden" name="version" value={version} />
        </>
      )}

      <div className="grid gap-4 md:grid-cols-3">
        <FormField id="f-seriesId" label="Series" errors={e("seriesId")}>
          {(control) => (
            <select name="seriesId" value={v.seriesId} onChange={(x) => setFollowing("seriesId", x.target.value)} className={inputClass} {...control}>
              {p.series.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id="f-date" label="Date" errors={e("date")}>
          {(control) => (
            <input name="date" type="date" value={v.date} onChange={(x) => setFollowing("date", x.target.value)} className={inputClass} {...control} />
          )}
        </FormField>
        <FormField id="f-title" label="Title" errors={e("title")}>
          {(control) => (
            <input
              name="title"
              value={v.title}
              onChange={(x) => {
                setTitleEdited(true);
                set("title", x.target.value);
              }}
              className={inputClass}
              {...control}
            />
          )}
        </FormField>
      </div>

      <AttendeePicker
        people={p.people}
        value={v.attendees}
        onChange={(a) => set("attendees", a)}
        text={attendeeText}
        onTextChange={setAttendeeText}
        errors={[...(e("attendeeIds") ?? []), ...(e("newAttendees") ?? [])].length ? [...(e("attendeeIds") ?? []), ...(e("newAttendees") ?? [])] : undefined}
      />

      <CheckboxGroup
        id="f-topicIds"
        legend="Topics"
        name="topicIds[]"
        options={p.topics}
        value={v.topicIds}
        onChange={(ids) => set("topicIds", ids)}
        errors={e("topicIds")}
        className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3"
      />

      {p.mode === "create" && (
        <section aria-labelledby="review-heading" className="space-y-2">
          <h2 id="review-heading" className="text-lg font-semibold">
            Review of open action items ({items.length})
          </h2>
          <p className="text-sm text-muted">
            Every open, in-progress or blocked item of this series. Give each an outcome; Done and Dropped close it, Progress marks it in progress.
          </p>
          <GuidedReview items={items} value={reviews} onChange={setReviews} errors={errors} />
        </section>
      )}

      <MarkdownField name="body" label="Minutes (Markdown)" value={v.body} onChange={(x) => set("body", x)} errors={e("body")} rows={16} />
      <MarkdownField name="decisions" label="Decisions (Markdown)" value={v.decisions} onChange={(x) => set("decisions", x)} errors={e("decisions")} rows={5} />

      {p.mode === "create" && (
        <FormField
          id="f-newItems"
          label="New action items"
          hint="One a line, as the minutes write them: “Igor to post patches…” or “Igor, Ian: …”. Owners are matched to people by name or alias."
          errors={e("newItems")}
        >
          {(control) => (
            <textarea
              name="newItems"
              rows={5}
              value={newItems}
              onChange={(x) => setNewItems(x.target.value)}
              className={`${inputClass} font-mono text-sm`}
              {...control}
            />
          )}
        </FormField>
      )}

      <FormField
        id="f-sourceUrl"
        label={
          <>
            Source URL <span className="font-normal text-muted">(optional)</span>
          </>
        }
        errors={e("sourceUrl")}
      >
        {(control) => (
          <input
            name="sourceUrl"
            type="url"
            value={v.sourceUrl}
            onChange={(x) => set("sourceUrl", x.target.value)}
            className={inputClass}
            placeholder="https://lists.xenproject.org/…"
            {...control}
          />
        )}
      </FormField>

      <div className="flex items-center gap-3">
        <button ref={saveRef} className={buttonClass} disabled={pending || !hydrated}>
          {pending ? "Saving…" : p.mode === "create" ? "Create meeting" : "Save meeting"}
        </button>
        {state && !state.ok && state.code === "INVALID" && (
          <Notice as="span" tone="error" plain>
            Fix the marked fields and save again.
          </Notice>
        )}
      </div>
    </form>
  );
}
