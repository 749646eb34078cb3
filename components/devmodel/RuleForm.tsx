"use client";
import type { ActionState } from "@/lib/auth/guard";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Field, FormField } from "@/components/ui/Field";
import { buttonClass, controlClass, inputClass, linkClass } from "@/components/ui/styles";
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
        <Field
          label="Position"
          name="position"
          type="number"
          defaultValue={String(initial?.position ?? 1000)}
          errors={fieldErrors.position}
          hint="first match wins, lowest first"
        />
        <FormField id="f-severity" label="Severity">
          {(control) => (
            <select name="severity" defaultValue={initial?.severity ?? "blocker"} className={inputClass} {...control}>
              <option value="blocker">blocker (a dependency to remove)</option>
              <option value="info">info (PV part or bookkeeping)</option>
            </select>
          )}
        </FormField>
      </div>
      <Field
        label="Pattern"
        name="pattern"
        defaultValue={initial?.pattern ?? ""}
        errors={fieldErrors.pattern}
        className={`mt-1 ${controlClass} font-mono text-sm`}
        hint="absolute XenStore path; <g> the guest's domid, <dm> its device model's, * one segment, ** any depth, {a,b} alternatives"
      />
      <Field
        label="Dependency"
        name="dependency"
        defaultValue={initial?.dependency ?? ""}
        errors={fieldErrors.dependency}
        hint='what the key is a dependency for, or "none"'
      />
      <FormField id="f-topic" label="Topic (whose action items retire it)" errors={fieldErrors.topic}>
        {(control) => (
          <select name="topic" defaultValue={initial?.topic ?? topics[0]?.slug} className={inputClass} {...control}>
            {topics.map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <FormField id="f-description" label="Description (why, with the source)" errors={fieldErrors.description}>
        {(control) => <textarea name="description" rows={3} defaultValue={initial?.description ?? ""} className={inputClass} {...control} />}
      </FormField>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={initial?.enabled ?? true} /> Enabled
      </label>
      <ActionNotice state={state} ok="Saved." as="p" />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Saving…" : editing ? "Save rule" : "Add rule"}
      </button>
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
      <button type="submit" disabled={pending} className={`text-sm ${linkClass}`} aria-label={`${enabled ? "Disable" : "Enable"} rule ${id}`}>
        {enabled ? "Disable" : "Enable"}
      </button>
      <ActionNotice state={state} className="ml-2" />
    </form>
  );
}
