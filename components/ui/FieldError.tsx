import { errorTextClass } from "./styles";

/** The message next to a field; the field's aria-describedby points at its id, `${id}-error`. */
export function FieldError({ id, errors, className = "mt-1" }: { id: string; errors?: string[]; className?: string }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className={`${className} ${errorTextClass}`}>
      {errors.join(" ")}
    </p>
  );
}

/** aria-* props tying a field to its message (`${id}-error`) and, maybe, its hint. */
export function describedBy(id: string, errors?: string[], hintId?: string) {
  const ids = [errors?.length ? `${id}-error` : null, hintId ?? null].filter(Boolean).join(" ");
  return { "aria-invalid": errors?.length ? true : undefined, "aria-describedby": ids || undefined } as const;
}

/** Messages for one field from an action's fieldErrors; keys may be nested ("ownerIds.0", "reviews.x.note"). */
export function errorsFor(all: Record<string, string[]> | undefined, key: string): string[] | undefined {
  if (!all) return undefined;
  const out = Object.entries(all)
    .filter(([k]) => k === key || k.startsWith(`${key}.`))
    .flatMap(([, v]) => v);
  return out.length ? [...new Set(out)] : undefined;
}
