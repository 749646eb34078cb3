"use client";
import { useFormAction } from "@/components/ui/useFormAction";
import type { ActionState } from "@/lib/auth/guard";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

/** Which Person of the minutes this account is ("my items" on the board and dashboard). */
export function PersonLink({ action, userId, email, personId, people }: { action: Action; userId: string; email: string; personId: string | null; people: { id: string; displayName: string }[] }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`person-${userId}`}>Person in the minutes for {email}</label>
      <select id={`person-${userId}`} name="personId" defaultValue={personId ?? ""} className="max-w-48 rounded-md border border-border bg-card px-2 py-1 text-sm">
        <option value="">— none —</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>{p.displayName}</option>
        ))}
      </select>
      <button className="rounded-md border border-border px-2 py-1 text-sm hover:bg-border" disabled={pending}>Link</button>
      {state && !state.ok && <span role="alert" className="text-sm text-red-600">{state.message}</span>}
      {state?.ok && <span role="status" className="text-sm text-green-700">Saved</span>}
    </form>
  );
}
