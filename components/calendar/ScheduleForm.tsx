"use client";
import { useState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import { WeekdayOptions } from "./WeekdayOptions";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { FormField } from "@/components/ui/Field";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

export interface ScheduleFormValues {
  frequency: "weekly" | "monthly";
  interval: number;
  weekday: number;
  weekOfMonth: number | null;
  startsOn: string;
  endsOn: string | null;
  time: string;
  timeZone: string;
  durationMinutes: number;
  location: string;
}

const NTH = [
  [1, "first"],
  [2, "second"],
  [3, "third"],
  [4, "fourth"],
  [-1, "last"],
] as const;

/** A series' schedule: how often, which day, what time in which zone, how long, where. */
export function ScheduleForm({
  seriesId,
  seriesName,
  version,
  initial,
  zones,
  action,
}: {
  seriesId: string;
  seriesName: string;
  version: number;
  initial: ScheduleFormValues;
  zones: string[];
  action: Action;
}) {
  const { state, pending, onSubmit, fieldErrors } = useFormAction(action);
  const [frequency, setFrequency] = useState(initial.frequency);
  const e = (k: string) => fieldErrors[k];
  const id = (k: string) => `s-${seriesId}-${k}`;
  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Schedule of ${seriesName}`} className="space-y-3">
      <input type="hidden" name="seriesId" value={seriesId} />
      <input type="hidden" name="version" value={version} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <FormField id={id("frequency")} label="Repeats" errors={e("frequency")}>
          {(c) => (
            <select name="frequency" value={frequency} onChange={(x) => setFrequency(x.target.value as "weekly" | "monthly")} className={inputClass} {...c}>
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          )}
        </FormField>
        {frequency === "weekly" ? (
          <FormField id={id("interval")} label="Every … weeks" errors={e("interval")}>
            {(c) => <input name="interval" type="number" min={1} max={8} defaultValue={initial.interval} className={inputClass} {...c} />}
          </FormField>
        ) : (
          <FormField id={id("weekOfMonth")} label="Which one" errors={e("weekOfMonth")}>
            {(c) => (
              <select name="weekOfMonth" defaultValue={initial.weekOfMonth ?? 1} className={inputClass} {...c}>
                {NTH.map(([n, label]) => (
                  <option key={n} value={n}>
                    {label}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
        <FormField id={id("weekday")} label="Weekday" errors={e("weekday")}>
          {(c) => (
            <select name="weekday" defaultValue={initial.weekday} className={inputClass} {...c}>
              <WeekdayOptions />
            </select>
          )}
        </FormField>
        <FormField id={id("time")} label="Time" errors={e("time")}>
          {(c) => <input name="time" type="time" defaultValue={initial.time} className={inputClass} {...c} />}
        </FormField>
        <FormField id={id("timeZone")} label="Time zone" hint="The time stays at this wall-clock time across DST changes." errors={e("timeZone")}>
          {(c) => (
            <>
              <input name="timeZone" list={id("zones")} defaultValue={initial.timeZone} className={inputClass} autoComplete="off" {...c} />
              <datalist id={id("zones")}>
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </FormField>
        <FormField id={id("durationMinutes")} label="Length (minutes)" errors={e("durationMinutes")}>
          {(c) => <input name="durationMinutes" type="number" min={5} max={600} defaultValue={initial.durationMinutes} className={inputClass} {...c} />}
        </FormField>
        <FormField id={id("startsOn")} label="First meeting on or after" errors={e("startsOn")}>
          {(c) => <input name="startsOn" type="date" defaultValue={initial.startsOn} className={inputClass} {...c} />}
        </FormField>
        <FormField
          id={id("endsOn")}
          label={
            <>
              Last day <span className="font-normal text-muted">(optional)</span>
            </>
          }
          errors={e("endsOn")}
        >
          {(c) => <input name="endsOn" type="date" defaultValue={initial.endsOn ?? ""} className={inputClass} {...c} />}
        </FormField>
      </div>
      <FormField
        id={id("location")}
        label={
          <>
            Where <span className="font-normal text-muted">(optional; shown in the calendar feed, so no passwords)</span>
          </>
        }
        errors={e("location")}
      >
        {(c) => <input name="location" defaultValue={initial.location} className={inputClass} placeholder="e.g. https://meet.example.org/qemu-wg" {...c} />}
      </FormField>
      <div className="flex items-center gap-3">
        <button className={buttonClass} disabled={pending}>
          {version === 0 ? "Set the schedule" : "Save the schedule"}
        </button>
        <ActionNotice state={state} ok="Saved." as="p" />
      </div>
    </form>
  );
}
