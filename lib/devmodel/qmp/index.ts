export { QmpClient, describeTarget, toTransport } from "./client";
export type { QmpTarget, QmpConnectOptions, QmpArguments } from "./client";
export { queryQmpFacts } from "./facts";
export { QMP_READ_ONLY_COMMANDS, QMP_NEGOTIATION_COMMAND, isReadOnlyCommand } from "./allowlist";
export type { QmpReadOnlyCommand } from "./allowlist";
export { QmpClientError, QmpError, QmpTimeoutError, QmpConnectionError, QmpProtocolError, QmpRefusedError } from "./errors";
export { QmpFrameDecoder, DEFAULT_MAX_MESSAGE_BYTES } from "./framing";
export type { QmpFrame, QmpWireObject } from "./framing";
export { DEFAULT_QMP_DIR, parseQmpSocketName, pickQmpSockets, scanQmpSockets, listLocalQmpSockets, findQmpSocket, listQmpDomids } from "./socket-names";
export type { QmpSocketKind, QmpSocketEntry } from "./socket-names";
export { RUN_STATES } from "./types";
export type {
  QmpRunState,
  QmpVersionInfo,
  QmpGreeting,
  QmpEvent,
  QmpStatusInfo,
  QmpNameInfo,
  QmpCommandInfo,
  QmpBlockDeviceInfo,
  QmpVncInfo,
  QmpKvmInfo,
} from "./types";
