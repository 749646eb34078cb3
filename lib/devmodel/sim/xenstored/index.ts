/** Simulated xenstored: the store (in-process API) and the socket server around it. */
export {
  XenStoreServer,
  WRITE_TYPES,
  MAIN_LABEL,
  SESSION_LABEL,
  WRITER_LABEL,
  type XenStoreServerOptions,
  type XenStoreSession,
  type XenStoreServerStats,
  type XsConnectionStats,
  type XsLabelStats,
} from "./server";
export { XsStore, type ChangeEvent, type ChangeKind, type ChangeListener, type Caller } from "./store";
export { canonicalize, isValidAbsolute, parentOf, baseName, isSubpath, domainPath } from "./paths";
