"use client";
import { startTransition, useActionState, useRef, useState, type FormEvent } from "react";
import type { ActionState } from "@/lib/auth/guard";
import type { ItemSnapshot } from "@/lib/items/reads";
import { ITEM_STATUSES, STATUS_LABELS } from "@/lib/items/statuses";
import { buttonClass } from "@/components/ui/Field";
import { FieldError } from "./FieldError";
import { ItemConflictPanel, type YourItemVersion } from "./ItemConflictPanel";
import { describedBy, errorsFor, inputClass } from "./styles";

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
  const submitted = useRef<YourItemVersion | null>(null);

  const conflict = state && !state.ok && state.code === "CONFLICT" && state.conflict && state.conflict !== dismissed ? (state.conflict as ItemSnapshot) : null;
  const errors = state && !state.ok && state.code !== "CONFLICT" ? (state.fieldErrors ?? {}) : {};
  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((x) => ({ ...x, [k]: v }));
  const toggle = (k: "ownerIds" | "topicIds", id: string, on: boolean) => set(k, on ? [...values[k], id] : values[k].filter((x) => x !== id));
  const nameOf = (list: Choice[], ids: string[]) => list.filter((c) => ids.includes(c.id)).map((c) => c.name);

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    submitted.current = { text: values.text, status: values.status, target: values.target, dueDate: values.dueDate, owners: nameOf(people, values.ownerIds), topics: nameOf(topics, values.topicIds) };
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
    setVersion(conflict.version);
    setDismissed(conflict);
    setNote(`The form now holds version ${conflict.version}.`);
  };

  return (
    <div className="space-y-4">
      {conflict && submitted.current && <ItemConflictPanel theirs={conflict} yours={submitted.current} onKeepMine={keepMine} onTakeTheirs={takeTheirs} />}
      {note && <p role="status" className="text-sm">{note}</p>}
      {state && !state.ok && state.code !== "CONFLICT" && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>}
      <form onSubmit={onSubmit} aria-label="Edit action item" className="space-y-4" noValidate>
        <input type="hidden" name="id" value={item.id} />
        <input type="hidden" name="version" value={version} />
        <div>
          <label htmlFor="item-text" className="block text-sm font-medium">Text</label>
          <textarea id="item-text" name="text" rows={3} value={values.text} onChange={(e) => set("text", e.target.value)} className={inputClass} {...describedBy("item-text", errorsFor(errors, "text"))} />
          <FieldError id="item-text" errors={errorsFor(errors, "text")} />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <div>
            <label htmlFor="item-status" className="block text-sm font-medium">Status</label>
            <select id="item-status" name="status" value={values.status} onChange={(e) => set("status", e.target.value)} className={inputClass} {...describedBy("item-status", errorsFor(errors, "status"))}>
              {ITEM_STATUSES.map((s) => <option key={s} value={s}>{STATUS_LABELS[s]}</option>)}
            </select>
            <FieldError id="item-status" errors={errorsFor(errors, "status")} />
          </div>
          <div>
            <label htmlFor="item-target" className="block text-sm font-medium">Target</label>
            <input id="item-target" name="target" value={values.target} onChange={(e) => set("target", e.target.value)} className={inputClass} {...describedBy("item-target", errorsFor(errors, "target"), "item-target-hint")} />
            <p id="item-target-hint" className="mt-1 text-xs text-muted">A release (“Xen 4.10”) or a date (YYYY-MM-DD, also sets the due date).</p>
            <FieldError id="item-target" errors={errorsFor(errors, "target")} />
          </div>
          <div>
            <label htmlFor="item-due" className="block text-sm font-medium">Due date</label>
            <input id="item-due" name="dueDate" type="date" value={values.dueDate} onChange={(e) => set("dueDate", e.target.value)} className={inputClass} {...describedBy("item-due", errorsFor(errors, "dueDate"))} />
            <FieldError id="item-due" errors={errorsFor(errors, "dueDate")} />
          </div>
        </div>
        <fieldset {...describedBy("item-owners", errorsFor(errors, "ownerIds"))}>
          <legend className="text-sm font-medium">Owners</legend>
          <div className="mt-1 flex max-h-48 flex-wrap gap-x-4 gap-y-1 overflow-auto">
            {people.map((p) => (
              <label key={p.id} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" name="ownerIds[]" value={p.id} checked={values.ownerIds.includes(p.id)} onChange={(e) => toggle("ownerIds", p.id, e.target.checked)} />
                {p.name}
              </label>
            ))}
          </div>
          <FieldError id="item-owners" errors={errorsFor(errors, "ownerIds")} />
        </fieldset>
        <fieldset {...describedBy("item-topics", errorsFor(errors, "topicIds"))}>
          <legend className="text-sm font-medium">Topics</legend>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
            {topics.map((t) => (
              <label key={t.id} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" name="topicIds[]" value={t.id} checked={values.topicIds.includes(t.id)} onChange={(e) => toggle("topicIds", t.id, e.target.checked)} />
                {t.name}
              </label>
            ))}
          </div>
          <FieldError id="item-topics" errors={errorsFor(errors, "topicIds")} />
        </fieldset>
        <div className="flex items-center gap-3">
          <button className={buttonClass} disabled={pending}>Save item</button>
          <span className="text-xs text-muted">Editing version {version}</span>
        </div>
      </form>
    </div>
  );
}
