/**
 * Permission strings (docs/misc/xenstore.txt GET_PERMS/SET_PERMS; xenstore-common.h
 * `xenstore_strings_to_perms`): a letter w|r|b|n followed by a decimal domid. The first entry is
 * the owner, and its letter is the access of every domain without an entry of its own.
 */
import type { XsPermEntry, XsPerms } from "@/lib/devmodel/types";
import { XenStoreProtocolError } from "./errors";

const LETTER_TO_ACCESS: Record<string, XsPermEntry["access"]> = { w: "write", r: "read", b: "both", n: "none" };
const ACCESS_TO_LETTER: Record<XsPermEntry["access"], string> = { write: "w", read: "r", both: "b", none: "n" };

/** Largest domid a perm may name (DOMID_ANY-style values above 65535 are refused). */
const MAX_DOMID = 0xffff;

/** Parse one "r5" entry; null if malformed (the letter alone, junk after the digits, out of range). */
export function parsePermEntry(s: string): XsPermEntry | null {
  const m = /^([wrbn])(\d{1,5})$/.exec(s);
  if (!m) return null;
  const domid = Number(m[2]);
  if (domid > MAX_DOMID) return null;
  return { domid, access: LETTER_TO_ACCESS[m[1]] };
}

export function formatPermEntry(e: XsPermEntry): string {
  return `${ACCESS_TO_LETTER[e.access]}${e.domid}`;
}

/** Parse a GET_PERMS reply split into strings. Throws XenStoreProtocolError on anything malformed. */
export function parsePerms(strings: readonly string[]): XsPerms {
  if (strings.length === 0) throw new XenStoreProtocolError("GET_PERMS reply has no entries");
  const entries: XsPermEntry[] = [];
  for (const [i, s] of strings.entries()) {
    const e = parsePermEntry(s);
    // The entry itself is not quoted: it is the peer's bytes (see protocol/peer-bytes.ts).
    if (!e) throw new XenStoreProtocolError(`malformed permission entry ${i + 1} of ${strings.length}`);
    entries.push(e);
  }
  return { owner: entries[0].domid, defaultAccess: entries[0].access, entries };
}

/** Perms as the wire strings, owner first. */
export function formatPerms(p: XsPerms): string[] {
  const owner = { domid: p.owner, access: p.defaultAccess };
  const rest = p.entries.length > 0 && p.entries[0].domid === p.owner ? p.entries.slice(1) : p.entries;
  return [formatPermEntry(owner), ...rest.map(formatPermEntry)];
}

/** What `domid` may do with a node, following xenstored's perm_for_conn (owner has full access). */
export function accessFor(p: XsPerms, domid: number): { read: boolean; write: boolean } {
  if (domid === p.owner) return { read: true, write: true };
  const own = p.entries.slice(1).find((e) => e.domid === domid);
  const access = own ? own.access : p.defaultAccess;
  return { read: access === "read" || access === "both", write: access === "write" || access === "both" };
}
