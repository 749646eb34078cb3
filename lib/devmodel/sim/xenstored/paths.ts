/**
 * Node-name rules of xenstored (docs/misc/xenstore.txt, tools/xenstored/core.c is_valid_nodename):
 * ASCII alphanumerics and "-/_@", absolute, no empty components (no "//", no trailing "/" except
 * the root), at most XENSTORE_ABS_PATH_MAX bytes. Relative names are resolved against the
 * caller's /local/domain/<domid> — for a socket client that is dom0, as in C xenstored.
 */
import { XENSTORE_ABS_PATH_MAX, XENSTORE_REL_PATH_MAX } from "@/lib/devmodel/xenstore/wire";

const VALID = /^[\w\-/@]+$/;

export function domainPath(domid: number): string {
  return `/local/domain/${domid}`;
}

export function isValidAbsolute(path: string): boolean {
  if (path === "/") return true;
  if (path.length === 0 || path.length > XENSTORE_ABS_PATH_MAX) return false;
  if (path[0] !== "/" || path.endsWith("/") || path.includes("//")) return false;
  return VALID.test(path);
}

/** Special watch / permission names: "@introduceDomain", "@releaseDomain" (and "@…" generally). */
export function isSpecial(path: string): boolean {
  return path.startsWith("@");
}

/** Absolute form of `path` for a caller in `domid`, or null if it is not a valid node name. */
export function canonicalize(path: string, domid: number): string | null {
  if (path.length === 0) return null;
  if (path[0] !== "/") {
    if (path.length > XENSTORE_REL_PATH_MAX) return null;
    path = `${domainPath(domid)}/${path}`;
  }
  return isValidAbsolute(path) ? path : null;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Is `child` equal to `parent` or below it? (xs_path_is_subpath) */
export function isSubpath(parent: string, child: string): boolean {
  if (parent === "/") return child.startsWith("/");
  return child === parent || (child.startsWith(parent) && child.charCodeAt(parent.length) === 47);
}
