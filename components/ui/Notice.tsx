import type { ComponentProps, ElementType } from "react";

export type NoticeTone = "info" | "warn" | "ok" | "error";

const BOXED: Record<NoticeTone, string> = {
  info: "border-border",
  warn: "border-amber-500 bg-amber-50 dark:bg-amber-950",
  ok: "border-green-600 bg-green-50 dark:bg-green-950",
  error: "border-red-400 text-red-700 dark:text-red-300",
};
const PLAIN: Record<NoticeTone, string> = {
  info: "text-muted",
  warn: "text-amber-800 dark:text-amber-300",
  ok: "text-green-700 dark:text-green-400",
  error: "text-red-600 dark:text-red-400",
};

type NoticeProps<T extends ElementType> = { as?: T; tone?: NoticeTone; /** Coloured text only, no box. */ plain?: boolean } & Omit<ComponentProps<T>, "as">;

/**
 * A message about the page or a form: a warning, a success, an error. Give it
 * role="alert" or role="status" where it appears after an action.
 */
export function Notice<T extends ElementType = "p">({ as, tone = "info", plain = false, className, ...rest }: NoticeProps<T>) {
  const Tag: ElementType = as ?? "p";
  return <Tag className={[noticeClass(tone, plain), className].filter(Boolean).join(" ")} {...rest} />;
}

/** The notice's look, for an element that is a notice only sometimes (a group whose dates disagree). */
export function noticeClass(tone: NoticeTone, plain = false): string {
  return `text-sm ${plain ? PLAIN[tone] : `rounded-md border p-3 ${BOXED[tone]}`}`;
}
