"use client";
import { useState, useTransition } from "react";
import type { ActionResult, ActionState } from "@/lib/auth/guard";
import { ActionNotice } from "@/components/ui/ActionNotice";
import { Field } from "@/components/ui/Field";
import { FieldError } from "@/components/ui/FieldError";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, secondaryButtonClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

export interface HostFormValues {
  id?: string;
  version?: number;
  name: string;
  kind: "local" | "sim" | "ssh";
  xenstoredPath: string;
  qmpDir: string;
  procRoot: string;
  pollIntervalSec: number;
  enabled: boolean;
  sshTarget?: string;
  sshIdentityPath?: string;
  sshHostKey?: string;
  libxlSocket?: boolean;
}

type Report = {
  verdict: "ok" | "warn" | "fail";
  results: { protocol: string; verdict: string; message: string; elapsedMs: number }[];
  reach: { xenstoredPath: string };
  hostKey?: { status: "pinned" | "unknown" | "changed"; offered: { type: string; fingerprint: string } | null; pinned: string | null } | null;
};
type TestAction = (input: unknown) => Promise<ActionResult<Report>>;
type AcceptAction = (input: unknown) => Promise<ActionResult<unknown>>;

const VERDICT_CLASS: Record<string, string> = {
  ok: "text-green-700 dark:text-green-400",
  warn: "text-amber-700 dark:text-amber-300",
  fail: "text-red-700 dark:text-red-400",
};
const PROTOCOL: Record<string, string> = { ssh: "SSH", xenstore: "XenStore", qmp: "QMP", procfs: "/proc" };

