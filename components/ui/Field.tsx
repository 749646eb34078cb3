import type { InputHTMLAttributes, ReactNode } from "react";
import { FieldError, describedBy } from "./FieldError";
import { hintClass, inputClass, labelClass } from "./styles";

/** What a control inside a FormField spreads: its id and the aria-* tying it to the hint and message. */
export type ControlProps = { id: string; "aria-invalid"?: true; "aria-describedby"?: string };

/**
 * A form field: label, the control (given by `children`, which receives the props to
 * spread on it), an optional hint, and the validation message announced next to it.
 */
export function FormField({
  id,
  label,
  hint,
  errors,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children({ id, ...describedBy(id, errors, hintId) })}
      {hint && (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      )}
      <FieldError id={id} errors={errors} />
    </div>
  );
}

/** A labelled input with its validation message announced next to it. */
export function Field({
  label,
  name,
  errors,
  hint,
  ...input
}: { label: string; name: string; errors?: string[]; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `f-${name}`;
  return (
    <FormField id={id} label={label} hint={hint} errors={errors}>
      {(control) => <input name={name} className={inputClass} {...control} {...input} />}
    </FormField>
  );
}
