"use client";
import Link from "@/components/ui/Link";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, useTransition } from "react";
import { DRAFT_OUTCOMES, type DraftOutcome, type DraftPerson, type ImportDraft, type MinutesPreviewMessage } from "@/lib/minutes/draft";
import type { ImportPlan } from "@/lib/minutes/plan";
import type { CommitResult } from "@/lib/minutes/commit";
import type { ImportActions } from "./types";
import { OUTCOME_LABELS } from "@/lib/reviews/outcomes";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { FieldError, describedBy, errorsFor } from "@/components/ui/FieldError";
import { Notice, noticeClass } from "@/components/ui/Notice";
import { buttonClass, compactInputClass, errorTextClass, linkClass } from "@/components/ui/styles";
import { useFocusFirstInvalid } from "@/components/ui/useFocusFirstInvalid";
import { PersonPicker } from "./PersonPicker";

/**
 * One message of minutes, everything the importer found, every decision editable:
 * title, the date (both candidates shown, a disagreement flagged), who each name is,
 * each reviewed point's outcome and item, each new action item and its owners.
 * Commit writes it in one transaction and opens the new meeting.
 */
export function PreviewEditor({
  plan,
  message,
  initial,
  commitAction,
}: {
  plan: ImportPlan;
  message: MinutesPreviewMessage;
  initial: ImportDraft;
  commitAction: ImportActions["commit"];
}) {
  const router = useRouter();
  const [draft, setDraft] = useState(initial);
  const [base, setBase] = useState(initial);
  // A new preview replaces the draft (React's "adjust state when a prop changes").
  if (base !== initial) {
    setBase(initial);
    setDraft(initial);
  }
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<{ message: string; fields: Record<string, string[]> } | null>(null);
  const [already, setAlready] = useState<Extract<CommitResult, { status: "already_imported" }> | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(
    formRef,
    useMemo(() => (error ? { ok: false, fieldErrors: error.fields } : null), [error]),
  );
  const m = message.minutes;
  const people = plan.people;

  const commit = () =>
    startTransition(async () => {
      setError(null);
      const r = await commitAction(draft);
      if (!r.ok) return setError({ message: r.message, fields: r.fieldErrors ?? {} });
      if (r.data.status === "already_imported") return setAlready(r.data);
      router.push(`/meetings/${r.data.meetingId}`);
    });

  const fe = error?.fields ?? {};
  const setPerson = (list: "attendees", i: number, v: DraftPerson) => setDraft((d) => ({ ...d, [list]: d[list].map((p, j) => (j === i ? v : p)) }));
  const setReview = (i: number, patch: Partial<ImportDraft["reviews"][number]>) =>
    setDraft((d) => ({ ...d, reviews: d.reviews.map((r, j) => (j === i ? { ...r, ...patch } : r)) }));
  const setItem = (i: number, patch: Partial<ImportDraft["actionItems"][number]>) =>
    setDraft((d) => ({ ...d, actionItems: d.actionItems.map((a, j) => (j === i ? { ...a, ...patch } : a)) }));
  const datesDisagree = Boolean(m.headingDate && m.subjectDate && m.headingDate !== m.subjectDate);

  return (
    <form
      ref={formRef}
      aria-label="Import preview"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        commit();
      }}
    >
      <Card as="section" className="space-y-2" aria-labelledby="pv-source">
        <h2 id="pv-source" className="text-lg font-semibold">
          What was found
        </h2>
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-sm">
          <dt className="text-muted">Input</dt>
          <dd>
            {message.source === "text"
              ? "text (list archive page or pasted)"
              : message.source === "eml"
                ? "mail message (.eml)"
                : `mbox, message ${message.index + 1}`}
          </dd>
          {message.subject && (
            <>
              <dt className="text-muted">Subject</dt>
              <dd>{message.subject}</dd>
            </>
          )}
          {message.from && (
            <>
              <dt className="text-muted">From</dt>
              <dd>{message.from}</dd>
            </>
          )}
          {message.messageId && (
            <>
              <dt className="text-muted">Message-ID</dt>
              <dd className="break-all">{message.messageId}</dd>
            </>
          )}
          <dt className="text-muted">Series</dt>
          <dd>
            {plan.series?.name} <span className="text-muted">({plan.seriesMessage})</span>
          </dd>
        </dl>
        {m.warnings.length > 0 && (
          <Notice as="ul" tone="warn" aria-label="Warnings" className="list-disc pl-6">
            {m.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </Notice>
        )}
      </Card>

      <Card as="section" className="space-y-2" aria-labelledby="pv-meeting">
        <h2 id="pv-meeting" className="text-lg font-semibold">
          Meeting
        </h2>
        <label htmlFor="pv-title" className="block text-sm font-medium">
          Title
        </label>
        <input
          id="pv-title"
          className={compactInputClass}
          value={draft.title}
          onChange={(e) => setDraft({ ...draft, title: e.target.value })}
          {...describedBy("pv-title", errorsFor(fe, "title"))}
        />
        <FieldError id="pv-title" errors={errorsFor(fe, "title")} />
        <div role="group" aria-labelledby="pv-dates" className={datesDisagree ? noticeClass("warn") : ""} data-testid="dates">
          <p id="pv-dates" className="text-sm font-medium">
            {datesDisagree ? "Dates disagree: check the meeting date" : "Date"}
          </p>
          <ul className="text-sm">
            <li>
              In the heading: {m.headingDate ?? "none"}{" "}
              {m.headingDate && (
                <button type="button" className={linkClass} onClick={() => setDraft({ ...draft, date: m.headingDate! })}>
                  use this
                </button>
              )}
            </li>
            <li>
              In the subject: {m.subjectDate ?? "none"}{" "}
              {m.subjectDate && (
                <button type="button" className={linkClass} onClick={() => setDraft({ ...draft, date: m.subjectDate! })}>
                  use this
                </button>
              )}
            </li>
            {m.mailDate && <li>Mail sent: {m.mailDate}</li>}
          </ul>
          <p className="text-xs text-muted">
            Chosen from the {m.dateSource}: {m.dateReason}
          </p>
          <label htmlFor="pv-date" className="mt-1 block text-sm font-medium">
            Meeting date
          </label>
          <input
            id="pv-date"
            type="date"
            className={`${compactInputClass} w-48`}
            value={draft.date}
            onChange={(e) => setDraft({ ...draft, date: e.target.value })}
            {...describedBy("pv-date", errorsFor(fe, "date"))}
          />
          <FieldError id="pv-date" errors={errorsFor(fe, "date")} />
        </div>
      </Card>

      <Card as="section" className="space-y-2" aria-labelledby="pv-attendees">
        <h2 id="pv-attendees" className="text-lg font-semibold">
          Attendees ({draft.attendees.length})
        </h2>
        {message.unmatchedNames.length > 0 && (
          <p className="text-sm">Not found among the people: {message.unmatchedNames.join(", ")}. Pick who they are, or they are created.</p>
        )}
        <ul className="space-y-1">
          {draft.attendees.map((a, i) => (
            <li key={`${a.name}-${i}`} className="flex flex-wrap items-center gap-2 text-sm">
              <span className="w-44">{a.name}</span>
              <PersonPicker
                id={`pv-att-${i}`}
                label={`Attendee “${a.name}”`}
                value={a}
                initial={initial.attendees[i] ?? a}
                resolution={m.attendees[i]}
                people={people}
                onChange={(v) => setPerson("attendees", i, v)}
                errors={errorsFor(fe, `attendees.${i}`)}
              />
              <button
                type="button"
                className={`text-xs ${linkClass}`}
                onClick={() => setDraft((d) => ({ ...d, attendees: d.attendees.filter((_, j) => j !== i) }))}
                aria-label={`Remove attendee “${a.name}”`}
              >
                remove
              </button>
            </li>
          ))}
        </ul>
      </Card>

      <Card as="section" className="space-y-2" aria-labelledby="pv-reviews">
        <h2 id="pv-reviews" className="text-lg font-semibold">
          Reviewed previous action points ({draft.reviews.filter((r) => r.include).length})
        </h2>
        <ol className="space-y-3">
          {draft.reviews.map((r, i) => {
            const parsed = m.reviews[i];
            return (
              <li key={i} className="rounded-md border border-border p-2 text-sm" aria-label={`Reviewed point ${i + 1}`}>
                <label className="flex items-center gap-2">
                  <input type="checkbox" checked={r.include} onChange={(e) => setReview(i, { include: e.target.checked })} />
                  Record reviewed point {i + 1}
                </label>
                <p className="mt-1">
                  “{parsed?.text}”
                  {parsed?.statusWords ? (
                    <>
                      {" "}
                      — <em>{parsed.statusWords}</em>
                    </>
                  ) : null}
                </p>
                {parsed?.status === "unknown" && <Notice tone="warn">No status words found: recorded as carried over unless you choose otherwise.</Notice>}
                <div className="mt-1 flex flex-wrap gap-3">
                  <span>
                    <label htmlFor={`pv-rv-${i}-outcome`} className="block text-xs font-medium">
                      Status of reviewed point {i + 1}
                    </label>
                    <select
                      id={`pv-rv-${i}-outcome`}
                      className={`${compactInputClass} w-auto`}
                      value={r.outcome}
                      onChange={(e) => setReview(i, { outcome: e.target.value as DraftOutcome })}
                    >
                      {DRAFT_OUTCOMES.map((o) => (
                        <option key={o} value={o}>
                          {OUTCOME_LABELS[o]}
                        </option>
                      ))}
                    </select>
                  </span>
                  <span className="min-w-64 flex-1">
                    <label htmlFor={`pv-rv-${i}-item`} className="block text-xs font-medium">
                      Item reviewed by point {i + 1}
                    </label>
                    <select
                      id={`pv-rv-${i}-item`}
                      className={compactInputClass}
                      value={r.itemId ?? ""}
                      onChange={(e) => {
                        const itemId = e.target.value || null;
                        // Matched by hand: what the point said ("posted, under review") becomes the review's note, not lost.
                        setReview(i, itemId && !r.note.trim() && r.text.trim() ? { itemId, note: r.text } : { itemId });
                      }}
                      {...describedBy(`pv-rv-${i}-item`, errorsFor(fe, `reviews.${i}.itemId`))}
                    >
                      <option value="">No open item: record it as an item from an earlier meeting</option>
                      {plan.openItems.map((it) => (
                        <option key={it.id} value={it.id}>
                          {it.text}
                          {it.ownerNames.length ? ` (${it.ownerNames.join(", ")})` : ""}
                        </option>
                      ))}
                    </select>
                    {parsed?.match && r.itemId === parsed.match.itemId && <span className="text-xs text-muted">matched (score {parsed.match.score})</span>}
                    <FieldError id={`pv-rv-${i}-item`} errors={errorsFor(fe, `reviews.${i}.itemId`)} />
                  </span>
                </div>
                {r.itemId === null && (
                  <>
                    <label htmlFor={`pv-rv-${i}-text`} className="mt-1 block text-xs font-medium">
                      Text of the earlier item {i + 1}
                    </label>
                    <input id={`pv-rv-${i}-text`} className={compactInputClass} value={r.text} onChange={(e) => setReview(i, { text: e.target.value })} />
                    <div className="mt-1 flex flex-wrap items-center gap-1">
                      <span className="text-xs">Owners:</span>
                      {r.owners.map((o, k) => (
                        <PersonPicker
                          key={k}
                          id={`pv-rv-${i}-owner-${k}`}
                          label={`Owner “${o.name}” of reviewed point ${i + 1}`}
                          value={o}
                          initial={initial.reviews[i]?.owners[k] ?? o}
                          resolution={parsed?.owners[k]}
                          people={people}
                          onChange={(v) => setReview(i, { owners: r.owners.map((x, j) => (j === k ? v : x)) })}
                          errors={errorsFor(fe, `reviews.${i}.owners.${k}`)}
                        />
                      ))}
                    </div>
                  </>
                )}
                <label htmlFor={`pv-rv-${i}-note`} className="mt-1 block text-xs font-medium">
                  Note on reviewed point {i + 1}
                </label>
                <input id={`pv-rv-${i}-note`} className={compactInputClass} value={r.note} onChange={(e) => setReview(i, { note: e.target.value })} />
                <FieldError id={`pv-rv-${i}-text`} errors={errorsFor(fe, `reviews.${i}.text`)} />
              </li>
            );
          })}
        </ol>
        {!draft.reviews.length && <EmptyState>No reviewed points found.</EmptyState>}
      </Card>

      <Card as="section" className="space-y-2" aria-labelledby="pv-discussion">
        <h2 id="pv-discussion" className="text-lg font-semibold">
          Discussion
        </h2>
        <label htmlFor="pv-body" className="block text-sm font-medium">
          Discussion (Markdown)
        </label>
        <textarea
          id="pv-body"
          rows={8}
          className={`${compactInputClass} font-mono`}
          value={draft.discussion}
          onChange={(e) => setDraft({ ...draft, discussion: e.target.value })}
        />
      </Card>

      <Card as="section" className="space-y-2" aria-labelledby="pv-items">
        <h2 id="pv-items" className="text-lg font-semibold">
          New action items ({draft.actionItems.filter((a) => a.include).length})
        </h2>
        <ol className="space-y-3">
          {draft.actionItems.map((a, i) => (
            <li key={i} className="rounded-md border border-border p-2 text-sm" aria-label={`Action item ${i + 1}`}>
              <label className="flex items-center gap-2">
                <input type="checkbox" checked={a.include} onChange={(e) => setItem(i, { include: e.target.checked })} />
                Create action item {i + 1}
              </label>
              <label htmlFor={`pv-ai-${i}-text`} className="mt-1 block text-xs font-medium">
                Text of action item {i + 1}
              </label>
              <input
                id={`pv-ai-${i}-text`}
                className={compactInputClass}
                value={a.text}
                onChange={(e) => setItem(i, { text: e.target.value })}
                {...describedBy(`pv-ai-${i}-text`, errorsFor(fe, `actionItems.${i}.text`))}
              />
              <FieldError id={`pv-ai-${i}-text`} errors={errorsFor(fe, `actionItems.${i}.text`)} />
              {m.actionItems[i]?.duplicateOf && (
                <Notice tone="warn" plain className="text-xs" data-duplicate-of={m.actionItems[i].duplicateOf!.itemId}>
                  Likely duplicate of the open item “{m.actionItems[i].duplicateOf!.itemText}”.
                </Notice>
              )}
              {m.actionItems[i]?.fixes.length ? <p className="text-xs text-muted">Corrected: {m.actionItems[i].fixes.join("; ")}</p> : null}
              <div className="mt-1 flex flex-wrap items-center gap-1">
                <span className="text-xs">Owners:</span>
                {a.owners.length === 0 && <span className="text-xs text-muted">none found</span>}
                {a.owners.map((o, k) => (
                  <PersonPicker
                    key={k}
                    id={`pv-ai-${i}-owner-${k}`}
                    label={`Owner “${o.name}” of action item ${i + 1}`}
                    value={o}
                    initial={initial.actionItems[i]?.owners[k] ?? o}
                    resolution={m.actionItems[i]?.owners[k]}
                    people={people}
                    onChange={(v) => setItem(i, { owners: a.owners.map((x, j) => (j === k ? v : x)) })}
                    errors={errorsFor(fe, `actionItems.${i}.owners.${k}`)}
                  />
                ))}
              </div>
            </li>
          ))}
        </ol>
        {!draft.actionItems.length && <EmptyState>No action items found.</EmptyState>}
      </Card>

      {already && (
        <Notice role="status" tone="ok">
          Already imported: nothing was changed.{" "}
          <Link className={linkClass} href={`/meetings/${already.meetingId}`}>
            {already.title}
          </Link>
        </Notice>
      )}
      {error && (
        <p role="alert" className={errorTextClass}>
          {error.message}
          {error.fields._form ? ` ${error.fields._form.join(" ")}` : ""}
        </p>
      )}
      <button type="submit" className={buttonClass} disabled={pending || Boolean(already)}>
        {pending ? "Committing…" : "Commit import"}
      </button>
    </form>
  );
}
