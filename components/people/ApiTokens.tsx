"use client";
import { useEffect, useRef, useState } from "react";
import type { ActionState } from "@/lib/auth/guard";
import type { TokenRow } from "@/lib/tokens/reads";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { EmptyState } from "@/components/ui/EmptyState";
import { Field } from "@/components/ui/Field";
import { fmtMinute } from "@/components/ui/format";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, controlClass, linkClass, smallButtonClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { useFormAction } from "@/components/ui/useFormAction";

type Created = { id: string; token: string; prefix: string; name: string };
type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

const when = (iso: string | null) => (iso ? fmtMinute(iso) : "never");

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
          <Field
            label="Token name"
            name="name"
            id="token-name"
            placeholder="e.g. CI dashboard"
            hint="What will use it; shown in the list below."
            errors={fieldErrors.name}
          />
        </div>
        <button className={`${buttonClass} mt-6`} disabled={pending}>
          Create token
        </button>
        <ActionNotice state={state} error={(f) => (fieldErrors.name ? null : f.message)} as="p" className="w-full" />
      </form>
      {created && (
        <Notice as="div" role="status" tone="ok" className="max-w-3xl space-y-2">
          <p className="text-sm font-medium">Token “{created.name}” created. Copy it now: it will not be shown again.</p>
          <label htmlFor="new-token" className="block text-sm">
            New API token
          </label>
          <input
            id="new-token"
            ref={secretRef}
            readOnly
            value={created.token}
            className={`${controlClass} font-mono text-sm`}
            onFocus={(e) => e.currentTarget.select()}
            data-testid="new-token"
          />
        </Notice>
      )}
      {tokens.length === 0 ? (
        <EmptyState>No tokens yet.</EmptyState>
      ) : (
        <Table aria-label="Your API tokens" wrapperClassName="max-w-4xl">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Starts with</Th>
              <Th>Created (UTC)</Th>
              <Th>Last used (UTC)</Th>
              <Th>State</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <tbody>
            {tokens.map((t) => (
              <Tr key={t.id}>
                <Td>{t.name}</Td>
                <Td className="font-mono">{t.prefix}…</Td>
                <Td>{when(t.createdAt)}</Td>
                <Td>{when(t.lastUsedAt)}</Td>
                <Td>{t.revokedAt ? `Revoked ${when(t.revokedAt)}` : "Active"}</Td>
                <Td>{!t.revokedAt && <RevokeButton token={t} action={revokeAction} />}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}

function RevokeButton({ token, action }: { token: TokenRow; action: Action<{ id: string }> }) {
  const { state, pending, onSubmit } = useFormAction(action);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className={smallButtonClass} onClick={() => setConfirming(true)} aria-label={`Revoke token ${token.name}`}>
        Revoke
      </button>
    );
  }
  return (
    <form className="flex items-center gap-2" onSubmit={onSubmit}>
      <input type="hidden" name="id" value={token.id} />
      <button className="rounded-md bg-red-700 px-2 py-1 text-xs text-white hover:bg-red-800" disabled={pending} autoFocus>
        Confirm revoke “{token.name}”
      </button>
      <button type="button" className={`text-xs ${linkClass}`} onClick={() => setConfirming(false)}>
        Cancel
      </button>
      <ActionNotice state={state} />
    </form>
  );
}
