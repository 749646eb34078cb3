/**
 * An item's history as people read it: audit events as one line each, with the labels
 * every page shows (statuses, outcomes, link kinds), never the stored values. Pure.
 */
import { outcomeLabel } from "@/lib/reviews/outcomes";
import { LINK_KIND_LABELS, type LinkKind } from "./schemas";
import { statusLabel } from "./statuses";

export interface TimelineEntry {
  /** "created": the meeting that created the item (first); "review": a later meeting's word on it. */
  kind: "created" | "review";
  meetingId: string;
  meetingTitle: string;
  meetingDate: string;
  /** "" for the creating meeting. */
  outcome: string;
  note: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
  /** One line a person can read: "status: open → done". */
  summary: string;
}

export function toAuditEntry(e: { id: string; at: Date; actorLabel: string; action: string; detail: string }): AuditEntry {
  let detail: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(e.detail);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) detail = parsed;
  } catch {
    // A hand-written or truncated detail: show the event without it.
  }
  return { id: e.id, at: e.at.toISOString(), actor: e.actorLabel, action: e.action, detail, summary: describeAudit(e.action, detail) };
}

const show = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : Array.isArray(v) ? v.join(", ") || "—" : String(v));
const showStatus = (v: unknown) => (typeof v === "string" && v ? statusLabel(v) : show(v));
const showKind = (v: unknown) => (typeof v === "string" && v in LINK_KIND_LABELS ? LINK_KIND_LABELS[v as LinkKind] : show(v));

/** A changed field's name and values as read: "due date", "In progress". */
const FIELD_NAMES: Record<string, string> = { dueDate: "due date" };
const showField = (field: string, v: unknown) => (field === "status" ? showStatus(v) : show(v));

/** A readable line for an audit event, whichever module wrote it. */
function describeAudit(action: string, d: Record<string, unknown>): string {
  const changes = d.changes as Record<string, { from: unknown; to: unknown }> | undefined;
  const status = d.status as { from: unknown; to: unknown } | undefined;
  switch (action) {
    case "update":
      return changes && Object.keys(changes).length
        ? Object.entries(changes)
            .map(([k, c]) => `${FIELD_NAMES[k] ?? k}: ${showField(k, c.from)} → ${showField(k, c.to)}`)
            .join("; ")
        : "saved without changes";
    case "status":
      return `status: ${showStatus(status?.from)} → ${showStatus(status?.to)}${d.bulk ? " (bulk change)" : ""}`;
    case "review":
      return `reviewed: ${typeof d.outcome === "string" ? outcomeLabel(d.outcome) : show(d.outcome)}${d.note ? ` — “${String(d.note)}”` : ""}${status && status.from !== status.to ? `; status ${showStatus(status.from)} → ${showStatus(status.to)}` : ""}`;
    case "link.add":
      return `link added: ${showKind(d.kind)} ${show(d.url)}`;
    case "link.remove":
      return `link removed: ${showKind(d.kind)} ${show(d.url)}`;
    case "owner.add":
      return `owner added: ${show(d.displayName)}`;
    case "owner.remove":
      return `owner removed: ${show(d.displayName)}`;
    case "create":
      return `created${d.meetingId ? " in a meeting" : ""}`;
    case "review.remove":
      return `review removed: ${typeof d.outcome === "string" ? outcomeLabel(d.outcome) : show(d.outcome)}`;
    case "meeting.move":
      return `moved to the meeting “${show((d.toMeeting as { title?: unknown } | undefined)?.title)}” (its meeting “${show((d.fromMeeting as { title?: unknown } | undefined)?.title)}” was deleted)`;
    case "meeting.detach":
      return `its meeting “${show((d.fromMeeting as { title?: unknown } | undefined)?.title)}” was deleted; the item is kept`;
    case "close.evidence":
      return `closed as done on the fleet's evidence: ${show(d.summary)}`;
    case "dependency.link":
      return `retires dependency: ${show(d.rule)}`;
    case "dependency.unlink":
      return `no longer retires dependency: ${show(d.rule)}`;
    default:
      return action;
  }
}
