"use client";
import Link from "@/components/ui/Link";
import { useState } from "react";
import type { ImportPlan, MessageOutcome } from "@/lib/minutes/plan";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, errorTextClass, linkClass } from "@/components/ui/styles";
import { plural } from "@/components/ui/format";
import { MessageTable } from "./MessageTable";
import type { ImportActions } from "./types";

/**
 * Many messages (an mbox): the list of what each is, then an import that commits
 * them one server call per message, so the bar moves as each lands and one failure
 * costs only its own message. The summary names every failed message and why.
 */
export function BulkImport({ plan, importAction }: { plan: ImportPlan; importAction: ImportActions["importMessage"] }) {
  const todo = plan.preview.messages.filter((m) => m.status === "minutes" && plan.sources[m.index] && !plan.existing[m.index] && m.duplicateOf === null);
  const [results, setResults] = useState<Record<number, MessageOutcome>>({});
  const [running, setRunning] = useState(false);
  const [finished, setFinished] = useState(false);
  const done = Object.keys(results).length;

  const run = async () => {
    if (!plan.series) return;
    setRunning(true);
    for (const m of todo) {
      if (results[m.index]) continue;
      let out: MessageOutcome;
      try {
        const r = await importAction({ seriesId: plan.series.id, message: plan.sources[m.index] });
        out = r.ok ? r.data : { status: "error", index: m.index, message: r.message };
      } catch (err) {
        out = { status: "error", index: m.index, message: `the server did not answer (${(err as Error).message}); nothing of it was saved` };
      }
      setResults((prev) => ({ ...prev, [m.index]: out }));
    }
    setRunning(false);
    setFinished(true);
  };

  const outcomes = Object.values(results);
  const count = (s: MessageOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
  const skipped = plan.preview.counts.skipped + count("skipped");
  const errors = plan.preview.counts.errors + count("error");
  const already = Object.keys(plan.existing).length + count("already_imported");
  const subject = (i: number) => plan.preview.messages.find((m) => m.index === i)?.subject ?? "(no subject)";

  return (
    <Card as="section" className="space-y-2" aria-labelledby="bulk-heading">
      <h2 id="bulk-heading" className="text-lg font-semibold">
        {plural(plan.preview.counts.messages, "message")}: {plan.preview.counts.minutes} minutes, {plan.preview.counts.skipped} skipped,{" "}
        {plan.preview.counts.errors} unreadable
      </h2>
      <p className="text-sm">
        Series: {plan.series?.name} <span className="text-muted">({plan.seriesMessage})</span>
      </p>
      <MessageTable plan={plan} results={results} />
      {todo.length > 0 && !finished && (
        <button type="button" className={buttonClass} onClick={run} disabled={running}>
          {running ? "Importing…" : `Import ${plural(todo.length, "message")}`}
        </button>
      )}
      {todo.length === 0 && <EmptyState>Nothing new to import.</EmptyState>}
      {(running || finished) && (
        <div className="space-y-1">
          <label htmlFor="bulk-progress" className="block text-sm">
            Imported {done} of {todo.length}
          </label>
          <progress id="bulk-progress" className="w-full" value={done} max={todo.length} />
        </div>
      )}
      {finished && (
        <Notice as="div" role="status" aria-label="Import summary" tone={errors ? "warn" : "ok"} className="space-y-1">
          <p className="font-medium">
            Imported {count("imported")}, already imported {already}, skipped {skipped}, errors {errors}.
          </p>
          <ul className="list-disc pl-6 text-sm">
            {outcomes.map((o) =>
              o.status === "imported" ? (
                <li key={o.index}>
                  Message {o.index + 1}:{" "}
                  <Link className={linkClass} href={`/meetings/${o.meetingId}`}>
                    {o.title}
                  </Link>
                </li>
              ) : o.status === "error" ? (
                <li key={o.index} className={errorTextClass}>
                  Message {o.index + 1} ({subject(o.index)}): {o.message}
                </li>
              ) : null,
            )}
            {plan.preview.messages.map((m) =>
              m.status === "error" ? (
                <li key={`e${m.index}`} className={errorTextClass}>
                  {m.error.message}
                </li>
              ) : null,
            )}
          </ul>
        </Notice>
      )}
    </Card>
  );
}
