import { errorClass } from "./styles";

/** The message next to a field; the field's aria-describedby points at this id. */
export function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className={errorClass}>
      {errors.join(" ")}
    </p>
  );
}
