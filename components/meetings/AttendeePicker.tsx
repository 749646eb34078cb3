"use client";
import { useId, type KeyboardEvent } from "react";
import { sameName, sameOrder } from "@/lib/people/names";
import { EmptyState } from "@/components/ui/EmptyState";
import { FieldError, describedBy } from "@/components/ui/FieldError";
import { controlClass, hintClass, labelClass, secondaryButtonClass } from "@/components/ui/styles";

export interface PersonOption {
  id: string;
  displayName: string;
  aliases: string[];
}

export interface Attendee {
  /** Absent for a name nobody in the list answers to: the server matches its aliases or creates the person. */
  id?: string;
  name: string;
}

function lookup(people: PersonOption[], name: string): Attendee {
  const byName = people.filter((x) => sameName(x.displayName, name));
  const p = byName.find((x) => sameOrder(x.displayName, name)) ?? byName[0] ?? people.find((x) => x.aliases.some((a) => sameName(a, name)));
  return p ? { id: p.id, name: p.displayName } : { name: name.replace(/\s+/g, " ").trim() };
}

/** `value` plus the names typed in `text` (comma, semicolon or line separated), known people recognised, no duplicates. */
export function withTyped(people: PersonOption[], value: Attendee[], text: string): Attendee[] {
  const next = [...value];
  for (const raw of text.split(/[,\n;]/)) {
    if (!raw.trim()) continue;
    const a = lookup(people, raw);
    const dup = next.some((x) => (a.id ? x.id === a.id : !x.id && sameName(x.name, a.name)));
    if (!dup) next.push(a);
  }
  return next;
}

/**
 * Attendees as chips. Type a name (the list suggests known people) and press Enter
 * or "Add"; several names may be pasted at once, separated by commas. Known names
 * and aliases become that person; others are sent as new names, and the server
 * resolves them against every alias before creating anyone.
 */
export function AttendeePicker({
  people,
  value,
  onChange,
  errors,
  text,
  onTextChange,
}: {
  people: PersonOption[];
  value: Attendee[];
  onChange: (v: Attendee[]) => void;
  errors?: string[];
  /** What is typed but not yet added: the editor adds it on save (a name is never dropped silently). */
  text: string;
  onTextChange: (t: string) => void;
}) {
  const setText = onTextChange;
  const listId = useId();
  const id = "f-attendees";
  const hintId = `${id}-hint`;

  const add = () => {
    onChange(withTyped(people, value, text));
    setText("");
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault(); // Enter adds the name; it must not submit the meeting
      add();
    }
  };

  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        Attendees
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={id}
          list={listId}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          className={controlClass}
          autoComplete="off"
          placeholder="Name, then Enter"
          {...describedBy(id, errors, hintId)}
        />
        <button type="button" onClick={add} className={`shrink-0 ${secondaryButtonClass}`}>
          Add attendee
        </button>
      </div>
      <datalist id={listId}>
        {people.map((p) => (
          <option key={p.id} value={p.displayName} />
        ))}
      </datalist>
      <p id={hintId} className={hintClass}>
        Known people and their aliases are recognised; other names are added as new people. A name typed but not added is added when the meeting is saved.
      </p>
      <FieldError id={id} errors={errors} />
      <ul aria-label="Chosen attendees" className="mt-2 flex flex-wrap gap-2">
        {value.map((a) => (
          <li key={a.id ?? `new:${a.name}`} className="flex items-center gap-1 rounded-full border border-border bg-card px-3 py-1 text-sm">
            <span>{a.name}</span>
            {!a.id && <span className="text-xs text-muted">(new)</span>}
            <button
              type="button"
              aria-label={`Remove ${a.name}`}
              onClick={() => onChange(value.filter((x) => x !== a))}
              className="ml-1 rounded px-1 hover:bg-border"
            >
              ×
            </button>
            {a.id ? <input type="hidden" name="attendeeIds[]" value={a.id} /> : <input type="hidden" name="newAttendees[]" value={a.name} />}
          </li>
        ))}
        {!value.length && (
          <li>
            <EmptyState>No attendees yet.</EmptyState>
          </li>
        )}
      </ul>
    </div>
  );
}
