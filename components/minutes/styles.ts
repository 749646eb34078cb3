/** Class names shared by the minutes import/export components. */
export const fieldClass = "mt-1 w-full rounded-md border border-border bg-card px-2 py-1 text-sm aria-[invalid]:border-red-500";
export const unmatchedClass = "bg-amber-100 ring-1 ring-amber-500 dark:bg-amber-950";
export const noticeClass = "rounded-md border border-amber-500 bg-amber-50 p-3 text-sm dark:bg-amber-950";
export const okClass = "rounded-md border border-green-600 bg-green-50 p-3 text-sm dark:bg-green-950";
export const sectionClass = "space-y-2 rounded-lg border border-border bg-card p-4";
export const errorText = "text-sm text-red-600 dark:text-red-400";