/** The SSH host key a test met: the fingerprint to verify, and (unknown or changed) a button to accept it. */
function HostKeyPanel({
  hostKey,
  onAccept,
  accepted,
  onSave,
}: {
  hostKey: NonNullable<Report["hostKey"]>;
  onAccept?: (fingerprint: string) => void;
  accepted?: string | null;
  /** In the form: the key is pinned when the host is saved. */
  onSave?: boolean;
}) {
  const offered = hostKey.offered;
  if (!offered) return null;
  return (
    <div className="mt-2 space-y-1" data-testid="host-key" data-status={hostKey.status}>
      <p>
        Host key:{" "}
        <code className="font-mono text-xs" data-testid="host-key-fingerprint">
          {offered.type} {offered.fingerprint}
        </code>{" "}
        {hostKey.status === "pinned" && <span className={VERDICT_CLASS.ok}>(pinned)</span>}
        {hostKey.status === "unknown" && <span className={VERDICT_CLASS.warn}>(first contact: not trusted yet)</span>}
        {hostKey.status === "changed" && <span className={VERDICT_CLASS.fail}>(CHANGED: pinned was {hostKey.pinned})</span>}
      </p>
      {hostKey.status !== "pinned" && onAccept && (
        <>
          <p className="text-xs text-muted">Compare it with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub` run on the host itself before accepting.</p>
          {accepted === offered.fingerprint ? (
            <p className={`text-sm ${VERDICT_CLASS.ok}`} role="status">
              Accepted: {offered.fingerprint} {onSave ? "will be pinned when you save the host." : "is pinned."}
            </p>
          ) : (
            <button type="button" className={secondaryButtonClass} onClick={() => onAccept(offered.fingerprint)}>
              Accept this host key
            </button>
          )}
        </>
      )}
    </div>
  );
}

export function ConnectionReport({
  result,
  onAccept,
  accepted,
  onSave,
}: {
  result: ActionResult<Report> | null;
  onAccept?: (fingerprint: string) => void;
  accepted?: string | null;
  onSave?: boolean;
}) {
  if (!result) return null;
  if (!result.ok)
    return (
      <Notice role="alert" tone="error" plain>
        {result.message}
      </Notice>
    );
  return (
    <Notice as="div" role="status" data-testid="connection-report" data-verdict={result.data.verdict}>
      <p className={`font-medium ${VERDICT_CLASS[result.data.verdict]}`}>Connection: {result.data.verdict}</p>
      <ul className="mt-1 space-y-1">
        {result.data.results.map((r) => (
          <li key={r.protocol} data-protocol={r.protocol} data-verdict={r.verdict}>
            <span className={`font-medium ${VERDICT_CLASS[r.verdict]}`}>
              {PROTOCOL[r.protocol] ?? r.protocol}: {r.verdict}
            </span>{" "}
            — {r.message} <span className="text-xs text-muted">({r.elapsedMs} ms)</span>
          </li>
        ))}
      </ul>
      {result.data.hostKey && <HostKeyPanel hostKey={result.data.hostKey} onAccept={onAccept} accepted={accepted} onSave={onSave} />}
    </Notice>
  );
}

/** Test a saved host from the hosts list; for an SSH host, accept the key it offers. */
export function TestConnectionButton({ hostId, action, acceptAction }: { hostId: string; action: TestAction; acceptAction?: AcceptAction }) {
  const [result, setResult] = useState<ActionResult<Report> | null>(null);
  const [accepted, setAccepted] = useState<string | null>(null);
  const [acceptError, setAcceptError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const accept = acceptAction
    ? (fingerprint: string) =>
        start(async () => {
          const r = await acceptAction({ id: hostId, fingerprint });
          if (r.ok) {
            setAccepted(fingerprint);
            setAcceptError(null);
          } else setAcceptError(r.message);
        })
    : undefined;
  return (
    <div className="space-y-2">
      <button
        type="button"
        className={secondaryButtonClass}
        disabled={pending}
        onClick={() =>
          start(async () => {
            setAccepted(null);
            setResult(await action({ id: hostId }));
          })
        }
      >
        {pending ? "Testing…" : "Test connection"}
      </button>
      <ConnectionReport result={result} onAccept={accept} accepted={accepted} />
      {acceptError && (
        <Notice role="alert" tone="error" plain>
          {acceptError}
        </Notice>
      )}
    </div>
  );
}

export function HostForm({
  action,
  testAction,
  initial,
  simSocket,
}: {
  action: (prev: ActionState<unknown>, form: FormData) => Promise<ActionState<unknown>>;
  testAction: TestAction;
  initial?: HostFormValues;
  simSocket: string;
}) {
  const editing = Boolean(initial?.id);
  const { state, pending, onSubmit, ref, fieldErrors } = useFormAction(action, { resetOnSuccess: !editing });
  const [kind, setKind] = useState<"local" | "sim" | "ssh">(initial?.kind ?? "local");
  const [result, setResult] = useState<ActionResult<Report> | null>(null);
  // The host key to pin on save: the current one, or the one accepted after a test.
  const [hostKey, setHostKey] = useState<string>(initial?.sshHostKey ?? "");
  const [testing, start] = useTransition();
  const test = () => {
    const form = ref.current;
    if (!form) return;
    const data = new FormData(form);
    data.delete("id");
    data.delete("version");
    start(async () => setResult(await testAction(data)));
  };
  return (
    <form ref={ref} onSubmit={onSubmit} className="max-w-2xl space-y-3" aria-label={editing ? "Edit host" : "Add a host"} noValidate>
      {initial?.id && <input type="hidden" name="id" value={initial.id} />}
      {initial?.version && <input type="hidden" name="version" value={initial.version} />}
      <Field label="Name" name="name" defaultValue={initial?.name ?? ""} errors={fieldErrors.name} required />
      <fieldset>
        <legend className="text-sm font-medium">How to reach it</legend>
        <div className="mt-1 flex gap-4 text-sm">
          <label className="flex items-center gap-1">
            <input type="radio" name="kind" value="local" checked={kind === "local"} onChange={() => setKind("local")} /> Local sockets (a dom0)
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name="kind" value="ssh" checked={kind === "ssh"} onChange={() => setKind("ssh")} /> A remote dom0 over SSH
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name="kind" value="sim" checked={kind === "sim"} onChange={() => setKind("sim")} /> The embedded simulated host
          </label>
        </div>
        <FieldError id="f-kind" errors={fieldErrors.kind} />
      </fieldset>
      {kind === "ssh" && (
        <>
          <Field
            label="SSH target"
            name="sshTarget"
            defaultValue={initial?.sshTarget ?? ""}
            errors={fieldErrors.sshTarget}
            hint="user@host or user@host:port; root reads everything (see README, Connecting real dom0s)"
          />
          <Field
            label="Private key file (optional)"
            name="sshIdentityPath"
            defaultValue={initial?.sshIdentityPath ?? ""}
            errors={fieldErrors.sshIdentityPath}
            hint="a path on this server; empty: DMBOARD_SSH_IDENTITY, else the agent at SSH_AUTH_SOCK. The key itself is never stored."
          />
          <input type="hidden" name="sshHostKey" value={hostKey} />
          <p className="text-sm text-muted" data-testid="pinned-host-key">
            Pinned host key: {hostKey ? <code className="font-mono text-xs">{hostKey}</code> : "none yet: test the connection and accept the key it shows"}
          </p>
          <FieldError id="f-sshHostKey" errors={fieldErrors.sshHostKey} />
        </>
      )}
      {kind === "local" || kind === "ssh" ? (
        <>
          <Field
            label="xenstored socket path"
            name="xenstoredPath"
            defaultValue={initial?.kind === kind ? initial.xenstoredPath : "/var/run/xenstored/socket"}
            errors={fieldErrors.xenstoredPath}
            hint="XENSTORED_PATH; libxenstore's default is /var/run/xenstored/socket"
          />
          <Field
            label="QMP socket directory"
            name="qmpDir"
            defaultValue={initial?.kind === kind ? initial.qmpDir : "/var/run/xen"}
            errors={fieldErrors.qmpDir}
            hint="where qmp-libxl-<domid> / qmp-libxenstat-<domid> live"
          />
          <Field label="procfs root" name="procRoot" defaultValue={initial?.kind === kind ? initial.procRoot : "/proc"} errors={fieldErrors.procRoot} />
        </>
      ) : (
        <p className="text-sm text-muted">Reads the simulator `npm start` runs, at {simSocket}.</p>
      )}
      <Field
        label="Poll interval (seconds)"
        name="pollIntervalSec"
        type="number"
        min={2}
        max={3600}
        defaultValue={String(initial?.pollIntervalSec ?? 30)}
        errors={fieldErrors.pollIntervalSec}
        hint="XenStore watches bring changes in between polls."
      />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={initial?.enabled ?? true} /> Enabled (read by the collector)
      </label>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="libxlSocket" defaultChecked={initial?.libxlSocket ?? false} /> Use libxl&apos;s own QMP socket (qmp-libxl-N) where a QEMU
        has no libxenstat one — libxl needs it free for save, migrate and hotplug; off unless you accept that
      </label>
      <ActionNotice state={state} ok="Saved." as="p" />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Saving…" : editing ? "Save host" : "Add host"}
        </button>
        <button type="button" className={secondaryButtonClass} disabled={testing} onClick={test}>
          {testing ? "Testing…" : "Test connection"}
        </button>
      </div>
      <ConnectionReport result={result} onAccept={kind === "ssh" ? setHostKey : undefined} accepted={hostKey || null} onSave />
    </form>
  );
}
