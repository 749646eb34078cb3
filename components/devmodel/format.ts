/** Small display helpers shared by the device-model pages (server and client safe). */
import type { DeprivVerdict } from "@/lib/devmodel/analysis";
import type { HostStatus } from "@/lib/hosts/types";

export function fmtTime(iso: string | Date | null | undefined): string {
  if (!iso) return "never";
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export const VERDICT_STYLE: Record<DeprivVerdict, string> = {
  deprivileged: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  partial: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  privileged: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  unknown: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
  "n/a": "bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300",
};

export const STATUS_STYLE: Record<HostStatus, string> = {
  ok: "bg-green-100 text-green-900 dark:bg-green-900/40 dark:text-green-200",
  stale: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  unreachable: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  pending: "bg-slate-200 text-slate-800 dark:bg-slate-700 dark:text-slate-100",
};

export const badge = "inline-block rounded px-1.5 py-0.5 text-xs font-medium";

export const DM_LABEL: Record<string, string> = {
  "qemu-xen-dom0": "qemu-xen (dom0)",
  "qemu-xen-stubdom": "stub domain",
  "qemu-xen-traditional": "qemu-xen-traditional",
  none: "none",
};
