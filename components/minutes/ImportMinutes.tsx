"use client";
import Link from "@/components/ui/Link";
import { useState, type FormEvent } from "react";
import { formatMegabytes as mb, MAX_UPLOAD_BYTES } from "@/lib/limits";
import type { MinutesPreviewMessage } from "@/lib/minutes/draft";
import type { ImportPlan } from "@/lib/minutes/plan";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Card } from "@/components/ui/Card";
import { FieldError } from "@/components/ui/FieldError";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, compactInputClass, errorTextClass, labelClass, linkClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";
import { BulkImport } from "./BulkImport";
import { MessageTable } from "./MessageTable";
import { PreviewEditor } from "./PreviewEditor";
import type { ImportActions } from "./types";

/** A chosen file replaces the pasted text, which is then not sent at all: one upload, one limit. */
function withoutTextIfFile(data: FormData): FormData {
  const file = data.get("file");
  if (file instanceof File && file.size > 0) data.delete("text");
  return data;
}

/**
 * Step 1: paste or upload → the server previews (nothing written). Step 2 depends on
 * what came back: one message of minutes → the editable preview; several → the bulk
 * import; none → why not.
 */
export function ImportMinutes({ series, actions }: { series: { id: string; name: string }[]; actions: ImportActions }) {
  const { ref: formRef, state, fieldErrors, pending, onSubmit: submit } = useFormAction(actions.preview, { formData: withoutTextIfFile });
  const [tooLarge, setTooLarge] = useState<string | null>(null);

  // The upload limit (lib/limits.ts, the server's too) is checked here before anything is sent.
  const checkFile = (f: File | undefined) => {
    const msg =
      f && f.size > MAX_UPLOAD_BYTES ? `${f.name} is ${mb(f.size)}; the limit is ${mb(MAX_UPLOAD_BYTES)}. Split the mbox or upload single messages.` : null;
    setTooLarge(msg);
    return msg;
  };
  const checkText = (text: string) => {
    const size = new Blob([text]).size;
    const msg =
      size > MAX_UPLOAD_BYTES
        ? `The pasted text is ${mb(size)}; the limit is ${mb(MAX_UPLOAD_BYTES)}. Paste single messages, or upload the file split in parts.`
        : null;
    setTooLarge(msg);
    return msg;
  };
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    const els = e.currentTarget.elements;
    const file = (els.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    const text = (els.namedItem("text") as HTMLTextAreaElement | null)?.value ?? "";
    if (file && file.size > 0 ? checkFile(file) : checkText(text)) {
      e.preventDefault();
      return;
    }
    submit(e);
  };
  const plan = state?.ok ? state.data : null;
  const textErr = fieldErrors.text;

  return (
    <div className="space-y-4">
      <Card as="form" ref={formRef} onSubmit={onSubmit} aria-label="Minutes to import" className="space-y-2">
        <label htmlFor="im-series" className={labelClass}>
          Series
        </label>
        <select id="im-series" name="seriesId" className={`${compactInputClass} w-auto`} defaultValue="">
          <option value="">Detect from the minutes</option>
          {series.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label htmlFor="im-text" className={labelClass}>
          Minutes text
        </label>
        <textarea
          id="im-text"
          name="text"
          rows={10}
          className={`${compactInputClass} font-mono`}
          placeholder="Paste the minutes, the list archive page, or a whole mail with its headers"
          aria-invalid={textErr ? true : undefined}
          aria-describedby={textErr ? "im-text-error" : undefined}
        />
        <FieldError id="im-text" errors={textErr} />
        <label htmlFor="im-file" className="block text-sm font-medium">
          …or upload a file (.txt, .eml, .mbox; up to {mb(MAX_UPLOAD_BYTES)})
        </label>
        <input
          id="im-file"
          name="file"
          type="file"
          accept=".txt,.eml,.mbox,text/plain,message/rfc822,application/mbox"
          className="text-sm"
          onChange={(e) => checkFile(e.target.files?.[0])}
        />
        <p className="text-xs text-muted">A chosen file is used instead of the pasted text.</p>
        {tooLarge && (
          <p role="alert" className={errorTextClass}>
            {tooLarge}
          </p>
        )}
        <ActionNotice state={state} error={(f) => (textErr ? null : f.message)} as="p" />
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Reading…" : "Preview"}
        </button>
      </Card>
      {plan && <Result plan={plan} actions={actions} />}
    </div>
  );
}

function Result({ plan, actions }: { plan: ImportPlan; actions: ImportActions }) {
  if (plan.preview.error) {
    return (
      <p role="alert" className={errorTextClass}>
        Nothing was imported: {plan.preview.error.message}
      </p>
    );
  }
  if (!plan.series)
    return (
      <p role="alert" className={errorTextClass}>
        {plan.seriesMessage}
      </p>
    );
  const minutes = plan.preview.messages.filter((m): m is MinutesPreviewMessage => m.status === "minutes");
  if (!minutes.length) {
    return (
      <Notice as="div" role="alert" tone="warn">
        <p className="font-medium">Nothing to import: no message looks like minutes.</p>
        <MessageTable plan={plan} />
      </Notice>
    );
  }
  if (plan.preview.messages.length > 1) return <BulkImport plan={plan} importAction={actions.importMessage} />;
  const m = minutes[0];
  const existing = plan.existing[m.index];
  if (existing) {
    return (
      <Notice role="status" tone="ok">
        Already imported: these minutes are in dmboard as{" "}
        <Link className={linkClass} href={`/meetings/${existing}`}>
          {m.minutes.title ?? m.subject ?? "this meeting"}
        </Link>
        . Importing again would change nothing.
      </Notice>
    );
  }
  return <PreviewEditor plan={plan} message={m} initial={plan.drafts[m.index]} commitAction={actions.commit} />;
}
