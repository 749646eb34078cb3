"use client";
import { useState, useTransition } from "react";
import type { ActionResult, ActionState } from "@/lib/auth/guard";
import { Field, FormMessage } from "@/components/ui/Field";
import { FieldError } from "@/components/ui/FieldError";
import { Notice } from "@/components/ui/Notice";
import { buttonClass, secondaryButtonClass } from "@/components/ui/styles";
import { useFormAction } from "@/components/ui/useFormAction";

export interface HostFormValues {
  id?: string;
  version?: number;
  name: string;
  kind: "local" | "sim";
  xenstoredPath: string;
  qmpDir: string;
  procRoot: string;
  pollIntervalSec: number;
  enabled: boolean;
  libxlSocket?: boolean;
}

type Report = {
  verdict: "ok" | "warn" | "fail";
  results: { protocol: string; verdict: string; message: string; elapsedMs: number }[];
  reach: { xenstoredPath: string };
};
type TestAction = (input: unknown) => Promise<ActionResult<Report>>;

const VERDICT_CLASS: Record<string, string> = {
  ok: "text-green-700 dark:text-green-400",
  warn: "text-amber-700 dark:text-amber-300",
  fail: "text-red-700 dark:text-red-400",
};
const PROTOCOL: Record<string, string> = { xenstore: "XenStore", qmp: "QMP", procfs: "/proc" };

export function ConnectionReport({ result }: { result: ActionResult<Report> | null }) {
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
    </Notice>
  );
}

/** Test a saved host from the hosts list. */
export function TestConnectionButton({ hostId, action }: { hostId: string; action: TestAction }) {
  const [result, setResult] = useState<ActionResult<Report> | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-2">
      <button type="button" className={secondaryButtonClass} disabled={pending} onClick={() => start(async () => setResult(await action({ id: hostId })))}>
        {pending ? "Testing…" : "Test connection"}
      </button>
      <ConnectionReport result={result} />
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
  const [kind, setKind] = useState<"local" | "sim">(initial?.kind ?? "local");
  const [result, setResult] = useState<ActionResult<Report> | null>(null);
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
            <input type="radio" name="kind" value="sim" checked={kind === "sim"} onChange={() => setKind("sim")} /> The embedded simulated host
          </label>
        </div>
        <FieldError id="f-kind" errors={fieldErrors.kind} />
      </fieldset>
      {kind === "local" ? (
        <>
          <Field
            label="xenstored socket path"
            name="xenstoredPath"
            defaultValue={initial?.kind === "local" ? initial.xenstoredPath : "/var/run/xenstored/socket"}
            errors={fieldErrors.xenstoredPath}
            hint="XENSTORED_PATH; libxenstore's default is /var/run/xenstored/socket"
          />
          <Field
            label="QMP socket directory"
            name="qmpDir"
            defaultValue={initial?.kind === "local" ? initial.qmpDir : "/var/run/xen"}
            errors={fieldErrors.qmpDir}
            hint="where qmp-libxl-<domid> / qmp-libxenstat-<domid> live"
          />
          <Field label="procfs root" name="procRoot" defaultValue={initial?.kind === "local" ? initial.procRoot : "/proc"} errors={fieldErrors.procRoot} />
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
      <FormMessage state={state} />
      <div className="flex gap-2">
        <button type="submit" className={buttonClass} disabled={pending}>
          {pending ? "Saving…" : editing ? "Save host" : "Add host"}
        </button>
        <button type="button" className={secondaryButtonClass} disabled={testing} onClick={test}>
          {testing ? "Testing…" : "Test connection"}
        </button>
      </div>
      <ConnectionReport result={result} />
    </form>
  );
}
