export { inputClass, errorClass } from "./fieldErrors";
export const secondaryButtonClassSmall = "shrink-0 rounded-md border border-border px-3 py-2 text-sm hover:bg-border disabled:opacity-60";
export const chipClass = "inline-block rounded-full border border-border px-2 py-0.5 text-xs";
export const cardClass = "rounded-lg border border-border bg-card p-4";
