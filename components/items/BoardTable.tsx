"use client";
import Link from "@/components/ui/Link";
import { startTransition, useActionState, useRef, useState, type FormEvent } from "react";
import type { ActionState } from "@/lib/auth/guard";
import type { ItemGroupOf } from "@/lib/items/board";
import { STATUS_LABELS, type ItemStatus } from "@/lib/items/statuses";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Card } from "@/components/ui/Card";
import { EmptyState } from "@/components/ui/EmptyState";
import { FormField } from "@/components/ui/Field";
import { errorsFor } from "@/components/ui/FieldError";
import { buttonClass, linkClass, smallInputClass, titleLinkClass } from "@/components/ui/styles";
import { plural } from "@/components/ui/format";
import { useFocusFirstInvalid } from "@/components/ui/useFocusFirstInvalid";
import { ItemMeta } from "./ItemMeta";
import { StatusBadge } from "./StatusBadge";
import { StatusOptions } from "./StatusOptions";

type BulkResult = { changed: string[]; unchanged: string[] };
type Action = (prev: ActionState<BulkResult>, form: FormData) => Promise<ActionState<BulkResult>>;

/**
 * The board's rows, grouped. Editors get a checkbox per row and a bulk status change;
 * the selection is by item id, so an item shown under two owners is one selection.
 */
export function BoardTable({ groups, groupBy, canEdit, bulkAction }: { groups: ItemGroupOf[]; groupBy: string; canEdit: boolean; bulkAction?: Action }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [status, setStatus] = useState<string>("");
  const [state, dispatch, pending] = useActionState<ActionState<BulkResult>, FormData>(async (prev, form) => {
    const res = await bulkAction!(prev, form);
    if (res?.ok) setSelected(new Set());
    return res;
  }, null);
  const bulkRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(bulkRef, state);
  const allIds = [...new Set(groups.flatMap((g) => g.items.map((i) => i.id)))];
  const allOn = allIds.length > 0 && allIds.every((id) => selected.has(id));
  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fd = new FormData();
    for (const id of selected) fd.append("ids[]", id);
    fd.set("status", status);
    startTransition(() => dispatch(fd));
  };
  const fieldErrors = state && !state.ok ? state.fieldErrors : undefined;

  const heading = (g: ItemGroupOf) => {
    const label = groupBy === "status" ? STATUS_LABELS[g.key as ItemStatus] : g.label;
    return g.href ? (
      <Link href={g.href} className={linkClass}>
        {label}
      </Link>
    ) : (
      label
    );
  };

  return (
    <div className="space-y-4">
      {/* After a bulk change empties the filtered list, the form stays to report it. */}
      {canEdit && (allIds.length > 0 || state !== null) && (
        <Card
          as="form"
          ref={bulkRef}
          padding="sm"
          onSubmit={onSubmit}
          aria-label="Bulk status change"
          className="sticky top-0 z-10 flex flex-wrap items-end gap-3"
        >
          <label className="flex items-center gap-2 pb-1.5 text-sm">
            <input type="checkbox" checked={allOn} onChange={(e) => setSelected(e.target.checked ? new Set(allIds) : new Set())} />
            Select all on this page
          </label>
          <FormField id="bulk-status" label="New status" errors={errorsFor(fieldErrors, "status")}>
            {(control) => (
              <select value={status} onChange={(e) => setStatus(e.target.value)} className={`mt-1 ${smallInputClass}`} {...control}>
                <option value="">Choose…</option>
                <StatusOptions />
              </select>
            )}
          </FormField>
          <button className={buttonClass} disabled={pending || selected.size === 0}>
            Apply to {selected.size} selected
          </button>
          <ActionNotice
            live
            state={state}
            ok={(d) => `Changed ${plural(d.changed.length, "item")}${d.unchanged.length ? `; ${d.unchanged.length} already had that status` : ""}.`}
            error={() => null}
            as="p"
            className="pb-1.5"
          />
          <ActionNotice
            state={state}
            error={(f) => errorsFor(fieldErrors, "ids")?.join(" ") ?? (errorsFor(fieldErrors, "status") ? "Choose the new status." : f.message)}
            as="p"
            className="w-full"
          />
        </Card>
      )}
      {!allIds.length && <EmptyState>No action items match.</EmptyState>}
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <section key={g.key} aria-labelledby={`group-${g.key}`} className="space-y-2">
            <h2 id={`group-${g.key}`} className="text-lg font-semibold">
              {heading(g)} <span className="text-sm font-normal text-muted">({g.items.length})</span>
            </h2>
            <Card
              as="ul"
              padding="none"
              className="divide-y divide-border"
              aria-label={`Items: ${groupBy === "status" ? STATUS_LABELS[g.key as ItemStatus] : g.label}`}
            >
              {g.items.map((i) => (
                <li key={i.id} className="flex gap-3 p-3" data-item-id={i.id}>
                  {canEdit && (
                    <input
                      type="checkbox"
                      className="mt-1.5"
                      aria-label={`Select: ${i.text}`}
                      checked={selected.has(i.id)}
                      onChange={(e) => toggle(i.id, e.target.checked)}
                    />
                  )}
                  <div className="min-w-0 flex-1 space-y-1">
                    <div className="flex flex-wrap items-start gap-2">
                      <Link href={`/items/${i.id}`} className={titleLinkClass}>
                        {i.text}
                      </Link>
                      {groupBy !== "status" && <StatusBadge status={i.status} />}
                    </div>
                    <ItemMeta item={i} />
                    {i.meeting && (
                      <p className="text-xs text-muted">
                        From{" "}
                        <Link href={`/meetings/${i.meeting.id}`} className={linkClass}>
                          {i.meeting.title}
                        </Link>
                        {i.links.length > 0 && ` · ${plural(i.links.length, "link")}`}
                      </p>
                    )}
                  </div>
                </li>
              ))}
            </Card>
          </section>
        ))}
    </div>
  );
}
