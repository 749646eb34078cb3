/** The database side of minutes import/export (server only): what app/ and scripts/ use. */
export { loadImportContext, commitImport, type CommitResult, type ImportContext } from "./commit";
export { planImport, importMessage, chooseSeries, toWire, fromWire, type ImportPlan, type MessageOutcome, type SeriesRef, type WireMessage } from "./plan";
export { importFiles, summarize, type ImportReport, type ReportMessage, type MinutesSummary } from "./bulk";
export { meetingToExportable } from "./exportable";
export { draftFromPreview, importDraftSchema, type ImportDraft, type DraftPerson, type DraftReview, type DraftItem } from "./draft";
