/**
 * What a device model's QMP offers, in the working group's terms.
 */
import type { QmpFacts } from "../types";
import type { TopicSlug } from "./topics";

/** Xen-specific QMP commands (reference §3.4), in the order the dashboard lists them. */
export const XEN_QMP_COMMANDS = [
  "xen-save-devices-state",
  "xen-load-devices-state",
  "xen-set-global-dirty-log",
  "xen-set-replication",
  "query-xen-replication-status",
  "xen-colo-do-checkpoint",
  "xen-event-list",
  "xen-event-inject",
] as const;

export interface QmpNote {
  id: string;
  topic: TopicSlug | null;
  text: string;
}

export interface QmpSummary {
  reachable: boolean;
  /** QmpFacts.status: "ok" or why it was not reachable. */
  status: QmpFacts["status"];
  error: string | null;
  /** "major.minor.micro" plus the package string in parentheses when set. */
  version: string | null;
  runState: string | null;
  running: boolean | null;
  /** The Xen QMP commands this QEMU offers, in XEN_QMP_COMMANDS order. */
  xenCommands: string[];
  commandCount: number;
  /** Facts worth showing, each tied to a working-group topic when there is one. */
  notes: QmpNote[];
}

export function qmpSummary(qmp: QmpFacts): QmpSummary {
  if (qmp.status !== "ok") {
    return {
      reachable: false,
      status: qmp.status,
      error: qmp.error,
      version: null,
      runState: null,
      running: null,
      xenCommands: [],
      commandCount: 0,
      notes: [],
    };
  }
  const has = new Set(qmp.commands);
  const v = qmp.version;
  const version = `${v.major}.${v.minor}.${v.micro}${v.package ? ` (${v.package.trim()})` : ""}`;
  const notes: QmpNote[] = [];
  const note = (id: string, topic: TopicSlug | null, text: string) => notes.push({ id, topic, text });

  if (has.has("xen-set-global-dirty-log"))
    note("log-dirty-qmp", "log-dirty", "xen-set-global-dirty-log present: log-dirty can be driven over QMP instead of XenStore logdirty/* (§3.3, §3.4)");
  if (has.has("query-status"))
    note("startup-qmp", "xenstore-removal", "query-status present: startup can be confirmed over QMP instead of device-model/<g>/state (§2.1, §3.3)");
  if (has.has("xen-save-devices-state") && has.has("add-fd"))
    note(
      "save-by-fd",
      "qemu-depriv",
      "xen-save-devices-state and add-fd present: a chrooted QEMU can save device state to an fd the toolstack hands over (§4.2)",
    );
  if (has.has("add-fd") && (has.has("blockdev-change-medium") || has.has("change")))
    note("cd-insert-fd", "cd-insert-fd", "add-fd and blockdev-change-medium/change present: CD media can be inserted as /dev/fdset/N (§3.3)");
  if (has.has("device_add") && has.has("device_del"))
    note("hotplug-qmp", "emulated-hotplug", "device_add/device_del present: emulated hotplug goes over QMP, not device-model/<g>/command (§3.3)");
  if (has.has("xen-set-replication")) note("colo", null, "COLO/Remus replication commands present (QEMU built with CONFIG_REPLICATION, §3.4)");
  if (has.has("xen-event-list"))
    note("xen-on-kvm", null, "xen-event-list present: this QEMU has Xen emulation under KVM (x86, 8.0+); irrelevant on a real Xen host (§3.4)");
  if (qmp.runState === "prelaunch") note("prelaunch", "xenstore-removal", "run state prelaunch: QEMU was started with -S and waits for 'cont' (§2.1)");
  if (!has.has("xen-save-devices-state")) note("no-xen-save", null, "xen-save-devices-state missing: this QEMU cannot save/migrate a Xen guest (§3.4)");

  return {
    reachable: true,
    status: "ok",
    error: null,
    version,
    runState: qmp.runState,
    running: qmp.running,
    xenCommands: XEN_QMP_COMMANDS.filter((c) => has.has(c)),
    commandCount: qmp.commands.length,
    notes,
  };
}
