"use client";
import { useActionState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { ROLES } from "@/lib/auth/roles";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

export function RoleSelect({ action, userId, role, email }: { action: Action; userId: string; role: string; email: string }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`role-${userId}`}>Role of {email}</label>
      <select id={`role-${userId}`} name="role" defaultValue={role} className="rounded-md border border-border bg-card px-2 py-1 text-sm">
        {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
      </select>
      <button className="rounded-md border border-border px-2 py-1 text-sm hover:bg-border" disabled={pending}>Set</button>
      {state && !state.ok && <span role="alert" className="text-sm text-red-600">{state.message}</span>}
      {state?.ok && <span role="status" className="text-sm text-green-700">Saved</span>}
    </form>
  );
}
