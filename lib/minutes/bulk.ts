/**
 * Many files, many messages: what `npm run import -- FILE...` does. Each message is
 * its own transaction (lib/minutes/plan.ts importMessage), so one bad message costs
 * only itself; the report says which message failed and why. With `dryRun` nothing
 * is written and the report holds what each message would become.
 */
import type { AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import type { Db } from "@/lib/db/types";
import type { ImportDraft, MinutesPreviewMessage } from "./draft";
import { decodeInput, isInputError } from "./input";
import { importMessage, planImport } from "./plan";

export interface NameSummary {
  name: string;
  /** The existing person it resolves to, or null when the import would create one. */
  person: string | null;
  /** Set when a new person would be created. */
  create: string | null;
}

/** What one message of minutes would write, in words: the dry run's JSON. */
export interface MinutesSummary {
  title: string;
  date: string;
  headingDate: string | null;
  subjectDate: string | null;
  dateSource: string;
  dateReason: string;
  attendees: NameSummary[];
  reviews: { text: string; owners: NameSummary[]; status: string; outcome: string; note: string; item: string | null }[];
  actionItems: { text: string; owners: NameSummary[] }[];
  warnings: string[];
  unmatchedNames: string[];
}

export interface ReportMessage {
  file: string;
  index: number;
  messageId: string | null;
  subject: string | null;
  status: "imported" | "already_imported" | "would_import" | "duplicate" | "skipped" | "error";
  meetingId?: string;
  reason?: string;
  minutes?: MinutesSummary;
}

export interface ImportReport {
  dryRun: boolean;
  files: { file: string; error: string | null; messages: number }[];
  messages: ReportMessage[];
  totals: { imported: number; alreadyImported: number; wouldImport: number; duplicates: number; skipped: number; errors: number };
}

export function summarize(
  m: MinutesPreviewMessage,
  draft: ImportDraft,
  people: { id: string; displayName: string }[],
  items: { id: string; text: string }[],
): MinutesSummary {
  const nameOf = new Map(people.map((p) => [p.id, p.displayName]));
  const itemText = new Map(items.map((i) => [i.id, i.text]));
  const who = (p: ImportDraft["attendees"][number]): NameSummary => ({
    name: p.name,
    person: p.personId ? (nameOf.get(p.personId) ?? p.personId) : null,
    create: p.personId ? null : p.newName,
  });
  return {
    title: draft.title,
    date: draft.date,
    headingDate: m.minutes.headingDate,
    subjectDate: m.minutes.subjectDate,
    dateSource: m.minutes.dateSource,
    dateReason: m.minutes.dateReason,
    attendees: draft.attendees.map(who),
    reviews: draft.reviews.map((r, i) => ({
      text: r.text,
      owners: r.owners.map(who),
      status: m.minutes.reviews[i]?.status ?? "unknown",
      outcome: r.outcome,
      note: r.note,
      item: r.itemId ? (itemText.get(r.itemId) ?? r.itemId) : null,
    })),
    actionItems: draft.actionItems.map((a) => ({ text: a.text, owners: a.owners.map(who) })),
    warnings: m.minutes.warnings,
    unmatchedNames: m.unmatchedNames,
  };
}

export async function importFiles(
  files: { name: string; bytes: Buffer }[],
  opts: { seriesSlug?: string | null; dryRun?: boolean; actor: AuditActor; onMessage?: (m: ReportMessage) => void },
  db: Db = getDb(),
): Promise<ImportReport> {
  const report: ImportReport = {
    dryRun: Boolean(opts.dryRun),
    files: [],
    messages: [],
    totals: { imported: 0, alreadyImported: 0, wouldImport: 0, duplicates: 0, skipped: 0, errors: 0 },
  };
  const push = (m: ReportMessage) => {
    report.messages.push(m);
    opts.onMessage?.(m);
  };
  // Across files too: the same minutes in two files are imported once.
  const seen = new Set<string>();

  for (const f of files) {
    if (opts.dryRun) {
      const plan = await planImport(f.bytes, f.name, { seriesSlug: opts.seriesSlug }, db);
      report.files.push({ file: f.name, error: plan.preview.error?.message ?? null, messages: plan.preview.messages.length });
      if (!plan.preview.error && !plan.series) {
        push({ file: f.name, index: 0, messageId: null, subject: null, status: "error", reason: plan.seriesMessage });
        continue;
      }
      for (const m of plan.preview.messages) {
        const base = { file: f.name, index: m.index, messageId: m.messageId, subject: m.subject };
        if (m.status === "error") push({ ...base, status: "error", reason: m.error.message });
        else if (m.status === "skipped") push({ ...base, status: "skipped", reason: m.reason });
        else if (plan.existing[m.index]) push({ ...base, status: "already_imported", meetingId: plan.existing[m.index], reason: "already imported" });
        else {
          const keys = [`f:${m.minutes.fingerprint}`, ...(m.messageId ? [`m:${m.messageId}`] : [])];
          const dup = keys.some((k) => seen.has(k));
          keys.forEach((k) => seen.add(k));
          const draft = plan.drafts[m.index];
          if (dup || !draft)
            push({
              ...base,
              status: "duplicate",
              reason: m.duplicateOf !== null ? `same minutes as message ${m.duplicateOf + 1}` : "same minutes as an earlier file",
            });
          else push({ ...base, status: "would_import", minutes: summarize(m, draft, plan.people, plan.openItems) });
        }
      }
      continue;
    }

    const decoded = await decodeInput(f.bytes, f.name);
    if (isInputError(decoded)) {
      report.files.push({ file: f.name, error: decoded.message, messages: 0 });
      continue;
    }
    report.files.push({ file: f.name, error: null, messages: decoded.length });
    for (const msg of decoded) {
      const out = await importMessage(msg, { seriesSlug: opts.seriesSlug, actor: opts.actor }, db);
      const base = { file: f.name, index: msg.index, messageId: msg.messageId, subject: msg.subject };
      if (out.status === "imported") push({ ...base, status: "imported", meetingId: out.meetingId, reason: `${out.title} (${out.date})` });
      else if (out.status === "already_imported")
        push({ ...base, status: "already_imported", meetingId: out.meetingId, reason: `already imported as "${out.title}"` });
      else if (out.status === "skipped") push({ ...base, status: "skipped", reason: out.reason });
      else push({ ...base, status: "error", reason: out.message });
    }
  }
  for (const m of report.messages) {
    if (m.status === "imported") report.totals.imported++;
    else if (m.status === "already_imported") report.totals.alreadyImported++;
    else if (m.status === "would_import") report.totals.wouldImport++;
    else if (m.status === "duplicate") report.totals.duplicates++;
    else if (m.status === "skipped") report.totals.skipped++;
    else report.totals.errors++;
  }
  report.totals.errors += report.files.filter((f) => f.error).length;
  return report;
}
