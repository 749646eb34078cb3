/**
 * The import pipeline around the pure core: decode → preview against the database →
 * draft → commit. The browser's preview and per-message bulk commit and the CLI's
 * `importFiles` are all built from these functions, so they cannot drift apart.
 */
import type { AuditActor } from "@/lib/db/audit";
import { getDb } from "@/lib/db/client";
import { DomainError } from "@/lib/db/errors";
import type { Db } from "@/lib/db/types";
import { commitImport, loadImportContext, type CommitResult } from "./commit";
import { draftFromPreview, type ImportDraft, type MinutesPreviewMessage } from "./draft";
import { decodeInput, isInputError } from "./input";
import { parseMinutes } from "./parse";
import { buildImportPreview, type ImportPreview, type PreviewMessage } from "./preview";
import { fold } from "./text";
import type { DecodedMessage, InputSource, NotMinutes, ParsedMinutes } from "./types";

// ── Series ──────────────────────────────────────────────────────────────────

export interface SeriesRef {
  id: string;
  name: string;
  slug: string;
}

export interface SeriesChoice {
  series: SeriesRef | null;
  /** How it was chosen, or why none could be. */
  how: "requested" | "name" | "only" | "none";
  message: string;
}

/**
 * The series minutes go to: the one asked for (id or slug), else the one whose name
 * the minutes carry ("QEMU XenServer/XenProject Working group"), else the only one.
 */
export async function chooseSeries(want: { id?: string | null; slug?: string | null; name?: string | null }, db: Db = getDb()): Promise<SeriesChoice> {
  const all = await db.series.findMany({ select: { id: true, name: true, slug: true }, orderBy: { name: "asc" } });
  if (want.id || want.slug) {
    const s = all.find((x) => (want.id ? x.id === want.id : x.slug === want.slug));
    if (s) return { series: s, how: "requested", message: `series "${s.name}"` };
    return {
      series: null,
      how: "none",
      message: `No series ${want.id ? "with that id" : `with slug "${want.slug}"`}. Known: ${all.map((x) => x.slug).join(", ") || "none"}.`,
    };
  }
  const byName = want.name ? all.find((x) => fold(x.name) === fold(want.name!)) : undefined;
  if (byName) return { series: byName, how: "name", message: `series "${byName.name}" (named in the minutes)` };
  if (all.length === 1) return { series: all[0], how: "only", message: `series "${all[0].name}" (the only one)` };
  return {
    series: null,
    how: "none",
    message: `No series is named "${want.name ?? "?"}"; choose one (${all.map((x) => x.slug).join(", ") || "none exist"}).`,
  };
}

// ── Messages across the wire (Date → ISO string) ────────────────────────────

/** A decoded message as JSON: what the browser sends back, one bulk commit per message. */
export interface WireMessage {
  index: number;
  source: InputSource;
  messageId: string | null;
  subject: string | null;
  date: string | null;
  from: string | null;
  text: string;
}

export const toWire = (m: DecodedMessage): WireMessage => ({
  index: m.index,
  source: m.source,
  messageId: m.messageId,
  subject: m.subject,
  date: m.date ? m.date.toISOString() : null,
  from: m.from,
  text: m.text,
});
export const fromWire = (w: WireMessage): DecodedMessage => ({ ...w, date: w.date && !Number.isNaN(Date.parse(w.date)) ? new Date(w.date) : null });

// ── Preview ─────────────────────────────────────────────────────────────────

export interface ImportPlan {
  preview: ImportPreview;
  series: SeriesRef | null;
  seriesMessage: string;
  seriesList: SeriesRef[];
  /** Per message index: the draft Commit would write (minutes not yet imported). */
  drafts: Record<number, ImportDraft>;
  /** Per message index: the meeting it was already imported as. */
  existing: Record<number, string>;
  /** Per message index: the decoded message, for the bulk commit (only when asked for). */
  sources: Record<number, WireMessage>;
  people: { id: string; displayName: string }[];
  openItems: { id: string; text: string; ownerNames: string[] }[];
}

function isMinutes(m: PreviewMessage): m is MinutesPreviewMessage {
  return m.status === "minutes";
}

/**
 * Parse each message, giving the event loop a turn between two: each parse is linear and
 * bounded (parse.ts), and an mbox of a thousand minutes must not hold the server for the
 * whole file.
 */
