/**
 * Shapes of QMP messages and of the replies to the queries we use, as QEMU 7.2
 * sends them (see /work/shared/reference/qmp-samples). Optional members are the
 * ones QEMU omits in some configurations.
 */

/** qapi/run-state.json RunState. */
export const RUN_STATES = [
  "debug",
  "inmigrate",
  "internal-error",
  "io-error",
  "paused",
  "postmigrate",
  "prelaunch",
  "finish-migrate",
  "restore-vm",
  "running",
  "save-vm",
  "shutdown",
  "suspended",
  "watchdog",
  "guest-panicked",
  "colo",
] as const;
export type QmpRunState = (typeof RUN_STATES)[number];

/** VersionInfo (query-version and the greeting). */
export interface QmpVersionInfo {
  qemu: { major: number; minor: number; micro: number };
  package: string;
}

export interface QmpGreeting {
  QMP: { version: QmpVersionInfo; capabilities: string[] };
}

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export interface QmpStatusInfo {
  running: boolean;
  /** Deprecated in QEMU, still sent by 7.2. */
  singlestep?: boolean;
  status: QmpRunState | string;
}

export interface QmpNameInfo {
  /** Absent when QEMU was started without -name. */
  name?: string;
}

export interface QmpCommandInfo {
  name: string;
}

export interface QmpBlockDeviceInfo {
  device: string;
  qdev?: string;
  type: string;
  removable: boolean;
  locked: boolean;
  "io-status"?: string;
  tray_open?: boolean;
  inserted?: { file: string; ro: boolean; drv: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface QmpVncInfo {
  enabled: boolean;
  host?: string;
  family?: string;
  service?: string;
  auth?: string;
  clients?: unknown[];
}

export interface QmpKvmInfo {
  enabled: boolean;
  present: boolean;
}
