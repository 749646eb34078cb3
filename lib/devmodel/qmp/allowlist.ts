/**
 * The read-only allowlist. The dashboard must never change a guest: a QMP
 * monitor has `quit`, `stop`, `device_del`, `human-monitor-command` … and
 * libxl relies on the guest's QEMU being in the state it left it. So the client
 * can only send these names — enforced by the type (`QmpReadOnlyCommand`) for
 * TypeScript callers and by `isReadOnlyCommand` at runtime for everyone else
 * (strings from config, URLs, `as any`).
 *
 * Only `query-*` commands from QEMU's qapi qualify; by QEMU convention they do
 * not change state. Excluded on purpose even though named query-*: ones that
 * talk to firmware or start work (query-sev-attestation-report, query-stats…).
 */

export const QMP_READ_ONLY_COMMANDS = [
  // Asked for by the dashboard (see xen-devmodel.md §3.3, §3.5).
  "query-status",
  "query-version",
  "query-name",
  "query-commands",
  "query-command-line-options",
  "query-block",
  "query-chardev",
  "query-vnc",
  "query-cpus-fast",
  "query-hotpluggable-cpus",
  "query-pci",
  "query-kvm",
  "query-machines",
  "query-target",
  "query-uuid",
  "query-migrate",
  "query-xen-replication-status",
  "query-fdsets",
  "query-qmp-schema",
  // Further plain state reads, useful for diagnosis.
  "query-balloon",
  "query-blockstats",
  "query-block-jobs",
  "query-chardev-backends",
  "query-current-machine",
  "query-iothreads",
  "query-jobs",
  "query-memory-size-summary",
  "query-migrate-capabilities",
  "query-migrate-parameters",
  "query-named-block-nodes",
  "query-vnc-servers",
  "query-yank",
] as const;

export type QmpReadOnlyCommand = (typeof QMP_READ_ONLY_COMMANDS)[number];

/** Sent once by the client itself after the greeting; callers cannot send it. */
export const QMP_NEGOTIATION_COMMAND = "qmp_capabilities";

const READ_ONLY = new Set<string>(QMP_READ_ONLY_COMMANDS);

/** Runtime gate: exact, case-sensitive match on a string (anything else is refused). */
export function isReadOnlyCommand(command: unknown): command is QmpReadOnlyCommand {
  return typeof command === "string" && READ_ONLY.has(command);
}
