export {
  DEFAULT_PROC_ROOT,
  inspectProcess,
  readInitNamespaces,
  forgetInitNamespaces,
  type FoundBy,
  type InitNs,
} from "./inspect";
export { DeviceModelPidFinder, findDeviceModelPid, scanXenDomidPids, type DmPidMatch } from "./find";
export { parseCmdline, formatCmdline, parseStatusIds, parseLimits, formatLimits, xenDomidFromArgv } from "./parse";
