/**
 * The app's class names: the one source for how controls, buttons, links and chips look
 * (Tailwind; the colours come from app/globals.css). Components in this folder build on
 * them; a page or area component uses them or a component here, never its own copy.
 */
/** A text box, select or textarea; `inputClass` when a label sits above it. */
export const controlClass = "w-full rounded-md border border-border bg-card px-3 py-2 aria-[invalid]:border-red-500";
export const inputClass = `mt-1 ${controlClass}`;
/** Filters and dense tables. */
export const smallInputClass = "rounded-md border border-border bg-card px-2 py-1.5 text-sm aria-[invalid]:border-red-500";
/** Forms with many small fields (the import preview). */
export const compactInputClass = "mt-1 w-full rounded-md border border-border bg-card px-2 py-1 text-sm aria-[invalid]:border-red-500";
export const labelClass = "block text-sm font-medium";
export const hintClass = "mt-1 text-xs text-muted";
export const errorTextClass = "text-sm text-red-600 dark:text-red-400";

export const buttonClass = "rounded-md bg-indigo-700 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60";
export const secondaryButtonClass = "rounded-md border border-border px-3 py-2 text-sm hover:bg-border disabled:opacity-60";
export const smallButtonClass = "rounded-md border border-border px-2 py-1 text-xs hover:bg-border disabled:opacity-60";
export const dangerButtonClass =
  "rounded-md border border-red-600 px-3 py-2 text-sm text-red-700 hover:bg-red-50 disabled:opacity-60 dark:text-red-300 dark:hover:bg-red-950";

/** A link in running text or a table cell: the accent colour and underlined, so it never reads as plain text. */
export const linkClass = "text-accent underline underline-offset-2 hover:decoration-2";
/** A list's headline link (an item's text, a meeting's title): bold enough to be seen as one, underlined on hover. */
export const titleLinkClass = "font-medium text-accent underline-offset-2 hover:underline";
/** A topic or filter as a small rounded link. */
export const chipClass = "inline-block rounded-full border border-border px-2 py-0.5 text-xs hover:bg-border";
