/**
 * What an import would do, as plain JSON: the preview page renders it and
 * `npm run import -- --dry-run --json` prints it. Nothing is written anywhere.
 */
import { isInputError } from "./input";
import { parseMinutes } from "./parse";
import { findDuplicateItem, matchReviewToItems, resolvePerson, type OpenItem, type PersonRef, type Resolution, type ReviewMatch } from "./people";
import type { DecodedMessage, InputError, InputErrorCode, InputSource, NotMinutes, ParsedActionItem, ParsedMinutes, ParsedReview } from "./types";

export interface PreviewContext {
  people: PersonRef[];
  /** Open action items of the series, to match reviewed points against. */
  openItems: OpenItem[];
  /** Fingerprints already in the database: those minutes are flagged, not re-imported. */
  knownFingerprints?: string[];
}

export interface PreviewName extends Resolution {
  name: string;
  /** No person found (possibly several candidates): the user must pick or create one. */
  unmatched: boolean;
}

export interface PreviewReview extends ParsedReview {
  owners: PreviewName[];
  /** The open item this point reviews, or null (a new point, or nothing similar enough). */
  match: (ReviewMatch & { itemText: string }) | null;
}

export interface PreviewActionItem extends ParsedActionItem {
  owners: PreviewName[];
  /** An open item of the series this one repeats (same owners, same words): a likely duplicate, flagged with a warning. */
  duplicateOf: { itemId: string; itemText: string } | null;
}

interface PreviewBase {
  index: number;
  source: InputSource;
  messageId: string | null;
  subject: string | null;
  from: string | null;
  /** ISO timestamp of the Date header. */
  mailDate: string | null;
}

export type PreviewMessage =
  | (PreviewBase & {
      status: "minutes";
      /** Index of an earlier message with the same content or Message-ID in this input. */
      duplicateOf: number | null;
      alreadyImported: boolean;
      minutes: Omit<ParsedMinutes, "kind" | "attendees" | "reviews" | "actionItems"> & {
        attendees: PreviewName[];
        reviews: PreviewReview[];
        actionItems: PreviewActionItem[];
      };
      /** Distinct names that resolved to nobody, for a summary line. */
      unmatchedNames: string[];
    })
  | (PreviewBase & { status: "skipped"; reason: string })
  | (PreviewBase & { status: "error"; error: { code: InputErrorCode; message: string } });

export interface ImportPreview {
  ok: boolean;
  /** Set when the whole input was refused (empty, binary, too large). */
  error: { code: InputErrorCode; message: string } | null;
  counts: { messages: number; minutes: number; skipped: number; errors: number; duplicates: number };
  messages: PreviewMessage[];
}

function nameRes(name: string, ctx: PreviewContext, attendees: string[]): PreviewName {
  const r = resolvePerson(name, ctx.people, attendees);
  return { name, ...r, unmatched: r.personId === null };
}

/** `parsed`: messages already parsed, by index (plan.ts parses them one at a time, yielding in between). */
export function buildImportPreview(
  decoded: DecodedMessage[] | InputError,
  ctx: PreviewContext,
  parsed?: ReadonlyMap<number, ParsedMinutes | NotMinutes>,
): ImportPreview {
  if (isInputError(decoded)) {
    return {
      ok: false,
      error: { code: decoded.code, message: decoded.message },
      counts: { messages: 0, minutes: 0, skipped: 0, errors: 1, duplicates: 0 },
      messages: [],
    };
  }
  const known = new Set(ctx.knownFingerprints ?? []);
  const seen = new Map<string, number>();
  const messages: PreviewMessage[] = [];
  for (const msg of decoded) {
    const base: PreviewBase = {
      index: msg.index,
      source: msg.source,
      messageId: msg.messageId,
      subject: msg.subject,
      from: msg.from,
      mailDate: msg.date ? msg.date.toISOString() : null,
    };
    if (msg.error) {
      messages.push({ ...base, status: "error", error: { code: msg.error.code, message: msg.error.message } });
      continue;
    }
    const p = parsed?.get(msg.index) ?? parseMinutes(msg);
    if (p.kind === "not_minutes") {
      messages.push({ ...base, subject: p.subject, status: "skipped", reason: p.reason });
      continue;
    }
    const { kind: _kind, attendees, reviews, actionItems, ...rest } = p;
    const res = (n: string) => nameRes(n, ctx, attendees);
    const previewReviews: PreviewReview[] = reviews.map((r) => {
      const m = matchReviewToItems(r, ctx.openItems);
      const item = m ? ctx.openItems.find((i) => i.id === m.itemId) : undefined;
      return { ...r, owners: r.ownerNames.map(res), match: m && item ? { ...m, itemText: item.text } : null };
    });
    const previewItems: PreviewActionItem[] = actionItems.map((a) => ({
      ...a,
      owners: a.ownerNames.map(res),
      duplicateOf: findDuplicateItem(a, ctx.openItems),
    }));
    const duplicateWarnings = previewItems.flatMap((a) =>
      a.duplicateOf
        ? [`The new action item “${a.text}” looks like a duplicate of the open item “${a.duplicateOf.itemText}”; untick it unless it is a new one.`]
        : [],
    );
    const previewAttendees = attendees.map(res);
    const unmatchedNames = [
      ...new Set(
        [...previewAttendees, ...previewReviews.flatMap((r) => r.owners), ...previewItems.flatMap((a) => a.owners)]
          .filter((n) => n.unmatched)
          .map((n) => n.name),
      ),
    ];
    const dupKeys = [`f:${p.fingerprint}`, ...(p.messageId ? [`m:${p.messageId}`] : [])];
    const dupOf = dupKeys.map((k) => seen.get(k)).find((x) => x !== undefined) ?? null;
    for (const k of dupKeys) if (!seen.has(k)) seen.set(k, msg.index);
    messages.push({
      ...base,
      subject: p.subject,
      status: "minutes",
      duplicateOf: dupOf,
      alreadyImported: known.has(p.fingerprint),
      minutes: { ...rest, warnings: [...rest.warnings, ...duplicateWarnings], attendees: previewAttendees, reviews: previewReviews, actionItems: previewItems },
      unmatchedNames,
    });
  }
  const count = (s: PreviewMessage["status"]) => messages.filter((m) => m.status === s).length;
  return {
    ok: count("minutes") > 0,
    error: null,
    counts: {
      messages: messages.length,
      minutes: count("minutes"),
      skipped: count("skipped"),
      errors: count("error"),
      duplicates: messages.filter((m) => m.status === "minutes" && m.duplicateOf !== null).length,
    },
    messages,
  };
}
