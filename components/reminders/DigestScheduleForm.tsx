"use client";
import { useState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { WeekdayOptions } from "@/components/calendar/WeekdayOptions";
import type { DigestSettings } from "@/lib/reminders/schedule";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { FormField } from "@/components/ui/Field";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

/** The admin's digest schedule. */
export function DigestScheduleForm({ initial, version, zones, action }: { initial: DigestSettings; version: number; zones: string[]; action: Action }) {
  const { state, pending, onSubmit, fieldErrors } = useFormAction(action);
  const [frequency, setFrequency] = useState(initial.frequency);
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Digest schedule" className="max-w-3xl space-y-3">
      <input type="hidden" name="version" value={version} />
      <label className="flex items-center gap-2 text-sm font-medium">
        <input type="checkbox" name="enabled" defaultChecked={initial.enabled} /> Send digests
      </label>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <FormField id="d-frequency" label="How often" errors={fieldErrors.frequency}>
          {(c) => (
            <select
              name="frequency"
              value={frequency}
              onChange={(e) => setFrequency(e.target.value as DigestSettings["frequency"])}
              className={inputClass}
              {...c}
            >
              <option value="daily">Every day</option>
              <option value="weekly">Every week</option>
            </select>
          )}
        </FormField>
        <FormField id="d-weekday" label="On" errors={fieldErrors.weekday}>
          {(c) => (
            <select name="weekday" defaultValue={initial.weekday} disabled={frequency === "daily"} className={inputClass} {...c}>
              <WeekdayOptions />
            </select>
          )}
        </FormField>
        {frequency === "daily" && <input type="hidden" name="weekday" value={initial.weekday} />}
        <FormField id="d-time" label="At" errors={fieldErrors.time}>
          {(c) => <input name="time" type="time" defaultValue={initial.time} className={inputClass} {...c} />}
        </FormField>
        <FormField id="d-timeZone" label="Time zone" errors={fieldErrors.timeZone}>
          {(c) => (
            <>
              <input name="timeZone" list="d-zones" defaultValue={initial.timeZone} className={inputClass} autoComplete="off" {...c} />
              <datalist id="d-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </FormField>
        <FormField id="d-dueSoonDays" label="“Due soon” means within (days)" errors={fieldErrors.dueSoonDays}>
          {(c) => <input name="dueSoonDays" type="number" min={0} max={90} defaultValue={initial.dueSoonDays} className={inputClass} {...c} />}
        </FormField>
      </div>
      <div className="flex items-center gap-3">
        <button className={buttonClass} disabled={pending}>
          Save
        </button>
        <ActionNotice state={state} ok="Saved." as="p" />
      </div>
    </form>
  );
}
