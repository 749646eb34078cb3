/**
 * The draft agenda of a series' next (or a given) meeting: the open items to review by
 * owner, with target, due date and the last review note, and what the fleet shows of
 * each (evidence for closing); the topics with what the fleet measures now and at the
 * last meeting. The agenda page and `npm run agenda` both call buildAgenda and
 * renderAgendaText (lib/agenda/text.ts): one code path.
 */
import { nextMeetings, scheduleOfSeries } from "@/lib/calendar/reads";
import { formatLocal, occurrenceOnDay } from "@/lib/calendar/schedule";
import { getDb } from "@/lib/db/client";
import { dayOf, startOfDay, today } from "@/lib/db/days";
import { DomainError } from "@/lib/db/errors";
import type { DbOrTx } from "@/lib/db/types";
import type { Evidence } from "@/lib/evidence/assess";
import { evidenceForItems, evidenceHistory, evidenceRules } from "@/lib/evidence/reads";
import { fleetHistory } from "@/lib/hosts/history";
import { OPEN_STATUSES } from "@/lib/items/statuses";
import { formatLongDate } from "@/lib/minutes/dates";
import { fleetMeasures, type FleetMeasures, type RuleMeasure } from "./measures";
import { unclassifiedNow } from "./unclassified";

export interface AgendaItem {
  id: string;
  text: string;
  status: string;
  target: string | null;
  dueDate: string | null;
  /** Due before today. */
  overdue: boolean;
  /** Due by the meeting's day (and not overdue yet). */
  dueByMeeting: boolean;
  owners: string[];
  lastReview: { outcome: string; note: string; meetingDate: string } | null;
  /** What the fleet shows of the dependencies it retires; null when it links none. */
  evidence: Evidence | null;
}

export interface AgendaGroup {
  /** "Andrew Cooper", "Ian Jackson, Paul Durrant", or "No owner". */
  label: string;
  items: AgendaItem[];
}

export interface AgendaTopic {
  slug: string;
  name: string;
  openItems: number;
  /** Blocker rules of this topic the fleet has now or had at the last meeting. */
  measures: RuleMeasure[];
  /** On the catch-all topic (XenStore removal): the keys no rule explains. */
  unclassified: FleetMeasures["unclassified"] | null;
}

export interface AgendaDraft {
  series: { id: string; slug: string; name: string };
  /** The meeting's day, YYYY-MM-DD. */
  date: string;
  title: string;
  /** From the series' schedule, when it has a meeting that day. */
  when: { start: string; label: string; timeZone: string; location: string; moved: boolean; note: string } | null;
  lastMeeting: { id: string; title: string; date: string } | null;
  groups: AgendaGroup[];
  topics: AgendaTopic[];
  fleet: Pick<FleetMeasures, "hostsWatched" | "hostsRead" | "notes" | "wasAt">;
  generatedAt: string;
}

/** The topic that collects what no rule explains: the group's "take QEMU off XenStore". */
export const UNCLASSIFIED_TOPIC = "xenstore-removal";

/** The series an agenda is for when none is named: the one meeting soonest, else the first. */
async function defaultSeries(now: Date, db: DbOrTx): Promise<string | null> {
  const next = await nextMeetings(now, db);
  if (next.length) return next[0].series.slug;
  const s = await db.series.findFirst({ orderBy: { name: "asc" }, select: { slug: true } });
  return s?.slug ?? null;
}

