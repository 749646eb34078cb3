"use client";
import { Field, FormMessage, buttonClass } from "@/components/ui/Field";
import { useFormAction } from "@/components/ui/useFormAction";
import type { ActionState } from "@/lib/auth/guard";

type Action = (prev: ActionState<{ id: string }>, form: FormData) => Promise<ActionState<{ id: string }>>;

export function CreateUserForm({ action }: { action: Action }) {
  const { state, pending, onSubmit, ref, fieldErrors: errors } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={ref} onSubmit={onSubmit} className="grid max-w-xl gap-3 sm:grid-cols-2" aria-label="Create user" noValidate>
      <Field label="Email" name="email" type="email" required errors={errors.email} />
      <Field label="Name" name="name" required errors={errors.name} />
      <div>
        <label htmlFor="f-role" className="block text-sm font-medium">Role</label>
        <select id="f-role" name="role" defaultValue="viewer" className="mt-1 w-full rounded-md border border-border bg-card px-3 py-2">
          <option value="viewer">viewer</option>
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </select>
      </div>
      <Field label="Initial password" name="password" type="password" autoComplete="new-password" required errors={errors.password} hint="At least 10 characters; tell the person through a safe channel." />
      <div className="sm:col-span-2 flex items-center gap-3">
        <button className={buttonClass} disabled={pending}>Create user</button>
        <FormMessage state={state} />
      </div>
    </form>
  );
}
