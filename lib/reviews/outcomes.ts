/**
 * What a meeting can say about an open action item when it reviews it, and what that
 * does to the item's status: the one list the guided review, the minutes import, the
 * exports and every page use. Pure constants.
 */
import type { ItemStatus } from "@/lib/items/statuses";

export const REVIEW_OUTCOMES = ["done", "progress", "no_progress", "carried_over", "dropped"] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<ReviewOutcome, string> = {
  done: "Done",
  progress: "Progress",
  no_progress: "No progress",
  carried_over: "Carried over",
  dropped: "Dropped",
};

export const isReviewOutcome = (s: string): s is ReviewOutcome => (REVIEW_OUTCOMES as readonly string[]).includes(s);

/** The label of a stored outcome (an unknown one is shown as stored). */
export const outcomeLabel = (outcome: string): string => (isReviewOutcome(outcome) ? OUTCOME_LABELS[outcome] : outcome);

/**
 * The item's status after a review: done and dropped close it, progress means it is
 * being worked on; no progress / carried over say nothing new, so it stays as it was
 * (a blocked item stays blocked).
 */
export function statusAfter(outcome: ReviewOutcome, current: string): string {
  switch (outcome) {
    case "done":
      return "done";
    case "dropped":
      return "dropped";
    case "progress":
      return "in_progress" satisfies ItemStatus;
    default:
      return current;
  }
}
