/**
 * Types at the boundaries of the minutes importer/exporter.
 *
 * Everything here is plain data: the preview page, the `import` script and the
 * database layer all consume it, so nothing holds a class instance except the
 * `Date` in `DecodedMessage` (the preview converts it to an ISO string).
 */

/** Where a decoded message came from; shown in the preview so a user knows what was detected. */
export type InputSource = "text" | "eml" | "mbox";

export type InputErrorCode =
  | "empty"
  | "binary"
  | "too_large"
  /** One entry of an mbox (or a lone .eml) that could not be read as a mail message. */
  | "malformed";

/** Why an input (or one message of an mbox) was refused, with a message fit for a user. */
export interface InputError {
  kind: "input_error";
  code: InputErrorCode;
  message: string;
}

/** One message of the input, decoded to plain text. Nothing is interpreted yet. */
export interface DecodedMessage {
  /** Position in the input (0 for single messages; mbox order otherwise). */
  index: number;
  source: InputSource;
  messageId: string | null;
  subject: string | null;
  date: Date | null;
  from: string | null;
  /** The body as plain text, LF line endings, chrome NOT yet removed. Empty when `error` is set. */
  text: string;
  /** Set when this single message (an mbox entry) could not be decoded; the others still are. */
  error?: InputError;
}

export type ReviewStatus = "done" | "in_progress" | "no_progress" | "carried_over" | "dropped" | "unknown";

export interface ParsedReview {
  /** The reviewed point as written, before the status separator (whitespace collapsed). */
  text: string;
  ownerNames: string[];
  status: ReviewStatus;
  /** The words that decided the status ("Done", "No progress", "continuing"); "" when unknown. */
  statusWords: string;
  /** Whatever follows the status words (explanations, progress notes). */
  note: string;
}

export interface ParsedActionItem {
  text: string;
  ownerNames: string[];
  /** "list": from the Action Items section; "discussion": only found as a sentence in the body. */
  source: "list" | "discussion";
  /** True when the same item also appears as a sentence in the discussion (merged into one). */
  mentionedInDiscussion: boolean;
  /** Corrections applied to the text (e.g. a stray leading "If"), for the preview. */
  fixes: string[];
  /** "… Target: Xen 4.10." at the end of the item, as the text export writes it. */
  target?: string;
  /** "… Links: <url> <url>" at the end of the item, as the text export writes it. */
  links?: string[];
}

export type DateSource = "subject" | "heading" | "date-header" | "none";

export interface ParsedMinutes {
  kind: "minutes";
  index: number;
  messageId: string | null;
  subject: string | null;
  from: string | null;
  title: string | null;
  series: string | null;
  /** The chosen meeting date, ISO `YYYY-MM-DD` (calendar date, no time zone). */
  date: string | null;
  dateSource: DateSource;
  /** Why that date was chosen, in words. */
  dateReason: string;
  headingDate: string | null;
  subjectDate: string | null;
  /** The mail's Date header as a UTC calendar date. */
  mailDate: string | null;
  attendees: string[];
  reviews: ParsedReview[];
  /** Markdown; paragraphs separated by one blank line. */
  discussion: string;
  actionItems: ParsedActionItem[];
  warnings: string[];
  /** sha256 (hex) of the normalized content: same minutes from .txt, .eml or mbox → same value. */
  fingerprint: string;
}

export interface NotMinutes {
  kind: "not_minutes";
  index: number;
  messageId: string | null;
  subject: string | null;
  reason: string;
}
