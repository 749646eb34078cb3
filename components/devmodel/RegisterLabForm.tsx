"use client";
import type { ActionState } from "@/lib/auth/guard";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Field } from "@/components/ui/Field";
import { buttonClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

type Result = { created: string[]; existing: string[] };

/** Register every host of a running `npm run sim -- --hosts N --dir D` from D/hosts.json. */
export function RegisterLabForm({ action, example }: { action: (prev: ActionState<Result>, form: FormData) => Promise<ActionState<Result>>; example: string }) {
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action);
  return (
    <form ref={ref} onSubmit={onSubmit} className="max-w-2xl space-y-3" aria-label="Register a simulator lab" noValidate>
      <Field
        label="Lab manifest (hosts.json)"
        id="lab-manifest"
        name="manifest"
        defaultValue=""
        errors={fieldErrors.manifest}
        hint={`e.g. ${example}`}
        required
      />
      <Field label="Name prefix" id="lab-prefix" name="prefix" defaultValue="" errors={fieldErrors.prefix} hint="optional; put before host-01, host-02 …" />
      <Field
        label="Poll interval (seconds)"
        id="lab-poll"
        name="pollIntervalSec"
        type="number"
        min={2}
        max={3600}
        defaultValue="30"
        errors={fieldErrors.pollIntervalSec}
      />
      <ActionNotice
        state={state}
        as="p"
        ok={({ created, existing }) => (
          <span data-testid="lab-registered">
            Registered {created.length} host{created.length === 1 ? "" : "s"}
            {existing.length > 0 && ` (${existing.length} already registered)`}.
          </span>
        )}
      />
      <button type="submit" className={buttonClass} disabled={pending}>
        {pending ? "Registering…" : "Register lab"}
      </button>
    </form>
  );
}
