"use client";
import type { ActionState } from "@/lib/auth/guard";
import { describeEvidence, type Evidence } from "@/lib/evidence/assess";
import type { ItemEvidencePanel } from "@/lib/evidence/reads";
import { EvidenceBadge } from "./EvidenceBadge";
import { ActionButton } from "@/components/ui/ActionButton";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { EmptyState } from "@/components/ui/EmptyState";
import { FormField } from "@/components/ui/Field";
import { fmtMinute } from "@/components/ui/format";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, inputClass, secondaryButtonClass } from "@/components/ui/styles";
import { THead, Table, Td, Th, Tr } from "@/components/ui/Table";
import { useFormAction } from "@/components/ui/useFormAction";

type Action<T> = (prev: ActionState<T>, form: FormData) => Promise<ActionState<T>>;

const when = (iso: string | null) => (iso ? `${fmtMinute(iso)} UTC` : "—");

/** The hosts and VMs the evidence covers, and what is missing. */
export function EvidenceDetails({ evidence }: { evidence: Evidence }) {
  return (
    <div className="space-y-2">
      <p className="text-sm" data-testid="evidence-summary">
        {describeEvidence(evidence)}
      </p>
      {evidence.freeSince && (
        <p className="text-sm">
          First read without it: <time dateTime={evidence.freeSince}>{when(evidence.freeSince)}</time>
          {evidence.freeSinceAtLeast && " (not seen in the stored history at all, so at least since then)"}. Period checked: {when(evidence.periodStart)} to{" "}
          {when(evidence.checkedAt)}.
        </p>
      )}
      {evidence.problems.length > 0 && (
        <ul className="list-disc pl-5 text-sm text-muted">
          {evidence.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {evidence.hosts.length > 0 && (
        <Table aria-label="Hosts covered">
          <THead>
            <tr>
              <Th>Host</Th>
              <Th>Good reads in the period</Th>
              <Th>Covered from (UTC)</Th>
              <Th>Latest read (UTC)</Th>
              <Th>VMs now</Th>
              <Th>Most VMs</Th>
              <Th>With it now</Th>
            </tr>
          </THead>
          <tbody>
            {evidence.hosts.map((h) => (
              <Tr key={h.id}>
                <Td>{h.name}</Td>
                <Td>{h.reads}</Td>
                <Td className="font-mono text-xs">{when(h.firstRead)}</Td>
                <Td className="font-mono text-xs">{when(h.lastRead)}</Td>
                <Td>{h.vmCount}</Td>
                <Td>{h.maxVmCount}</Td>
                <Td>{h.present}</Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      )}
      {evidence.notes.length > 0 && (
        <ul className="text-xs text-muted">
          {evidence.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The item page's evidence: which dependencies the item retires (editors link them),
 * whether the fleet's reads show them gone from every VM, and the one-step close.
 */
export function EvidencePanel(p: {
  itemId: string;
  version: number;
  open: boolean;
  canEdit: boolean;
  panel: ItemEvidencePanel;
  linkAction: Action<{ rule: string }>;
  unlinkAction: Action<{ rule: string }>;
  closeAction: Action<{ version: number }>;
}) {
  const link = useFormAction(p.linkAction);
  const close = useFormAction(p.closeAction);
  const { panel } = p;
  return (
    <div className="space-y-4">
      {panel.kept && (
        <Notice as="div" tone="ok" className="space-y-2" data-testid="kept-evidence">
          <p className="text-sm font-medium">
            Closed on the fleet's evidence by {panel.kept.actor}, {when(panel.kept.at)}. The evidence as it stood:
          </p>
          <EvidenceDetails evidence={panel.kept.evidence} />
        </Notice>
      )}
      <div>
        <h3 className="text-sm font-medium">Retires</h3>
        {panel.linked.length === 0 ? (
          <EmptyState>No dependency linked: link the XenStore dependency this item removes, and the fleet's reads will say when it is gone.</EmptyState>
        ) : (
          <ul className="space-y-1 text-sm">
            {panel.linked.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-2" data-linked-rule={r.id}>
                <span className="font-mono">{r.id}</span> — {r.dependency}
                {!r.usable && <span className="text-muted">(not counted: missing, disabled or informational)</span>}
                {p.canEdit && <UnlinkButton itemId={p.itemId} rule={r.id} action={p.unlinkAction} />}
              </li>
            ))}
          </ul>
        )}
      </div>
      {p.canEdit && panel.choices.length > 0 && (
        <form onSubmit={link.onSubmit} className="flex flex-wrap items-end gap-2" aria-label="Link a dependency">
          <input type="hidden" name="itemId" value={p.itemId} />
          <FormField id="link-rule" label="Dependency it retires" errors={link.fieldErrors.rule} className="min-w-72 flex-1">
            {(c) => (
              <select name="rule" className={inputClass} {...c}>
                {panel.choices.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.suggested ? "★ " : ""}
                    {r.id} — {r.dependency.slice(0, 90)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <button className={secondaryButtonClass} disabled={link.pending}>
            Link
          </button>
          <ActionNotice state={link.state} error={(e) => (link.fieldErrors.rule ? null : e.message)} />
        </form>
      )}
      {panel.linked.length > 0 && (
        <div className="space-y-2">
          <p>
            <EvidenceBadge evidence={panel.evidence} />
          </p>
          <EvidenceDetails evidence={panel.evidence} />
          {p.canEdit && p.open && panel.evidence.state === "free" && (
            <form onSubmit={close.onSubmit} className="flex items-center gap-3">
              <input type="hidden" name="itemId" value={p.itemId} />
              <input type="hidden" name="version" value={p.version} />
              <button className={buttonClass} disabled={close.pending}>
                Close as done on this evidence
              </button>
            </form>
          )}
          <ActionNotice state={close.state} ok="Closed; the evidence is kept in the history." as="p" boxed />
        </div>
      )}
    </div>
  );
}

function UnlinkButton({ itemId, rule, action }: { itemId: string; rule: string; action: Action<{ rule: string }> }) {
  return (
    <ActionButton action={action} fields={{ itemId, rule }} label={`Unlink ${rule}`}>
      Unlink
    </ActionButton>
  );
}
