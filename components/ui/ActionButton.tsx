"use client";
import type { ReactNode } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { ActionNotice } from "./ActionNotice";
import { smallButtonClass } from "./styles";
import { useFormAction } from "./useFormAction";
import { useHydrated } from "./useHydrated";

type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

/**
 * A form that is one small button (Restore, Unlink, Remove): what it acts on travels
 * in hidden fields, and a refusal is said beside the button.
 */
export function ActionButton<T>({
  action,
  fields,
  label,
  children,
  className,
}: {
  action: Action<T>;
  fields: Record<string, string>;
  /** The button's accessible name, saying what it acts on ("Unlink xs-qemu-path"). */
  label: string;
  children: ReactNode;
  className?: string;
}) {
  const { state, pending, onSubmit } = useFormAction(action);
  const hydrated = useHydrated();
  return (
    <form method="post" onSubmit={onSubmit} className={["inline-flex items-center gap-2", className].filter(Boolean).join(" ")}>
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button className={smallButtonClass} disabled={pending || !hydrated} aria-label={label}>
        {children}
      </button>
      <ActionNotice state={state} />
    </form>
  );
}
