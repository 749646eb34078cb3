"use client";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import type { TokenRow } from "@/lib/tokens/reads";
import { Field, buttonClass } from "@/components/ui/Field";
import { useFormAction } from "@/components/ui/useFormAction";

type Created = { id: string; token: string; prefix: string; name: string };
type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

const when = (iso: string | null) => (iso ? iso.replace("T", " ").slice(0, 16) : "never");

/** Create (the secret shown once), list, revoke. */
export function ApiTokens({ tokens, createAction, revokeAction }: { tokens: TokenRow[]; createAction: Action<Created>; revokeAction: Action<{ id: string }> }) {
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(createAction, { resetOnSuccess: true });
  const created = state?.ok ? state.data : null;
  const secretRef = useRef<HTMLInputElement>(null);
  // Move focus to the new secret so keyboard and screen-reader users find it at once.
  useEffect(() => {
    if (created) secretRef.current?.select();
  }, [created]);
  return (
    <div className="space-y-4">
      <form ref={ref} onSubmit={onSubmit} aria-label="Create an API token" className="flex max-w-xl flex-wrap items-start gap-3" noValidate>
        <div className="min-w-64 flex-1">
          <Field label="Token name" name="name" id="token-name" placeholder="e.g. CI dashboard" hint="What will use it; shown in the list below." errors={fieldErrors.name} />
        </div>
        <button className={`${buttonClass} mt-6`} disabled={pending}>Create token</button>
        {state && !state.ok && !fieldErrors.name && <p role="alert" className="w-full text-sm text-red-600 dark:text-red-400">{state.message}</p>}
      </form>
      {created && (
        <div role="status" className="max-w-3xl space-y-2 rounded-lg border-2 border-green-700 p-3">
          <p className="text-sm font-medium">Token “{created.name}” created. Copy it now: it will not be shown again.</p>
          <label htmlFor="new-token" className="block text-sm">New API token</label>
          <input id="new-token" ref={secretRef} readOnly value={created.token} className="w-full rounded-md border border-border bg-card px-3 py-2 font-mono text-sm" onFocus={(e) => e.currentTarget.select()} data-testid="new-token" />
        </div>
      )}
      {tokens.length === 0 ? (
        <p className="text-sm text-muted">No tokens yet.</p>
      ) : (
        <table className="w-full max-w-4xl text-sm" aria-label="Your API tokens">
          <thead className="text-left text-muted">
            <tr><th scope="col" className="py-1 pr-3">Name</th><th scope="col" className="pr-3">Starts with</th><th scope="col" className="pr-3">Created</th><th scope="col" className="pr-3">Last used</th><th scope="col" className="pr-3">State</th><th scope="col"><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} className="border-t border-border">
                <td className="py-1.5 pr-3">{t.name}</td>
                <td className="pr-3 font-mono">{t.prefix}…</td>
                <td className="pr-3">{when(t.createdAt)}</td>
                <td className="pr-3">{when(t.lastUsedAt)}</td>
                <td className="pr-3">{t.revokedAt ? `Revoked ${when(t.revokedAt)}` : "Active"}</td>
                <td>{!t.revokedAt && <RevokeButton token={t} action={revokeAction} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RevokeButton({ token, action }: { token: TokenRow; action: Action<{ id: string }> }) {
  const [state, dispatch, pending] = useActionState(action, null);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return <button type="button" className="rounded-md border border-border px-2 py-1 text-xs hover:bg-border" onClick={() => setConfirming(true)} aria-label={`Revoke token ${token.name}`}>Revoke</button>;
  }
  return (
    <form
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const fd = new FormData(e.currentTarget);
        startTransition(() => dispatch(fd));
      }}
    >
      <input type="hidden" name="id" value={token.id} />
      <button className="rounded-md bg-red-700 px-2 py-1 text-xs text-white hover:bg-red-800" disabled={pending} autoFocus>Confirm revoke “{token.name}”</button>
      <button type="button" className="text-xs underline" onClick={() => setConfirming(false)}>Cancel</button>
      {state && !state.ok && <span role="alert" className="text-xs text-red-600">{state.message}</span>}
    </form>
  );
}
