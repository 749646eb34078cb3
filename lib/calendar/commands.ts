/**
 * Changes to a series' schedule and its exceptions: each one transaction with its audit
 * event. The schedule is versioned, so two chairs editing it at once cannot overwrite
 * each other silently.
 */
import { audit, auditActorOf } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { dayOf, startOfDay } from "@/lib/db/days";
import { DomainError } from "@/lib/db/errors";
import { inTransaction } from "@/lib/db/transaction";
import type { DbOrTx } from "@/lib/db/types";
import { scheduleOfSeries, type ScheduleView } from "./reads";
import { isRuleDay, localInstant } from "./schedule";
import { exceptionInputSchema, scheduleInputSchema, type ExceptionInput, type ScheduleInput } from "./schemas";

export interface CalendarActor {
  userId: string;
  email: string;
}

/** Create (version 0) or replace (the version it was read at) a series' schedule. */
export async function saveSchedule(raw: ScheduleInput, actor: CalendarActor, db: DbOrTx = getDb()): Promise<{ id: string; version: number }> {
  const input = scheduleInputSchema.parse(raw);
  return inTransaction(db, async (tx) => {
    const series = await tx.series.findUnique({ where: { id: input.seriesId }, select: { id: true } });
    if (!series) throw new DomainError("NOT_FOUND", "This series does not exist (any more).");
    // A zone/time pair luxon cannot place is refused here rather than at every read.
    localInstant(input.startsOn, input.time, input.timeZone);
    const data = {
      frequency: input.frequency,
      interval: input.frequency === "weekly" ? input.interval : 1,
      weekday: input.weekday,
      weekOfMonth: input.frequency === "monthly" ? (input.weekOfMonth ?? 1) : null,
      startsOn: startOfDay(input.startsOn),
      endsOn: input.endsOn ? startOfDay(input.endsOn) : null,
      time: input.time,
      timeZone: input.timeZone,
      durationMinutes: input.durationMinutes,
      location: input.location,
    };
    const current = await tx.seriesSchedule.findUnique({ where: { seriesId: input.seriesId } });
    const conflict = async () =>
      new DomainError(
        "CONFLICT",
        "Someone else changed this schedule while you were editing it; reload to see theirs.",
        await scheduleOfSeries(input.seriesId, tx),
      );
    if (!current) {
      if (input.version !== 0) throw await conflict();
      const row = await tx.seriesSchedule.create({ data: { seriesId: input.seriesId, ...data } });
      await audit(tx, auditActorOf(actor), "series", input.seriesId, "schedule.create", { ...input, version: undefined });
      return { id: row.id, version: row.version };
    }
    const res = await tx.seriesSchedule.updateMany({ where: { id: current.id, version: input.version }, data: { ...data, version: { increment: 1 } } });
    if (res.count === 0) throw await conflict();
    await audit(tx, auditActorOf(actor), "series", input.seriesId, "schedule.update", {
      before: {
        frequency: current.frequency,
        interval: current.interval,
        weekday: current.weekday,
        weekOfMonth: current.weekOfMonth,
        startsOn: dayOf(current.startsOn),
        endsOn: current.endsOn ? dayOf(current.endsOn) : null,
        time: current.time,
        timeZone: current.timeZone,
        durationMinutes: current.durationMinutes,
        location: current.location,
      },
      after: { ...input, version: undefined },
    });
    return { id: current.id, version: current.version + 1 };
  });
}

export async function deleteSchedule(seriesId: string, actor: CalendarActor, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const current = await tx.seriesSchedule.findUnique({ where: { seriesId } });
    if (!current) return;
    await tx.seriesSchedule.delete({ where: { id: current.id } });
    await audit(tx, auditActorOf(actor), "series", seriesId, "schedule.delete", { time: current.time, timeZone: current.timeZone });
  });
}

/** Cancel or move one meeting. The day must be one the rule gives; a second exception for it replaces the first. */
export async function addException(raw: ExceptionInput, actor: CalendarActor, db: DbOrTx = getDb()): Promise<ScheduleView> {
  const input = exceptionInputSchema.parse(raw);
  return inTransaction(db, async (tx) => {
    const view = await scheduleOfSeries(input.seriesId, tx);
    if (!view) throw new DomainError("NOT_FOUND", "This series has no schedule.");
    if (!isRuleDay(view.schedule, input.day)) {
      throw new DomainError("INVALID", "No meeting is scheduled that day.", undefined, {
        day: [`The schedule (${view.description}) has no meeting on ${input.day}`],
      });
    }
    const movedToTime = input.kind === "moved" ? (input.movedToTime ?? view.schedule.time) : null;
    if (input.kind === "moved") localInstant(input.movedToDay!, movedToTime!, view.schedule.timeZone);
    const data = {
      kind: input.kind,
      movedToDay: input.kind === "moved" ? startOfDay(input.movedToDay!) : null,
      movedToTime,
      note: input.note,
    };
    await tx.scheduleException.upsert({
      where: { scheduleId_date: { scheduleId: view.id, date: startOfDay(input.day) } },
      create: { scheduleId: view.id, date: startOfDay(input.day), ...data },
      update: data,
    });
    // The feed's SEQUENCE follows the version: calendar clients update the changed meeting.
    await tx.seriesSchedule.update({ where: { id: view.id }, data: { version: { increment: 1 } } });
    await audit(tx, auditActorOf(actor), "series", input.seriesId, `schedule.${input.kind === "moved" ? "move" : "cancel"}`, {
      day: input.day,
      movedTo: data.movedToDay ? `${dayOf(data.movedToDay)} ${movedToTime}` : null,
      note: input.note,
    });
    return (await scheduleOfSeries(input.seriesId, tx))!;
  });
}

export async function removeException(seriesId: string, exceptionId: string, actor: CalendarActor, db: DbOrTx = getDb()): Promise<void> {
  await inTransaction(db, async (tx) => {
    const ex = await tx.scheduleException.findFirst({ where: { id: exceptionId, schedule: { seriesId } } });
    if (!ex) throw new DomainError("NOT_FOUND", "This exception does not exist (any more).");
    await tx.scheduleException.delete({ where: { id: ex.id } });
    await tx.seriesSchedule.update({ where: { id: ex.scheduleId }, data: { version: { increment: 1 } } });
    await audit(tx, auditActorOf(actor), "series", seriesId, "schedule.restore", { day: dayOf(ex.date), was: ex.kind });
  });
}
