/** Shared class names of the action-item views (Tailwind; colours from globals.css). */
export const inputClass = "mt-1 w-full rounded-md border border-border bg-card px-3 py-2 aria-[invalid]:border-red-500";
export const smallInputClass = "rounded-md border border-border bg-card px-2 py-1.5 text-sm aria-[invalid]:border-red-500";
export const errorClass = "mt-1 text-sm text-red-600 dark:text-red-400";
export const chipClass = "inline-block rounded-full border border-border px-2 py-0.5 text-xs hover:bg-border";
export const cardClass = "rounded-lg border border-border bg-card p-4";
export const linkClass = "underline-offset-2 hover:underline";
export const smallButtonClass = "rounded-md border border-border px-2 py-1 text-xs hover:bg-border disabled:opacity-60";

/** Messages for one field; keys may be nested ("ownerIds.0", "status.0"). */
export function errorsFor(all: Record<string, string[]> | undefined, key: string): string[] | undefined {
  if (!all) return undefined;
  const out = Object.entries(all)
    .filter(([k]) => k === key || k.startsWith(`${key}.`))
    .flatMap(([, v]) => v);
  return out.length ? [...new Set(out)] : undefined;
}

/** aria-* props tying a field to its message (the message's id is `${id}-error`). */
export function describedBy(id: string, errors?: string[], hintId?: string) {
  const ids = [errors?.length ? `${id}-error` : null, hintId ?? null].filter(Boolean).join(" ");
  return { "aria-invalid": errors?.length ? true : undefined, "aria-describedby": ids || undefined } as const;
}
