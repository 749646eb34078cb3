"use client";
import { startTransition, useActionState, useRef, useState, type FormEvent } from "react";
import type { ActionState } from "@/lib/auth/guard";
import type { ItemSnapshot } from "@/lib/items/reads";
import { statusLabel } from "@/lib/items/statuses";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { CheckboxGroup } from "@/components/ui/CheckboxGroup";
import { ConflictPanel, type ConflictRow } from "@/components/ui/ConflictPanel";
import { FormField } from "@/components/ui/Field";
import { errorsFor } from "@/components/ui/FieldError";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { useFocusFirstInvalid } from "@/components/ui/useFocusFirstInvalid";
import { StatusOptions } from "./StatusOptions";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;
type Choice = { id: string; name: string };

interface Values {
  text: string;
  status: string;
  target: string;
  dueDate: string;
  ownerIds: string[];
  topicIds: string[];
}

/** The edit form's values at the moment of the refused save, in display form. */
interface YourItemVersion {
  text: string;
  status: string;
  target: string;
  dueDate: string;
  owners: string[];
  topics: string[];
}

/** Their stored version and yours, field by field, for the conflict panel. */
function conflictRows(theirs: ItemSnapshot, yours: YourItemVersion): ConflictRow[] {
  return [
    { label: "Text", theirs: theirs.text, yours: yours.text },
    { label: "Status", theirs: statusLabel(theirs.status), yours: statusLabel(yours.status) },
    { label: "Target", theirs: theirs.target ?? "", yours: yours.target },
    { label: "Due date", theirs: theirs.dueDate ?? "", yours: yours.dueDate },
    { label: "Owners", theirs: theirs.owners.map((o) => o.displayName).join(", "), yours: yours.owners.join(", ") },
    { label: "Topics", theirs: theirs.topics.map((t) => t.name).join(", "), yours: yours.topics.join(", ") },
  ];
}

const valuesOf = (s: ItemSnapshot): Values => ({
  text: s.text,
  status: s.status,
  target: s.target ?? "",
  dueDate: s.dueDate ?? "",
  ownerIds: s.owners.map((o) => o.id),
  topicIds: s.topics.map((t) => t.id),
});

/**
 * Edits an item from the version it was loaded at (hidden field). A refused save
 * (someone saved first) shows both versions side by side; the form keeps what was
 * typed, and the editor chooses to save over theirs or to load theirs.
 */
export function ItemEditForm({ item, people, topics, action }: { item: ItemSnapshot; people: Choice[]; topics: Choice[]; action: Action }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [values, setValues] = useState<Values>(() => valuesOf(item));
  const [version, setVersion] = useState(item.version);
  const [dismissed, setDismissed] = useState<unknown>(null);
  const [note, setNote] = useState("");
  // The due date is sent only once the user changed it: left out, a date target sets it (lib/items).
  const [dueFrom, setDueFrom] = useState(item.dueDate ?? "");
  // What was sent, for the conflict panel: state, since the panel renders it.
  const [submitted, setSubmitted] = useState<YourItemVersion | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, state);

  const conflict = state && !state.ok && state.code === "CONFLICT" && state.conflict && state.conflict !== dismissed ? (state.conflict as ItemSnapshot) : null;
  const errors = state && !state.ok && state.code !== "CONFLICT" ? (state.fieldErrors ?? {}) : {};
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((x) => ({ ...x, [k]: v }));
  const nameOf = (list: Choice[], ids: string[]) => list.filter((c) => ids.includes(c.id)).map((c) => c.name);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSubmitted({
      text: values.text,
      status: values.status,
      target: values.target,
      dueDate: values.dueDate,
      owners: nameOf(people, values.ownerIds),
      topics: nameOf(topics, values.topicIds),
    });
    setNote("");
    const fd = new FormData(e.currentTarget);
    startTransition(() => dispatch(fd));
  };
  const keepMine = () => {
    if (!conflict) return;
    setVersion(conflict.version);
    setDismissed(conflict);
    setNote(`Your version is kept in the form. Saving now replaces version ${conflict.version}.`);
  };
  const takeTheirs = () => {
    if (!conflict) return;
    setValues(valuesOf(conflict));
    setDueFrom(conflict.dueDate ?? "");
    setVersion(conflict.version);
    setDismissed(conflict);
    setNote(`The form now holds version ${conflict.version}.`);
  };

  return (
    <div className="space-y-4">
      {conflict && submitted && (
        <ConflictPanel what="action item" theirs={conflict} rows={conflictRows(conflict, submitted)} onKeepMine={keepMine} onTakeTheirs={takeTheirs} />
      )}
      {note && (
        <p role="status" className="text-sm">
          {note}
        </p>
      )}
      <ActionNotice state={state} error={(f) => (f.code === "CONFLICT" ? null : f.message)} as="p" />
      <form ref={formRef} onSubmit={onSubmit} aria-label="Edit action item" className="space-y-4" noValidate>
        <input type="hidden" name="id" value={item.id} />
        <input type="hidden" name="version" value={version} />
        <FormField id="item-text" label="Text" errors={errorsFor(errors, "text")}>
          {(control) => <textarea name="text" rows={3} value={values.text} onChange={(e) => set("text", e.target.value)} className={inputClass} {...control} />}
        </FormField>
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField id="item-status" label="Status" errors={errorsFor(errors, "status")}>
            {(control) => (
              <select name="status" value={values.status} onChange={(e) => set("status", e.target.value)} className={inputClass} {...control}>
                <StatusOptions />
              </select>
            )}
          </FormField>
          <FormField
            id="item-target"
            label="Target"
            hint="A release (“Xen 4.10”) or a date (YYYY-MM-DD, also sets the due date)."
            errors={errorsFor(errors, "target")}
          >
            {(control) => <input name="target" value={values.target} onChange={(e) => set("target", e.target.value)} className={inputClass} {...control} />}
          </FormField>
          <FormField id="item-due" label="Due date" errors={errorsFor(errors, "dueDate")}>
            {(control) => (
              <input
                name={values.dueDate !== dueFrom ? "dueDate" : undefined}
                type="date"
                value={values.dueDate}
                onChange={(e) => set("dueDate", e.target.value)}
                className={inputClass}
                {...control}
              />
            )}
          </FormField>
        </div>
        <CheckboxGroup
          id="item-owners"
          legend="Owners"
          name="ownerIds[]"
          options={people}
          value={values.ownerIds}
          onChange={(ids) => set("ownerIds", ids)}
          errors={errorsFor(errors, "ownerIds")}
          className="flex max-h-48 flex-wrap gap-x-4 gap-y-1 overflow-auto"
        />
        <CheckboxGroup
          id="item-topics"
          legend="Topics"
          name="topicIds[]"
          options={topics}
          value={values.topicIds}
          onChange={(ids) => set("topicIds", ids)}
          errors={errorsFor(errors, "topicIds")}
        />
        <div className="flex items-center gap-3">
          <button className={buttonClass} disabled={pending}>
            Save item
          </button>
          <span className="text-xs text-muted">Editing version {version}</span>
        </div>
      </form>
    </div>
  );
}
