import type { ReactNode } from "react";
import type { ActionResult, ActionState } from "@/lib/auth/guard";
import { Notice } from "./Notice";

export type ActionFailure = Extract<ActionResult<unknown>, { ok: false }>;

type Props<T> = {
  /** The state of the form's action (useFormAction, useActionState). */
  state: ActionState<T>;
  /** What to say after a success ("Saved"); nothing when left out. */
  ok?: ReactNode | ((data: T) => ReactNode);
  /**
   * What to say after a refusal; the server's message when left out. Return null where
   * something else already says it: the fields' own messages, a conflict panel.
   */
  error?: (failure: ActionFailure) => ReactNode;
  /** span beside the form's button (the default); p on a line of its own. */
  as?: "span" | "p";
  /** A bordered box, for a page-wide answer; coloured text otherwise. */
  boxed?: boolean;
  /**
   * Keep an (empty) role="status" element in the page before any answer, and say the
   * answer, either one, inside it: a live region that exists before it changes is read
   * out by every screen reader, one added with its text not by all.
   */
  live?: boolean;
  className?: string;
};

/**
 * The answer of a server action, shown where the form that sent it is: a refusal as
 * role="alert", a success as role="status". Every form says its answer through this,
 * so that all answers look and are announced alike.
 */
export function ActionNotice<T>({ state, ok, error = (f) => f.message, as = "span", boxed = false, live = false, className }: Props<T>) {
  const text = !state ? null : state.ok ? (typeof ok === "function" ? ok(state.data) : ok) : error(state);
  const tone = state?.ok ? "ok" : "error";
  if (live) {
    return (
      <Notice as={as} role="status" tone={tone} plain={!boxed} className={className}>
        {text}
      </Notice>
    );
  }
  if (text === null || text === undefined || text === false) return null;
  return (
    <Notice as={as} role={state?.ok ? "status" : "alert"} tone={tone} plain={!boxed} className={className}>
      {text}
    </Notice>
  );
}
