/** Public API of the minutes importer/exporter. Server-side only (mailparser, node:crypto). */
export { decodeInput, isInputError, MAX_INPUT_BYTES } from "./input";
export { stripChrome, type StrippedText } from "./chrome";
export { parseMinutes, MAX_LINE_CHARS, MAX_MESSAGE_CHARS } from "./parse";
export { parseReview, STATUS_WORDS } from "./reviews";
export { resolvePerson, matchReviewToItems, REVIEW_MATCH_THRESHOLD, type PersonRef, type OpenItem, type Resolution, type ReviewMatch } from "./people";
export { exportMinutesText, exportMinutesMarkdown, canonicalItemText, EXPORT_WIDTH, type ExportableMeeting } from "./export";
export {
  buildImportPreview,
  type ImportPreview,
  type PreviewContext,
  type PreviewMessage,
  type PreviewName,
  type PreviewReview,
  type PreviewActionItem,
} from "./preview";
export type {
  DecodedMessage,
  InputError,
  InputErrorCode,
  InputSource,
  ParsedMinutes,
  NotMinutes,
  ParsedReview,
  ParsedActionItem,
  ReviewStatus,
  DateSource,
} from "./types";
