"use client";
import { useState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { ActionButton } from "@/components/ui/ActionButton";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { FormField } from "@/components/ui/Field";
import { inputClass, secondaryButtonClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

/** Cancel or move one of the next meetings. */
export function ExceptionForm({ seriesId, days, action }: { seriesId: string; days: { day: string; label: string }[]; action: Action }) {
  const { state, pending, onSubmit, fieldErrors, ref } = useFormAction(action, { resetOnSuccess: true });
  const [kind, setKind] = useState<"cancelled" | "moved">("cancelled");
  const id = (k: string) => `x-${seriesId}-${k}`;
  if (!days.length) return null;
  return (
    <form ref={ref} onSubmit={onSubmit} noValidate aria-label="Cancel or move a meeting" className="space-y-2">
      <input type="hidden" name="seriesId" value={seriesId} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <FormField id={id("day")} label="Meeting" errors={fieldErrors.day}>
          {(c) => (
            <select name="day" className={inputClass} {...c}>
              {days.map((d) => (
                <option key={d.day} value={d.day}>
                  {d.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <fieldset className="text-sm">
          <legend className="font-medium">Change</legend>
          <label className="mr-3 inline-flex items-center gap-1">
            <input type="radio" name="kind" value="cancelled" checked={kind === "cancelled"} onChange={() => setKind("cancelled")} /> Cancel
          </label>
          <label className="inline-flex items-center gap-1">
            <input type="radio" name="kind" value="moved" checked={kind === "moved"} onChange={() => setKind("moved")} /> Move
          </label>
        </fieldset>
        {kind === "moved" && (
          <>
            <FormField id={id("movedToDay")} label="To day" errors={fieldErrors.movedToDay}>
              {(c) => <input name="movedToDay" type="date" className={inputClass} {...c} />}
            </FormField>
            <FormField
              id={id("movedToTime")}
              label={
                <>
                  At <span className="font-normal text-muted">(same time if empty)</span>
                </>
              }
              errors={fieldErrors.movedToTime}
            >
              {(c) => <input name="movedToTime" type="time" className={inputClass} {...c} />}
            </FormField>
          </>
        )}
      </div>
      <FormField
        id={id("note")}
        label={
          <>
            Note <span className="font-normal text-muted">(optional)</span>
          </>
        }
        errors={fieldErrors.note}
      >
        {(c) => <input name="note" className={inputClass} placeholder="e.g. Xen Summit week" {...c} />}
      </FormField>
      <div className="flex items-center gap-3">
        <button className={secondaryButtonClass} disabled={pending}>
          {kind === "moved" ? "Move it" : "Cancel it"}
        </button>
        <ActionNotice state={state} ok="Saved." as="p" />
      </div>
    </form>
  );
}

/** "Restore": drop an exception, so the meeting is back where the rule has it. */
export function RemoveExceptionButton({ seriesId, exceptionId, label, action }: { seriesId: string; exceptionId: string; label: string; action: Action }) {
  return (
    <ActionButton action={action} fields={{ seriesId, exceptionId }} label={`Restore ${label}`}>
      Restore
    </ActionButton>
  );
}
