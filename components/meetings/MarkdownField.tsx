"use client";
import { Markdown } from "@/components/markdown/Markdown";
import { EmptyState } from "@/components/ui/EmptyState";
import { FormField } from "@/components/ui/Field";
import { inputClass } from "@/components/ui/styles";

/** A Markdown textarea with its live preview beside it (the same renderer as the meeting page). */
export function MarkdownField({
  name,
  label,
  value,
  onChange,
  errors,
  rows = 12,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  errors?: string[];
  rows?: number;
  hint?: string;
}) {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <FormField id={`f-${name}`} label={label} hint={hint} errors={errors}>
        {(control) => (
          <textarea
            name={name}
            rows={rows}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className={`${inputClass} font-mono text-sm`}
            {...control}
          />
        )}
      </FormField>
      <section aria-label={`${label}: preview`} className="rounded-md border border-dashed border-border p-3">
        <p className="mb-1 text-xs font-medium uppercase tracking-wide text-muted" aria-hidden>
          Preview
        </p>
        {value.trim() ? <Markdown source={value} /> : <EmptyState>Nothing yet.</EmptyState>}
      </section>
    </div>
  );
}
