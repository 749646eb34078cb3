"use client";
import type { DraftPerson } from "@/lib/minutes/draft";
import type { PreviewName } from "@/lib/minutes/preview";
import { compactInputClass, errorTextClass } from "@/components/ui/styles";

/** A name the importer could not resolve, until someone picks for it. */
const unmatchedClass = "bg-amber-100 ring-1 ring-amber-500 dark:bg-amber-950";

const NEW = "__new__";

/**
 * Who a name in the minutes is: an existing person, or a new one (whose name can be
 * corrected before it is created). A name the importer could not resolve stays
 * highlighted until someone picks for it.
 */
export function PersonPicker({
  id,
  label,
  value,
  initial,
  resolution,
  people,
  onChange,
  errors,
}: {
  id: string;
  label: string;
  value: DraftPerson;
  initial: DraftPerson;
  resolution?: PreviewName;
  people: { id: string; displayName: string }[];
  onChange: (v: DraftPerson) => void;
  errors?: string[];
}) {
  const untouched = value.personId === initial.personId && value.newName === initial.newName;
  const flagged = Boolean(resolution?.unmatched) && untouched;
  const suggestion = resolution?.unmatched && resolution.candidates.length ? people.find((p) => p.id === resolution.candidates[0])?.displayName : undefined;
  return (
    <span className={`inline-flex flex-wrap items-center gap-1 rounded-md p-1 ${flagged ? unmatchedClass : ""}`} data-unmatched={flagged || undefined}>
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <select
        id={id}
        className={`${compactInputClass} w-auto`}
        value={value.personId ?? NEW}
        aria-invalid={errors?.length ? true : undefined}
        onChange={(e) =>
          onChange(e.target.value === NEW ? { ...value, personId: null, newName: value.newName || value.name } : { ...value, personId: e.target.value })
        }
      >
        <option value={NEW}>New person…</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </select>
      {value.personId === null && (
        <>
          <label htmlFor={`${id}-new`} className="sr-only">{`Name of the new person for ${label}`}</label>
          <input
            id={`${id}-new`}
            className={`${compactInputClass} w-48`}
            value={value.newName}
            onChange={(e) => onChange({ ...value, newName: e.target.value })}
            aria-invalid={errors?.length ? true : undefined}
          />
        </>
      )}
      {flagged && (
        <span className="text-xs">
          “{value.name}” not found{suggestion ? ` — guessed ${suggestion}` : value.personId === null ? " — will be created" : ""}
        </span>
      )}
      {errors?.length ? <span className={errorTextClass}>{errors.join(" ")}</span> : null}
    </span>
  );
}