async function parseEach(decoded: DecodedMessage[]): Promise<Map<number, ParsedMinutes | NotMinutes>> {
  const out = new Map<number, ParsedMinutes | NotMinutes>();
  for (const m of decoded) {
    if (m.error) continue;
    out.set(m.index, parseMinutes(m));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return out;
}

/** Decode and preview an upload against the database. Writes nothing. */
export async function planImport(
  bytes: Buffer | string,
  filename: string | undefined,
  opts: { seriesId?: string | null; seriesSlug?: string | null; withSources?: boolean } = {},
  db: Db = getDb(),
): Promise<ImportPlan> {
  const decoded = await decodeInput(bytes, filename);
  const seriesList = await db.series.findMany({ select: { id: true, name: true, slug: true }, orderBy: { name: "asc" } });
  const parsed = isInputError(decoded) ? new Map<number, ParsedMinutes | NotMinutes>() : await parseEach(decoded);
  const firstName = [...parsed.values()].find((p): p is ParsedMinutes => p.kind === "minutes")?.series ?? null;
  let choice = await chooseSeries({ id: opts.seriesId, slug: opts.seriesSlug, name: firstName }, db);
  // The browser always has a series selected; fall back to the first so the preview still shows.
  if (!choice.series && !opts.seriesId && !opts.seriesSlug && seriesList.length)
    choice = { series: seriesList[0], how: "none", message: `${choice.message} Using "${seriesList[0].name}".` };
  const ctx = choice.series ? await loadImportContext(db, choice.series.id) : null;
  const preview = buildImportPreview(decoded, ctx?.preview ?? { people: [], openItems: [], knownFingerprints: [] }, parsed);
  const drafts: ImportPlan["drafts"] = {};
  const existing: ImportPlan["existing"] = {};
  const sources: ImportPlan["sources"] = {};
  for (const m of preview.messages.filter(isMinutes)) {
    const before = ctx && (ctx.byFingerprint.get(m.minutes.fingerprint) ?? (m.messageId ? ctx.byMessageId.get(m.messageId) : undefined));
    if (before) {
      m.alreadyImported = true;
      existing[m.index] = before;
    } else if (choice.series && m.duplicateOf === null) {
      drafts[m.index] = draftFromPreview(m, choice.series.id);
    }
    if (opts.withSources && !isInputError(decoded)) {
      const src = decoded.find((d) => d.index === m.index);
      if (src) sources[m.index] = toWire(src);
    }
  }
  return {
    preview,
    series: choice.series,
    seriesMessage: choice.message,
    seriesList,
    drafts,
    existing,
    sources,
    people: (ctx?.preview.people ?? []).map((p) => ({ id: p.id, displayName: p.displayName })),
    openItems: ctx?.preview.openItems ?? [],
  };
}

// ── One message, previewed against the database as it is NOW, then committed ─

export type MessageOutcome =
  | (Extract<CommitResult, { status: "imported" }> & { index: number })
  | (Extract<CommitResult, { status: "already_imported" }> & { index: number })
  | { status: "skipped"; index: number; reason: string }
  | { status: "error"; index: number; message: string };

function errorText(err: unknown): string {
  if (err instanceof DomainError) {
    const fields = Object.entries(err.fieldErrors ?? {}).map(([k, v]) => `${k}: ${v.join(" ")}`);
    return fields.length ? `${err.message} (${fields.join("; ")})` : err.message;
  }
  return `could not be written (${(err as Error)?.message ?? String(err)}); nothing of it was saved`;
}

/**
 * Preview one message against the current database (so a review in the second
 * message of an mbox finds the items the first one created) and commit its default
 * draft. Never throws: a failure is an outcome saying why.
 */
export async function importMessage(
  msg: DecodedMessage,
  opts: { seriesId?: string | null; seriesSlug?: string | null; actor: AuditActor },
  db: Db = getDb(),
): Promise<MessageOutcome> {
  const index = msg.index;
  try {
    if (msg.error) return { status: "error", index, message: msg.error.message };
    const parsed = parseMinutes(msg);
    if (parsed.kind === "not_minutes") return { status: "skipped", index, reason: parsed.reason };
    const choice = await chooseSeries({ id: opts.seriesId, slug: opts.seriesSlug, name: parsed.series }, db);
    if (!choice.series) return { status: "error", index, message: choice.message };
    const ctx = await loadImportContext(db, choice.series.id);
    const m = buildImportPreview([msg], ctx.preview, new Map([[index, parsed]])).messages[0];
    if (m.status === "error") return { status: "error", index, message: m.error.message };
    if (m.status === "skipped") return { status: "skipped", index, reason: m.reason };
    const result = await commitImport(draftFromPreview(m, choice.series.id), opts.actor, db);
    return { ...result, index };
  } catch (err) {
    return { status: "error", index, message: errorText(err) };
  }
}
