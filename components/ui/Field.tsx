import type { InputHTMLAttributes } from "react";

/** A labelled input with its validation message announced next to it. */
export function Field({ label, name, errors, hint, ...input }: { label: string; name: string; errors?: string[]; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `f-${name}`;
  const errId = `${id}-error`;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium">{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={errors?.length ? true : undefined}
        aria-describedby={errors?.length ? errId : undefined}
        className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2 aria-[invalid]:border-red-500"
        {...input}
      />
      {hint && <p className="mt-1 text-xs text-muted">{hint}</p>}
      {errors?.length ? <p id={errId} className="mt-1 text-sm text-red-600 dark:text-red-400">{errors.join(" ")}</p> : null}
    </div>
  );
}

export function FormMessage({ state }: { state: { ok: boolean; message?: string } | null }) {
  if (!state) return null;
  if (state.ok) return <p role="status" className="text-sm text-green-700 dark:text-green-400">Saved.</p>;
  return <p role="alert" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>;
}

export const buttonClass = "rounded-md bg-indigo-700 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60";
export const secondaryButtonClass = "rounded-md border border-border px-3 py-2 text-sm hover:bg-border disabled:opacity-60";
