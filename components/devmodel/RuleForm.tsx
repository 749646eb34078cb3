"use client";
import type { ActionState } from "@/lib/auth/guard";
import { buttonClass, Field, FormMessage } from "@/components/ui/Field";
import { useFormAction } from "@/components/ui/useFormAction";

export interface RuleFormValues {
  rowId?: string;
  version?: number;
  id: string;
  pattern: string;
  dependency: string;
  description: string;
  severity: "blocker" | "info";
  topic: string | null;
  position: number;
  enabled: boolean;
}

type Action = (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;

export function RuleForm({ action, topics, initial }: { action: Action; topics: { slug: string; name: string }[]; initial?: RuleFormValues }) {
  const editing = Boolean(initial?.rowId);
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action, { resetOnSuccess: !editing });
  return (
    <form ref={ref} onSubmit={onSubmit} className="max-w-3xl space-y-3" aria-label={editing ? "Edit rule" : "Add a rule"} noValidate>
      {initial?.rowId && <input type="hidden" name="rowId" value={initial.rowId} />}
      {initial?.version && <input type="hidden" name="version" value={initial.version} />}
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Rule id" name="id" defaultValue={initial?.id ?? ""} errors={fieldErrors.id} hint="lower-case, digits, '-'" />
        <Field label="Position" name="position" type="number" defaultValue={String(initial?.position ?? 1000)} errors={fieldErrors.position} hint="first match wins, lowest first" />
        <div>
          <label htmlFor="f-severity" className="block text-sm font-medium">Severity</label>
          <select id="f-severity" name="severity" defaultValue={initial?.severity ?? "blocker"} className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2">
            <option value="blocker">blocker (a dependency to remove)</option>
            <option value="info">info (PV part or bookkeeping)</option>
          </select>
        </div>
      </div>
      <Field label="Pattern" name="pattern" defaultValue={initial?.pattern ?? ""} errors={fieldErrors.pattern} className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2 font-mono text-sm aria-[invalid]:border-red-500" hint="absolute XenStore path; <g> the guest's domid, <dm> its device model's, * one segment, ** any depth, {a,b} alternatives" />
      <Field label="Dependency" name="dependency" defaultValue={initial?.dependency ?? ""} errors={fieldErrors.dependency} hint='what the key is a dependency for, or "none"' />
      <div>
        <label htmlFor="f-topic" className="block text-sm font-medium">Topic (whose action items retire it)</label>
        <select id="f-topic" name="topic" defaultValue={initial?.topic ?? topics[0]?.slug} aria-invalid={fieldErrors.topic ? true : undefined} className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2">
          {topics.map((t) => (
            <option key={t.slug} value={t.slug}>{t.name}</option>
          ))}
        </select>
        {fieldErrors.topic && <p className="mt-1 text-sm text-red-600">{fieldErrors.topic.join(" ")}</p>}
      </div>
      <div>
        <label htmlFor="f-description" className="block text-sm font-medium">Description (why, with the source)</label>
        <textarea id="f-description" name="description" rows={3} defaultValue={initial?.description ?? ""} aria-invalid={fieldErrors.description ? true : undefined} className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2 aria-[invalid]:border-red-500" />
        {fieldErrors.description && <p className="mt-1 text-sm text-red-600">{fieldErrors.description.join(" ")}</p>}
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={initial?.enabled ?? true} /> Enabled
      </label>
      <FormMessage state={state} />
      <button type="submit" className={buttonClass} disabled={pending}>{pending ? "Saving…" : editing ? "Save rule" : "Add rule"}</button>
    </form>
  );
}

export function RuleToggle({ action, rowId, version, enabled, id }: { action: Action; rowId: string; version: number; enabled: boolean; id: string }) {
  const { state, pending, onSubmit, ref } = useFormAction(action);
  return (
    <form ref={ref} onSubmit={onSubmit} className="inline">
      <input type="hidden" name="rowId" value={rowId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="enabled" value={enabled ? "false" : "true"} />
      <button type="submit" disabled={pending} className="text-sm text-accent underline" aria-label={`${enabled ? "Disable" : "Enable"} rule ${id}`}>
        {enabled ? "Disable" : "Enable"}
      </button>
      {state && !state.ok && <span role="alert" className="ml-2 text-xs text-red-600">{state.message}</span>}
    </form>
  );
}
