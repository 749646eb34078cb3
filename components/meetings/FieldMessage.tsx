import { errorClass } from "./fieldErrors";

/** The message next to a field; its id is what the field's aria-describedby points at. */
export function FieldMessage({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className={errorClass}>
      {errors.join(" ")}
    </p>
  );
}

/** aria-* props for a field with (maybe) an error and (maybe) a hint. */
export function describedBy(id: string, errors?: string[], hintId?: string) {
  const ids = [errors?.length ? `${id}-error` : null, hintId ?? null].filter(Boolean).join(" ");
  return { "aria-invalid": errors?.length ? true : undefined, "aria-describedby": ids || undefined } as const;
}
