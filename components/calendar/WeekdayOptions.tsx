import { WEEKDAYS } from "@/lib/calendar/schedule";

/** The weekdays as a select's options; the value is ISO's number (Monday 1 … Sunday 7), as schedules store it. */
export function WeekdayOptions() {
  return WEEKDAYS.map((d, i) => (
    <option key={d} value={i + 1}>
      {d}
    </option>
  ));
}
