/** Messages for one field from the action's fieldErrors (keys may be nested: "newAttendees.0"). */
export function errorsFor(all: Record<string, string[]>, key: string): string[] | undefined {
  const out = Object.entries(all)
    .filter(([k]) => k === key || k.startsWith(`${key}.`))
    .flatMap(([, v]) => v);
  return out.length ? [...new Set(out)] : undefined;
}

export const inputClass = "mt-1 w-full rounded-md border border-border bg-card px-3 py-2 aria-[invalid]:border-red-500";
export const errorClass = "mt-1 text-sm text-red-600 dark:text-red-400";
