"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { ROLES } from "@/lib/auth/roles";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { smallButtonClass, smallInputClass } from "@/components/ui/styles";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

export function RoleSelect({ action, userId, role, email }: { action: Action; userId: string; role: string; email: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role of {email}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role} className={smallInputClass}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <button className={smallButtonClass} disabled={pending}>
        Set
      </button>
      <ActionNotice state={state} ok="Saved" />
    </form>
  );
}
