"use client";
import { Markdown } from "@/components/markdown/Markdown";
import { inputClass } from "./fieldErrors";
import { FieldMessage, describedBy } from "./FieldMessage";

/** A Markdown textarea with its live preview beside it (the same renderer as the meeting page). */
export function MarkdownField({ name, label, value, onChange, errors, rows = 12, hint }: { name: string; label: string; value: string; onChange: (v: string) => void; errors?: string[]; rows?: number; hint?: string }) {
  const id = `f-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <div>
        <label htmlFor={id} className="block text-sm font-medium">{label}</label>
        <textarea id={id} name={name} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} className={`${inputClass} font-mono text-sm`} {...describedBy(id, errors, hintId)} />
        {hint && <p id={hintId} className="mt-1 text-xs text-muted">{hint}</p>}
        <FieldMessage id={`${id}-error`} errors={errors} />
      </div>
      <section aria-label={`${label}: preview`} className="rounded-md border border-dashed border-border p-3">
        <p className="mb-1 text-xs font-medium uppercase tracking-wide text-muted" aria-hidden>Preview</p>
        {value.trim() ? <Markdown source={value} /> : <p className="text-sm text-muted">Nothing yet.</p>}
      </section>
    </div>
  );
}