export async function buildAgenda(opts: { series?: string; date?: string; now?: Date } = {}, db: DbOrTx = getDb()): Promise<AgendaDraft> {
  const now = opts.now ?? new Date();
  const slug = opts.series ?? (await defaultSeries(now, db));
  const series = slug ? await db.series.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } }) : null;
  if (!series) throw new DomainError("NOT_FOUND", slug ? `No series "${slug}".` : "No series exists yet.");

  const schedule = await scheduleOfSeries(series.id, db);
  const next = schedule ? (await nextMeetings(now, db)).find((m) => m.series.id === series.id) : undefined;
  const date = opts.date ?? next?.occurrence.localDay ?? dayOf(now);
  const occ = schedule ? occurrenceOnDay(schedule.schedule, date) : null;
  const when =
    occ && schedule
      ? {
          start: occ.start.toISOString(),
          label: formatLocal(occ.start, schedule.schedule.timeZone),
          timeZone: schedule.schedule.timeZone,
          location: schedule.location,
          moved: occ.moved,
          note: occ.note,
        }
      : null;

  const lastRow = await db.meeting.findFirst({
    where: { seriesId: series.id, date: { lt: startOfDay(date) } },
    orderBy: [{ date: "desc" }, { id: "desc" }],
    select: { id: true, title: true, date: true },
  });
  const lastMeeting = lastRow ? { id: lastRow.id, title: lastRow.title, date: dayOf(lastRow.date) } : null;
  // The fleet "at the last meeting": at its scheduled start when the schedule has it, else the start of its day (UTC).
  const lastOcc = lastMeeting && schedule ? occurrenceOnDay(schedule.schedule, lastMeeting.date) : null;
  const lastAt = lastMeeting ? (lastOcc?.start ?? startOfDay(lastMeeting.date)) : null;

  const rows = await db.actionItem.findMany({
    where: { seriesId: series.id, status: { in: [...OPEN_STATUSES] } },
    select: {
      id: true,
      text: true,
      status: true,
      target: true,
      dueDate: true,
      createdAt: true,
      owners: { select: { person: { select: { displayName: true } } } },
      topics: { select: { topic: { select: { slug: true } } } },
      reviews: { select: { outcome: true, note: true, meeting: { select: { date: true } } } },
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  // One read of the stored history serves the evidence and today's numbers.
  const [ctx, current] = await Promise.all([evidenceRules(db), evidenceHistory(now, db)]);
  const [evidence, atLast, unclassified, topics] = await Promise.all([
    evidenceForItems(
      rows.map((r) => r.id),
      { now, rules: ctx, history: current },
      db,
    ),
    lastAt ? fleetHistory({ from: lastAt, to: lastAt }, db) : Promise.resolve(null),
    unclassifiedNow(db),
    db.topic.findMany({ select: { slug: true, name: true } }),
  ]);
  const measures = fleetMeasures({ now, current, atLastMeeting: lastAt && atLast ? { at: lastAt, history: atLast } : null, rules: ctx.rules, unclassified });

  const todayStart = today(now);
  const meetingDay = startOfDay(date);
  const items: (AgendaItem & { topics: string[] })[] = rows.map((r) => {
    const last = [...r.reviews].sort((a, b) => b.meeting.date.getTime() - a.meeting.date.getTime())[0];
    const overdue = !!r.dueDate && r.dueDate < todayStart;
    return {
      id: r.id,
      text: r.text,
      status: r.status,
      target: r.target,
      dueDate: r.dueDate ? dayOf(r.dueDate) : null,
      overdue,
      dueByMeeting: !!r.dueDate && !overdue && r.dueDate <= meetingDay,
      owners: r.owners.map((o) => o.person.displayName).sort((a, b) => a.localeCompare(b)),
      lastReview: last ? { outcome: last.outcome, note: last.note, meetingDate: dayOf(last.meeting.date) } : null,
      evidence: evidence.get(r.id) ?? null,
      topics: r.topics.map((t) => t.topic.slug),
    };
  });

  const groups = new Map<string, AgendaItem[]>();
  for (const { topics: _t, ...i } of items) {
    const label = i.owners.length ? i.owners.join(", ") : "No owner";
    groups.set(label, [...(groups.get(label) ?? []), i]);
  }
  const ordered = [...groups.entries()]
    .sort(([a], [b]) => (a === "No owner" ? 1 : b === "No owner" ? -1 : a.localeCompare(b)))
    .map(([label, list]) => ({ label, items: list }));

  // Topics in the analysis' order: those with open items or anything the fleet measures.
  const names = new Map(topics.map((t) => [t.slug, t.name]));
  const order = [...new Set([...ctx.rules.map((r) => r.topic).filter((t): t is string => !!t), ...topics.map((t) => t.slug)])];
  const agendaTopics: AgendaTopic[] = order
    .map((slug) => ({
      slug,
      name: names.get(slug) ?? slug,
      openItems: items.filter((i) => i.topics.includes(slug)).length,
      measures: measures.rules.filter((m) => m.topic === slug && (m.now > 0 || (m.was ?? 0) > 0)),
      unclassified: slug === UNCLASSIFIED_TOPIC && measures.unclassified.recorded ? measures.unclassified : null,
    }))
    .filter((t) => t.openItems > 0 || t.measures.length > 0 || (t.unclassified && t.unclassified.keys > 0));

  return {
    series,
    date,
    title: `${series.name} meeting ${formatLongDate(date)}`,
    when,
    lastMeeting,
    groups: ordered,
    topics: agendaTopics,
    fleet: { hostsWatched: measures.hostsWatched, hostsRead: measures.hostsRead, notes: measures.notes, wasAt: measures.wasAt },
    generatedAt: now.toISOString(),
  };
}

/** The items in the agenda's order (by owner): what a meeting started from it reviews first. */
export const agendaItemOrder = (d: AgendaDraft): string[] => d.groups.flatMap((g) => g.items.map((i) => i.id));
