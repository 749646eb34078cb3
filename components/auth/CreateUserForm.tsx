"use client";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Field, FormField } from "@/components/ui/Field";
import { buttonClass, inputClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";
import type { ActionState } from "@/lib/auth/guard";
import { ROLES } from "@/lib/auth/roles";

type Action = (prev: ActionState<{ id: string }>, form: FormData) => Promise<ActionState<{ id: string }>>;

export function CreateUserForm({ action }: { action: Action }) {
  const { state, pending, onSubmit, ref, fieldErrors: errors } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={ref} onSubmit={onSubmit} className="grid max-w-xl gap-3 sm:grid-cols-2" aria-label="Create user" noValidate>
      <Field label="Email" name="email" type="email" required errors={errors.email} />
      <Field label="Name" name="name" required errors={errors.name} />
      <FormField id="f-role" label="Role" errors={errors.role}>
        {(control) => (
          <select name="role" defaultValue="viewer" className={inputClass} {...control}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </FormField>
      <Field
        label="Initial password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.password}
        hint="At least 10 characters; tell the person through a safe channel."
      />
      <div className="sm:col-span-2 flex items-center gap-3">
        <button className={buttonClass} disabled={pending}>
          Create user
        </button>
        <ActionNotice state={state} ok="Saved." as="p" />
      </div>
    </form>
  );
}
