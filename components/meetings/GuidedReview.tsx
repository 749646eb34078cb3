"use client";
import { Markdown } from "@/components/markdown/Markdown";
import { OUTCOME_LABELS, REVIEW_OUTCOMES, outcomeLabel, type ReviewOutcome } from "@/lib/reviews/outcomes";
import { reviewedSection } from "@/lib/reviews/section";
import type { OpenItemForReview } from "@/lib/reviews/reads";
import { StatusBadge } from "@/components/items/StatusBadge";
import { EmptyState } from "@/components/ui/EmptyState";
import { FieldError, describedBy, errorsFor } from "@/components/ui/FieldError";
import { inputClass } from "@/components/ui/styles";

/** What the editor needs of an open item (serialisable; a type-only import, so no server code reaches the browser). */
export type ReviewItem = OpenItemForReview;

export type ReviewState = Record<string, { outcome: ReviewOutcome | ""; note: string }>;

/**
 * Every open item of the series, one fieldset each: the chair picks an outcome and
 * may add a note. Below, the "Reviewed previous action points" section as it will
 * appear in the minutes.
 */
export function GuidedReview({
  items,
  value,
  onChange,
  errors,
}: {
  items: ReviewItem[];
  value: ReviewState;
  onChange: (v: ReviewState) => void;
  errors: Record<string, string[]>;
}) {
  const set = (id: string, patch: Partial<ReviewState[string]>) => onChange({ ...value, [id]: { ...(value[id] ?? { outcome: "", note: "" }), ...patch } });
  const reviewed = items.flatMap((i) => {
    const r = value[i.id];
    return r?.outcome
      ? [{ outcome: r.outcome, note: r.note, item: { text: i.text, owners: i.owners.map((o) => ({ person: { displayName: o.displayName } })) } }]
      : [];
  });

  if (!items.length) return <EmptyState>This series has no open action items to review.</EmptyState>;
  return (
    <div className="space-y-4">
      <ol className="space-y-3">
        {items.map((item, n) => {
          const outcomeErr = errorsFor(errors, `reviews.${item.id}.outcome`);
          const noteErr = errorsFor(errors, `reviews.${item.id}.note`);
          const base = `review-${item.id}`;
          const current = value[item.id] ?? { outcome: "", note: "" };
          return (
            <li key={item.id} className="rounded-md border border-border p-3">
              <fieldset aria-describedby={outcomeErr ? `${base}-outcome-error` : undefined}>
                <legend className="text-sm font-medium">
                  <span className="sr-only">Item {n + 1}: </span>
                  {item.text}
                </legend>
                <p className="mt-1 flex flex-wrap gap-2 text-xs text-muted">
                  {item.owners.length > 0 && <span>Owners: {item.owners.map((o) => o.displayName).join(", ")}</span>}
                  <StatusBadge status={item.status} />
                  {item.target && <span>Target: {item.target}</span>}
                  {item.createdIn && <span>From {item.createdIn.date}</span>}
                  {item.lastReview && (
                    <span>
                      Last: {outcomeLabel(item.lastReview.outcome)}
                      {item.lastReview.note ? ` — ${item.lastReview.note}` : ""} ({item.lastReview.meetingDate})
                    </span>
                  )}
                </p>
                <div className="mt-2 flex flex-wrap gap-x-4 gap-y-1" role="radiogroup" aria-label={`Outcome for: ${item.text}`}>
                  {(["", ...REVIEW_OUTCOMES] as const).map((o) => (
                    <label key={o || "none"} className="flex items-center gap-1 text-sm">
                      <input
                        type="radio"
                        name={`review.${item.id}.outcome`}
                        value={o}
                        checked={current.outcome === o}
                        onChange={() => set(item.id, { outcome: o })}
                      />
                      {o ? OUTCOME_LABELS[o] : "Not reviewed"}
                    </label>
                  ))}
                </div>
                <FieldError id={`${base}-outcome`} errors={outcomeErr} />
                <label htmlFor={`${base}-note`} className="mt-2 block text-xs font-medium">
                  Note
                </label>
                <input
                  id={`${base}-note`}
                  name={`review.${item.id}.note`}
                  value={current.note}
                  onChange={(e) => set(item.id, { note: e.target.value })}
                  className={`${inputClass} text-sm`}
                  placeholder="e.g. No progress, due to feature freeze"
                  {...describedBy(`${base}-note`, noteErr)}
                />
                <FieldError id={`${base}-note`} errors={noteErr} />
              </fieldset>
            </li>
          );
        })}
      </ol>
      <section aria-label="Reviewed previous action points: preview" className="rounded-md border border-dashed border-border p-3">
        <Markdown source={reviewedSection({ reviews: reviewed })} />
      </section>
    </div>
  );
}
