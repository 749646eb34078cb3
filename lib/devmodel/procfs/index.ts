export { DEFAULT_PROC_ROOT, inspectProcess, readInitNamespaces, forgetInitNamespaces, type FoundBy, type InitNs, type InspectOptions } from "./inspect";
export { DeviceModelPidFinder, findDeviceModelPid, scanXenDomidPids, scanXenDomids, type DmPidMatch, type XenDomidScan } from "./find";
export { parseCmdline, formatCmdline, parseStatusIds, parseLimits, formatLimits, xenDomidFromArgv, dmDomidFromArgv } from "./parse";
export {
  LocalProcFs,
  ProcFsError,
  localProcFs,
  withDeadlines,
  toProcFs,
  PROCFS_MAX_FILE_BYTES,
  PROCFS_MAX_ENTRIES,
  PROCFS_MAX_LINK_BYTES,
  type ProcFs,
  type ProcStat,
} from "./fs";
