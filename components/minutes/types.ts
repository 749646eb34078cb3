import type { ActionResult, ActionState } from "@/lib/auth/guard";
import type { CommitResult } from "@/lib/minutes/commit";
import type { ImportDraft } from "@/lib/minutes/draft";
import type { ImportPlan, MessageOutcome, WireMessage } from "@/lib/minutes/plan";

/** The server actions the import page hands its components (app/(app)/meetings/import/actions.ts). */
export interface ImportActions {
  preview: (prev: ActionState<ImportPlan>, form: FormData) => Promise<ActionState<ImportPlan>>;
  commit: (draft: ImportDraft) => Promise<ActionResult<CommitResult>>;
  importMessage: (input: { seriesId: string; message: WireMessage }) => Promise<ActionResult<MessageOutcome>>;
}
