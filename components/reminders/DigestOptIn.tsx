"use client";
import type { ActionState } from "@/lib/auth/guard";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { buttonClass, secondaryButtonClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

type Action = (prev: ActionState<{ subscribed: boolean }>, form: FormData) => Promise<ActionState<{ subscribed: boolean }>>;

/** The account's e-mail digest switch. */
export function DigestOptIn({ subscribed, linked, schedule, action }: { subscribed: boolean; linked: boolean; schedule: string; action: Action }) {
  const { state, pending, onSubmit } = useFormAction(action);
  return (
    <div className="space-y-2">
      <p className="text-sm" data-testid="digest-state">
        {subscribed ? "You get the digest" : "You do not get the digest"}: your open items that are overdue or due soon, and the next meeting with its agenda.{" "}
        {schedule}
      </p>
      {!linked && !subscribed ? (
        <p className="text-sm text-muted">
          Your account is not linked to a person of the working group, so no item is yours yet; an admin links it on the Users page.
        </p>
      ) : (
        <form onSubmit={onSubmit} className="flex items-center gap-3">
          <input type="hidden" name="subscribe" value={subscribed ? "off" : "on"} />
          <button className={subscribed ? secondaryButtonClass : buttonClass} disabled={pending}>
            {subscribed ? "Stop the digest" : "Send me the digest"}
          </button>
          <ActionNotice state={state} />
        </form>
      )}
    </div>
  );
}
