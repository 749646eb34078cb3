/** Public API of the XenStore client (no React/Next/Prisma in here). */
export { XenStoreClient, type XenStoreConnectOptions, type XenStoreReconnectOptions, type XsReplySink, type XsTransaction } from "./client";
export { XsWatch, type XsWatchEvent } from "./watch";
export { joinPath } from "./tree";
export { resolveSocketPath, DEFAULT_XENSTORED_RUNDIR } from "./socket-path";
export { parsePerms, parsePermEntry, formatPerms, formatPermEntry, accessFor } from "./perms";
export { XS_READ_ONLY_TYPES, isReadOnlyType } from "./allowlist";
export {
  XenStoreClientError,
  XenStoreRefusedError,
  XenStoreError,
  XenStoreTimeoutError,
  XenStoreConnectionError,
  XenStoreProtocolError,
  XS_ERRNO_NAMES,
  hasErrno,
  isXenStoreFailure,
  toPeerError,
  type XsErrno,
  type XenStoreFailure,
} from "./errors";
export {
  XS,
  XS_TYPE_COUNT,
  HEADER_SIZE,
  XENSTORE_PAYLOAD_MAX,
  XENSTORE_ABS_PATH_MAX,
  XENSTORE_REL_PATH_MAX,
  FrameDecoder,
  encodeFrame,
  encodeHeader,
  decodeHeader,
  joinStrings,
  splitStrings,
  splitStringsIn,
  firstString,
  pathAndValue,
  typeName,
  isKnownType,
  XsFrame,
  type XsHeader,
  type DecodeResult,
  type FrameDecoderOptions,
} from "./wire";
