"use client";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { useFormAction } from "@/components/ui/useFormAction";
import type { ActionState } from "@/lib/auth/guard";
import { smallButtonClass, smallInputClass } from "@/components/ui/styles";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

/** Which Person of the minutes this account is ("my items" on the board and dashboard). */
export function PersonLink({
  action,
  userId,
  email,
  personId,
  people,
}: {
  action: Action;
  userId: string;
  email: string;
  personId: string | null;
  people: { id: string; displayName: string }[];
}) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <label className="sr-only" htmlFor={`person-${userId}`}>
        Person in the minutes for {email}
      </label>
      <select id={`person-${userId}`} name="personId" defaultValue={personId ?? ""} className={`max-w-48 ${smallInputClass}`}>
        <option value="">— none —</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </select>
      <button className={smallButtonClass} disabled={pending}>
        Link
      </button>
      <ActionNotice state={state} ok="Saved" />
    </form>
  );
}
