"use client";
import type { ActionState } from "@/lib/auth/guard";
import { LINK_KIND_LABELS, type LinkKind } from "@/lib/items/schemas";
import { ActionButton } from "@/components/ui/ActionButton";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Badge } from "@/components/ui/Badge";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { errorsFor } from "@/components/ui/FieldError";
import { buttonClass, linkClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";
import { LinkFields } from "./LinkFields";

type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;
type Link = { id: string; kind: string; url: string; title: string };

const kindLabel = (k: string) => LINK_KIND_LABELS[k as LinkKind] ?? k;

/** The item's typed links; editors get a remove button on each. */
export function LinkList({ itemId, links, removeAction }: { itemId: string; links: Link[]; removeAction?: Action<unknown> }) {
  if (!links.length) return <EmptyState>No links yet.</EmptyState>;
  return (
    <Card as="ul" padding="none" className="divide-y divide-border" aria-label="Links">
      {links.map((l) => (
        <li key={l.id} className="flex flex-wrap items-center gap-2 p-3 text-sm">
          <Badge>{kindLabel(l.kind)}</Badge>
          {/* Only http(s) URLs are ever stored (lib/items/schemas); rel keeps the target from reaching back. */}
          <a href={l.url} className={`${linkClass} break-all`} rel="noopener noreferrer nofollow" target="_blank">
            {l.title || l.url}
          </a>
          {l.title && l.title !== l.url && <span className="break-all text-xs text-muted">{l.url}</span>}
          {removeAction && <RemoveLink itemId={itemId} link={l} action={removeAction} />}
        </li>
      ))}
    </Card>
  );
}

function RemoveLink({ itemId, link, action }: { itemId: string; link: Link; action: Action<unknown> }) {
  return (
    <ActionButton action={action} fields={{ itemId, linkId: link.id }} label={`Remove link ${link.title || link.url}`} className="ml-auto">
      Remove
    </ActionButton>
  );
}

/** Adds a link: kind, URL (http/https only, checked on the server), optional title. */
export function AddLinkForm({ itemId, action }: { itemId: string; action: Action<unknown> }) {
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action, { resetOnSuccess: true });
  return (
    <form ref={ref} onSubmit={onSubmit} aria-label="Add a link" className="grid gap-3 sm:grid-cols-[10rem_1fr_1fr_auto] sm:items-start" noValidate>
      <input type="hidden" name="itemId" value={itemId} />
      <LinkFields
        id="link"
        names={{ kind: "kind", url: "url", title: "title" }}
        labels={{ kind: "Kind", url: "URL", title: "Title (optional)" }}
        errors={(name) => errorsFor(fieldErrors, name)}
      />
      <div className="sm:pt-6">
        <button className={buttonClass} disabled={pending}>
          Add link
        </button>
      </div>
      {/* A refusal the fields explain is said at them. */}
      <ActionNotice live state={state} ok="Link added." error={(f) => (Object.keys(fieldErrors).length ? null : f.message)} as="p" className="sm:col-span-4" />
    </form>
  );
}
