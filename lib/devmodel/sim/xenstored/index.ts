/** Simulated xenstored: the store (in-process API) and the socket server around it. */
export { XenStoreServer, type XenStoreServerOptions, type XenStoreSession } from "./server";
export { XsStore, type ChangeEvent, type ChangeKind, type ChangeListener, type Caller } from "./store";
export { canonicalize, isValidAbsolute, parentOf, baseName, isSubpath, domainPath } from "./paths";
